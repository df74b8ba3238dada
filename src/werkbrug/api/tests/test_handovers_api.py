"""Warm handovers through the API: propose, withdraw, accept, decline, as on the trajectory page."""

from __future__ import annotations

import pytest

from werkbrug.api.tests.api_data import SIGNED
from werkbrug.testing import propose_to_gtb
from werkbrug.trajectories.models import Handover, HandoverStatus

PROPOSAL = {"new_type": "gtb", "note": "Klaar voor een regulier traject.", "evidence": SIGNED}


def path(trajectory, tail=""):
    return f"/api/trajectories/{trajectory.pk}/handovers{tail}"


def test_the_lead_proposes_and_the_receiver_accepts(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, path(trajectory), {**PROPOSAL, "to_organisation_id": net.gtb.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["to_organisation"]["id"], body["new_type"]["code"]) == (
        "proposed",
        net.gtb.pk,
        "gtb",
    )
    # The receiving organisation now sees the trajectory and the proposal.
    listed = api.get(net.gtb_coach, path(trajectory)).json()
    assert [h["id"] for h in listed["items"]] == [body["id"]]
    accepted = api.post(net.gtb_coach, path(trajectory, f"/{body['id']}/accept"), {})
    assert accepted.status_code == 200, accepted.json()
    assert (accepted.json()["lead_organisation"]["id"], accepted.json()["coach"]["id"]) == (
        net.gtb.pk,
        net.gtb_coach.pk,
    )
    assert accepted.json()["type"]["code"] == "gtb"
    again = api.post(net.gtb_screener, path(trajectory, f"/{body['id']}/decline"), {"reason": "Toch niet."})
    assert again.status_code == 400
    assert "already answered this handover" in again.json()["detail"]


def test_a_screener_accepting_must_name_a_coach_of_the_receiver(net, api):
    handover = propose_to_gtb(net, net.trajectory())
    trajectory = handover.trajectory
    response = api.post(net.gtb_screener, path(trajectory, f"/{handover.pk}/accept"), {})
    assert (response.status_code, response.json()["field"]) == (400, "coach")
    response = api.post(
        net.gtb_screener, path(trajectory, f"/{handover.pk}/accept"), {"coach_id": net.coach.pk}
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "coach_id"]]
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.PROPOSED


def test_the_receiver_declines_with_a_reason(net, api):
    handover = propose_to_gtb(net, net.trajectory())
    trajectory = handover.trajectory
    assert api.post(net.gtb_coach, path(trajectory, f"/{handover.pk}/decline"), {}).status_code == 422
    response = api.post(net.gtb_coach, path(trajectory, f"/{handover.pk}/decline"), {"reason": "Volzet."})
    assert (response.status_code, response.json()["status"]) == (200, "declined")
    # Declined: the receiver no longer takes part.
    assert api.get(net.gtb_coach, f"/api/trajectories/{trajectory.pk}").status_code == 404


def test_the_lead_withdraws_and_the_receiver_cannot(net, api):
    handover = propose_to_gtb(net, net.trajectory())
    trajectory = handover.trajectory
    refused = api.post(net.gtb_coach, path(trajectory, f"/{handover.pk}/withdraw"))
    assert refused.status_code == 400
    response = api.post(net.coach, path(trajectory, f"/{handover.pk}/withdraw"))
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")


def test_a_proposal_to_the_lead_itself_or_without_note_is_refused(net, api):
    trajectory = net.trajectory()
    to_self = api.post(net.coach, path(trajectory), {**PROPOSAL, "to_organisation_id": net.sara.pk})
    assert to_self.status_code == 422  # the page's form does not offer the current lead
    no_note = api.post(
        net.coach, path(trajectory), {**PROPOSAL, "note": "", "to_organisation_id": net.gtb.pk}
    )
    assert no_note.status_code == 422
    assert "Write a handover note for the receiving coach." in str(no_note.json())
    assert not Handover.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_whoever_does_not_take_part_gets_404(net, api, persona):
    trajectory = net.trajectory()
    user = getattr(net, persona)
    assert api.post(user, path(trajectory), {**PROPOSAL, "to_organisation_id": net.gtb.pk}).status_code == 404
    assert api.get(user, path(trajectory)).status_code == 404
    handover = propose_to_gtb(net, trajectory)
    if persona != "gtb_coach":  # the receiver takes part while the proposal is open
        for verb in ("accept", "decline", "withdraw"):
            response = api.post(user, path(trajectory, f"/{handover.pk}/{verb}"), {"reason": "x"})
            assert response.status_code == 404, verb
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.PROPOSED
