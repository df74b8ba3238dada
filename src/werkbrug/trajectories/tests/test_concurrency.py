"""Two people at once (docs/conventions.md): real concurrent requests, released together by a
barrier, each through its own logged-in client. Each pair gives one effect and a clear refusal for
the other, never a 500 and never a double effect."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from werkbrug.network.models import TrajectoryType, User
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralStatus
from werkbrug.testing import Network, actor_for, client_of, one_done_one_refused, race
from werkbrug.trajectories import actions
from werkbrug.trajectories.actions import decision_version
from werkbrug.trajectories.models import PlanGoal, Trajectory, TrajectoryEvent, TrajectoryStatus

ROUNDS = 3
pytestmark = pytest.mark.django_db(transaction=True)


def seen(client: Client, url: str) -> str:
    """Open the action page, as a person does before deciding: the version it was opened on."""
    page = client.get(url).content.decode()
    found = re.search(r'name="seen" value="([^"]*)"', page)
    return found.group(1) if found else ""


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return lambda: client.post(url, data)


def test_close_and_pause_at_once_give_one_decision_and_a_message(tnet):
    for _ in range(ROUNDS):
        trajectory = tnet.trajectory()
        coach, coordinator = client_of(tnet.coach), client_of(tnet.coordinator)
        close_url = reverse("trajectories:close", args=[trajectory.pk])
        pause_url = reverse("trajectories:pause", args=[trajectory.pk])
        close = {"reason": "other", "note": "Verhuisd", "seen": seen(coach, close_url)}
        pause = {"reason": "Opname", "seen": seen(coordinator, pause_url)}
        _done, refused = one_done_one_refused(
            race(post(coach, close_url, close), post(coordinator, pause_url, pause))
        )
        assert "Last change:" in refused.content.decode()
        trajectory.refresh_from_db()
        kinds = list(TrajectoryEvent.objects.filter(trajectory=trajectory).values_list("kind", flat=True))
        assert kinds.count("closed") + kinds.count("paused") == 1
        if trajectory.status == TrajectoryStatus.CLOSED:
            assert trajectory.closed_on is not None and trajectory.pause_reason == ""
        else:
            assert trajectory.status == TrajectoryStatus.PAUSED and trajectory.closed_on is None
        assert close["seen"] and pause["seen"], "the pages carry the version they were opened on"


def test_close_and_phase_change_at_once_give_one_decision_and_a_message(tnet):
    for _ in range(ROUNDS):
        trajectory = tnet.trajectory()
        coach, coordinator = client_of(tnet.coach), client_of(tnet.coordinator)
        close_url = reverse("trajectories:close", args=[trajectory.pk])
        phase_url = reverse("trajectories:phase", args=[trajectory.pk])
        close = {"reason": "other", "note": "Verhuisd", "seen": seen(coach, close_url)}
        phase = {"phase": "engagement", "seen": seen(coordinator, phase_url)}
        one_done_one_refused(race(post(coach, close_url, close), post(coordinator, phase_url, phase)))
        kinds = list(TrajectoryEvent.objects.filter(trajectory=trajectory).values_list("kind", flat=True))
        assert kinds.count("closed") + kinds.count("phase") == 1


def _triage(tnet: Network, referral: Referral, action: str, data: dict[str, Any], user: User) -> Any:
    return post(client_of(user), reverse(f"referrals:{action}", args=[referral.pk]), data)


def test_assign_and_decline_at_once_give_one_decision_and_a_message(tnet):
    for _ in range(ROUNDS):
        referral = tnet.refer(tnet.new_client())
        responses = race(
            _triage(tnet, referral, "assign", {"coach": tnet.coach.pk}, tnet.screener),
            _triage(tnet, referral, "decline", {"reason": "other", "note": "Geen plaats"}, tnet.coordinator),
        )
        _done, refused = one_done_one_refused(responses)
        assert "already handled this referral" in refused.content.decode()
        referral.refresh_from_db()
        decisions = ReferralEvent.objects.filter(referral=referral, kind__in=["assigned", "declined"])
        assert decisions.count() == 1
        assert (
            referral.status
            == {"assigned": ReferralStatus.ASSIGNED, "declined": ReferralStatus.DECLINED}[
                decisions.get().kind
            ]
        )


def test_two_assigns_at_once_give_one_assignment(tnet):
    for _ in range(ROUNDS):
        referral = tnet.refer(tnet.new_client())
        responses = race(
            _triage(tnet, referral, "assign", {"coach": tnet.coach.pk}, tnet.screener),
            _triage(tnet, referral, "assign", {"coach": tnet.coach.pk}, tnet.coordinator),
        )
        _done, refused = one_done_one_refused(responses)
        assert "already handled this referral" in refused.content.decode()
        assert ReferralEvent.objects.filter(referral=referral, kind="assigned").count() == 1


def test_a_double_clicked_accept_starts_one_trajectory(tnet):
    kind = TrajectoryType.objects.get(code="arbeidscoach")
    for _ in range(ROUNDS):
        referral = tnet.refer(tnet.new_client())
        referral_actions.assign_referral(actor_for(tnet.screener), referral, coach=tnet.coach)
        url = reverse("referrals:accept", args=[referral.pk])
        first, second = client_of(tnet.coach), client_of(tnet.coach)
        data = {"trajectory_type": kind.pk}
        _done, refused = one_done_one_refused(race(post(first, url, data), post(second, url, data)))
        assert "already handled this referral" in refused.content.decode()
        assert ReferralEvent.objects.filter(referral=referral, kind="accepted").count() == 1
        assert Trajectory.objects.filter(referral=referral).count() == 1


def test_a_goal_marked_done_twice_at_once_is_done_once(tnet):
    for _ in range(ROUNDS):
        trajectory = tnet.trajectory()
        goal = actions.add_goal(actor_for(tnet.coach), trajectory, goal="Cv maken", due_on=None)
        url = reverse("trajectories:goal_done", args=[trajectory.pk, goal.pk])
        _done, refused = one_done_one_refused(
            race(post(client_of(tnet.coach), url, {}), post(client_of(tnet.coordinator), url, {}))
        )
        assert "already done" in refused.content.decode()
        assert PlanGoal.objects.get(pk=goal.pk).done_on is not None


def test_the_decision_forms_of_the_trajectory_page_carry_the_version_it_showed(tnet):
    trajectory = tnet.trajectory()
    coach, coordinator = client_of(tnet.coach), client_of(tnet.coordinator)
    detail = reverse("trajectories:detail", args=[trajectory.pk])
    page = coach.get(detail).content.decode()
    version = decision_version(trajectory)

    def form_in(html: str, action: str) -> str | None:
        url = reverse(f"trajectories:{action}", args=[trajectory.pk])
        found = re.search(rf'<form method="post" action="{url}".*?</form>', html, re.DOTALL)
        return found.group(0) if found else None

    # The phase is changed on the page itself; pause and close stay closed and load their form when
    # opened (?partial=form): then it carries the version of the moment it was loaded.
    assert f'name="seen" value="{version}"' in (form_in(page, "phase") or "")
    for action in ("pause", "close"):
        url = reverse(f"trajectories:{action}", args=[trajectory.pk])
        assert form_in(page, action) is None and f'hx-get="{url}?partial=form"' in page, action
        fragment = coach.get(url, {"partial": "form"}).content.decode()
        assert "<html" not in fragment
        assert f'name="seen" value="{version}"' in (form_in(fragment, action) or ""), action
    assert (
        "coach_change" not in page and reverse("trajectories:coach_change", args=[trajectory.pk]) not in page
    )
    opened = seen(coach, detail)
    pause_url = reverse("trajectories:pause", args=[trajectory.pk])
    assert (
        coordinator.post(pause_url, {"reason": "Opname", "seen": seen(coordinator, detail)}).status_code
        == 302
    )
    refused = coach.post(
        reverse("trajectories:phase", args=[trajectory.pk]), {"phase": "engagement", "seen": opened}
    )
    assert refused.status_code == 200
    assert "Someone changed this trajectory after you opened this page." in refused.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.PAUSED and trajectory.phase != "engagement"
    # A closed form opened now is loaded with the version after the pause, and is accepted.
    close_url = reverse("trajectories:close", args=[trajectory.pk])
    fragment = coach.get(close_url, {"partial": "form"}).content.decode()
    assert decision_version(trajectory) != version
    assert f'name="seen" value="{decision_version(trajectory)}"' in fragment
