"""The research export generated in the database and streamed (issue 14, point 3; reports.research_sql)
into the file the background job prepares (reports.tasks), downloaded through the HTTP stack: its trailer gives the right row count and checksum; its lines are
what the database holds (computed here from the models), byte for byte the file the Python reference
(reports.research) writes, in English and in Dutch, with k = 1 and with k = 5; its pseudonyms are the
reference's; the key appears in no SQL; the export is audited before its first line; and k >= 5 holds
on every combination, also for persons whose records differ in a quasi-identifier."""

# ruff: noqa: F811 - the fixtures imported from test_research_export are used as arguments
from __future__ import annotations

import datetime
import hashlib
import hmac
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from werkbrug.clients.models import Client
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Organisation, ReferralLine, SubRegion
from werkbrug.referrals.models import Referral
from werkbrug.reports import anonymity, research, research_sql, tasks
from werkbrug.reports.research import COLUMNS
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import actor_for, client_of
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, Economy, Outcome, OutcomeKind, Trajectory

from .test_research_export import (  # noqa: F401 - fixtures
    TRAILER,
    agreement,
    complete,
    download,
    dutch,
    left_out,
    lines,
    person,
    prepared_file,
    research_org,
    researcher,
    trajectory_for,
    without_k,
)

QI = ("birth_year", "gender", "subregion", "benefit_status")


@pytest.fixture
def population(frozen, net):
    """Enough persons for k = 5 to show lines exactly, in bands, with "*", and to leave one out; a
    person whose two records are in different sub-regions; outcomes; a closed trajectory; a referral
    made late on the last evening of a month (UTC) and so in the next month in Brussels; and names
    that need quoting or a guard against formulas."""
    kempen = SubRegion.objects.create(name="-Kempen")
    made = [person(n, 1983, benefit_status="none") for n in range(1, 7)]
    made += [person(n, 1981, benefit_status="none") for n in range(7, 10)]
    made += [person(n, 1984, benefit_status="none") for n in range(10, 12)]
    made += [
        person(n, 1960 + n - 10, gender="F", subregion=kempen, benefit_status=benefit)
        for n, benefit in [
            (12, "incapacity"), (13, "unemployment"), (14, "living_wage"), (15, "incapacity"), (16, "none")
        ]
    ]  # fmt: skip
    made.append(person(17, 1940, gender="F", benefit_status="none"))
    # Four more men of 1983 in -Kempen: with person 1's second record there, five persons.
    made += [person(n, 1983, subregion=kempen, benefit_status="none") for n in range(18, 22)]
    trajectories = [trajectory_for(net, fields, by=net.care, line=net.coach_line) for fields in made]
    # Person 1 again elsewhere, without an INSZ and in another sub-region: one person in two exact
    # combinations. Person 12 again, in the same combination.
    trajectories.append(
        trajectory_for(net, {**made[0], "insz": "", "subregion": kempen}, by=net.outsider, line=net.gtb_line)
    )
    trajectories.append(trajectory_for(net, {**made[11], "insz": ""}, by=net.outsider, line=net.gtb_line))
    coach = actor_for(net.coach)
    trajectory_actions.record_outcome(
        coach, trajectories[0], kind=OutcomeKind.PAID_WORK, on=datetime.date(2025, 5, 12),
        economy=Economy.NEC, certainty=Certainty.VERIFIED, note="",
    )  # fmt: skip
    trajectory_actions.record_outcome(
        coach, trajectories[0], kind=OutcomeKind.TRAINING, on=datetime.date(2025, 2, 1), note=""
    )
    trajectory_actions.record_outcome(
        coach, trajectories[2], kind=OutcomeKind.VOLUNTEERING, on=datetime.date(2025, 9, 9), note=""
    )
    with rd.at("2025-10-15"):
        trajectory_actions.close_trajectory(coach, trajectories[3], reason="moved", note="")
    Referral.objects.filter(pk=trajectories[1].referral_id).update(
        created_at=datetime.datetime(2025, 4, 30, 22, 30, tzinfo=datetime.UTC)
    )
    Organisation.objects.filter(pk=net.coach_line.organisation_id).update(name='=SaRA; "Noord"')
    ReferralLine.objects.filter(pk=net.gtb_line.pk).update(name="GTB\nKempen, lijn")
    return trajectories


def reference(language: str = "en") -> bytes:
    """The file the Python reference writes (reports.research), before the trailer."""
    with translation.override(language):
        return research.csv_text(research.export(rd.YEAR).rows).encode("utf-8")


# --- the trailer ------------------------------------------------------------------------------------


