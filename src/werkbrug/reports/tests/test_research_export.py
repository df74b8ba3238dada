"""The pseudonymised research export: one line per trajectory active in the year, for a researcher
under an active data-access agreement covering the year (404 for everyone else, funders included);
no direct identifier and no exact date; one pseudonym per person across organisations, keyed by
settings.PSEUDONYM_KEY, also when only one record has an INSZ; every download audited with its
agreement; birth year, gender, sub-region and benefit status generalised to k = 5 persons.

The tests of the columns and of the linkage run with k = 1 (`without_k`): their handful of persons
would otherwise all be left out, which `test_with_k_5_the_same_people_are_all_left_out_and_counted`
shows. The k = 5 tests build populations large enough to keep lines.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections import Counter

import pytest
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.jobs.models import PreparedFile
from werkbrug.network.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Role,
    SubRegion,
    TrajectoryType,
)
from werkbrug.referrals import actions as referral_actions
from werkbrug.reports import anonymity, research, research_sql
from werkbrug.reports.agreements import end_agreement, record_agreement
from werkbrug.reports.research import COLUMNS
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import actor_for, client_of, make_user, valid_insz
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, ContactKind, Economy, OutcomeKind

# The old direct URL: it keeps its access rule and sends the researcher to the page that prepares the
# file as a background job (PREPARE); the file itself comes from that job (docs/jobs.md).
URL = reverse("reports:research_export")
PREPARE = reverse("reports:research_prepare")
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


QI = ("birth_year", "gender", "subregion", "benefit_status")


@pytest.fixture
def research_org(net):
    return Organisation.objects.create(
        name="Onderzoeksgroep Werk", kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER
    )


@pytest.fixture
def researcher(net, research_org):
    return make_user("researcher", research_org, Role.RESEARCHER)


def agree(net, user, **overrides):
    """An agreement recorded by the network admin through the action, for `user`'s membership."""
    values = {
        "project": "Evaluatie werk en herstel",
        "purpose": "Welke trajecten leiden tot betaald werk.",
        "from_year": 2024,
        "to_year": 2025,
        "approved_on": datetime.date(2026, 1, 5),
        "expires_on": datetime.date(2026, 12, 31),
        **overrides,
    }
    membership = Membership.objects.get(user=user)
    return record_agreement(actor_for(net.admin), researcher=membership, **values)


@pytest.fixture
def agreement(frozen, net, researcher):
    return agree(net, researcher)


@pytest.fixture
def without_k(monkeypatch):
    """k = 1: nothing is generalised or left out (for the tests of the columns and the linkage), in the
    export the researcher downloads (research_sql) and in the Python reference (research)."""
    monkeypatch.setattr(research_sql, "K", 1)
    monkeypatch.setattr(research, "anonymise", functools.partial(anonymity.anonymise, k=1))


TRAILER = re.compile(rb"# end of file([;,])rows=(\d+)\1sha256=([0-9a-f]{64})\r\n\Z")


def complete(response) -> bytes:
    """The streamed file without its trailer, after checking the trailer: it is the last line, its
    checksum is the SHA-256 of every byte before it, and its row count is the number of lines under
    the header."""
    assert response.streaming
    content = b"".join(response.streaming_content)
    found = TRAILER.search(content)
    assert found, content[-200:]
    body = content[: found.start()]
    assert hashlib.sha256(body).hexdigest() == found[3].decode()
    delimiter = found[1].decode()
    assert len(rd.csv_rows(body, delimiter=delimiter)) - 1 == int(found[2])
    return body


def prepared_file(client, year=rd.YEAR):
    """The export as the researcher gets it: asked for on the page that prepares it, written by the
    job (the tests' queue runs it at once, after the commit); the download's response, unread."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(PREPARE, {"year": year})
    assert asked.status_code == 302, asked.content.decode()[:500]
    response = client.get(reverse("jobs:download", args=[resolve(asked["Location"]).kwargs["pk"]]))
    assert response.status_code == 200
    return response


def download(client, year=rd.YEAR):
    """The prepared export's response (read) and its text without the trailer, checked complete."""
    response = prepared_file(client, year)
    return response, complete(response).decode("utf-8")


