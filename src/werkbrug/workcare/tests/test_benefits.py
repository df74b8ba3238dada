"""Benefit limits: a participant's regime with its ceiling a week (configurable per year), the
documents, and the grid's warning before hours above the ceiling are saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from werkbrug.testing import actor_for
from werkbrug.workcare import benefits
from werkbrug.workcare.forms import cell_name
from werkbrug.workcare.models import Benefit, BenefitCeiling, BenefitDocument, DayHours
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3
# 2 March 2026 is a Monday: the week of 2-8 March lies whole in the month.
MONDAY = datetime.date(2026, 3, 2)


def _participant(net, regime, **extra):
    at = workshop(net)
    trajectory = workcare_trajectory(net, first_name="Els", last_name="Maes")
    agreement(net, trajectory, at)
    benefits.set_benefit(actor_for(net.coach), trajectory, regime=regime, **extra)
    return at, trajectory


def _week(trajectory, per_day, days=5):
    return {cell_name(trajectory.pk, MONDAY + datetime.timedelta(days=i)): per_day for i in range(days)}


def _url(at):
    return reverse("workcare:grid", args=[at.pk, YEAR, MONTH])


def test_hours_above_the_rva_ceiling_warn_before_saving_and_save_once_confirmed(net, login):
    at, trajectory = _participant(net, "rva")
    page = login(net.coach)
    # 5 x 6 = 30 h in one week, above the 28 h of the RVA exemption.
    warned = page.post(_url(at), _week(trajectory, "6"))
    assert warned.status_code == 400
    text = warned.content.decode()
    assert (
        "Els Maes: 30 h in the week of 02/03, above the 28 h a week of unemployment benefit, RVA exemption."
        in text
    )
    assert 'name="confirm"' in text
    assert not DayHours.objects.exists()
    saved = page.post(_url(at), {**_week(trajectory, "6"), "confirm": "on"})
    assert saved.status_code == 302
    assert sum(DayHours.objects.values_list("hours", flat=True)) == Decimal(30)


def test_hours_at_the_ceiling_save_without_a_warning(net, login):
    at, trajectory = _participant(net, "ocmw")
    # 5 x 6 = 30 h: exactly the 30 h of the OCMW.
    assert login(net.coach).post(_url(at), _week(trajectory, "6")).status_code == 302
    assert DayHours.objects.count() == 5


def test_the_ceiling_is_the_years_own(net, login):
    BenefitCeiling.objects.create(year=YEAR, regime="ocmw", hours_per_week=Decimal(20))
    at, trajectory = _participant(net, "ocmw")
    # 25 h in the week, above this year's 20 h (not the default 30).
    response = login(net.coach).post(_url(at), _week(trajectory, "5"))
    assert response.status_code == 400
    assert "above the 20.0 h a week" in response.content.decode()


def test_mutualiteit_without_approval_warns_for_any_hours(net, login):
    at, trajectory = _participant(net, "mutualiteit")
    response = login(net.coach).post(_url(at), _week(trajectory, "2", days=1))
    assert response.status_code == 400
    assert "without the mutualiteit&#x27;s approval recorded" in response.content.decode()
    benefits.set_benefit(actor_for(net.coach), trajectory, regime="mutualiteit", approved_on=MONDAY)
    assert login(net.coach).post(_url(at), _week(trajectory, "2", days=1)).status_code == 302


def test_the_coach_records_the_benefit_and_a_document(net, login):
    trajectory = workcare_trajectory(net)
    page = login(net.coach)
    response = page.post(reverse("workcare:benefit", args=[trajectory.pk]), {"regime": "rva"})
    assert response.status_code == 302
    assert Benefit.objects.get().regime == "rva"
    response = page.post(
        reverse("workcare:document", args=[trajectory.pk]),
        {"kind": "C94A", "dated": "2026-01-05", "valid_until": "2025-12-31"},
    )
    assert response.status_code == 400  # the end before the date
    assert not BenefitDocument.objects.exists()
    page.post(reverse("workcare:document", args=[trajectory.pk]), {"kind": "C94A", "dated": "2026-01-05"})
    assert BenefitDocument.objects.get().kind == "C94A"
    shown = page.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "C94A (RVA: exemption for work-care), 05/01/2026" in shown


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_on_the_benefit_pages(net, client, who):
    trajectory = workcare_trajectory(net)
    client.force_login(getattr(net, who))
    for name in ("benefit", "document"):
        assert client.get(reverse(f"workcare:{name}", args=[trajectory.pk])).status_code == 404
    assert (
        client.post(reverse("workcare:benefit", args=[trajectory.pk]), {"regime": "rva"}).status_code == 404
    )
    assert not Benefit.objects.exists()