def test_the_file_ends_with_a_trailer_giving_its_rows_and_checksum(population, agreement, researcher):
    response = prepared_file(client_of(researcher))
    assert response.streaming
    content = b"".join(response.streaming_content)
    found = TRAILER.search(content)
    assert found
    body = content[: found.start()]
    assert found[3].decode() == hashlib.sha256(body).hexdigest()
    shown = lines(body.decode())
    assert int(found[2]) == len(shown) == len(population) - 1  # the woman of 1940 left out
    assert left_out() == 1
    # A file cut anywhere before its end has no trailer, or one whose figures do not hold.
    for cut in range(len(content) - 1, 0, -97):
        part = content[:cut]
        trailer = TRAILER.search(part)
        assert trailer is None or hashlib.sha256(part[: trailer.start()]).hexdigest() != trailer[3].decode()


def test_the_audit_row_is_written_before_the_first_byte(population, agreement, researcher):
    AuditEvent.objects.all().delete()
    # Asked for, not yet written (the job is queued after the commit, which a test does not reach).
    prepared = tasks.request_research_export(actor_for(researcher), rd.YEAR)
    chunks = tasks._chunks(prepared, lambda rows: None)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)  # nothing consumed yet
    assert event.object_id == agreement.pk
    assert f"{len(population) - 1} lines, 1 left out" in event.summary
    content = b"".join(chunks)
    found = TRAILER.search(content)
    assert found and int(found[2]) == len(population) - 1


# --- the same file as the Python reference --------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "nl-be", "fr-be"])
def test_the_file_is_byte_for_byte_the_python_references(population, agreement, researcher, language):
    client = client_of(researcher)
    client.cookies["django_language"] = language
    body = download(client)[1].encode("utf-8")
    assert body == reference(language)
    # Not trivially: lines shown exactly, in bands and with "*", and quoted and guarded cells.
    text = body.decode()
    assert (
        "1980-1984" in text
        and "1960-1969" in text
        and "*" in text
        and '\'=SaRA; ""Noord""' in text
        and "'-Kempen" in text
    )
    assert '"GTB\nKempen, lijn"' in text
    # Person 1's second record, in -Kempen, makes the fifth person of its exact combination there.
    if language == "en":
        assert ",1983,man,'-Kempen,0,no benefit," in text


def test_with_k_1_the_file_is_the_python_references_too(population, agreement, researcher, without_k):
    body = download(client_of(researcher))[1].encode()
    assert body == reference()
    assert len(lines(body.decode())) == len(population)


def test_the_pseudonyms_are_the_python_references(population, agreement, researcher, without_k):
    rows = lines(download(client_of(researcher))[1])
    keys = Trajectory.objects.filter(pk__in=[t.pk for t in population]).order_by("pk")
    expected = [research.pseudonym(key) for key in keys.values_list("client__person_key", flat=True)]
    assert [row["person"] for row in rows] == expected
    # Person 1's two records (two sub-regions) and person 12's are one pseudonym each.
    assert rows[0]["person"] == rows[-2]["person"] and rows[11]["person"] == rows[-1]["person"]
    assert len({row["person"] for row in rows}) == len(population) - 2


# --- the rows are what the database holds ----------------------------------------------------------------


