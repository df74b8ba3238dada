"""Screening stages: observation 16 h + at most 4 h administration; activation at most 160 h + at
most 8 h administration for 160 h, pro rata; the hours on the work floor counted from the grid."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from werkbrug.testing import actor_for
from werkbrug.workcare import hours, stages
from werkbrug.workcare.models import ScreeningStage
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db


def test_the_administration_maximum_follows_the_stage():
    assert stages.admin_maximum("observation", Decimal(16)) == Decimal(4)
    assert stages.admin_maximum("activation", Decimal(160)) == Decimal(8)
    # 80 h is half of 160: 4 h; 100 h: 8 x 100 / 160 = 5.
    assert stages.admin_maximum("activation", Decimal(80)) == Decimal(4)
    assert stages.admin_maximum("activation", Decimal(100)) == Decimal(5)


def test_an_activation_stage_counts_the_grids_hours(net, login):
    at = workshop(net)
    trajectory = workcare_trajectory(net)
    agreement(net, trajectory, at, starts_on=datetime.date(2026, 3, 1))
    page = login(net.coach)
    response = page.post(
        reverse("workcare:stage_new", args=[trajectory.pk]),
        {"kind": "activation", "starts_on": "2026-03-02", "agreed_hours": "100"},
    )
    assert response.status_code == 302
    stage = ScreeningStage.objects.get()
    cells = {(trajectory.pk, datetime.date(2026, 3, d)): Decimal(4) for d in (1, 2, 3, 4)}
    hours.save_month(actor_for(net.coach), at, year=2026, month=3, cells=cells)
    # From 2 March: 3 days x 4 h = 12 of 100; the 1st lies before the stage.
    assert stages.worked_hours(stage) == Decimal(12)
    shown = page.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "12 of 100 h on the work floor" in shown  # the same on both engines (PostgreSQL sums as 12.00)
    # At most 5 h of administration for 100 h.
    url = reverse("workcare:stage_admin", args=[trajectory.pk, stage.pk])
    assert page.post(url, {"admin_hours": "5.5"}).status_code == 400
    assert page.post(url, {"admin_hours": "5"}).status_code == 302
    stage.refresh_from_db()
    assert stage.admin_hours == Decimal(5)


@pytest.mark.parametrize(
    ("kind", "agreed", "message"),
    [("observation", "20", "An observation stage takes 16 hours."), ("activation", "161", "")],
)
def test_a_stage_outside_the_rules_is_refused(net, login, kind, agreed, message):
    trajectory = workcare_trajectory(net)
    response = login(net.coach).post(
        reverse("workcare:stage_new", args=[trajectory.pk]),
        {"kind": kind, "starts_on": "2026-03-02", "agreed_hours": agreed},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningStage.objects.exists()


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_on_the_stage_pages(net, client, who):
    trajectory = workcare_trajectory(net)
    stage = stages.start_stage(
        actor_for(net.coach),
        trajectory,
        kind="observation",
        starts_on=datetime.date(2026, 3, 2),
        agreed_hours=Decimal(16),
    )
    client.force_login(getattr(net, who))
    assert client.get(reverse("workcare:stage_new", args=[trajectory.pk])).status_code == 404
    url = reverse("workcare:stage_admin", args=[trajectory.pk, stage.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"admin_hours": "2"}).status_code == 404
    stage.refresh_from_db()
    assert stage.admin_hours == 0


# --- the administration hours at their caps (issue 17, point 6) ----------------------------------


def _stage(net, kind: str, agreed: str):
    at = workshop(net)
    trajectory = workcare_trajectory(net)
    agreement(net, trajectory, at, starts_on=datetime.date(2026, 3, 1))
    stage = stages.start_stage(
        actor_for(net.coach),
        trajectory,
        kind=kind,
        starts_on=datetime.date(2026, 3, 2),
        agreed_hours=Decimal(agreed),
    )
    # Two days on the work floor: 2 x 8 h = 16 h.
    cells = {(trajectory.pk, datetime.date(2026, 3, d)): Decimal(8) for d in (2, 3)}
    hours.save_month(actor_for(net.coach), at, year=2026, month=3, cells=cells)
    return at, stage


@pytest.mark.parametrize(
    ("kind", "agreed", "cap", "above"),
    [
        ("observation", "16", "4", "4.1"),  # 16 h + at most 4 h (L1966-1976)
        ("activation", "160", "8", "8.1"),  # 160 h + at most 8 h (L2050-2066)
        ("activation", "40", "2", "2.1"),  # 40 h: 8 x 40 / 160 = 2 h, pro rata
    ],
)
def test_administration_hours_are_kept_apart_up_to_their_own_cap(net, login, kind, agreed, cap, above):
    at, stage = _stage(net, kind, agreed)
    page = login(net.coach)
    url = reverse("workcare:stage_admin", args=[stage.trajectory_id, stage.pk])
    assert page.post(url, {"admin_hours": cap}).status_code == 302
    stage.refresh_from_db()
    assert stage.admin_hours == Decimal(cap)
    # Posted twice: the same value, stored once.
    assert page.post(url, {"admin_hours": cap}).status_code == 302
    refused = page.post(url, {"admin_hours": above})
    assert refused.status_code == 400
    stage.refresh_from_db()
    assert stage.admin_hours == Decimal(cap)
    # Not in the hours on the work floor, not in the subsidy's activity hours: only the grid's 16 h.
    assert stages.worked_hours(stage) == Decimal(16)
    assert hours.hours_by_month(at, 2026) == {3: Decimal(16)}
    assert stages.progress(stage, stages.worked_hours(stage)).admin == Decimal(cap)


def test_an_activation_stage_of_exactly_160_hours_is_accepted_and_one_tenth_more_refused(net, login):
    trajectory = workcare_trajectory(net)
    page = login(net.coach)
    url = reverse("workcare:stage_new", args=[trajectory.pk])
    assert (
        page.post(url, {"kind": "activation", "starts_on": "2026-03-02", "agreed_hours": "160.1"}).status_code
        == 400
    )
    assert (
        page.post(url, {"kind": "activation", "starts_on": "2026-03-02", "agreed_hours": "160"}).status_code
        == 302
    )
    assert list(ScreeningStage.objects.values_list("agreed_hours", flat=True)) == [Decimal(160)]


def test_negative_administration_hours_are_refused(net, login):
    _at, stage = _stage(net, "observation", "16")
    url = reverse("workcare:stage_admin", args=[stage.trajectory_id, stage.pk])
    assert login(net.coach).post(url, {"admin_hours": "-1"}).status_code == 400
    stage.refresh_from_db()
    assert stage.admin_hours == 0