def left_out() -> int:
    """How many lines the last export left out for k-anonymity, as its audit row tells (and the
    research page shows the researcher)."""
    event = AuditEvent.objects.filter(object_type="research_export").latest("at", "pk")
    found = re.search(r"(\d+) left out for k-anonymity", event.summary)
    assert found, event.summary
    return int(found[1])


def sent_to_prepare(response, year=rd.YEAR) -> bool:
    """The old direct URL's answer to a researcher who may have the year: off to the page that
    prepares the file, the year filled in."""
    return response.status_code == 302 and response["Location"] == f"{PREPARE}?year={year}"


# The export's headers in English (the tests' language); in Dutch and French they are translated too.
ENGLISH_HEADERS = [
    "person (pseudonym)",
    "birth year",
    "gender",
    "sub-region",
    "GGZ contact (1 = yes)",
    "benefit status",
    "trajectory (running number)",
    "trajectory type",
    "lead organisation",
    "lead organisation type",
    "status",
    "started (month)",
    "closed (month)",
    "close reason",
    "referral line",
    "referral channel",
    "referred (month)",
    "referring organisation type",
    "paid work (month)",
    "paid work in the regular economy, verified (1 = yes)",
    "outcomes",
]


def lines(text: str) -> list[dict[str, str]]:
    """The lines under the columns' stable names (the codebook's), whatever the headers' language."""
    header, *rows = rd.csv_rows(text.encode("utf-8"))
    assert len(header) == len(COLUMNS)
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


# --- the columns (k = 1) ------------------------------------------------------------------------------


def test_the_export_has_one_line_per_trajectory_active_in_the_year(people, agreement, without_k, researcher):
    response, text = download(client_of(researcher))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="werkbrug-research-export-2025.csv"'
    assert response["Cache-Control"] == "no-store, private"
    assert left_out() == 0
    assert rd.csv_rows(text.encode("utf-8"))[0] == ENGLISH_HEADERS
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
        "man",
        "Antwerpen-Noord",
        "arbeidscoach",
    )
    assert (first["started_month"], first["paid_work_month"], first["paid_work_nec_verified"]) == (
        "2025-03",
        "2025-05",
        "1",
    )
    assert first["outcomes"] == "paid work"
    assert (rows[4]["closed_month"], rows[4]["close_reason"]) == ("2025-11", "other (explain)")
    assert (first["status"], first["lead_organisation_type"]) == ("active", "arbeidscoach team")


def test_the_export_holds_no_name_insz_address_phone_email_municipality_free_text_or_exact_date(
    people, agreement, without_k, researcher
):
    _response, text = download(client_of(researcher))
    leaks = [secret for secret in SECRETS if secret.lower() in text.lower()]
    assert leaks == []
    for pattern in EXACT_DATES:
        assert pattern.findall(text) == [], pattern.pattern
    # Nothing that looks like an INSZ either: no value of 11 digits. Word boundaries, because a
    # pseudonym is hexadecimal and holds a run of 11 digits for about one key in six.
    assert re.findall(r"\b\d{11}\b", text) == []


def test_two_records_of_one_person_share_a_pseudonym_and_different_persons_differ(
    people, agreement, without_k, researcher
):
    rows = lines(download(client_of(researcher))[1])
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


def test_the_pseudonym_depends_on_the_key(people, agreement, without_k, researcher, settings):
    client = client_of(researcher)
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


# --- linkage: the four pairs of issue 12 (k = 1) ---------------------------------------------------