def expected_from_models(year: int) -> list[dict[str, str]]:
    """The lines of the year as this test reads them from the models, k = 1, in English."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    key = research_settings_key()
    result = []
    active = Trajectory.objects.filter(started_on__lte=end).exclude(closed_on__lt=start).order_by("pk")
    for number, t in enumerate(active, start=1):
        client = Client.objects.get(pk=t.client_id)
        outcomes = list(Outcome.objects.filter(trajectory=t, on__gte=start, on__lte=end).order_by("on"))
        paid = [o for o in outcomes if o.kind == OutcomeKind.PAID_WORK]
        referral = t.referral
        result.append(
            {
                "person": hmac.new(key, f"person:{client.person_key}".encode(), hashlib.sha256).hexdigest()[
                    :24
                ],
                "birth_year": str(client.birth_date.year),
                "gender": str(client.get_gender_display()),
                "subregion": spreadsheet_text(client.subregion.name if client.subregion else ""),
                "trajectory": str(number),
                "trajectory_type": t.type.code,
                "lead_organisation": spreadsheet_text(t.lead_organisation.name),
                "started_month": t.started_on.strftime("%Y-%m"),
                "closed_month": t.closed_on.strftime("%Y-%m") if t.closed_on else "",
                "referral_line": referral.line.name,
                "referral_month": timezone.localtime(referral.created_at).strftime("%Y-%m"),
                "paid_work_month": min(o.on for o in paid).strftime("%Y-%m") if paid else "",
                "paid_work_nec_verified": str(
                    int(any(o.economy == Economy.NEC and o.certainty == Certainty.VERIFIED for o in paid))
                ),
                "outcomes": "; ".join(
                    str(OutcomeKind(kind).label) for kind in sorted({o.kind for o in outcomes})
                ),
            }
        )
    return result


def research_settings_key() -> bytes:
    from django.conf import settings

    return settings.PSEUDONYM_KEY.encode()


def spreadsheet_text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def test_the_rows_are_what_the_database_holds(population, agreement, researcher, without_k):
    rows = lines(download(client_of(researcher))[1])
    expected = expected_from_models(rd.YEAR)
    assert len(rows) == len(expected) == len(population)
    assert [{name: row[name] for name in expected[0]} for row in rows] == expected
    # The referral made on 30 April at 22:30 UTC was made in May in Brussels.
    assert rows[1]["referral_month"] == "2025-05"
    assert rows[0]["outcomes"] == "paid work; training" and rows[0]["paid_work_month"] == "2025-05"


# --- the key stays out of the SQL -----------------------------------------------------------------------


def test_the_key_is_in_no_sql_statement(population, agreement, researcher, settings, without_k):
    settings.PSEUDONYM_KEY = "a-very-recognisable-pseudonym-key-4711"
    pads = research_sql._pads(settings.PSEUDONYM_KEY.encode())
    secrets = [settings.PSEUDONYM_KEY, settings.PSEUDONYM_KEY.encode().hex(), *(pad.hex() for pad in pads)]
    with CaptureQueriesContext(connection) as queries:
        rows = lines(download(client_of(researcher))[1])
    assert len(queries.captured_queries) > 3
    statements = " ".join(query["sql"] for query in queries.captured_queries).lower()
    assert [secret for secret in secrets if secret.lower() in statements] == []
    # The key was used all the same.
    assert (
        rows[0]["person"]
        == hmac.new(
            settings.PSEUDONYM_KEY.encode(),
            f"person:{Client.objects.get(pk=population[0].client_id).person_key}".encode(),
            hashlib.sha256,
        ).hexdigest()[:24]
    )


def test_the_hmac_pads_give_hmac_sha256():
    """The construction the PostgreSQL statement computes with sha256() (RFC 2104), for a short key and
    one longer than the block."""
    for key in (b"short", b"k" * 100):
        ipad, opad = research_sql._pads(key)
        inner = hashlib.sha256(ipad + b"person:abc").digest()
        assert (
            hashlib.sha256(opad + inner).hexdigest()
            == hmac.new(key, b"person:abc", hashlib.sha256).hexdigest()
        )


# --- k >= 5 from counts alone --------------------------------------------------------------------------

RECORDS = st.lists(
    st.tuples(
        st.integers(0, 12),  # the person
        st.sampled_from(["1980", "1981", "1986", "1990"]),
        st.sampled_from(["F", "M"]),
        st.sampled_from(["A", "B", ""]),
        st.sampled_from(["none", "incapacity"]),
    ),
    max_size=60,
)


def line_by_line(exact: list[tuple[str, ...]], persons: list[str], k: int) -> dict[int, tuple[str, ...]]:
    """The rule as written before the counts (line by line, distinct persons of each class's lines):
    for each line shown, the combination it is shown as."""
    published: dict[int, tuple[str, ...]] = {}
    pending = list(range(len(exact)))
    for step in anonymity.LADDER:
        classes: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index in pending:
            classes[step(exact[index])].append(index)
        pending = []
        for combination, members in classes.items():
            if len({persons[i] for i in members}) >= k:
                published.update(dict.fromkeys(members, combination))
            else:
                pending.extend(members)
    return published


@hsettings(max_examples=200, deadline=None)
@given(records=RECORDS)
def test_every_combination_decided_from_counts_holds_k_persons(records):
    """Persons may have records in several exact combinations; each combination shown still holds at
    least five different persons, and the counts give the same decision as the lines themselves."""
    exact = [r[1:] for r in records]
    persons = [str(r[0]) for r in records]
    combinations = anonymity.combinations_of(exact, persons)
    shown = anonymity.decide(combinations)
    holds: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for qi, who in zip(exact, persons, strict=True):
        if qi in shown:
            holds[shown[qi]].add(who)
    assert all(len(found) >= anonymity.K for found in holds.values())
    assert {i: shown[qi] for i, qi in enumerate(exact) if qi in shown} == line_by_line(
        exact, persons, anonymity.K
    )
    assert sum(c.lines for c in combinations.values()) == len(records)


def test_the_columns_are_the_references():
    assert research_sql.COLUMNS == COLUMNS == research.COLUMNS


def test_a_download_stopped_halfway_leaves_the_connection_usable(
    population, agreement, researcher, monkeypatch, without_k
):
    """A researcher who cancels the download: the statement stops, the temporary tables go, and the
    next query on the connection works."""
    monkeypatch.setattr(research_sql, "CHUNK_BYTES", 1)
    monkeypatch.setattr(research_sql, "FETCH_ROWS", 1)
    chunks = research_sql.stream(research_sql.prepare(rd.YEAR))
    first, second = next(chunks), next(chunks)
    assert first.startswith("\ufeff".encode()) and second.count(b"\r\n") == 1
    # What the WSGI server does when the client goes: it closes the response, which closes this.
    chunks.close()
    assert Client.objects.count() >= len(population)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert not [name for name in tables if name.startswith("werkbrug_research_")]
    # And the next download is whole.
    assert len(lines(download(client_of(researcher))[1])) == len(population)


def test_the_codebook_explains_the_trailer(agreement, researcher):
    from werkbrug.reports.tests.report_data import csv_rows
    from werkbrug.reports.tests.test_research_export import CODEBOOK

    rows = csv_rows(client_of(researcher).get(CODEBOOK).content)
    trailer = [row for row in rows if row[2] == "# end of file"]
    assert len(trailer) == 1 and "SHA-256" in trailer[0][3] and "incomplete" in trailer[0][3]


def test_a_combination_that_loses_persons_between_the_two_statements_is_left_out(population):
    """The aggregate and the streaming statement read the data at two moments: if a shown
    combination falls under k in between, its lines are left out, never shown with fewer persons."""
    prepared = research_sql.prepare(rd.YEAR)
    antwerp_1983 = ("1983", "M", "Antwerpen-Noord", "none")
    assert prepared.shown[antwerp_1983] == antwerp_1983  # persons 1 to 6
    # Two of them are recorded as women meanwhile: four persons left in the combination.
    moved = [population[1].client_id, population[2].client_id]
    Client.objects.filter(pk__in=moved).update(gender="F")
    content = b"".join(research_sql.stream(prepared))
    found = TRAILER.search(content)
    assert found
    rows = lines(content[: found.start()].decode())
    assert int(found[2]) == len(rows) == prepared.lines - 6
    assert not [row for row in rows if row["birth_year"] == "1983" and row["subregion"] == "Antwerpen-Noord"]


def test_a_person_in_two_combinations_of_a_class_counts_once_when_it_is_checked_again(population, net):
    """The streaming statement's check of k counts persons, not (combination, person) pairs: a person
    whose two records are two exact combinations shown alike does not make up for a person lost in
    between the two statements."""
    # Person 13 again, without an INSZ and with another benefit status: one person, two exact
    # combinations, both shown as the women of the 1960s with sub-region and benefit hidden.
    thirteen = population[12]
    fields = Client.objects.filter(pk=thirteen.client_id).values("first_name", "last_name", "birth_date")[0]
    kempen = SubRegion.objects.get(name="-Kempen")
    trajectory_for(
        net,
        {**fields, "gender": "F", "insz": "", "subregion": kempen, "benefit_status": "none"},
        by=net.outsider,
        line=net.gtb_line,
    )
    prepared = research_sql.prepare(rd.YEAR)
    sixties = ("1960-1969", "F", anonymity.HIDDEN, anonymity.HIDDEN)
    members = [exact for exact, shown in prepared.shown.items() if shown == sixties]
    assert ("1963", "F", "-Kempen", "none") in members and ("1963", "F", "-Kempen", "unemployment") in members
    in_class = Client.objects.filter(trajectories__in=[t.pk for t in population[11:16]]).distinct()
    assert in_class.values("person_key").distinct().count() == 5 == research_sql.K
    # Person 14 is recorded as a man meanwhile: four persons left, though five (combination, person).
    Client.objects.filter(pk=population[13].client_id).update(gender="M")
    content = b"".join(research_sql.stream(prepared))
    found = TRAILER.search(content)
    assert found
    rows = lines(content[: found.start()].decode())
    assert int(found[2]) == len(rows)
    assert not [row for row in rows if row["birth_year"] == "1960-1969"]
    # Before the move the same class was written: what left it out is the check.
    Client.objects.filter(pk=population[13].client_id).update(gender="F")
    again = b"".join(research_sql.stream(prepared))
    assert [
        row
        for row in lines(again[: TRAILER.search(again).start()].decode())
        if row["birth_year"] == "1960-1969"
    ]
