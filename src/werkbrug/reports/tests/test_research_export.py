"""The pseudonymised research export: one line per trajectory active in the year, for the funder only;
no direct identifier and no exact date; one pseudonym per person across organisations, keyed by
settings.PSEUDONYM_KEY; every download audited."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.reports.research import COLUMNS
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import actor_for, valid_insz
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, ContactKind, Economy, OutcomeKind

URL = reverse("reports:research_export")
BIRTH = datetime.date(1983, 7, 21)


INSZ = valid_insz(BIRTH, "123")
OTHER_INSZ = valid_insz(BIRTH, "456")
# Every identifying value put into the clients; none may appear in the export.
PERSON = {
    "first_name": "Zwaantje",
    "last_name": "Oosterwijck",
    "birth_date": BIRTH,
    "insz": INSZ,
    "address": "Klaprozenlaan 41",
    "phone": "0499 87 65 43",
    "email": "zwaantje.o@example.net",
    "municipality": "Westmalle",
}
# The same person as registered by another organisation: same INSZ (written with dots), the name
# spelled otherwise, other contact details.
SAME_PERSON_ELSEWHERE = {
    "first_name": "Swaantje",
    "last_name": "Oosterwyck",
    "birth_date": BIRTH,
    "insz": f"{INSZ[:2]}.{INSZ[2:4]}.{INSZ[4:6]}-{INSZ[6:9]}.{INSZ[9:]}",
    "address": "Lindendreef 3",
    "phone": "+32 3 312 45 67",
    "email": "z.oosterwyck@example.org",
    "municipality": "Malle",
}
# A namesake born the same day, with another INSZ: another person.
NAMESAKE = {**PERSON, "insz": OTHER_INSZ, "gender": "F", "municipality": "Brecht"}
WITHOUT_INSZ = {"first_name": "Élise", "last_name": "Peeters", "birth_date": datetime.date(1979, 2, 3)}
# The same name in other case and accents, same birth date, no INSZ: the same person.
WITHOUT_INSZ_ELSEWHERE = {
    "first_name": "ELISE",
    "last_name": "peetërs",
    "birth_date": datetime.date(1979, 2, 3),
}
# Same name, another birth date: another person.
WITHOUT_INSZ_OTHER = {"first_name": "Elise", "last_name": "Peeters", "birth_date": datetime.date(1979, 2, 4)}
FREE_TEXT = ["Bakkerij Zonnebloem", "Gesprek met werkgever Zonnebloem", "Verhuisd naar Gent"]
SECRETS = [
    "Zwaantje",
    "Oosterwijck",
    "Swaantje",
    "Oosterwyck",
    "Élise",
    "Elise",
    "Peeters",
    "peetërs",
    INSZ,
    OTHER_INSZ,
    SAME_PERSON_ELSEWHERE["insz"],
    "Klaprozenlaan",
    "Lindendreef",
    "0499 87 65 43",
    "0499876543",
    "312 45 67",
    "zwaantje.o@example.net",
    "z.oosterwyck@example.org",
    "@",
    "Westmalle",
    "Malle",
    "Brecht",
    "Kalmthout",  # the municipality of the other clients
    *FREE_TEXT,
]
EXACT_DATES = [
    re.compile(r"\d{4}-\d{2}-\d{2}"),
    re.compile(r"\d{1,2}/\d{1,2}/\d{4}"),
    re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}"),
    re.compile(r"\d{1,2}-\d{1,2}-\d{4}"),
]


def trajectory_for(net, fields, *, by, line, started="2025-03-03", **extra):
    """Register the client at `by`'s organisation, refer to the line and start the trajectory."""
    screener, coach, code = (
        (net.screener, net.coach, "arbeidscoach")
        if line == net.coach_line
        else (net.gtb_screener, net.gtb_coach, "gtb")
    )
    with rd.at(started):
        client = net.new_client(by=by, **{"municipality": "Kalmthout", **fields})
        referral = net.refer(client, line=line, by=by)
        referral_actions.assign_referral(actor_for(screener), referral, coach=coach)
        return trajectory_actions.accept_referral(
            actor_for(coach), referral, trajectory_type=TrajectoryType.objects.get(code=code)
        )


@pytest.fixture
def people(frozen, net):
    """Six records of four persons, each with a trajectory active in 2025, in this order."""
    made = {
        "person_at_sara": trajectory_for(net, PERSON, by=net.care, line=net.coach_line),
        "person_at_gtb": trajectory_for(net, SAME_PERSON_ELSEWHERE, by=net.outsider, line=net.gtb_line),
        "namesake": trajectory_for(net, NAMESAKE, by=net.care, line=net.coach_line),
        "elise_at_sara": trajectory_for(net, WITHOUT_INSZ, by=net.care, line=net.coach_line),
        "elise_at_gtb": trajectory_for(net, WITHOUT_INSZ_ELSEWHERE, by=net.outsider, line=net.gtb_line),
        "other_elise": trajectory_for(net, WITHOUT_INSZ_OTHER, by=net.care, line=net.coach_line),
    }
    coach = actor_for(net.coach)
    first = made["person_at_sara"]
    trajectory_actions.record_outcome(
        coach, first, kind=OutcomeKind.PAID_WORK, on=datetime.date(2025, 5, 12), economy=Economy.NEC,
        certainty=Certainty.VERIFIED, note=FREE_TEXT[0],
    )  # fmt: skip
    trajectory_actions.record_contact(
        coach, first, on=datetime.date(2026, 1, 5), kind=ContactKind.EMPLOYER, note=FREE_TEXT[1]
    )
    with rd.at("2025-11-28"):
        trajectory_actions.close_trajectory(
            actor_for(net.gtb_coach), made["elise_at_gtb"], reason="other", note=FREE_TEXT[2]
        )
    # Closed before the year: not in the export.
    old = trajectory_for(net, {"first_name": "Oud", "last_name": "Dossier"}, by=net.care, line=net.coach_line,
                         started="2023-02-01")  # fmt: skip
    with rd.at("2024-06-30"):
        trajectory_actions.close_trajectory(coach, old, reason="moved", note="")
    return made


