"""Warm handovers between organisations: propose, see, accept or decline, withdraw."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import Role, TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import actor_for, make_user, propose_to_gtb
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Handover, HandoverStatus, PartnerRole, TrajectoryPartner


def test_the_coach_proposes_a_handover_with_a_note_and_consent_evidence(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:handover_create", args=[trajectory.pk]),
        {
            "to_organisation": net.gtb.pk,
            "new_type": TrajectoryType.objects.get(code="gtb").pk,
            "note": "Stabiel, klaar voor GTB.",
            "evidence": "signed_form",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get(trajectory=trajectory)
    assert (handover.to_organisation, handover.status) == (net.gtb, HandoverStatus.PROPOSED)
    assert (
        Consent.objects.active()
        .filter(client=trajectory.client, recipient=net.gtb, purpose=ConsentPurpose.COLLABORATION)
        .exists()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"note": ""},
        {"note": "   "},
        {"note": "x" * 2001},
        {"evidence": ""},
        {"evidence": "verbal_witness", "evidence_note": ""},
    ],
)
def test_a_handover_without_note_or_evidence_is_refused_and_nothing_is_shared(net, login, data):
    trajectory = net.trajectory()
    post = {
        "to_organisation": net.gtb.pk,
        "new_type": TrajectoryType.objects.get(code="gtb").pk,
        "note": "ok",
        "evidence": "signed_form",
        **data,
    }
    response = login(net.coach).post(reverse("trajectories:handover_create", args=[trajectory.pk]), post)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Handover.objects.exists()
    assert not Consent.objects.filter(client=trajectory.client, recipient=net.gtb).exists()
    assert login(net.gtb_coach).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404


def test_a_handover_note_is_required_with_a_clear_message(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:handover_create", args=[trajectory.pk]),
        {
            "to_organisation": net.gtb.pk,
            "new_type": TrajectoryType.objects.get(code="gtb").pk,
            "evidence": "signed_form",
        },
    )
    assert "Write a handover note for the receiving coach." in response.content.decode()


def test_the_receiving_coach_sees_the_proposal_opens_the_file_and_accepts(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    gtb = login(net.gtb_coach)

    inbox = gtb.get(reverse("trajectories:handovers")).content.decode()
    assert str(trajectory.client) in inbox
    assert reverse("trajectories:handover_accept", args=[trajectory.pk, handover.pk]) in inbox

    page = gtb.get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert page.status_code == 200
    assert reverse("trajectories:handover_accept", args=[trajectory.pk, handover.pk]) in page.content.decode()
    # Reading the file to decide does not make GTB the lead yet.
    assert reverse("trajectories:close", args=[trajectory.pk]) not in page.content.decode()

    response = gtb.post(
        reverse("trajectories:handover_accept", args=[trajectory.pk, handover.pk]), {"coach": ""}
    )
    assert response.status_code == 302
    assert response.url == reverse("trajectories:detail", args=[trajectory.pk])
    trajectory.refresh_from_db()
    assert trajectory.lead_organisation == net.gtb
    assert trajectory.coach == net.gtb_coach
    assert trajectory.type.code == "gtb"
    assert TrajectoryPartner.objects.filter(
        trajectory=trajectory, organisation=net.sara, role=PartnerRole.FORMER_LEAD
    ).exists()

    # SaRA, now former lead, still reads along but no longer leads.
    sara = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert sara.status_code == 200
    assert "former lead" in sara.content.decode()
    assert reverse("trajectories:close", args=[trajectory.pk]) not in sara.content.decode()
    assert trajectory.pk not in [
        r.trajectory.pk for r in login(net.coach).get(reverse("trajectories:caseload")).context["rows"]
    ]
    assert trajectory.pk in [
        r.trajectory.pk for r in login(net.gtb_coach).get(reverse("trajectories:caseload")).context["rows"]
    ]


def test_the_receiving_screener_accepts_for_a_chosen_coach(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    other = make_user("gtbcoach2", net.gtb, Role.COACH)
    response = login(net.gtb_screener).post(
        reverse("trajectories:handover_accept", args=[trajectory.pk, handover.pk]), {"coach": other.pk}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.coach == other


def test_a_screener_must_choose_the_coach_who_takes_over(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    response = login(net.gtb_screener).post(
        reverse("trajectories:handover_accept", args=[trajectory.pk, handover.pk]), {"coach": ""}
    )
    assert response.status_code == 200
    assert "Choose the coach who takes over." in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.lead_organisation == net.sara


def test_declining_keeps_sara_as_lead_and_closes_the_file_to_gtb(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    gtb = login(net.gtb_coach)
    response = gtb.post(
        reverse("trajectories:handover_decline", args=[trajectory.pk, handover.pk]),
        {"reason": "Nog te vroeg."},
    )
    assert response.status_code == 302
    assert response.url == reverse("trajectories:handovers")
    handover.refresh_from_db()
    trajectory.refresh_from_db()
    assert handover.status == HandoverStatus.DECLINED
    assert handover.decision_note == "Nog te vroeg."
    assert trajectory.lead_organisation == net.sara and trajectory.coach == net.coach
    assert gtb.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    # The client file closes too: the consent given for the handover no longer has a reason to apply.
    assert gtb.get(reverse("clients:detail", args=[trajectory.client_id])).status_code == 404
    outgoing = login(net.coach).get(reverse("trajectories:handovers")).content.decode()
    assert "Nog te vroeg." in outgoing


def test_declining_without_a_reason_is_refused(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    response = login(net.gtb_coach).post(
        reverse("trajectories:handover_decline", args=[trajectory.pk, handover.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "Say why the handover is declined." in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PROPOSED


def test_the_proposing_coach_cannot_accept_its_own_handover(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    response = login(net.coach).post(
        reverse("trajectories:handover_accept", args=[trajectory.pk, handover.pk]), {"coach": ""}
    )
    assert response.status_code == 200
    assert "Only the receiving organisation can answer this handover." in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PROPOSED


def test_the_lead_withdraws_a_pending_handover(net, login):
    trajectory = net.trajectory()
    handover = propose_to_gtb(net, trajectory)
    client = login(net.coach)
    assert (
        reverse("trajectories:handover_withdraw", args=[trajectory.pk, handover.pk])
        in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    )
    assert (
        client.post(reverse("trajectories:handover_withdraw", args=[trajectory.pk, handover.pk])).status_code
        == 302
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.WITHDRAWN
    gtb = login(net.gtb_coach)
    assert gtb.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    assert gtb.get(reverse("clients:detail", args=[trajectory.client_id])).status_code == 404


def test_declining_one_proposal_keeps_access_for_another_pending_one_of_the_same_client(net, login):
    client = net.new_client()
    first = net.trajectory(client)
    second = actions.accept_referral(
        actor_for(net.coach),
        _assigned_referral(net, client),
        trajectory_type=TrajectoryType.objects.get(code="ips"),
    )
    declined = propose_to_gtb(net, first)
    propose_to_gtb(net, second)
    actions.decline_handover(actor_for(net.gtb_coach), declined, reason="nee")
    assert login(net.gtb_coach).get(reverse("trajectories:detail", args=[second.pk])).status_code == 200


def _assigned_referral(net, client):
    referral = net.refer(client)
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    return referral


def test_a_second_proposal_while_one_is_pending_is_refused(net, login):
    trajectory = net.trajectory()
    propose_to_gtb(net, trajectory)
    response = login(net.coach).post(
        reverse("trajectories:handover_create", args=[trajectory.pk]),
        {
            "to_organisation": net.gtb.pk,
            "new_type": TrajectoryType.objects.get(code="gtb").pk,
            "note": "x",
            "evidence": "signed_form",
        },
    )
    assert response.status_code == 200
    assert Handover.objects.count() == 1


def test_the_handover_inbox_shows_nothing_of_other_organisations(net, login):
    trajectory = net.trajectory()
    propose_to_gtb(net, trajectory)
    body = login(net.outsider).get(reverse("trajectories:handovers")).content.decode()
    assert str(trajectory.client) not in body


@pytest.mark.parametrize("rows", [1, 30])
def test_the_handover_inbox_runs_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        propose_to_gtb(net, net.trajectory())
    make_user("gtbcoach2", net.gtb, Role.COACH)
    gtb = login(net.gtb_coach)
    with django_assert_max_num_queries(9):
        response = gtb.get(reverse("trajectories:handovers"))
    assert len(response.context["rows"]) == rows
    sara = login(net.coach)
    with django_assert_max_num_queries(9):
        response = sara.get(reverse("trajectories:handovers"))
    assert len(response.context["outgoing"]) == rows


def test_only_an_accepted_handover_marks_the_trajectory_handed_over(net):
    # The reports' type and lead as of a date read the handover history only for these (reports.asof).
    accepted, declined, pending = net.trajectory(), net.trajectory(), net.trajectory()
    actions.accept_handover(actor_for(net.gtb_coach), propose_to_gtb(net, accepted), coach=net.gtb_coach)
    actions.decline_handover(actor_for(net.gtb_coach), propose_to_gtb(net, declined), reason="Vol.")
    propose_to_gtb(net, pending)
    for trajectory in (accepted, declined, pending):
        trajectory.refresh_from_db()
    assert (accepted.handed_over, declined.handed_over, pending.handed_over) == (True, False, False)