ANNA = {"first_name": "Anna-Lies", "last_name": "Van den Broeck", "birth_date": datetime.date(1986, 4, 9)}
ANNA_INSZ = valid_insz(ANNA["birth_date"], "321")
PAIRS = {
    # name: (record at SaRA, record at GTB, persons)
    "same INSZ, name spelled differently": (
        {**ANNA, "insz": ANNA_INSZ},
        {**ANNA, "first_name": "Annalies", "last_name": "Vandenbroeck", "insz": ANNA_INSZ},
        1,
    ),
    "no INSZ, same name but for accents, case and spacing, same birth date": (
        {**ANNA, "first_name": "Anna-Liés"},
        {**ANNA, "first_name": "ANNA-LIES", "last_name": "van  den broeck"},
        1,
    ),
    "INSZ on one record only, same name and birth date": (
        {**ANNA, "insz": ANNA_INSZ},
        {**ANNA, "first_name": "anna-lies", "last_name": "Van den Broëck"},
        1,
    ),
    "same name, birth dates one day apart": (
        ANNA,
        {**ANNA, "birth_date": datetime.date(1986, 4, 10)},
        2,
    ),
}


@pytest.mark.parametrize("pair", list(PAIRS))
def test_each_pair_of_records_gives_the_right_number_of_pseudonyms(
    frozen, net, agreement, without_k, researcher, pair
):
    at_sara, at_gtb, persons = PAIRS[pair]
    trajectory_for(net, at_sara, by=net.care, line=net.coach_line)
    trajectory_for(net, at_gtb, by=net.outsider, line=net.gtb_line)
    rows = lines(download(client_of(researcher))[1])
    assert len(rows) == 2
    assert len({row["person"] for row in rows}) == persons


def test_the_record_with_an_insz_links_whichever_organisation_registered_it_first(
    frozen, net, agreement, without_k, researcher
):
    """The record without an INSZ comes first here; it still joins the later record's person."""
    trajectory_for(net, {**ANNA, "first_name": "ANNA-LIES"}, by=net.outsider, line=net.gtb_line)
    trajectory_for(net, {**ANNA, "insz": ANNA_INSZ}, by=net.care, line=net.coach_line)
    rows = lines(download(client_of(researcher))[1])
    assert len({row["person"] for row in rows}) == 1


def test_a_record_without_insz_is_not_linked_when_two_insz_share_its_name_and_birth_date(
    frozen, net, agreement, without_k, researcher
):
    """Two INSZs are two persons; which of them the third record is cannot be told, so it is a
    person of its own rather than one of them by guess."""
    trajectory_for(net, {**ANNA, "insz": ANNA_INSZ}, by=net.care, line=net.coach_line)
    trajectory_for(net, {**ANNA, "insz": valid_insz(ANNA["birth_date"], "654")}, by=net.care,
                   line=net.coach_line)  # fmt: skip
    trajectory_for(net, ANNA, by=net.outsider, line=net.gtb_line)
    rows = lines(download(client_of(researcher))[1])
    assert len({row["person"] for row in rows}) == 3


# --- k-anonymity (k = 5) ---------------------------------------------------------------------------


def qi_counts(rows: list[dict[str, str]]) -> dict[tuple[str, ...], set[str]]:
    """The persons (pseudonyms) of every combination of the quasi-identifiers, from the CSV."""
    found: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        found.setdefault(tuple(row[c] for c in QI), set()).add(row["person"])
    return found


def test_with_k_5_the_same_people_are_all_left_out_and_counted(people, agreement, researcher):
    _response, text = download(client_of(researcher))
    # Six lines of four persons: no combination can reach five persons, even with nothing shown.
    assert lines(text) == []
    assert rd.csv_rows(text.encode("utf-8")) == [ENGLISH_HEADERS]
    assert left_out() == len(people)


def person(number: int, born: int, **fields):
    birth = datetime.date(born, 6, 1 + number % 28)
    return {
        "first_name": f"Persoon{number}",
        "last_name": "Proef",
        "birth_date": birth,
        "insz": valid_insz(birth, f"{number:03d}"),
        **fields,
    }


