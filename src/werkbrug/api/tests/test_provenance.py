"""Issue 12 points 1 and 2 in the API, from the receiver's and the referrer's side."""

from __future__ import annotations

import json

import pytest

from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import SIGNED, actor_for
from werkbrug.trajectories.tests.test_provenance import (
    EARLIER_NOTE,
    earlier_facts,
    followed_trajectory,
    handed_to_vdab,
)


def test_vdab_coach_api_shows_no_earlier_organisation_type_or_note_without_the_categories(net, api):
    trajectory, vdab_coach = handed_to_vdab(net, share=[])
    for path in (f"/api/trajectories/{trajectory.pk}", f"/api/trajectories/{trajectory.pk}/contacts"):
        response = api.get(vdab_coach, path)
        assert response.status_code == 200
        text = json.dumps(response.json(), ensure_ascii=False)
        for fact in earlier_facts(net, trajectory):
            assert fact not in text, (path, fact)


def test_vdab_coach_api_shows_the_past_with_history_and_notes(net, api):
    trajectory, vdab_coach = handed_to_vdab(net, share=["history", "notes"])
    detail = api.get(vdab_coach, f"/api/trajectories/{trajectory.pk}").json()
    assert net.hospital.name in json.dumps(detail, ensure_ascii=False)
    notes = [
        c["note"] for c in api.get(vdab_coach, f"/api/trajectories/{trajectory.pk}/contacts").json()["items"]
    ]
    assert EARLIER_NOTE in notes


def test_referrer_api_gets_404_on_the_trajectory_without_feedback_consent(net, api):
    trajectory = followed_trajectory(net, follow=False)
    assert api.get(net.care, f"/api/trajectories/{trajectory.pk}").status_code == 404
    assert api.get(net.care, "/api/trajectories").json()["items"] == []


def test_referrer_api_sees_the_trajectory_until_the_consent_is_withdrawn(net, api):
    trajectory = followed_trajectory(net, follow=True)
    assert api.get(net.care, f"/api/trajectories/{trajectory.pk}").status_code == 200
    feedback = Consent.objects.get(
        client=trajectory.client, recipient=net.hospital, purpose=ConsentPurpose.FEEDBACK
    )
    withdraw_consent(actor_for(net.care), feedback)
    assert api.get(net.care, f"/api/trajectories/{trajectory.pk}").status_code == 404


def test_outsider_api_gets_404(net, api):
    trajectory, _coach = handed_to_vdab(net, share=["history", "notes"])
    assert api.get(net.outsider, f"/api/trajectories/{trajectory.pk}").status_code == 404


# --- the client endpoints: the same rule as the file page ---------------------------------------


def test_vdab_coach_api_client_and_consents_name_no_earlier_organisation_without_history(net, api):
    trajectory, vdab_coach = handed_to_vdab(net, share=[])
    client = api.get(vdab_coach, f"/api/clients/{trajectory.client_id}")
    assert client.status_code == 200
    assert client.json()["registered_by_organisation"] is None
    consents = api.get(vdab_coach, f"/api/clients/{trajectory.client_id}/consents")
    assert consents.status_code == 200
    items = consents.json()["items"]
    # Only the consent naming VDAB itself; who recorded it (SaRA) is not named.
    assert [c["recipient"]["name"] for c in items] == ["VDAB Antwerpen"]
    assert items[0]["recorded_by"] is None and items[0]["recorded_by_organisation"] is None
    text = json.dumps([client.json(), consents.json()], ensure_ascii=False)
    for name in (net.sara.name, net.hospital.name, str(net.care), str(net.coach)):
        assert name not in text, name


def test_vdab_coach_api_client_and_consents_name_them_with_history(net, api):
    trajectory, vdab_coach = handed_to_vdab(net, share=["history"])
    client = api.get(vdab_coach, f"/api/clients/{trajectory.client_id}").json()
    assert client["registered_by_organisation"]["name"] == net.hospital.name
    items = api.get(vdab_coach, f"/api/clients/{trajectory.client_id}/consents").json()["items"]
    recipients = {c["recipient"]["name"] for c in items}
    assert {net.hospital.name, net.sara.name, "VDAB Antwerpen"} <= recipients
    assert all(c["recorded_by_organisation"] is not None for c in items)


def _sara_grants_gtb_a_consent(net, trajectory):
    from werkbrug.clients.actions import Evidence, grant_consent
    from werkbrug.clients.models import ConsentPurpose as Purpose

    grant_consent(
        actor_for(net.coach),
        trajectory.client,
        purpose=Purpose.COLLABORATION,
        recipient=net.gtb,
        categories=["identity"],
        evidence=Evidence("signed_form", ""),
    )


def test_referrer_api_consents_name_no_other_organisation_without_feedback_consent(net, api):
    trajectory = followed_trajectory(net, follow=False)
    _sara_grants_gtb_a_consent(net, trajectory)
    items = api.get(net.care, f"/api/clients/{trajectory.client_id}/consents").json()["items"]
    assert items  # its own consents stay (the record consent, the file to the line)
    assert all(c["recorded_by_organisation"]["name"] == net.hospital.name for c in items)
    assert net.gtb.name not in json.dumps(items, ensure_ascii=False)
    assert str(net.coach) not in json.dumps(items, ensure_ascii=False)


def test_referrer_api_consents_name_others_with_feedback_consent_until_withdrawn(net, api):
    trajectory = followed_trajectory(net, follow=True)
    _sara_grants_gtb_a_consent(net, trajectory)
    path = f"/api/clients/{trajectory.client_id}/consents"
    assert net.gtb.name in json.dumps(api.get(net.care, path).json(), ensure_ascii=False)
    feedback = Consent.objects.get(
        client=trajectory.client, recipient=net.hospital, purpose=ConsentPurpose.FEEDBACK
    )
    withdraw_consent(actor_for(net.care), feedback)
    assert net.gtb.name not in json.dumps(api.get(net.care, path).json(), ensure_ascii=False)


def test_vdab_coach_api_handover_list_shows_no_earlier_handover_without_history(net, api):
    trajectory, vdab_coach = handed_to_vdab(net, share=[])
    listed = api.get(vdab_coach, f"/api/trajectories/{trajectory.pk}/handovers")
    assert listed.status_code == 200
    assert listed.json()["items"] == []


def test_vdab_coach_api_handover_list_shows_the_earlier_handover_with_history(net, api):
    trajectory, vdab_coach = handed_to_vdab(net, share=["history"])
    items = api.get(vdab_coach, f"/api/trajectories/{trajectory.pk}/handovers").json()["items"]
    assert [h["status"] for h in items] == ["accepted"]


def test_outsider_api_gets_404_on_the_client_endpoints(net, api):
    trajectory, _coach = handed_to_vdab(net, share=["history", "notes"])
    assert api.get(net.outsider, f"/api/clients/{trajectory.client_id}").status_code == 404
    assert api.get(net.outsider, f"/api/clients/{trajectory.client_id}/consents").status_code == 404


@pytest.mark.parametrize("follow", [False, True])
def test_referrer_api_sees_the_new_line_of_a_redirected_referral_only_with_consent(net, api, follow):
    client = net.new_client()
    referral = net.refer(client, follow_outcome=follow)
    referral_actions.redirect_referral(
        actor_for(net.screener), referral, line=net.gtb_line, note="Past beter bij GTB.", evidence=SIGNED
    )
    for path in (f"/api/referrals/{referral.pk}", "/api/referrals"):
        text = json.dumps(api.get(net.care, path).json(), ensure_ascii=False)
        assert (net.gtb_line.name in text) is follow, path
        assert (net.coach_line.name in text) is not follow, path
