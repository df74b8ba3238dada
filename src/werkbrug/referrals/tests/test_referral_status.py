"""Issue 12 point 2, from the referrer's side: without the client's consent that it follows the
outcome, the referring organisation sees only "received by the line" on the referral page, the list
of its referrals, the client file page and the export; with it, everything; once the client withdraws
it, nothing again at the next request. The line's organisation sees everything throughout."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.testing import actor_for, propose_to_gtb
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Phase

RECEIVED = "received by the line"


def referral_post(net, **extra):
    return {
        "line": net.coach_line.pk,
        "question": "Wil opnieuw aan de slag, stap voor stap.",
        "indications": ["low_threshold"],
        "urgency": "normal",
        "channel": "care_professional",
        "consent": "on",
        "evidence": "signed_form",
        **extra,
    }


def refer_through_the_form(net, login, *, follow: bool) -> Referral:
    client = net.new_client(last_name="Verstraete")
    data = referral_post(net, **({"follow_outcome": "on"} if follow else {}))
    response = login(net.care).post(reverse("referrals:create", args=[client.pk]), data)
    assert response.status_code == 302
    return Referral.objects.get(client=client)


def hand_over_to_gtb(net, referral: Referral) -> None:
    """SaRA accepts the referral and hands the trajectory over to GTB: lead organisation, coach, type
    and phase are now things only a referrer with the client's consent may learn."""
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    trajectory = trajectory_actions.accept_referral(
        actor_for(net.coach),
        Referral.objects.get(pk=referral.pk),
        trajectory_type=TrajectoryType.objects.get(code="arbeidscoach"),
    )
    trajectory_actions.accept_handover(actor_for(net.gtb_coach), propose_to_gtb(net, trajectory))


def secrets(net) -> list[str]:
    """What the referrer must not read without consent, written out independently of the pages."""
    return [
        net.gtb.name,  # the lead organisation now
        "Gtbcoach GTB",  # the coach now
        "Coach SaRA",  # the coach it was assigned to
        "GTB-trajectbegeleiding",  # the trajectory type now
        "Arbeidscoach-voortraject",  # the type it started as
        str(ReferralStatus.ACCEPTED.label),  # the referral's status
        f"{Phase.INTAKE.label} (",  # the phase, as the list shows it: "intake (active)"
    ]


def trajectory_part(html: str) -> str:
    """The client file page's article with its trajectories and referrals."""
    match = re.search(r"<h2>Trajectories</h2>(.*?)</article>", html, re.S)
    assert match is not None
    return match.group(1)


def pages(net, login, referral: Referral) -> dict[str, str]:
    web = login(net.care)
    found = {}
    for name, url in [
        ("referral", reverse("referrals:detail", args=[referral.pk])),
        ("mine", reverse("referrals:mine")),
        ("file", reverse("clients:detail", args=[referral.client_id])),
    ]:
        response = web.get(url)
        assert response.status_code == 200, name
        found[name] = response.content.decode()
    found["file"] = trajectory_part(found["file"])
    found["mine"] = found["mine"].split("<tbody>")[1]  # the table, not the status filter's options
    return found


def assert_received_only(net, found: dict[str, str]) -> None:
    for name, html in found.items():
        assert RECEIVED in html, name
        for secret in secrets(net):
            assert secret not in html, (name, secret)


@pytest.fixture
def unconsented(net, login) -> Referral:
    referral = refer_through_the_form(net, login, follow=False)
    hand_over_to_gtb(net, referral)
    return referral


def test_without_the_consent_the_referrer_sees_only_received_everywhere(net, login, unconsented):
    assert not Consent.objects.filter(client=unconsented.client, purpose=ConsentPurpose.FEEDBACK).exists()
    found = pages(net, login, unconsented)
    assert_received_only(net, found)
    # The status filter cannot be used to find out either.
    filtered = login(net.care).get(reverse("referrals:mine"), {"status": "accepted"}).content.decode()
    assert "Verstraete" not in filtered
    assert "Verstraete" in found["mine"]


def test_without_the_consent_the_history_holds_only_the_referrers_own_steps(net, login, unconsented):
    response = login(net.care).get(reverse("referrals:detail", args=[unconsented.pk]))
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == ["submitted"]


