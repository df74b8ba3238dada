"""The client's own view of their data (GDPR art. 15 and 20): the printable access report and the
machine-readable export, each limited to what the requesting organisation may see."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients import actions
from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import Consent, ConsentPurpose, EvidenceKind, ProfileSection
from werkbrug.clients.tests.client_data import viewed_by_care
from werkbrug.core.models import AuditEvent
from werkbrug.dossier.export import export_client
from werkbrug.exchange.models import SectionVersion
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals.actions import assign_referral
from werkbrug.referrals.models import Referral
from werkbrug.testing import actor_for, pdf_info, pdf_text, valid_insz
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory


def report_lines(content: bytes) -> list[str]:
    """The table rows of the access report, date and time cut off, whitespace collapsed; a row whose
    text wraps onto the next lines is joined back into one."""
    stamp = re.compile(r"^\s*\d\d/\d\d/\d{4} \d\d:\d\d\s+")
    rows: list[str] = []
    open_row = False
    for line in pdf_text(content, "-layout").splitlines():
        if stamp.match(line):
            rows.append(stamp.sub("", line))
            open_row = True
        elif open_row and line.strip() and not line.strip().startswith("Werkbrug ·"):
            rows[-1] += " " + line
        else:
            open_row = False
    return [" ".join(row.split()) for row in rows]


# --- the access report --------------------------------------------------------------------------


def test_the_access_report_lists_every_view_and_change_of_the_scenario_in_order(net, login):
    # The scenario: register, refer, triage, accept, work the trajectory, record a consent, look.
    client = net.new_client()
    # The client agreed that PZ follows the outcome: it reads the others' accesses (docs/privacy.md).
    referral = net.refer(client, follow_outcome=True)
    login(net.screener).get(reverse("clients:detail", args=[client.pk]))
    login(net.screener).get(reverse("referrals:detail", args=[referral.pk]))
    assign_referral(actor_for(net.screener), referral, coach=net.coach)
    login(net.coach).get(reverse("referrals:detail", args=[referral.pk]))
    trajectory = trajectory_actions.accept_referral(
        actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code="arbeidscoach")
    )
    login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk]))
    trajectory_actions.record_contact(
        actor_for(net.coach), trajectory, on=timezone.localdate(), kind="phone", note="Eerste gesprek"
    )
    response = login(net.care).post(
        reverse("clients:consent_create", args=[client.pk]),
        {
            "purpose": "profile",
            "recipient": net.sara.pk,
            "categories": ["skills"],
            "given_on": timezone.localdate().isoformat(),
            "evidence": "verbal",
        },
    )
    assert response.status_code == 302
    login(net.care).get(reverse("clients:access_log", args=[client.pk]))

    care, screener, coach = str(net.care), str(net.screener), str(net.coach)
    pz, sara = "PZ Bethanië", "SaRA Arbeidscoaching"
    # Each line says in words what was done (issue 13, point 7), not the object type.
    share = "share the file with this partner for referral and guidance"
    expected = [
        (care, pz, "created", "Consent recorded: keep and use the record (PZ Bethanië)"),  # registration…
        (care, pz, "created", "Client registered"),  # …and the person
        (care, pz, "created", f"Consent recorded: {share} ({sara})"),  # referral: consent to share…
        (care, pz, "created", "Consent recorded: feedback to the referring professional (PZ Bethanië)"),
        (care, pz, "created", "Referral submitted"),  # …and the referral
        (screener, sara, "viewed", "File viewed"),
        (screener, sara, "viewed", "Referral viewed"),
        (screener, sara, "changed", "Referral assigned to a coach"),
        (coach, sara, "viewed", "Referral viewed"),
        (coach, sara, "created", "Referral accepted, trajectory started"),
        (coach, sara, "changed", "Trajectory: started"),  # its "started" event
        (coach, sara, "viewed", "Trajectory viewed"),
        (coach, sara, "created", "Contact added (phone)"),
        (care, pz, "viewed", "File viewed"),  # the consent page
        (
            care,
            pz,
            "created",
            f"Consent recorded: share the competency profile ({sara})",
        ),  # the profile consent
        (care, pz, "viewed", "File viewed"),  # the access log
    ]

    response = login(net.care).get(reverse("clients:access_report", args=[client.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    rows = [(r.person, r.organisation, r.action, r.what) for r in response.context["rows"]]
    assert rows == expected
    assert [r.at for r in response.context["rows"]] == sorted(r.at for r in response.context["rows"])
    assert report_lines(response.content) == [
        " ".join(f"{who} {org} {what}".split()) for who, org, _action, what in expected
    ]

    # Drawing up the report is itself recorded, and shows on the next one.
    again = login(net.care).get(reverse("clients:access_report", args=[client.pk]))
    assert report_lines(again.content)[-1] == f"{care} {pz} Access report printed (PDF)"
    assert len(report_lines(again.content)) == len(expected) + 1


def test_the_access_report_is_an_a4_pdf_with_a_plain_explanation(net, login):
    client = net.new_client()
    response = login(net.care).get(reverse("clients:access_report", args=[client.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "(A4)" in pdf_info(response.content)
    text = " ".join(pdf_text(response.content).split())
    assert "Jan Peeters" in text and "born 17/05/1990" in text
    assert "Each time someone opens or changes your file" in text
    event = AuditEvent.objects.filter(client_id=client.pk).latest("pk")
    assert (event.action, event.object_type, event.summary) == ("export", "client", "access report (PDF)")


def test_the_access_log_page_links_the_report_and_the_export(net, login):
    client = net.new_client()
    content = login(net.care).get(reverse("clients:access_log", args=[client.pk])).content.decode()
    assert reverse("clients:access_report", args=[client.pk]) in content
    assert reverse("clients:export", args=[client.pk]) in content
    detail = login(net.care).get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert reverse("clients:access_report", args=[client.pk]) in detail


@pytest.mark.parametrize("views", [1, 60])
def test_the_access_report_runs_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, views
):
    client, web = viewed_by_care(net, login, views)
    with django_assert_max_num_queries(8):
        assert web.get(reverse("clients:access_report", args=[client.pk])).status_code == 200


# --- the export ---------------------------------------------------------------------------------

CARE_NOTE = "Medicatie aangepast na de opname"
WORK_NOTE = "Vacature in de groendienst besproken"


def section_text(code: str) -> str:
    return f"Tekst van {code} (huidig)"


@pytest.fixture
def full_file(net):
    """A client with a SaRA trajectory, a GTB referral, contacts (one a care note), plan, ladder,
    outcome, every profile section written by care (skills twice), and a profile consent for SaRA
    naming skills and the care-only care context."""
    client = net.new_client(insz=valid_insz(datetime.date(1990, 5, 17)), phone="0470 12 34 56")
    trajectory = net.trajectory(client)
    gtb_referral = net.refer(client, line=net.gtb_line)
    care, coach = actor_for(net.care), actor_for(net.coach)
    today = timezone.localdate()
    trajectory_actions.record_contact(coach, trajectory, on=today, kind="face_to_face", note=WORK_NOTE)
    trajectory_actions.record_contact(
        care, trajectory, on=today, kind="phone", note=CARE_NOTE, care_only=True
    )
    trajectory_actions.add_goal(
        coach, trajectory, goal="CV opmaken", due_on=today + datetime.timedelta(days=14)
    )
    trajectory_actions.record_ladder(coach, trajectory, rung=3, on=today)
    trajectory_actions.record_outcome(coach, trajectory, kind="training", on=today, note="Opleiding groen")
    SectionVersion.objects.create(
        client=client,
        section="skills",
        text="Tekst van skills (oud)",
        author=net.care,
        organisation=net.hospital,
    )
    for code in ProfileSection.values:
        SectionVersion.objects.create(
            client=client, section=code, text=section_text(code), author=net.care, organisation=net.hospital
        )
    profile = actions.grant_consent(
        care,
        client,
        purpose=ConsentPurpose.PROFILE,
        recipient=net.sara,
        categories=[ProfileSection.SKILLS],
        evidence=Evidence(EvidenceKind.SIGNED_FORM),
    )
    # A consent recorded before the consent form stopped offering care-only sections for a work
    # partner (grant_consent now refuses it): such an older row still never opens the care context.
    Consent.objects.filter(pk=profile.pk).update(
        categories=[ProfileSection.SKILLS, ProfileSection.CARE_CONTEXT]
    )
    # The client agrees that PZ, the referrer, follows the outcome: it holds the trajectory too.
    actions.grant_consent(
        care,
        client,
        purpose=ConsentPurpose.FEEDBACK,
        recipient=net.hospital,
        categories=["trajectory"],
        evidence=Evidence(EvidenceKind.SIGNED_FORM),
    )
    return {"client": client, "trajectory": trajectory, "gtb_referral": gtb_referral, "profile": profile}


def get_export(login, user, client):
    response = login(user).get(reverse("clients:export", args=[client.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="client-{client.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    return response.content.decode(), json.loads(response.content)


def test_the_care_partner_exports_everything_held_about_the_person(net, login, full_file):
    client = full_file["client"]
    raw, data = get_export(login, net.care, client)
    assert data["client"]["first_name"] == "Jan" and data["client"]["last_name"] == "Peeters"
    assert data["client"]["birth_date"] == "1990-05-17"
    assert data["client"]["phone"] == "0470 12 34 56" and data["client"]["national_register_number"]
    assert sorted((c["purpose"], c["recipient"]) for c in data["consents"]) == [
        ("collaboration", "GTB Antwerpen"),
        ("collaboration", "SaRA Arbeidscoaching"),
        ("feedback", "PZ Bethanië"),
        ("profile", "SaRA Arbeidscoaching"),
        ("record", "PZ Bethanië"),
    ]
    assert {r["line"] for r in data["referrals"]} == {"SaRA arbeidscoach", "GTB trajectbegeleiding"}
    [trajectory] = data["trajectories"]
    assert {c["note"] for c in trajectory["contacts"]} == {WORK_NOTE, CARE_NOTE}
    assert [g["goal"] for g in trajectory["plan_goals"]] == ["CV opmaken"]
    assert [p["rung"] for p in trajectory["ladder"]] == [3]
    assert [o["kind"] for o in trajectory["outcomes"]] == ["training"]
    assert [e["kind"] for e in trajectory["events"]] == ["started"]
    # A care partner reads every section, the care-only one included, with its history.
    sections = {s["section"]: s for s in data["profile"]}
    assert set(sections) == set(ProfileSection.values)
    assert sections["skills"]["current"]["text"] == section_text("skills")
    assert [v["text"] for v in sections["skills"]["history"]] == ["Tekst van skills (oud)"]
    assert sections["care_context"]["current"]["author"] == str(net.care)
    # The audit trail, oldest first, up to this export.
    trail = data["audit_trail"]
    assert len(trail) == AuditEvent.objects.filter(client_id=client.pk).count() - 1
    assert [e["at"] for e in trail] == sorted(e["at"] for e in trail)
    assert trail[0]["action"] == "create" and trail[0]["object_type"] == "consent"
    # Dates and times are ISO 8601.
    datetime.date.fromisoformat(data["consents"][0]["given_on"])
    datetime.datetime.fromisoformat(data["exported_at"])
    datetime.datetime.fromisoformat(trail[-1]["at"])
    assert "Jan" in raw and "\\u" not in raw  # readable UTF-8, not escaped
    event = AuditEvent.objects.filter(client_id=client.pk).latest("pk")
    assert (event.user, event.action, event.summary) == (net.care, "export", "export (JSON)")


def test_a_work_partner_exports_no_care_notes_and_only_consented_sections(net, login, full_file):
    client = full_file["client"]
    raw, data = get_export(login, net.coach, client)
    assert data["client"]["last_name"] == "Peeters"
    # Only the referral SaRA takes part in; the GTB referral is not SaRA's business.
    assert [r["line"] for r in data["referrals"]] == ["SaRA arbeidscoach"]
    [trajectory] = data["trajectories"]
    assert [c["note"] for c in trajectory["contacts"]] == [WORK_NOTE]
    # The consent named skills and the care context; the care context never leaves care.
    assert [s["section"] for s in data["profile"]] == ["skills"]
    assert [v["text"] for v in data["profile"][0]["history"]] == ["Tekst van skills (oud)"]
    assert CARE_NOTE not in raw
    for code in set(ProfileSection.values) - {"skills"}:
        assert section_text(code) not in raw, code


def test_an_organisation_on_another_line_exports_only_its_own_part(net, login, full_file):
    raw, data = get_export(login, net.gtb_coach, full_file["client"])
    assert [r["line"] for r in data["referrals"]] == ["GTB trajectbegeleiding"]
    assert data["trajectories"] == [] and data["profile"] == []
    assert CARE_NOTE not in raw and WORK_NOTE not in raw and "Tekst van" not in raw


def test_after_withdrawal_the_export_holds_no_profile_sections_for_the_work_partner(net, login, full_file):
    actions.withdraw_consent(actor_for(net.care), full_file["profile"])
    raw, data = get_export(login, net.coach, full_file["client"])
    assert data["profile"] == [] and "Tekst van" not in raw
    statuses = {c["id"]: c["status"] for c in data["consents"]}
    assert statuses[full_file["profile"].pk] == "withdrawn"


def test_export_client_refuses_an_actor_who_may_not_see_the_person(net, full_file):
    for user in (net.outsider, net.admin, net.funder):
        with pytest.raises(Http404):
            export_client(actor_for(user), full_file["client"])
    assert export_client(actor_for(net.coach), full_file["client"])["client"]["id"] == full_file["client"].pk


def test_the_export_follows_the_same_rules_as_the_pages(net, full_file):
    """Whatever the export holds, the organisation may already see through the access rules."""
    client = full_file["client"]
    for user in (net.care, net.coach, net.screener, net.gtb_coach):
        actor = actor_for(user)
        data = export_client(actor, client)
        assert {r["id"] for r in data["referrals"]} == set(
            Referral.objects.for_organisation(actor.organisation)
            .filter(client=client)
            .values_list("pk", flat=True)
        )
        assert {t["id"] for t in data["trajectories"]} == set(
            Trajectory.objects.for_organisation(actor.organisation)
            .filter(client=client)
            .values_list("pk", flat=True)
        )
        # Other organisations' consents only with the `history` category (issue 12, docs/privacy.md):
        # PZ registered the client (its record consent names every category); SaRA and GTB hold the
        # file through a referral that passed on nothing of the past, so they see their own rows.
        org = actor.organisation
        shares_history = any(
            "history" in c.categories
            for c in Consent.objects.filter(client=client, recipient=org, withdrawn_at__isnull=True)
            if c.purpose in ("record", "collaboration")
        )
        assert shares_history is (user == net.care)
        expected = {
            c.pk
            for c in Consent.objects.filter(client=client)
            if shares_history or org in (c.recipient, c.recorded_by_organisation)
        }
        assert {c["id"] for c in data["consents"]} == expected
        assert (len(expected) == Consent.objects.filter(client=client).count()) is shares_history


# --- access -------------------------------------------------------------------------------------

RIGHTS_URLS = ["clients:access_report", "clients:export"]


@pytest.mark.parametrize("name", RIGHTS_URLS)
@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_outsider_gets_404_on_the_access_report_and_the_export(net, login, name, persona):
    client = net.new_client()
    net.refer(client)
    before = AuditEvent.objects.count()
    assert login(getattr(net, persona)).get(reverse(name, args=[client.pk])).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", RIGHTS_URLS)
def test_involved_users_get_the_access_report_and_the_export(net, login, name):
    client = net.new_client()
    net.refer(client)
    for user in (net.care, net.screener):
        assert login(user).get(reverse(name, args=[client.pk])).status_code == 200


@pytest.mark.parametrize("name", RIGHTS_URLS)
def test_a_withdrawn_file_consent_ends_the_report_and_the_export_at_once(net, login, name):
    client = net.new_client()
    net.refer(client)
    consent = Consent.objects.get(client=client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION)
    actions.withdraw_consent(actor_for(net.care), consent)
    assert login(net.screener).get(reverse(name, args=[client.pk])).status_code == 404
