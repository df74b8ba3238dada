"""Membership in a subquery's rows beside another condition (core.dbsets.InRows), on both engines."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from werkbrug.core.dbsets import InRows
from werkbrug.network.models import Organisation
from werkbrug.testing import build_network

pytestmark = pytest.mark.django_db


def _names(condition: Q) -> set[str]:
    return set(Organisation.objects.filter(condition).values_list("name", flat=True))


def test_in_rows_keeps_exactly_the_rows_whose_column_is_among_the_subquerys_values():
    net = build_network()
    every = set(Organisation.objects.values_list("name", flat=True))
    care = Organisation.objects.filter(pk__in=[net.hospital.pk, net.other_care.pk]).values("pk")
    assert _names(Q(InRows("pk", care))) == {net.hospital.name, net.other_care.name}
    # Beside another condition in an OR, as `reports.asof.led_by` uses it.
    either = Q(name=net.gtb.name) | Q(InRows("pk", care))
    assert _names(either) == {net.gtb.name, net.hospital.name, net.other_care.name}
    assert _names(~either) == every - {net.gtb.name, net.hospital.name, net.other_care.name}
    # A subquery without rows keeps nothing, and leaves the other side of the OR as it is.
    nothing = Organisation.objects.filter(name="no such organisation").values("pk")
    assert _names(Q(InRows("pk", nothing))) == set()
    assert _names(Q(name=net.sara.name) | Q(InRows("pk", nothing))) == {net.sara.name}


def test_in_rows_is_written_for_the_engine_it_runs_on():
    build_network()
    rows = Organisation.objects.filter(name="x").values("pk")
    sql = str(Organisation.objects.filter(InRows("pk", rows)).query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert " IN (SELECT" in sql and "ARRAY" not in sql