def test_without_the_consent_the_export_holds_received_only(net, login, unconsented):
    response = login(net.care).get(reverse("clients:export", args=[unconsented.client_id]))
    data = json.loads(response.content)
    [referral] = data["referrals"]
    assert (referral["status"], referral["assigned_coach"], referral["decided_at"]) == (
        "received",
        None,
        None,
    )
    assert [e["kind"] for e in referral["events"]] == ["submitted"]
    assert data["trajectories"] == []
    # (The export's audit trail still names who opened the file: the client's right to know, GDPR
    # art. 15; not part of this rule.)
    shown = json.dumps([data["referrals"], data["trajectories"]], ensure_ascii=False)
    for secret in secrets(net):
        assert secret not in shown, secret


def test_with_the_consent_ticked_on_the_referral_the_referrer_follows_the_outcome(net, login):
    referral = refer_through_the_form(net, login, follow=True)
    consent = Consent.objects.get(client=referral.client, purpose=ConsentPurpose.FEEDBACK)
    # A consent row naming the referrer, with the referral's evidence, recorded by the referrer.
    assert (consent.recipient, consent.evidence, consent.recorded_by) == (
        net.hospital,
        "signed_form",
        net.care,
    )
    hand_over_to_gtb(net, referral)
    found = pages(net, login, referral)
    assert str(ReferralStatus.ACCEPTED.label) in found["referral"] and "Coach SaRA" in found["referral"]
    assert "GTB-trajectbegeleiding" in found["referral"] and net.gtb.name in found["referral"]
    assert "GTB-trajectbegeleiding" in found["mine"] and f"{Phase.INTAKE.label} (" in found["mine"]
    assert net.gtb.name in found["file"] and "Gtbcoach GTB" in found["file"]
    for name, html in found.items():
        assert RECEIVED not in html, name


def test_withdrawing_the_consent_hides_the_outcome_at_the_next_request(net, login):
    referral = refer_through_the_form(net, login, follow=True)
    hand_over_to_gtb(net, referral)
    assert net.gtb.name in pages(net, login, referral)["referral"]
    consent = Consent.objects.get(client=referral.client, purpose=ConsentPurpose.FEEDBACK)
    response = login(net.care).post(
        reverse("clients:consent_withdraw", args=[referral.client_id, consent.pk])
    )
    assert response.status_code == 302
    assert_received_only(net, pages(net, login, referral))


def test_a_consent_recorded_later_on_the_consent_page_shows_the_outcome(net, login, unconsented):
    """The lead's coach asks the client and records the feedback consent naming the referrer."""
    response = login(net.gtb_coach).post(
        reverse("clients:consent_create", args=[unconsented.client_id]),
        {
            "purpose": ConsentPurpose.FEEDBACK,
            "recipient": net.hospital.pk,
            "categories": ["trajectory"],
            "given_on": timezone.localdate().isoformat(),
            "evidence": "verbal",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert net.gtb.name in pages(net, login, unconsented)["referral"]


def test_the_line_sees_everything_without_the_referrers_consent(net, login, unconsented):
    response = login(net.screener).get(reverse("referrals:detail", args=[unconsented.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(ReferralStatus.ACCEPTED.label) in html and "Coach SaRA" in html and RECEIVED not in html
    assert len(response.context["events"]) > 1


@pytest.mark.parametrize("persona", ["outsider", "admin", "funder"])
def test_outsider_gets_404_on_the_referral_and_the_file(net, login, unconsented, persona):
    web = login(getattr(net, persona))
    assert web.get(reverse("referrals:detail", args=[unconsented.pk])).status_code == 404
    assert web.get(reverse("clients:detail", args=[unconsented.client_id])).status_code == 404
    assert "Verstraete" not in web.get(reverse("referrals:mine")).content.decode()


def test_my_referrals_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries):
    web = login(net.care)
    refer_through_the_form(net, login, follow=False)
    with django_assert_max_num_queries(12) as one:
        web.get(reverse("referrals:mine"))
    for _ in range(4):
        net.refer(net.new_client())
    with django_assert_max_num_queries(len(one.captured_queries)):
        web.get(reverse("referrals:mine"))
