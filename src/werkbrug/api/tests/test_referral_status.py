"""Issue 12 point 2 in the API, from the referrer's side: GET and the list say "received" only, with
no coach, dates or decision, unless the client agreed (follow_outcome, a feedback consent) that the
referrer follows the outcome; withdrawing it hides the outcome at the next call."""

from __future__ import annotations

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral
from werkbrug.testing import SIGNED, actor_for
from werkbrug.trajectories import actions as trajectory_actions

HIDDEN = {
    "status": "received",
    "assigned_coach": None,
    "expected_start": None,
    "decided_at": None,
    "waiting_since": None,
    "decline_reason": "",
    "decision_note": "",
}


def refer(net, api, **extra) -> Referral:
    client = net.new_client()
    body = {
        "client_id": client.pk,
        "line_id": net.coach_line.pk,
        "question": "Zoekt vrijwilligerswerk als eerste stap.",
        "channel": "care_professional",
        "evidence": SIGNED_BODY,
        **extra,
    }
    response = api.post(net.care, "/api/referrals", body)
    assert response.status_code == 201, response.json()
    return Referral.objects.get(pk=response.json()["id"])


SIGNED_BODY = {"kind": SIGNED.kind}


def accept(net, referral: Referral) -> None:
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    trajectory_actions.accept_referral(
        actor_for(net.coach),
        Referral.objects.get(pk=referral.pk),
        trajectory_type=TrajectoryType.objects.get(code="arbeidscoach"),
    )


def seen(api, user, referral: Referral) -> tuple[dict, dict]:
    detail = api.get(user, f"/api/referrals/{referral.pk}")
    assert detail.status_code == 200
    [listed] = [r for r in api.get(user, "/api/referrals").json()["items"] if r["id"] == referral.pk]
    return detail.json(), listed


def test_without_follow_outcome_the_referrer_reads_received_only(net, api):
    referral = refer(net, api)
    accept(net, referral)
    detail, listed = seen(api, net.care, referral)
    assert {k: detail[k] for k in HIDDEN} == HIDDEN
    assert {k: listed[k] for k in ("status", "assigned_coach", "expected_start")} == (
        {"status": "received", "assigned_coach": None, "expected_start": None}
    )
    assert "Coach" not in str(detail) and "accepted" not in str(detail)
    # The line's organisation reads the real status.
    line_view, _ = seen(api, net.screener, referral)
    assert line_view["status"] == "accepted" and line_view["assigned_coach"]["id"] == net.coach.pk


def test_with_follow_outcome_the_referrer_follows_and_loses_it_on_withdrawal(net, api):
    referral = refer(net, api, follow_outcome=True)
    consent = Consent.objects.get(client=referral.client, purpose=ConsentPurpose.FEEDBACK)
    assert (consent.recipient, consent.recorded_by) == (net.hospital, net.care)
    accept(net, referral)
    detail, listed = seen(api, net.care, referral)
    assert (detail["status"], detail["assigned_coach"]["id"]) == ("accepted", net.coach.pk)
    assert listed["status"] == "accepted" and detail["decided_at"] is not None
    response = api.post(net.care, f"/api/consents/{consent.pk}/withdraw")
    assert response.status_code == 200
    detail, listed = seen(api, net.care, referral)
    assert {k: detail[k] for k in HIDDEN} == HIDDEN and listed["status"] == "received"


def test_follow_outcome_must_be_a_boolean(net, api):
    client = net.new_client()
    body = {
        "client_id": client.pk,
        "line_id": net.coach_line.pk,
        "question": "Vraag.",
        "channel": "care_professional",
        "evidence": SIGNED_BODY,
        "follow_outcome": "misschien",
    }
    assert api.post(net.care, "/api/referrals", body).status_code == 422
    assert not Referral.objects.filter(client=client).exists()


def test_outsider_gets_404_on_the_referral(net, api):
    referral = refer(net, api, follow_outcome=True)
    for user in (net.outsider, net.gtb_coach):
        assert api.get(user, f"/api/referrals/{referral.pk}").status_code == 404
        assert api.get(user, "/api/referrals").json()["count"] == 0
