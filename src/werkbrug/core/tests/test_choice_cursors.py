"""A form's model choices are read with one plain statement (settings, DISABLE_SERVER_SIDE_CURSORS):
on PostgreSQL Django's `QuerySet.iterator()` would otherwise declare a server-side cursor held past
the transaction for a list of a few options (docs/bench.md, s39)."""

from __future__ import annotations

import psycopg
import pytest
from django import forms
from django.db import connection

from werkbrug.network.models import Organisation
from werkbrug.settings import database_from_url


def test_the_postgresql_settings_turn_server_side_cursors_off():
    assert database_from_url("postgres://werkbrug@db.example:5432/werkbrug")["DISABLE_SERVER_SIDE_CURSORS"]


@pytest.mark.django_db
def test_a_model_choice_field_renders_its_options_from_one_plain_statement():
    names = ["Choice cursor A", "Choice cursor B"]
    for name in names:
        Organisation.objects.create(name=name)

    class ChooseOne(forms.Form):
        organisation = forms.ModelChoiceField(Organisation.objects.filter(name__in=names).order_by("name"))

    cursors = []

    def record(execute, sql, params, many, context):
        cursors.append(context["cursor"].cursor)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        html = str(ChooseOne()["organisation"])
    assert all(name in html for name in names), html
    assert len(cursors) == 1
    assert not isinstance(cursors[0], psycopg.ServerCursor), type(cursors[0])
