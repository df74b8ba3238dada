"""The decisions on a trajectory through the API: the same forms, actions and rules as its page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from werkbrug.network.models import Membership, Role
from werkbrug.testing import actor_for, days_ago, make_user
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Outcome, TrajectoryEvent

TODAY = timezone.localdate()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


def path(trajectory, verb):
    return f"/api/trajectories/{trajectory.pk}/{verb}"


def test_the_coach_pauses_resumes_closes_and_reopens(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, path(trajectory, "pause"), {"reason": "Opname"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["pause_reason"]) == ("paused", "Opname")
    response = api.post(net.coach, path(trajectory, "resume"))
    assert (response.status_code, response.json()["status"]) == (200, "active")
    response = api.post(
        net.coordinator, path(trajectory, "close"), {"reason": "client_choice", "on": TODAY.isoformat()}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["closed_on"]) == ("closed", TODAY.isoformat())
    response = api.post(net.coach, path(trajectory, "reopen"), {"note": "Toch verder."})
    assert (response.status_code, response.json()["status"], response.json()["closed_on"]) == (
        200,
        "active",
        None,
    )
    kinds = list(TrajectoryEvent.objects.filter(trajectory=trajectory).values_list("kind", flat=True))
    assert kinds == ["started", "paused", "resumed", "closed", "reopened"]


def test_a_state_the_trajectory_is_not_in_is_refused_naming_the_last_change(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, path(trajectory, "resume"))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Only a paused trajectory can be resumed. Last change:")
    assert api.post(net.coach, path(trajectory, "close"), {"reason": "moved"}).status_code == 200
    again = api.post(net.coordinator, path(trajectory, "close"), {"reason": "moved"})
    assert again.status_code == 400
    assert "This trajectory is already closed." in again.json()["detail"]


def test_pausing_needs_a_reason_like_the_page(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, path(trajectory, "pause"), {})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "reason"]]


def test_close_dates_keep_the_pages_rules(net, api):
    trajectory = net.trajectory()
    future = api.post(net.coach, path(trajectory, "close"), {"reason": "moved", "on": TOMORROW})
    assert (future.status_code, future.json()["field"]) == (400, "on")
    before_start = api.post(
        net.coach, path(trajectory, "close"), {"reason": "moved", "on": days_ago(3).isoformat()}
    )
    assert before_start.status_code == 400
    assert before_start.json() == {"detail": "A trajectory cannot close before it started.", "field": "on"}
    no_reason = api.post(net.coach, path(trajectory, "close"), {})
    assert no_reason.json() == {"detail": "Choose a reason for closing.", "field": "reason"}
    lost = api.post(net.coach, path(trajectory, "close"), {"reason": "lost_contact"})
    assert (lost.status_code, lost.json()["field"]) == (400, "reason")
    trajectory.refresh_from_db()
    assert trajectory.status == "active"


def test_phase_and_coach_change(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, path(trajectory, "phase"), {"phase": "search"})
    assert (response.status_code, response.json()["phase"]) == (200, "search")
    other = make_user("second_coach", net.sara, Role.COACH)
    assert Membership.objects.filter(user=other).exists()
    response = api.post(net.coordinator, path(trajectory, "coach"), {"coach_id": other.pk})
    assert (response.status_code, response.json()["coach"]["id"]) == (200, other.pk)


def test_a_coach_of_another_organisation_is_refused_like_on_the_page(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, path(trajectory, "coach"), {"coach_id": net.gtb_coach.pk})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "coach_id"]]
    trajectory.refresh_from_db()
    assert trajectory.coach_id == net.coach.pk


def test_a_care_partner_sees_the_trajectory_but_does_not_decide(net, api):
    trajectory = net.trajectory(follow_outcome=True)
    response = api.post(net.care, path(trajectory, "pause"), {"reason": "Opname"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Only the coach or coordinator of the lead organisation can do this."


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "gtb_screener", "admin", "funder"])
@pytest.mark.parametrize(
    ("verb", "body"),
    [
        ("pause", {"reason": "x"}),
        ("resume", {}),
        ("close", {"reason": "moved"}),
        ("reopen", {}),
        ("phase", {"phase": "search"}),
        ("coach", {"coach_id": 1}),
        ("ladder", {"rung": 2, "on": "2026-01-05"}),
        ("goals", {"goal": "CV maken"}),
    ],
)
def test_whoever_does_not_see_the_trajectory_gets_404(net, api, persona, verb, body):
    trajectory = net.trajectory()
    events = TrajectoryEvent.objects.count()
    response = api.post(getattr(net, persona), path(trajectory, verb), body)
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert TrajectoryEvent.objects.count() == events


def paid_work(net, trajectory, started):
    return actions.record_outcome(
        actor_for(net.coach), trajectory, kind="paid_work", on=started, economy="nec"
    )


def test_verify_paid_work_on_a_past_date(net, api):
    trajectory = net.trajectory()
    outcome = paid_work(net, trajectory, days_ago(300))
    verified = days_ago(150)
    response = api.post(
        net.coach, path(trajectory, f"outcomes/{outcome.pk}/verify"), {"on": verified.isoformat()}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["certainty"], response.json()["verified_on"]) == (
        "verified",
        verified.isoformat(),
    )
    again = api.post(
        net.coach, path(trajectory, f"outcomes/{outcome.pk}/verify"), {"on": verified.isoformat()}
    )
    assert again.json() == {"detail": "This outcome is already verified.", "field": None}


def test_verification_one_month_after_the_start_is_refused(net, api):
    trajectory = net.trajectory()
    started = days_ago(300)
    outcome = paid_work(net, trajectory, started)
    month_later = started + datetime.timedelta(days=30)
    response = api.post(
        net.coach, path(trajectory, f"outcomes/{outcome.pk}/verify"), {"on": month_later.isoformat()}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "on"
    due = (started + datetime.timedelta(days=91)).strftime("%d/%m/%Y")
    assert due in response.json()["detail"]
    future = api.post(net.coach, path(trajectory, f"outcomes/{outcome.pk}/verify"), {"on": TOMORROW})
    assert (future.status_code, future.json()["field"]) == (400, "on")
    assert Outcome.objects.get(pk=outcome.pk).certainty == "estimated"


def test_verify_needs_a_date(net, api):
    trajectory = net.trajectory()
    outcome = paid_work(net, trajectory, days_ago(300))
    response = api.post(net.coach, path(trajectory, f"outcomes/{outcome.pk}/verify"), {})
    assert response.status_code == 422


def test_an_outcome_of_another_trajectory_is_404(net, api):
    mine = net.trajectory()
    other = net.trajectory(net.new_client(first_name="Els"))
    outcome = paid_work(net, other, days_ago(300))
    response = api.post(
        net.coach, path(mine, f"outcomes/{outcome.pk}/verify"), {"on": days_ago(1).isoformat()}
    )
    assert response.status_code == 404
    response = api.post(
        net.outsider, path(other, f"outcomes/{outcome.pk}/verify"), {"on": days_ago(1).isoformat()}
    )
    assert response.status_code == 404


def test_an_outcome_recorded_as_verified_keeps_its_verification_date(net, api):
    trajectory = net.trajectory()
    body = {"kind": "paid_work", "on": days_ago(1000).isoformat(), "economy": "nec", "certainty": "verified"}
    verified = days_ago(800).isoformat()
    response = api.post(net.coach, path(trajectory, "outcomes"), {**body, "verified_on": verified})
    assert response.status_code == 201, response.json()
    assert response.json()["verified_on"] == verified
    too_soon = {**body, "on": days_ago(60).isoformat(), "verified_on": days_ago(10).isoformat()}
    refused = api.post(net.coach, path(trajectory, "outcomes"), too_soon)
    assert (refused.status_code, refused.json()["field"]) == (400, "verified_on")


def test_ladder_and_plan(net, api):
    trajectory = net.trajectory(follow_outcome=True)
    response = api.post(net.care, path(trajectory, "ladder"), {"rung": 3, "on": days_ago(5).isoformat()})
    assert response.status_code == 201, response.json()
    future = api.post(net.coach, path(trajectory, "ladder"), {"rung": 3, "on": TOMORROW})
    assert (future.status_code, future.json()["field"]) == (400, "on")
    assert [p["rung"] for p in api.get(net.coach, path(trajectory, "ladder")).json()["items"]] == [3]
    goal = api.post(net.coach, path(trajectory, "goals"), {"goal": "CV maken", "due_on": TOMORROW})
    assert goal.status_code == 201, goal.json()
    assert api.post(net.coach, path(trajectory, "goals"), {}).status_code == 422
    done = api.post(
        net.coach, path(trajectory, f"goals/{goal.json()['id']}/done"), {"on": days_ago(1).isoformat()}
    )
    assert (done.status_code, done.json()["done_on"]) == (200, days_ago(1).isoformat())
    again = api.post(net.coach, path(trajectory, f"goals/{goal.json()['id']}/done"), {})
    assert again.json()["detail"] == "This goal is already done."
    listed = api.get(net.care, path(trajectory, "goals")).json()
    assert [(g["goal"], g["done_on"]) for g in listed["items"]] == [("CV maken", days_ago(1).isoformat())]
