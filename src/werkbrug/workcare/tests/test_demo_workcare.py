"""The demo network has work-care: a workshop with three participants, a signed agreement, a draft
and last month's hours, which the workshop's grid and subsidy statement show."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from werkbrug.network.models import User
from werkbrug.workcare.models import DayHours, WorkCareAgreement, Workshop


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", stdout=StringIO())


def test_the_demo_has_a_workshop_with_agreements_and_last_months_hours(demo, client):
    workshop = Workshop.objects.get()
    assert WorkCareAgreement.objects.filter(signed_on__isnull=False).count() == 1
    assert WorkCareAgreement.objects.filter(signed_on__isnull=True).count() == 2
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    entered = DayHours.objects.filter(day__year=last_month.year, day__month=last_month.month)
    assert entered.count() > 0
    client.force_login(User.objects.get(username="coach.sara2"))
    grid = client.get(reverse("workcare:grid", args=[workshop.pk, last_month.year, last_month.month]))
    assert grid.status_code == 200
    assert len(grid.context["rows"]) == 3
    client.force_login(User.objects.get(username="coordinator.sara"))
    statement = client.get(reverse("workcare:statement", args=[workshop.pk]) + f"?year={last_month.year}")
    assert statement.status_code == 200
    month = statement.context["year"].months[last_month.month - 1]
    assert month.hours == sum(entered.values_list("hours", flat=True))
