"""Referring, triage, the waiting list and the referrer's view of the status."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core.exceptions import DomainError
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralStatus
from werkbrug.testing import SIGNED, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory


def referral_data(net, **overrides):
    data = {
        "line": net.coach_line.pk,
        "question": "Zoekt werk in de groenzorg, heeft nood aan een laagdrempelige start.",
        "indications": ["low_threshold", "shared_focus"],
        "urgency": "normal",
        "channel": "care_professional",
        "consent": "on",
        "evidence": "signed_form",
    }
    data.update(overrides)
    return data


def test_care_professional_refers_and_the_line_receives_it_with_consent(net, login):
    client = net.new_client()
    response = login(net.care).post(reverse("referrals:create", args=[client.pk]), referral_data(net))
    referral = Referral.objects.get(client=client)
    assert response.status_code == 302 and response.url == reverse("referrals:detail", args=[referral.pk])
    assert referral.status == ReferralStatus.SUBMITTED
    assert (
        Consent.objects.active()
        .filter(client=client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION)
        .exists()
    )
    inbox = login(net.screener).get(reverse("referrals:inbox"))
    assert [r.pk for r, _suggestion in inbox.context["rows"]] == [referral.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "x" * 4001}, "question"),
        ({"consent": ""}, "consent"),
        ({"line": 999999}, "line"),
        ({"evidence": "verbal_witness"}, "evidence_note"),
    ],
)
def test_bad_referral_input_gets_a_message_and_writes_nothing(net, login, overrides, field):
    client = net.new_client()
    before = (Referral.objects.count(), Consent.objects.count())
    response = login(net.care).post(
        reverse("referrals:create", args=[client.pk]), referral_data(net, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Referral.objects.count(), Consent.objects.count()) == before


def test_the_triage_suggestion_explains_which_line_fits(net, login):
    response = login(net.care).get(
        reverse("referrals:suggestion"), {"indications": ["vulnerability_background", "disability_expertise"]}
    )
    assert response.context["suggestion"].line == net.gtb_line
    assert "GTB trajectbegeleiding" in response.content.decode()


def test_screener_assigns_and_coach_accepts_which_starts_the_trajectory(net, login):
    referral = net.refer(net.new_client())
    response = login(net.screener).post(
        reverse("referrals:assign", args=[referral.pk]), {"coach": net.coach.pk, "note": ""}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSIGNED and referral.assigned_coach == net.coach
    arbeidscoach = TrajectoryType.objects.get(code="arbeidscoach")
    response = login(net.coach).post(
        reverse("referrals:accept", args=[referral.pk]), {"trajectory_type": arbeidscoach.pk}
    )
    trajectory = Trajectory.objects.get(referral=referral)
    assert response.status_code == 302
    assert (trajectory.lead_organisation, trajectory.coach) == (net.sara, net.coach)
    assert trajectory.partners.get().organisation == net.hospital


def test_only_the_assigned_coach_can_accept(net, login):
    referral = net.refer(net.new_client())
    actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    response = login(net.coordinator).post(
        reverse("referrals:accept", args=[referral.pk]),
        {"trajectory_type": TrajectoryType.objects.get(code="arbeidscoach").pk},
    )
    assert response.status_code in (400, 404)
    assert not Trajectory.objects.filter(referral=referral).exists()


def test_a_trajectory_cannot_start_after_the_day_its_referral_is_accepted(net):
    """A start may be back-dated (an import), never put ahead: the caseload report's waiting times
    read only the referrals accepted since the period began (reports.caseload)."""
    referral = net.refer(net.new_client())
    actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    arbeidscoach = TrajectoryType.objects.get(code="arbeidscoach")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError):
        trajectory_actions.accept_referral(
            actor_for(net.coach), referral, trajectory_type=arbeidscoach, started_on=tomorrow
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSIGNED and referral.decided_at is None
    assert not Trajectory.objects.filter(referral=referral).exists()
    today = trajectory_actions.accept_referral(actor_for(net.coach), referral, trajectory_type=arbeidscoach)
    referral.refresh_from_db()
    assert today.started_on == timezone.localtime(referral.decided_at).date()


def test_assigning_a_coach_of_another_organisation_is_refused(net, login):
    referral = net.refer(net.new_client())
    response = login(net.screener).post(
        reverse("referrals:assign", args=[referral.pk]), {"coach": net.gtb_coach.pk}
    )
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_redirect_keeps_history_and_moves_the_referral_to_the_other_line(net, login):
    referral = net.refer(net.new_client())
    response = login(net.screener).post(
        reverse("referrals:redirect", args=[referral.pk]),
        {"line": net.gtb_line.pk, "note": "Regulier traject mogelijk", "consent": "on", "evidence": "verbal"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.line == net.gtb_line and referral.status == ReferralStatus.SUBMITTED
    event = referral.events.get(kind="redirected")
    assert (event.from_line, event.to_line) == (net.coach_line, net.gtb_line)
    inbox = login(net.gtb_screener).get(reverse("referrals:inbox"))
    assert referral.pk in [r.pk for r, _s in inbox.context["rows"]]


def test_waiting_list_position_and_expected_start_are_shown_to_the_referrer(net, login):
    first = net.refer(net.new_client(last_name="Eerste"))
    second = net.refer(net.new_client(last_name="Tweede"))
    for referral in (first, second):
        net.follows_outcome(referral.client)
    start = timezone.localdate() + datetime.timedelta(days=30)
    web = login(net.screener)
    for referral in (first, second):
        response = web.post(
            reverse("referrals:waitlist", args=[referral.pk]), {"expected_start": start.isoformat()}
        )
        assert response.status_code == 302
    mine = login(net.care).get(reverse("referrals:mine"))
    positions = {r.pk: r.position for r in mine.context["page"]}
    assert positions == {first.pk: 1, second.pk: 2}
    detail = login(net.care).get(reverse("referrals:detail", args=[second.pk]))
    assert detail.context["position"] == 2
    assert start.strftime("%d/%m/%Y") in detail.content.decode()


def test_urgent_referral_goes_ahead_on_the_waiting_list(net, login):
    normal = net.refer(net.new_client(last_name="Normaal"))
    urgent = net.refer(net.new_client(last_name="Dringend"))
    Referral.objects.filter(pk=urgent.pk).update(urgency="urgent")
    for referral in (normal, urgent):
        actions.waitlist_referral(
            actor_for(net.screener), Referral.objects.get(pk=referral.pk), expected_start=None
        )
    waiting = login(net.screener).get(reverse("referrals:waiting"))
    rows = waiting.context["sections"][0]["waiting"]
    assert [(r.pk, pos) for r, pos in rows] == [(urgent.pk, 1), (normal.pk, 2)]


def test_monthly_inflow_and_outflow_count_the_line_events(net, login):
    kept = net.refer(net.new_client())
    moved = net.refer(net.new_client())
    actions.redirect_referral(actor_for(net.screener), moved, line=net.gtb_line, note="", evidence=SIGNED)
    actions.assign_referral(actor_for(net.screener), kept, coach=net.coach)
    waiting = login(net.coordinator).get(reverse("referrals:waiting"))
    sara = next(s for s in waiting.context["sections"] if s["line"] == net.coach_line)
    this_month = sara["flow"][-1]
    assert (this_month["inflow"], this_month["outflow"]) == (2, 2)


def test_declining_without_reason_changes_nothing(net, login):
    referral = net.refer(net.new_client())
    response = login(net.screener).post(
        reverse("referrals:decline", args=[referral.pk]), {"reason": "", "note": ""}
    )
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert not ReferralEvent.objects.filter(referral=referral, kind="declined").exists()


def test_declining_with_other_needs_an_explanation(net, login):
    referral = net.refer(net.new_client())
    response = login(net.screener).post(
        reverse("referrals:decline", args=[referral.pk]), {"reason": "other", "note": ""}
    )
    assert response.status_code == 400
    assert "note" in response.context["decline_form"].errors


def test_case_team_needs_a_question(net, login):
    referral = net.refer(net.new_client())
    web = login(net.screener)
    assert web.post(reverse("referrals:case_team", args=[referral.pk]), {"note": ""}).status_code == 400
    assert (
        web.post(reverse("referrals:case_team", args=[referral.pk]), {"note": "Wie leidt?"}).status_code
        == 302
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CASE_TEAM


def test_coach_returns_an_assigned_referral_with_a_reason(net, login):
    referral = net.refer(net.new_client())
    actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    response = login(net.coach).post(reverse("referrals:return", args=[referral.pk]), {"note": "Past niet"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED and referral.assigned_coach is None


def test_the_referrer_sees_the_trajectory_status(net, login):
    trajectory = net.trajectory()
    net.follows_outcome(trajectory.client)
    mine = login(net.care).get(reverse("referrals:mine"))
    assert "SaRA Arbeidscoaching" in mine.content.decode()
    assert mine.context["page"][0].trajectory == trajectory


REFERRAL_POSTS = ["assign", "redirect", "waitlist", "case_team", "decline", "accept", "return"]


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "gtb_screener", "admin", "funder"])
def test_outsider_gets_404_on_every_referral_page(net, login, persona):
    referral = net.refer(net.new_client())
    web = login(getattr(net, persona))
    assert web.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert web.get(reverse("referrals:create", args=[referral.client_id])).status_code == 404
    for name in REFERRAL_POSTS:
        assert web.post(reverse(f"referrals:{name}", args=[referral.pk]), {}).status_code == 404, name
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_outsider_lists_show_no_foreign_referrals(net, login):
    net.refer(net.new_client(last_name="Geheim"))
    assert "Geheim" not in login(net.outsider).get(reverse("referrals:mine")).content.decode()
    assert login(net.outsider).get(reverse("referrals:inbox")).status_code == 404
    assert login(net.outsider).get(reverse("referrals:waiting")).status_code == 404


def test_referrer_can_no_longer_follow_after_withdrawing_the_record_consent(net, login):
    client = net.new_client()
    referral = net.refer(client)
    consent = Consent.objects.get(client=client, recipient=net.hospital, purpose=ConsentPurpose.RECORD)
    login(net.care).post(reverse("clients:consent_withdraw", args=[client.pk, consent.pk]))
    assert login(net.care).get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_referral_lists_run_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    for i in range(rows):
        referral = net.refer(net.new_client(last_name=f"Naam{i}"))
        if i % 2:
            actions.waitlist_referral(actor_for(net.screener), referral, expected_start=None)
    for user, name in [(net.care, "mine"), (net.screener, "inbox"), (net.coordinator, "waiting")]:
        web = login(user)
        with django_assert_max_num_queries(12, info=name):
            assert web.get(reverse(f"referrals:{name}")).status_code == 200


def test_lines_of_a_deactivated_organisation_take_no_referrals(net, login):
    net.gtb.is_active = False
    net.gtb.save()
    client = net.new_client()
    response = login(net.care).post(
        reverse("referrals:create", args=[client.pk]), referral_data(net, line=net.gtb_line.pk)
    )
    assert response.status_code == 200 and "line" in response.context["form"].errors
    assert not Referral.objects.filter(client=client).exists()
    with pytest.raises(DomainError):
        actions.submit_referral(
            actor_for(net.care),
            client,
            line=net.gtb_line,
            question="?",
            indications=[],
            urgency="normal",
            channel="other",
            evidence=SIGNED,
        )
