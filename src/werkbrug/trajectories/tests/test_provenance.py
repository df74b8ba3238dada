"""Issue 12 point 1, from the receiver's side: a VDAB coach who takes a trajectory over sees no
earlier organisation, type or contact note unless the client agreed to pass on `history` and
`notes`; with them, they see them. Point 2: a referrer without a feedback consent is an outsider on
the trajectory page, and withdrawing the consent takes effect at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, Role, TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import SIGNED, actor_for, make_user
from werkbrug.trajectories import actions

EARLIER_NOTE = "Gesprek over de voorgeschiedenis in het project"
VDAB_NOTE = "Inschrijving bij VDAB samen overlopen"


def handed_to_vdab(net, share):
    """SaRA (Arbeidscoach-voortraject, PZ in the background) hands over to VDAB, which accepts."""
    vdab = Organisation.objects.create(
        name="VDAB Antwerpen", kind=OrganisationKind.WORK, org_type=OrganisationType.VDAB
    )
    vdab_coach = make_user("vdabcoach", vdab, Role.COACH, capacity=30)
    trajectory = net.trajectory()
    actions.record_contact(
        actor_for(net.coach), trajectory, on=timezone.localdate(), kind="phone", note=EARLIER_NOTE
    )
    handover = actions.propose_handover(
        actor_for(net.coach),
        trajectory,
        to_organisation=vdab,
        new_type=TrajectoryType.objects.get(code="gtb"),
        note="Klaar voor de arbeidsmarkt.",
        evidence=SIGNED,
        share=share,
    )
    actions.accept_handover(actor_for(vdab_coach), handover)
    trajectory.refresh_from_db()
    actions.record_contact(
        actor_for(vdab_coach), trajectory, on=timezone.localdate(), kind="phone", note=VDAB_NOTE
    )
    return trajectory, vdab_coach


def earlier_facts(net, trajectory):
    earlier_type = str(TrajectoryType.objects.get(code="arbeidscoach"))
    return [net.sara.name, net.hospital.name, earlier_type, EARLIER_NOTE, str(net.care)]


def test_vdab_coach_sees_no_earlier_organisation_type_or_note_without_the_categories(net, login):
    trajectory, vdab_coach = handed_to_vdab(net, share=[])
    web = login(vdab_coach)
    for url in (
        reverse("trajectories:detail", args=[trajectory.pk]),
        reverse("trajectories:contacts", args=[trajectory.pk]),
        reverse("clients:detail", args=[trajectory.client_id]),
        reverse("clients:access_log", args=[trajectory.client_id]),
        reverse("clients:export", args=[trajectory.client_id]),
    ):
        response = web.get(url)
        assert response.status_code == 200, url
        # The handover form lists every partner of the network as a choice: that is no history.
        content = re.sub(r"<option[^>]*>[^<]*</option>", "", response.content.decode())
        for fact in earlier_facts(net, trajectory):
            assert fact not in content, (url, fact)
    page = web.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert VDAB_NOTE in page  # its own work stays visible
    assert "You see what the client agreed to share." in page
    assert "earlier trajectories and organisations" in page and "contact notes of other organisations" in page


def test_vdab_coach_sees_the_past_with_history_and_notes(net, login):
    trajectory, vdab_coach = handed_to_vdab(net, share=["history", "notes"])
    content = login(vdab_coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    for fact in earlier_facts(net, trajectory):
        assert fact in content, fact
    assert "You see what the client agreed to share." not in content


def test_the_handover_form_proposes_none_of_the_past(net, login):
    trajectory = net.trajectory()
    # The handover form loads when opened on the trajectory page (?partial=form).
    content = (
        login(net.coach)
        .get(reverse("trajectories:handover_create", args=[trajectory.pk]), {"partial": "form"})
        .content.decode()
    )
    assert 'name="share" value="history"' in content and 'name="share" value="notes"' in content
    assert 'value="history" checked' not in content and 'value="notes" checked' not in content


def test_the_handover_form_records_the_ticked_categories_for_the_receiver(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:handover_create", args=[trajectory.pk]),
        {
            "to_organisation": net.gtb.pk,
            "new_type": TrajectoryType.objects.get(code="gtb").pk,
            "note": "Klaar voor een regulier traject.",
            "share": ["notes"],
            "evidence": "signed_form",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(
        client=trajectory.client, recipient=net.gtb, purpose=ConsentPurpose.COLLABORATION
    )
    assert set(consent.categories) == {"identity", "referral", "trajectory", "notes"}


def test_an_uninvolved_organisation_still_gets_404(net, login):
    trajectory, _vdab_coach = handed_to_vdab(net, share=["history", "notes"])
    web = login(net.outsider)
    assert web.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    assert web.get(reverse("clients:detail", args=[trajectory.client_id])).status_code == 404


# --- point 2: the referrer without a feedback consent -------------------------------------------


def followed_trajectory(net, follow):
    client = net.new_client()
    referral = referral_actions.submit_referral(
        actor_for(net.care),
        client,
        line=net.coach_line,
        question="Wil opnieuw aan het werk.",
        indications=[],
        urgency="normal",
        channel="care_professional",
        evidence=SIGNED,
        follow_outcome=follow,
    )
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    return actions.accept_referral(
        actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code="arbeidscoach")
    )


def test_referrer_without_feedback_consent_gets_404_on_the_trajectory(net, login):
    trajectory = followed_trajectory(net, follow=False)
    web = login(net.care)
    assert web.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    content = web.get(reverse("clients:detail", args=[trajectory.client_id])).content.decode()
    assert reverse("trajectories:detail", args=[trajectory.pk]) not in content


def test_referrer_with_feedback_consent_sees_the_trajectory_until_it_is_withdrawn(net, login):
    trajectory = followed_trajectory(net, follow=True)
    web = login(net.care)
    assert web.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200
    from werkbrug.clients.actions import withdraw_consent

    feedback = Consent.objects.get(
        client=trajectory.client, recipient=net.hospital, purpose=ConsentPurpose.FEEDBACK
    )
    withdraw_consent(actor_for(net.care), feedback)
    assert web.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404


def test_referrer_without_consent_sees_only_its_own_consents_and_accesses(net, login):
    trajectory = followed_trajectory(net, follow=False)
    login(net.coach).get(reverse("clients:detail", args=[trajectory.client_id]))  # SaRA opens the file
    web = login(net.care)
    detail = web.get(reverse("clients:detail", args=[trajectory.client_id])).content.decode()
    log = web.get(reverse("clients:access_log", args=[trajectory.client_id])).content.decode()
    # Its own rows stay (it referred to SaRA's line); SaRA's accesses are not named.
    assert f"<td>{net.sara.name}</td>" not in log and str(net.coach) not in log
    assert str(net.coach) not in detail


def test_referrer_with_consent_sees_other_organisations_in_the_access_log(net, login):
    trajectory = followed_trajectory(net, follow=True)
    login(net.coach).get(reverse("clients:detail", args=[trajectory.client_id]))
    log = login(net.care).get(reverse("clients:access_log", args=[trajectory.client_id])).content.decode()
    assert f"<td>{net.sara.name}</td>" in log


@pytest.mark.parametrize("follow", [False, True])
def test_a_redirected_referral_shows_the_referrer_the_new_line_only_with_consent(net, login, follow):
    client = net.new_client()
    referral = referral_actions.submit_referral(
        actor_for(net.care),
        client,
        line=net.coach_line,
        question="Werk zoeken.",
        indications=[],
        urgency="normal",
        channel="care_professional",
        evidence=SIGNED,
        follow_outcome=follow,
    )
    referral_actions.redirect_referral(
        actor_for(net.screener), referral, line=net.gtb_line, note="Past beter bij GTB.", evidence=SIGNED
    )
    web = login(net.care)
    for url in (
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:mine"),
        reverse("clients:detail", args=[client.pk]),
    ):
        content = web.get(url).content.decode()
        assert (net.gtb_line.name in content) is follow, url
        if not follow:
            assert net.coach_line.name in content, url
