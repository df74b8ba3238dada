"""Triage of referrals through the API: the same decisions, forms and actions as the referral page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from werkbrug.api.tests.api_data import SIGNED
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralStatus
from werkbrug.testing import actor_for, days_ago
from werkbrug.trajectories.models import Trajectory

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def path(referral, verb):
    return f"/api/referrals/{referral.pk}/{verb}"


def assigned(net):
    referral = net.refer(net.new_client())
    return referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)


def test_screener_assigns_a_referral_to_a_coach(net, api):
    referral = net.refer(net.new_client())
    response = api.post(
        net.screener, path(referral, "assign"), {"coach_id": net.coach.pk, "note": "Past goed."}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["id"], body["status"], body["assigned_coach"]["id"]) == (
        referral.pk,
        "assigned",
        net.coach.pk,
    )
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_coach_id) == (ReferralStatus.ASSIGNED, net.coach.pk)
    assert referral.events.filter(kind="assigned", by=net.screener).count() == 1


def test_a_second_assignment_is_refused_naming_the_first(net, api):
    referral = net.refer(net.new_client())
    assert api.post(net.screener, path(referral, "assign"), {"coach_id": net.coach.pk}).status_code == 200
    events = ReferralEvent.objects.count()
    response = api.post(net.coordinator, path(referral, "assign"), {"coach_id": net.coach.pk})
    assert response.status_code == 400
    assert "already handled this referral" in response.json()["detail"]
    assert str(net.screener.get_full_name()) in response.json()["detail"]
    assert ReferralEvent.objects.count() == events


def test_a_coach_of_another_organisation_is_refused_like_on_the_page(net, api):
    referral = net.refer(net.new_client())
    response = api.post(net.screener, path(referral, "assign"), {"coach_id": net.gtb_coach.pk})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "coach_id"]]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_the_referrer_may_not_triage(net, api):
    referral = net.refer(net.new_client())
    response = api.post(net.care, path(referral, "assign"), {"coach_id": net.coach.pk})
    assert response.status_code == 400
    assert response.json()["detail"] == "Only the line's screener or coordinator can triage this referral."


@pytest.mark.parametrize("persona", ["outsider", "gtb_screener", "gtb_coach", "admin", "funder"])
@pytest.mark.parametrize(
    ("verb", "body"),
    [
        ("assign", {"coach_id": 1}),
        ("waitlist", {}),
        ("case-team", {"note": "Wie neemt de lead?"}),
        ("decline", {"reason": "not_target_group"}),
        ("redirect", {"line_id": 1, "evidence": SIGNED}),
        ("return", {"note": "Past niet."}),
        ("accept", {}),
    ],
)
def test_whoever_does_not_see_the_referral_gets_404_and_nothing_changes(net, api, persona, verb, body):
    referral = net.refer(net.new_client())
    events = ReferralEvent.objects.count()
    response = api.post(getattr(net, persona), path(referral, verb), body)
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Not Found"}
    assert ReferralEvent.objects.count() == events
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_redirect_to_another_line_records_the_consent(net, api):
    referral = net.refer(net.new_client())
    body = {"line_id": net.gtb_line.pk, "note": "Eerder GTB.", "evidence": SIGNED}
    response = api.post(net.screener, path(referral, "redirect"), body)
    assert response.status_code == 200, response.json()
    assert response.json()["line"]["id"] == net.gtb_line.pk
    assert api.get(net.gtb_screener, f"/api/referrals/{referral.pk}").status_code == 200


def test_redirect_without_the_witness_of_verbal_consent_is_refused(net, api):
    referral = net.refer(net.new_client())
    body = {"line_id": net.gtb_line.pk, "evidence": {"kind": "verbal_witness"}}
    response = api.post(net.screener, path(referral, "redirect"), body)
    assert response.status_code == 400
    assert response.json()["field"] == "evidence_note"
    assert Referral.objects.get(pk=referral.pk).line_id == net.coach_line.pk


def test_waiting_list_with_an_expected_start(net, api):
    referral = net.refer(net.new_client())
    response = api.post(net.screener, path(referral, "waitlist"), {"expected_start": TOMORROW})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["expected_start"]) == ("waiting", TOMORROW)


def test_an_expected_start_in_the_past_is_refused_like_on_the_page(net, api):
    referral = net.refer(net.new_client())
    response = api.post(net.screener, path(referral, "waitlist"), {"expected_start": days_ago(1).isoformat()})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The expected start cannot lie in the past.",
        "field": "expected_start",
    }


def test_case_team_needs_a_note_like_the_page(net, api):
    referral = net.refer(net.new_client())
    response = api.post(net.screener, path(referral, "case-team"), {})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "note"]]
    response = api.post(net.screener, path(referral, "case-team"), {"note": "Zorg en werk tegelijk."})
    assert response.status_code == 200
    assert response.json()["status"] == "case_team"


def test_decline_for_another_reason_needs_an_explanation(net, api):
    referral = net.refer(net.new_client())
    response = api.post(net.screener, path(referral, "decline"), {"reason": "other"})
    assert response.status_code == 400
    assert response.json()["field"] == "note"
    response = api.post(net.screener, path(referral, "decline"), {"reason": "other", "note": "Verhuisd."})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "other")


def test_the_assigned_coach_returns_the_referral(net, api):
    referral = assigned(net)
    assert api.post(net.screener, path(referral, "return"), {"note": "Niet de mijne."}).status_code == 400
    response = api.post(net.coach, path(referral, "return"), {"note": "Volzet tot maart."})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["assigned_coach"]) == ("submitted", None)


def test_the_assigned_coach_accepts_with_a_start_in_the_past(net, api):
    referral = assigned(net)
    started = days_ago(400)
    response = api.post(net.coach, path(referral, "accept"), {"started_on": started.isoformat()})
    assert response.status_code == 201, response.json()
    body = response.json()
    # The line's default type, as the page proposes it.
    assert (body["type"]["code"], body["started_on"], body["status"]) == (
        "arbeidscoach",
        started.isoformat(),
        "active",
    )
    trajectory = Trajectory.objects.get(pk=body["id"])
    assert (trajectory.referral_id, trajectory.started_on, trajectory.coach_id) == (
        referral.pk,
        started,
        net.coach.pk,
    )


def test_a_start_in_the_future_is_refused_and_starts_nothing(net, api):
    referral = assigned(net)
    response = api.post(net.coach, path(referral, "accept"), {"started_on": TOMORROW})
    assert response.status_code == 400
    assert response.json() == {"detail": "This date lies in the future.", "field": "started_on"}
    assert not Trajectory.objects.exists()


def test_an_unknown_trajectory_type_is_a_422(net, api):
    referral = assigned(net)
    response = api.post(net.coach, path(referral, "accept"), {"trajectory_type": "nope"})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "trajectory_type"]]


def test_only_the_assigned_coach_accepts_and_only_once(net, api):
    referral = assigned(net)
    response = api.post(net.coordinator, path(referral, "accept"), {"trajectory_type": "gtb"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Only the coach this referral is assigned to can accept it."
    assert api.post(net.coach, path(referral, "accept"), {"trajectory_type": "gtb"}).status_code == 201
    again = api.post(net.coach, path(referral, "accept"), {})
    assert again.status_code == 400
    assert "already handled this referral" in again.json()["detail"]
    assert Trajectory.objects.count() == 1
