"""Erasure of a client with a rich file, end to end over HTTP: afterwards no identifying string of the
person is left in any table or file, the yearly report of the past year they counted in is the same,
and the erasure is audited without a name (GDPR art. 17)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import Evidence, grant_consent
from werkbrug.clients.models import Client, Consent, ConsentPurpose, EvidenceKind
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.exchange.actions import save_section, send_feedback
from werkbrug.network.models import Role, TrajectoryType
from werkbrug.privacy.models import ErasureRequest
from werkbrug.privacy.tests.dump import database_text, files_text, found
from werkbrug.referrals import actions as referral_actions
from werkbrug.reports.framework import Params
from werkbrug.reports.yearly import YearlyReport
from werkbrug.teams import meeting_actions
from werkbrug.teams.followup_actions import create_action
from werkbrug.teams.tests.test_teams_support import IDENTIFYING, IDENTITY, build_world
from werkbrug.testing import SIGNED, actor_for, client_of, make_user, one_done_one_refused, race
from werkbrug.trajectories import actions as trajectory_actions

BRUSSELS = ZoneInfo("Europe/Brussels")
PAST_YEAR = 2024

# Free text written about the person, each with a word found nowhere else.
TEXTS = {
    "question": "Zenobia wil bakker worden, Marsepeinvraag.",
    "contact": "Gesprek over haar zus, Kwikstraat 17, Pimpelmeesnotitie.",
    "goal": "Zenobia zoekt Tamboerijnwerk.",
    "outcome": "Quackenbusch start bij bakkerij Kaneeltoren.",
    "section": "Zenobia bakt Zuurdesemtaart als de beste.",
    "feedback": "Zenobia Quackenbusch deed het Weergaloos goed.",
    "case": "Zenobia Quackenbusch: wie leidt Hazelnootvraag?",
    "minutes": "Zenobia belde van 0470 12 34 56 over Pistachenotulen.",
    "action": "Bel Zenobia over Amandelactie.",
    "close": "Zenobia verhuist, Walnootafsluiting.",
    "evidence": "Ondertekend door Zenobia Quackenbusch, Cashewbewijs.",
    "form": "Zenobia Quackenbusch Dadelformulier",
    "audit": "imported note about Zenobia Quackenbusch",
    "request": "Zenobia Quackenbusch vraagt het per brief, Vijgenverzoek.",
}
MARKERS = [
    "Marsepeinvraag",
    "Pimpelmeesnotitie",
    "Tamboerijnwerk",
    "Kaneeltoren",
    "Zuurdesemtaart",
    "Weergaloos",
    "Hazelnootvraag",
    "Pistachenotulen",
    "Amandelactie",
    "Walnootafsluiting",
    "Cashewbewijs",
    "Dadelformulier",
]


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=BRUSSELS), tick=False)


def _rich_file(net, world):
    """The client of the team world, with a referral, a trajectory with a contact, a plan goal, paid
    work, a profile section, feedback, a case with minutes and an action, a signed form; closed."""
    client = world.client
    care, coach = actor_for(net.care), actor_for(net.coach)
    with _at(datetime.date(PAST_YEAR, 3, 4)):
        grant_consent(
            coach,  # the organisation sharing the file with PZ records it (issue 12: not PZ itself)
            client,
            purpose=ConsentPurpose.COLLABORATION,
            recipient=net.hospital,
            categories=["identity"],
            evidence=Evidence(EvidenceKind.SIGNED_FORM, TEXTS["evidence"]),
            evidence_file=SimpleUploadedFile(
                "zenobia.pdf", b"%PDF-1.4 " + TEXTS["form"].encode(), content_type="application/pdf"
            ),
        )
        net.follows_outcome(client)
        referral = referral_actions.submit_referral(
            care,
            client,
            line=net.coach_line,
            question=TEXTS["question"],
            indications=["low_threshold"],
            urgency="normal",
            channel="care_professional",
            evidence=SIGNED,
        )
        referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
        trajectory = trajectory_actions.accept_referral(
            coach, referral, trajectory_type=TrajectoryType.objects.get(code="arbeidscoach")
        )
        trajectory_actions.record_contact(
            coach, trajectory, on=datetime.date(PAST_YEAR, 3, 4), kind="face_to_face", note=TEXTS["contact"]
        )
        trajectory_actions.add_goal(coach, trajectory, goal=TEXTS["goal"], due_on=None)
        save_section(care, client, "skills", TEXTS["section"])
        send_feedback(coach, trajectory, discussed=TEXTS["feedback"])
        world.consent()
        case = world.register(question=TEXTS["case"])
        meeting = world.meeting()
        item = world.item(meeting, case)
        meeting_actions.record_minutes(coach, item, minutes=TEXTS["minutes"])
        create_action(
            coach, item, description=TEXTS["action"], owner=net.coach, due_on=datetime.date(PAST_YEAR, 4, 1)
        )
        AuditEvent.objects.create(action=AuditAction.UPDATE, object_type="import", summary=TEXTS["audit"])
    with _at(datetime.date(PAST_YEAR, 6, 3)):
        trajectory_actions.record_outcome(
            coach, trajectory, kind="paid_work", on=datetime.date(PAST_YEAR, 6, 3), economy="nec",
            note=TEXTS["outcome"],
        )  # fmt: skip
    with _at(datetime.date(PAST_YEAR, 11, 2)):
        trajectory_actions.close_trajectory(coach, trajectory, reason="other", note=TEXTS["close"])
    return trajectory


def _yearly(year: int) -> list[tuple[object, ...]]:
    """The yearly report's full content, as the reports area computes it."""
    params = Params(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    report = YearlyReport()
    sections = report.sections(params, detail=True)
    return [
        (
            section.key,
            str(section.title),
            [(str(row.label), dict(row.values)) for row in section.all_rows],
        )
        for section in sections
    ] + [("hidden", sorted((str(k), v) for k, v in report.hidden_cells.items()))]


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_identifying_string_and_the_past_report_unchanged(tnet, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(tnet)
    client = world.client
    _rich_file(tnet, world)
    officer = make_user("privacy", tnet.network_org, Role.PRIVACY_OFFICER)

    # The data is really there, in the database and on disk, and the client counts in the report.
    identifying = [*IDENTIFYING, *MARKERS]
    stored = ["Zenobia", "Quackenbusch", IDENTITY["insz"], "Kwikstraat 17", "0470 12 34 56", "Zoersel"]
    stored += ["zenobia.q@example.net", "1987-03-14", *(m for m in MARKERS if m != "Dadelformulier")]
    assert found(database_text(), stored) == stored
    assert "Dadelformulier" in files_text(tmp_path)
    before = _yearly(PAST_YEAR)
    overview = dict(before[0][2][0][1])
    assert (overview["active"], overview["started"], overview["paid_work"], overview["nec"]) == (1, 1, 1, 0)

    page = client_of(officer)
    response = page.get(reverse("privacy:index"), {"insz": IDENTITY["insz"]})
    assert response.status_code == 200
    assert reverse("privacy:erase", args=[client.pk]) in response.content.decode()
    response = page.post(
        reverse("privacy:erase", args=[client.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "requested_by": "de cliënt, per brief",
            "reason": TEXTS["request"],
            "confirm": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert found(database_text(), identifying) == []
    assert files_text(tmp_path) == ""  # the signed form is gone from the disk
    assert not Consent.objects.filter(client=client).exclude(evidence_file="").exists()
    assert _yearly(PAST_YEAR) == before

    erased = Client.objects.get(pk=client.pk)
    assert erased.erased_at is not None
    assert erased.birth_date == datetime.date(1987, 1, 1)
    assert (erased.gender, erased.subregion_id) == (client.gender, client.subregion_id)
    request = ErasureRequest.objects.get(client_ref=client.pk)
    assert (request.recorded_by, request.erased_at is not None) == (officer, True)
    assert "Vijgenverzoek" in request.reason  # the reason stays, without the name
    event = AuditEvent.objects.get(client_id=client.pk, action=AuditAction.DELETE, object_type="client")
    assert event.user == officer
    assert f"erasure request {request.pk}" in event.summary


@pytest.mark.django_db(transaction=True)
def test_two_officers_erasing_at_once_erase_once_and_the_second_is_told(tnet):
    client = tnet.new_client(first_name="Ottilia", last_name="Tweelingsen")
    tnet.trajectory(client)
    first = make_user("privacy", tnet.network_org, Role.PRIVACY_OFFICER)
    second = make_user("privacy2", tnet.network_org, Role.PRIVACY_OFFICER)
    url = reverse("privacy:erase", args=[client.pk])
    data = {
        "received_on": timezone.localdate().isoformat(),
        "requested_by": "the client, by letter",
        "reason": "Asked for erasure.",
        "confirm": "on",
    }
    pages = [client_of(first), client_of(second)]
    _done, refused = one_done_one_refused(race(*(lambda page=page: page.post(url, data) for page in pages)))
    assert "already erased" in refused.content.decode()
    assert ErasureRequest.objects.filter(client_ref=client.pk).count() == 1
    assert AuditEvent.objects.filter(client_id=client.pk, action=AuditAction.DELETE).count() == 1