def test_rare_combinations_are_generalised_step_by_step_and_the_rest_left_out(
    frozen, net, agreement, researcher
):
    kempen = SubRegion.objects.create(name="Kempen")
    made = []
    # Five men born in 1983 in Antwerpen-Noord without a benefit: shown exactly.
    made += [person(n, 1983, benefit_status="none") for n in range(1, 6)]
    # Three born in 1981 and two in 1984: too few a year, five in the band 1980-1984.
    made += [person(n, 1981, benefit_status="none") for n in range(6, 9)]
    made += [person(n, 1984, benefit_status="none") for n in range(9, 11)]
    # Five women of the 1960s in Kempen with several benefits: the band 1960-1969, in no sub-region
    # ("*") and with no benefit status ("*") are needed together.
    made += [
        person(n, year, gender="F", subregion=kempen, benefit_status=benefit)
        for n, year, benefit in [
            (11, 1961, "incapacity"), (12, 1962, "unemployment"), (13, 1966, "living_wage"),
            (14, 1967, "incapacity"), (15, 1969, "unemployment"),
        ]
    ]  # fmt: skip
    # One woman born in 1940: alone in every step, left out.
    made.append(person(16, 1940, gender="F", benefit_status="none"))
    for fields in made:
        trajectory_for(net, fields, by=net.care, line=net.coach_line)
    # The same first person registered again elsewhere, without an INSZ: one more line, no more persons.
    trajectory_for(net, {**made[0], "insz": "", "first_name": "PERSOON1"}, by=net.outsider, line=net.gtb_line)

    _response, text = download(client_of(researcher))
    rows = lines(text)
    assert left_out() == 1
    assert len(rows) == len(made)  # 17 trajectories, the one of 1940 left out
    got = Counter(tuple(row[c] for c in QI) for row in rows)
    assert got == {
        ("1983", "man", "Antwerpen-Noord", "no benefit"): 6,
        ("1980-1984", "man", "Antwerpen-Noord", "no benefit"): 5,
        ("1960-1969", "woman", "*", "*"): 5,
    }
    assert all(len(persons) >= 5 for persons in qi_counts(rows).values())
    assert len({row["person"] for row in rows}) == 15
    # Numbered again after the line left out: no gap shows where it was.
    assert [row["trajectory"] for row in rows] == [str(n) for n in range(1, 17)]


# --- who may download ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["funder", "coordinator", "coach", "screener", "care", "gtb_coach", "gtb_screener", "admin", "outsider"],
)
def test_every_role_but_the_researcher_gets_404_and_nothing_is_audited(people, agreement, net, persona):
    AuditEvent.objects.all().delete()
    response = client_of(getattr(net, persona)).get(URL, {"year": rd.YEAR})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_privacy_officer_gets_404(people, agreement, net):
    officer = make_user("privacy", net.network_org, Role.PRIVACY_OFFICER)
    assert client_of(officer).get(URL, {"year": rd.YEAR}).status_code == 404


