"""Workshops and their subsidy statement: kept by the organisation's coaches and coordinators, the
statement showing every step with the hours entered; anyone else gets 404."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from werkbrug.network.models import Role
from werkbrug.testing import actor_for, make_user
from werkbrug.workcare import hours
from werkbrug.workcare.models import SubsidyRate, Workshop
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_workshop(net, login):
    response = login(net.coordinator).post(
        reverse("workcare:workshop_new"), {"name": "Atelier Hout", "target_group_fte": "12.5"}
    )
    assert response.status_code == 302
    saved = Workshop.objects.get()
    assert (saved.name, saved.organisation, saved.target_group_fte) == (
        "Atelier Hout",
        net.sara,
        Decimal("12.5"),
    )


def test_a_negative_target_group_is_refused(net, login):
    response = login(net.coordinator).post(
        reverse("workcare:workshop_new"), {"name": "Atelier Hout", "target_group_fte": "-1"}
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def _fill(net, at, people, month, per_day):
    """The month's grid for the whole group: 26 days of `per_day` hours each."""
    days = hours.month_days(2026, month)[:26]
    cells = {(t.pk, d): Decimal(per_day) for t in people for d in days}
    hours.save_month(actor_for(net.coach), at, year=2026, month=month, cells=cells)


def test_the_statement_shows_every_step_and_the_seeds_example(net, login):
    at = workshop(net, fte="20")
    people = [workcare_trajectory(net, first_name=f"P{i}") for i in range(5)]
    for t in people:
        agreement(net, t, at, starts_on=datetime.date(2026, 1, 1))
    # 5 people x 26 days x 5 h = 650 h in January = 150 h a week (650 / (52/12)): A 5, capped at
    # D / 5 = 4, 0.8 support FTE, 17,600 a year, 1,466.67 for the month.
    _fill(net, at, people, 1, "5")
    page = login(net.coordinator).get(reverse("workcare:statement", args=[at.pk]) + "?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-month="1"><td>1</td><td data-hours>650.00</td><td>150.00</td><td>5.000</td><td>4.000' in text
    assert "<td>0.800</td><td data-amount>€ 1466.67</td>" in text
    assert "data-year-amount>€ 1466.67<" in text


def test_the_statement_uses_the_years_own_amount(net, login):
    at = workshop(net, fte="20")
    t = workcare_trajectory(net)
    agreement(net, t, at)
    _fill(net, at, [t], 2, "5")  # 130 h = 1 work-care FTE -> 0.2 support FTE
    SubsidyRate.objects.create(year=2026, amount_per_fte=Decimal("24000"))
    text = (
        login(net.coordinator)
        .get(reverse("workcare:statement", args=[at.pk]) + "?year=2026")
        .content.decode()
    )
    # 0.2 x 24,000 / 12 = 400.00
    assert 'data-month="2"><td>2</td><td data-hours>130.00</td>' in text
    assert "data-amount>€ 400.00<" in text


def test_a_workshop_under_ten_target_group_fte_shows_no_subsidy(net, login):
    at = workshop(net, fte="9")
    t = workcare_trajectory(net)
    agreement(net, t, at)
    _fill(net, at, [t], 1, "5")
    text = (
        login(net.coordinator)
        .get(reverse("workcare:statement", args=[at.pk]) + "?year=2026")
        .content.decode()
    )
    assert "fewer than 10 FTE" in text
    assert "data-year-amount>€ 0.00<" in text


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care", "admin"])
def test_outsiders_get_404_on_workshop_pages(net, client, who):
    at = workshop(net)
    client.force_login(getattr(net, who))
    for name in ("workshop", "workshop_edit", "statement"):
        assert client.get(reverse(f"workcare:{name}", args=[at.pk])).status_code == 404, name
    listed = client.get(reverse("workcare:workshops"))
    assert listed.status_code == (200 if who == "gtb_coach" else 404)  # a coach elsewhere: their own list
    assert "Atelier De Brug" not in listed.content.decode()
    response = client.post(
        reverse("workcare:workshop_edit", args=[at.pk]), {"name": "X", "target_group_fte": "1"}
    )
    assert response.status_code == 404
    at.refresh_from_db()
    assert at.name == "Atelier De Brug"


def test_another_organisations_coordinator_does_not_see_the_workshop(net, client):
    at = workshop(net)
    client.force_login(make_user("gtbcoord", net.gtb, Role.COORDINATOR))
    assert client.get(reverse("workcare:statement", args=[at.pk])).status_code == 404
    assert "Atelier De Brug" not in client.get(reverse("workcare:workshops")).content.decode()
