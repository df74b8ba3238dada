"""The clocks, with frozen time: the IBP due within 3 months of the agreement, the practice cycle
(intake at the start, trial evaluation after 1 month, evaluation 3 months later, then yearly) due and
overdue on the coach's caseload and the agreement page, and participants without hours or contact
for some weeks flagged."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from werkbrug.network.models import Role
from werkbrug.testing import actor_for, make_user
from werkbrug.workcare import actions, clocks, hours
from werkbrug.workcare.models import Milestone
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 31)


def test_months_are_added_as_people_count_them():
    assert clocks.add_months(START, 1) == datetime.date(2026, 2, 28)
    assert clocks.add_months(START, 3) == datetime.date(2026, 4, 30)
    assert clocks.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def _states(page):
    return dict(re.findall(r'data-clock="(\w+)" data-state="(\w+)"', page))


def _setup(net):
    at = workshop(net)
    trajectory = workcare_trajectory(net)
    deal = agreement(net, trajectory, at, starts_on=START)
    actions.sign_agreement(actor_for(net.coach), deal, signed_on=START)
    return trajectory, deal


def test_the_schedule_at_fixed_dates(net, login):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        trajectory, deal = _setup(net)
    url = reverse("workcare:agreement", args=[trajectory.pk, deal.pk])
    # 1 Feb: the intake (31 Jan) is overdue; the trial evaluation (28 Feb) not yet within 14 days.
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        states = _states(login(net.coach).get(url).content.decode())
    assert states == {
        "intake": "overdue",
        "trial": "later",
        "ibp": "later",
        "evaluation": "later",
        "yearly": "later",
    }
    # 14 Feb: the trial evaluation (28 Feb) is due (14 days before).
    with time_machine.travel(datetime.datetime(2026, 2, 14, 10, 0), tick=False):
        assert _states(login(net.coach).get(url).content.decode())["trial"] == "due"
        clocks.record_milestone(actor_for(net.coach), deal, kind="intake", on=START)
    # 15 May: the IBP (3 months after signing on 31 Jan: 30 April) is overdue; the evaluation (3
    # months after the trial date: 28 May) is due from 14 May; the intake is done.
    with time_machine.travel(datetime.datetime(2026, 5, 15, 10, 0), tick=False):
        states = _states(login(net.coach).get(url).content.decode())
    assert states["ibp"] == "overdue"
    assert states["evaluation"] == "due"
    assert states["intake"] == "done"
    assert states["trial"] == "overdue"


def test_the_yearly_talk_comes_a_year_after_the_last(net):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        _trajectory, deal = _setup(net)
    yearly = next(c for c in clocks.schedule(deal, [], datetime.date(2027, 2, 1)) if c.kind == "yearly")
    assert (yearly.due, yearly.state) == (datetime.date(2027, 1, 31), "overdue")
    held = Milestone(agreement=deal, kind="yearly", on=datetime.date(2027, 2, 1), by=deal.recorded_by)
    yearly = next(c for c in clocks.schedule(deal, [held], datetime.date(2027, 2, 2)) if c.kind == "yearly")
    assert (yearly.due, yearly.state) == (datetime.date(2028, 1, 31), "later")


def test_the_coachs_caseload_shows_what_is_overdue_and_who_went_quiet(net, login):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        trajectory, deal = _setup(net)
        hours.save_month(
            actor_for(net.coach),
            deal.workshop,
            year=2026,
            month=2,
            cells={(trajectory.pk, datetime.date(2026, 2, 2)): Decimal(3)},
        )
    # 3 Feb: the intake is overdue; the hours of 2 Feb are recent: not quiet.
    with time_machine.travel(datetime.datetime(2026, 2, 3, 10, 0), tick=False):
        page = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert f'data-workcare-row="{trajectory.pk}"' in page
    assert 'data-clock="intake" data-state="overdue"' in page
    assert "data-quiet" not in page
    # 3 March: four weeks and a day after the last hours and contact: quiet.
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0), tick=False):
        page = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert "data-quiet" in page


def test_a_step_in_the_future_is_refused(net, login):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        trajectory, deal = _setup(net)
        response = login(net.coach).post(
            reverse("workcare:milestone", args=[trajectory.pk, deal.pk]),
            {"kind": "trial", "on": "2026-03-01"},
        )
    assert response.status_code == 400
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_on_the_milestone_page(net, client, who):
    trajectory, deal = _setup(net)
    client.force_login(getattr(net, who))
    url = reverse("workcare:milestone", args=[trajectory.pk, deal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "intake", "on": "2026-02-01"}).status_code == 404
    assert not Milestone.objects.exists()


def test_another_coachs_caseload_does_not_show_the_participant(net, login):
    trajectory, _deal = _setup(net)
    page = login(net.gtb_coach).get(reverse("trajectories:caseload")).content.decode()
    assert f'data-workcare-row="{trajectory.pk}"' not in page


def test_the_coordinator_sees_the_clocks_of_everyone_at_the_workshop(net, login):
    """Issue 17 point 2: the IBP clock shows due and then overdue on the coordinator's overview (the
    workshop page), whoever coaches the participant."""
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, 0), tick=False):
        trajectory, deal = _setup(net)
        clocks.record_milestone(actor_for(net.coach), deal, kind="intake", on=START)
    url = reverse("workcare:workshop", args=[deal.workshop_id])
    # Signed on 31 January: the IBP is due by 30 April, shown from 16 April, overdue from 1 May.
    with time_machine.travel(datetime.datetime(2026, 4, 20, 10, 0), tick=False):
        page = login(net.coordinator).get(url).content.decode()
    assert f'data-workcare-row="{trajectory.pk}"' in page
    assert 'data-clock="ibp" data-state="due"' in page
    with time_machine.travel(datetime.datetime(2026, 5, 2, 10, 0), tick=False):
        page = login(net.coordinator).get(url).content.decode()
    assert 'data-clock="ibp" data-state="overdue"' in page
    # Another organisation's coordinator does not reach the workshop at all.
    other = make_user("gtb_coordinator", net.gtb, Role.COORDINATOR)
    assert login(other).get(url).status_code == 404