def test_a_researcher_without_an_agreement_gets_404_even_when_another_researcher_has_one(
    people, agreement, net, research_org
):
    colleague = make_user("colleague", research_org, Role.RESEARCHER)
    assert client_of(colleague).get(URL, {"year": rd.YEAR}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_expired_agreement_gives_404(people, net, researcher):
    with rd.at("2025-03-01"):
        agree(net, researcher, approved_on=datetime.date(2025, 2, 1), expires_on=datetime.date(2026, 2, 15))
    # The clock stands at 16 February 2026: expired yesterday.
    assert client_of(researcher).get(URL, {"year": rd.YEAR}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_agreement_is_valid_on_its_expiry_date(people, net, researcher, without_k):
    with rd.at("2025-03-01"):
        agree(net, researcher, approved_on=datetime.date(2025, 2, 1), expires_on=datetime.date(2026, 2, 16))
    client = client_of(researcher)
    assert sent_to_prepare(client.get(URL, {"year": rd.YEAR}))
    download(client)


def test_an_ended_agreement_gives_404_at_once(people, agreement, net, researcher, without_k):
    client = client_of(researcher)
    assert sent_to_prepare(client.get(URL, {"year": rd.YEAR}))
    download(client)
    end_agreement(actor_for(net.admin), agreement)
    assert client.get(URL, {"year": rd.YEAR}).status_code == 404
    # Nothing more is prepared either: the request is refused on the page that prepares the file.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(PREPARE, {"year": rd.YEAR}).status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


@pytest.mark.parametrize("year", [2023, 2026])
def test_a_year_outside_the_agreement_gives_404(people, agreement, researcher, year):
    assert (agreement.from_year, agreement.to_year) == (2024, 2025)
    assert client_of(researcher).get(URL, {"year": year}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_second_agreement_covering_the_year_lets_the_researcher_download_it(
    people, agreement, net, researcher
):
    assert client_of(researcher).get(URL, {"year": 2026}).status_code == 404
    later = agree(net, researcher, project="Vervolgstudie", from_year=2026, to_year=2026)
    client = client_of(researcher)
    assert sent_to_prepare(client.get(URL, {"year": 2026}), year=2026)
    download(client, year=2026)
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).object_id == later.pk


def test_an_anonymous_visitor_is_sent_to_the_login_page(frozen, net, client):
    response = client.get(URL, {"year": rd.YEAR})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize(
    "year", ["", "abc", "2009", "2027", "-2025", "2025.0", " 2025", "20251", "²⁰²⁵", "٢٠٢٥"]
)
def test_a_bad_year_answers_400_and_is_not_audited(agreement, researcher, year):
    response = client_of(researcher).get(URL, {"year": year})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "2010" in response.content.decode() and "2026" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_missing_year_answers_400(agreement, researcher):
    assert client_of(researcher).get(URL).status_code == 400


def test_the_old_direct_url_sends_the_researcher_to_the_page_that_prepares_the_file(
    people, agreement, researcher
):
    """A download longer than a page request runs as a job (issue 14): the old URL streams nothing,
    reads nothing and prepares nothing; it opens the request form with the year filled in."""
    AuditEvent.objects.all().delete()
    client = client_of(researcher)
    response = client.get(URL, {"year": 2024})
    assert sent_to_prepare(response, year=2024) and not response.streaming
    assert not AuditEvent.objects.exists() and not PreparedFile.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert re.search(r'<input[^>]*name="year"[^>]*value="2024"|<input[^>]*value="2024"[^>]*name="year"',
                     page.content.decode())  # fmt: skip
    assert "Prepare the file" in page.content.decode()


def test_the_download_is_audited_with_its_agreement(people, agreement, researcher, research_org):
    AuditEvent.objects.all().delete()
    download(client_of(researcher))
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.user, event.organisation) == (
        AuditAction.EXPORT,
        "research_export",
        agreement.pk,
        researcher,
        research_org,
    )
    assert event.client_id is None
    assert "2025" in event.summary
    assert f"agreement {agreement.pk} " in event.summary and agreement.project in event.summary
    # The six lines of four persons are all left out at k = 5, and the trail says so.
    assert "0 lines, 6 left out" in event.summary
    assert event.via_api is False


def test_the_export_of_a_year_without_trajectories_is_just_the_header(frozen, net, researcher):
    agree(net, researcher, from_year=2012, to_year=2012)
    _response, text = download(client_of(researcher), year=2012)
    assert rd.csv_rows(text.encode("utf-8")) == [ENGLISH_HEADERS]


# --- the pages -----------------------------------------------------------------------------------


def test_the_researcher_starts_on_the_research_page_which_offers_the_years_of_the_agreement(
    agreement, researcher
):
    client = client_of(researcher)
    assert client.get(reverse("core:home"))["Location"] == reverse("reports:research")
    page = client.get(reverse("reports:research")).content.decode()
    # The page asks for the file to be prepared by a background job (docs/jobs.md).
    assert agreement.project in page and reverse("reports:research_prepare") in page
    years = re.findall(r'<option value="(\d+)"', page)
    assert years == ["2024", "2025"]


def test_the_research_page_says_so_when_there_is_no_active_agreement(people, net, researcher):
    with rd.at("2025-03-01"):
        expired = agree(net, researcher, approved_on=datetime.date(2025, 2, 1),
                        expires_on=datetime.date(2025, 12, 31))  # fmt: skip
    page = client_of(researcher).get(reverse("reports:research")).content.decode()
    assert "You have no active data-access agreement" in page
    assert URL not in page and reverse("reports:research_prepare") not in page
    assert expired.project in page  # under the earlier agreements


def test_the_research_page_lists_the_researchers_own_downloads_with_what_was_left_out(
    people, agreement, researcher
):
    client = client_of(researcher)
    download(client)
    page = client.get(reverse("reports:research")).content.decode()
    assert "0 lines, 6 left out for k-anonymity" in page


@pytest.mark.parametrize("persona", ["funder", "coordinator", "admin", "coach", "outsider"])
def test_only_a_researcher_reaches_the_research_page(frozen, net, persona):
    assert client_of(getattr(net, persona)).get(reverse("reports:research")).status_code == 404


def test_the_funders_report_index_no_longer_offers_the_export(frozen, net):
    page = client_of(net.funder).get(reverse("reports:index"))
    assert page.status_code == 200
    assert URL not in page.content.decode()
    assert URL not in client_of(net.coordinator).get(reverse("reports:index")).content.decode()


# --- the file's language and the codebook (issue 13, point 7) -----------------------------------

CODEBOOK = reverse("reports:research_codebook")


def dutch(client):
    client.cookies["django_language"] = "nl-be"
    return client


def test_a_dutch_researcher_gets_dutch_headers_and_labels(people, agreement, without_k, researcher):
    _response, text = download(dutch(client_of(researcher)))
    content = text.encode("utf-8")
    header, *rows = rd.csv_rows(content, delimiter=";")
    with translation.override("nl-be"):
        assert header == [gettext(english) for english in ENGLISH_HEADERS]
    assert (header[2], header[5]) == ("geslacht", "uitkeringsstatus")
    first = dict(zip(COLUMNS, rows[0], strict=True))
    assert (first["gender"], first["benefit_status"], first["outcomes"]) == (
        "man",
        "onbekend",
        "betaald werk",
    )
    text = content.decode()
    for english in ("birth_year", "paid_work", "gender", "benefit_status", "unknown"):
        assert english not in text, english


def test_the_codebook_gives_each_column_and_code_with_its_label(agreement, researcher):
    response = client_of(researcher).get(CODEBOOK)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="werkbrug-research-codebook.csv"'
    header, *rows = rd.csv_rows(response.content)
    assert header == ["column", "header in this file", "code", "meaning"]
    columns = [row[0] for row in rows if row[2] == ""]
    assert columns == list(COLUMNS)
    assert ["gender", "gender", "M", "man"] in rows
    assert ["outcomes", "outcomes", "paid_work", "paid work"] in rows
    assert ["close_reason", "close reason", "other", "other (explain)"] in rows
    assert rows[-1][2] == "*"


def test_the_dutch_codebook_maps_the_dutch_labels_back_to_the_codes(agreement, researcher):
    header, *rows = rd.csv_rows(dutch(client_of(researcher)).get(CODEBOOK).content, delimiter=";")
    with translation.override("nl-be"):
        assert header == [gettext("column"), gettext("header in this file"), "code", "betekenis"]
    assert header[0] == "kolom"
    assert ["gender", "geslacht", "M", "man"] in rows
    assert ["benefit_status", "uitkeringsstatus", "none", "geen uitkering"] in rows


def test_the_codebook_is_404_without_an_active_agreement(net, researcher):
    for user in (researcher, net.funder, net.admin, net.coach, net.outsider):
        assert client_of(user).get(CODEBOOK).status_code == 404, user