def download(client, year=rd.YEAR):
    response = client.get(URL, {"year": year})
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode("utf-8")


def lines(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_one_line_per_trajectory_active_in_the_year(people, login, net):
    response, text = download(login(net.funder))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="werkbrug-research-2025.csv"'
    assert response["Cache-Control"] == "no-store, private"
    assert text.splitlines()[0].split(",") == list(COLUMNS)
    rows = lines(text)
    assert len(rows) == len(people)
    # A running number, not the database id; lines in the order the trajectories were started.
    assert [row["trajectory"] for row in rows] == [str(n) for n in range(1, len(people) + 1)]
    assert [row["lead_organisation"] for row in rows] == [
        rd.SARA, rd.GTB, rd.SARA, rd.SARA, rd.GTB, rd.SARA
    ]  # fmt: skip
    first = rows[0]
    assert (first["birth_year"], first["gender"], first["subregion"], first["trajectory_type"]) == (
        "1983",
        "M",
        "Antwerpen-Noord",
        "arbeidscoach",
    )
    assert (first["started_month"], first["paid_work_month"], first["paid_work_nec_verified"]) == (
        "2025-03",
        "2025-05",
        "1",
    )
    assert first["outcomes"] == "paid_work"
    assert (rows[4]["closed_month"], rows[4]["close_reason"]) == ("2025-11", "other")


def test_the_export_holds_no_name_insz_address_phone_email_municipality_free_text_or_exact_date(
    people, login, net
):
    _response, text = download(login(net.funder))
    leaks = [secret for secret in SECRETS if secret.lower() in text.lower()]
    assert leaks == []
    for pattern in EXACT_DATES:
        assert pattern.findall(text) == [], pattern.pattern
    # Nothing that looks like an INSZ either: no value of 11 digits. Word boundaries, because a
    # pseudonym is hexadecimal and holds a run of 11 digits for about one key in six.
    assert re.findall(r"\b\d{11}\b", text) == []


def test_two_records_of_one_person_share_a_pseudonym_and_different_persons_differ(people, login, net):
    rows = lines(download(login(net.funder))[1])
    pseudonym = dict(zip(people, (row["person"] for row in rows), strict=True))
    # The same INSZ, registered by the hospital and by CGG Elders, under other spellings of the name.
    assert pseudonym["person_at_sara"] == pseudonym["person_at_gtb"]
    # No INSZ: the same name in other case and accents, and the same birth date.
    assert pseudonym["elise_at_sara"] == pseudonym["elise_at_gtb"]
    # Another INSZ (same name and birth date), or another birth date (same name): other persons.
    assert (
        len(
            {
                pseudonym["person_at_sara"],
                pseudonym["namesake"],
                pseudonym["elise_at_sara"],
                pseudonym["other_elise"],
            }
        )
        == 4
    )
    assert all(re.fullmatch(r"[0-9a-f]{24}", p) for p in pseudonym.values())
    # Unique persons can be counted.
    assert len({row["person"] for row in rows}) == 4


def test_the_pseudonym_depends_on_the_key(people, login, net, settings):
    client = login(net.funder)
    settings.PSEUDONYM_KEY = "first key for the test"
    first = [row["person"] for row in lines(download(client)[1])]
    settings.PSEUDONYM_KEY = "second key for the test"
    second = [row["person"] for row in lines(download(client)[1])]
    assert set(first).isdisjoint(second)
    # Each key keeps the persons together.
    assert first[0] == first[1] and second[0] == second[1]
    assert first[3] == first[4] and second[3] == second[4]
    settings.PSEUDONYM_KEY = "first key for the test"
    assert [row["person"] for row in lines(download(client)[1])] == first


@pytest.mark.parametrize(
    "persona", ["coordinator", "coach", "screener", "care", "gtb_coach", "gtb_screener", "admin", "outsider"]
)
def test_every_role_but_the_funder_gets_404_and_nothing_is_audited(people, login, net, persona):
    response = login(getattr(net, persona)).get(URL, {"year": rd.YEAR})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(frozen, net, client):
    response = client.get(URL, {"year": rd.YEAR})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize(
    "year", ["", "abc", "2009", "2027", "-2025", "2025.0", " 2025", "20251", "²⁰²⁵", "٢٠٢٥"]
)
def test_a_bad_year_answers_400_and_is_not_audited(frozen, net, login, year):
    response = login(net.funder).get(URL, {"year": year})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "2010" in response.content.decode() and "2026" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_missing_year_answers_400(frozen, net, login):
    assert login(net.funder).get(URL).status_code == 400


def test_the_download_is_audited(people, login, net):
    AuditEvent.objects.all().delete()
    download(login(net.funder))
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.user, event.organisation, event.client_id) == (
        AuditAction.EXPORT,
        "research_export",
        net.funder,
        net.funder_org,
        None,
    )
    assert "2025" in event.summary
    assert event.via_api is False


def test_the_export_of_a_year_without_trajectories_is_just_the_header(frozen, net, login):
    _response, text = download(login(net.funder), year=2012)
    assert text.strip() == ",".join(COLUMNS)


def test_the_funders_report_index_offers_the_export_and_the_coordinators_does_not(frozen, net, login):
    assert URL in login(net.funder).get(reverse("reports:index")).content.decode()
    assert URL not in login(net.coordinator).get(reverse("reports:index")).content.decode()
