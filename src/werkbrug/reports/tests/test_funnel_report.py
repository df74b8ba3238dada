"""The referral funnel report, read back over HTTP in every format.

A known set of referrals is built through the real actions (with the clock set to each referral's
moment), and what the report must say about it is worked out here in plain Python over that set,
never by calling the report code.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import statistics
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from werkbrug.network.models import Role, TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import DeclineReason
from werkbrug.reports.framework import Params
from werkbrug.reports.funnel import FunnelReport
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.tests.report_data import BRUSSELS, local
from werkbrug.testing import SIGNED, Network, actor_for, make_user, pdf_text
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, ContactKind, Economy, OutcomeKind

# Contacts and outcomes are recorded "now"; paid work from before October 2025 can be verified.
NOW = datetime.datetime(2026, 1, 12, 10, 0, tzinfo=BRUSSELS)
PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
SUPPRESSED = "<5"  # a count from 1 to 4
SECONDARY = rd.SECONDARY  # a count hidden so that a small one cannot be worked out
HIDDEN = (SUPPRESSED, SECONDARY)

PAID_NEC_VERIFIED = (OutcomeKind.PAID_WORK, Economy.NEC, Certainty.VERIFIED)
PAID_SOCIAL = (OutcomeKind.PAID_WORK, Economy.SOCIAL, Certainty.ESTIMATED)
TRAINING = (OutcomeKind.TRAINING, "", Certainty.ESTIMATED)


@dataclass(frozen=True)
class Ref:
    created: str  # local time in Brussels, "YYYY-MM-DD HH:MM"
    fate: str  # accepted, assigned, waiting, case_team, declined or submitted
    line: str = "sara"  # sara (the coordinator's line) or gtb
    channel: str = "care_professional"
    by: str = "care"  # care (the hospital) or outsider (CGG Elders)
    redirected: bool = False  # first sent to the GTB line, redirected by its screener to SaRA's
    type: str = "arbeidscoach"  # of the trajectory, when accepted
    outreach: str | None = None  # an outreach attempt (not a contact)
    care_note: str | None = None  # a care partner's care-only note (not a work contact)
    contact: str | None = None  # the first contact
    outcomes: tuple[tuple[str, str, str], ...] = ()  # (kind, economy, certainty), all on OUTCOME_ON


OUTCOME_ON = datetime.date(2025, 9, 1)

REFS = [
    # The hospital, channel "care professional", to SaRA.
    Ref("2025-01-06 10:00", "accepted", contact="2025-01-09", outcomes=(PAID_NEC_VERIFIED,)),  # 3 days
    Ref("2025-02-03 09:30", "accepted", contact="2025-02-10", outcomes=(PAID_SOCIAL, TRAINING)),  # 7
    Ref("2025-03-03 14:00", "accepted", contact="2025-03-13", outcomes=(TRAINING,)),  # 10
    Ref("2025-04-07 11:00", "accepted", contact="2025-04-21", type="ips"),  # 14
    Ref("2025-05-05 15:00", "accepted", outreach="2025-05-06", contact="2025-06-04"),  # 30
    Ref("2025-06-02 10:00", "accepted", care_note="2025-06-05"),  # no first contact
    Ref("2025-07-15 00:30", "accepted", contact="2025-07-15"),  # 0 days (22:30 UTC the day before)
    Ref("2025-05-12 09:00", "accepted", redirected=True, contact="2025-05-26"),  # 14
    Ref("2025-07-07 10:00", "waiting"),
    Ref("2025-08-04 10:00", "waiting"),
    Ref("2025-09-01 10:00", "declined"),
    Ref("2025-09-02 10:00", "declined"),
    Ref("2025-09-03 10:00", "declined"),
    Ref("2025-09-04 10:00", "declined"),
    Ref("2025-09-05 10:00", "declined"),
    Ref("2025-10-06 10:00", "submitted"),
    Ref("2025-10-13 10:00", "case_team"),
    Ref("2025-11-03 10:00", "submitted"),
    Ref("2025-01-01 00:30", "submitted"),  # 2025 in Brussels, 2024 in UTC: in the period
    Ref("2025-12-31 23:30", "submitted"),  # in the period
    # CGG Elders, channel "GP", to SaRA.
    Ref(
        "2025-03-10 10:00",
        "accepted",
        channel="gp",
        by="outsider",
        contact="2025-03-12",
        outcomes=(PAID_NEC_VERIFIED,),
    ),  # 2
    Ref("2025-09-08 10:00", "assigned", channel="gp", by="outsider"),
    # Outside the period.
    Ref("2024-12-31 23:30", "submitted"),
    Ref("2026-01-01 00:30", "submitted"),  # 2025 in UTC, 2026 in Brussels
    Ref("2024-11-04 10:00", "accepted", contact="2024-11-05"),
    # The hospital to GTB: not the coordinator's.
    Ref("2025-04-14 10:00", "submitted", line="gtb"),
    Ref("2025-06-16 10:00", "submitted", line="gtb"),
    Ref("2025-08-18 10:00", "declined", line="gtb"),
]


def build(net: Network, refs: list[Ref] = REFS) -> None:
    users = {"care": net.care, "outsider": net.outsider}
    lines = {"sara": net.coach_line, "gtb": net.gtb_line}
    screeners = {"sara": net.screener, "gtb": net.gtb_screener}
    coaches = {"sara": net.coach, "gtb": net.gtb_coach}
    started = []
    for number, ref in enumerate(refs):
        with time_machine.travel(local(ref.created), tick=False):
            referrer = actor_for(users[ref.by])
            client = net.new_client(by=users[ref.by], first_name=f"Client{number}")
            referral = referral_actions.submit_referral(
                referrer,
                client,
                line=net.gtb_line if ref.redirected else lines[ref.line],
                question="Wil graag opnieuw aan het werk.",
                indications=["low_threshold"],
                urgency="normal",
                channel=ref.channel,
                evidence=SIGNED,
            )
            if ref.redirected:
                referral_actions.redirect_referral(
                    actor_for(net.gtb_screener),
                    referral,
                    line=net.coach_line,
                    note="Past beter.",
                    evidence=SIGNED,
                )
            screener = actor_for(screeners[ref.line])
            if ref.fate in ("accepted", "assigned"):
                referral_actions.assign_referral(screener, referral, coach=coaches[ref.line])
            if ref.fate == "accepted":
                trajectory = trajectory_actions.accept_referral(
                    actor_for(coaches[ref.line]),
                    referral,
                    trajectory_type=TrajectoryType.objects.get(code=ref.type),
                )
                started.append((ref, trajectory))
            elif ref.fate == "waiting":
                referral_actions.waitlist_referral(screener, referral, expected_start=None)
            elif ref.fate == "case_team":
                referral_actions.send_to_case_team(screener, referral, note="Bespreken.")
            elif ref.fate == "declined":
                referral_actions.decline_referral(
                    screener, referral, reason=DeclineReason.NOT_TARGET_GROUP, note=""
                )
    with time_machine.travel(NOW, tick=False):
        for ref, trajectory in started:
            coach = actor_for(coaches[ref.line])
            if ref.outreach:
                trajectory_actions.record_contact(
                    coach,
                    trajectory,
                    on=datetime.date.fromisoformat(ref.outreach),
                    kind=ContactKind.OUTREACH_ATTEMPT,
                )
            if ref.care_note:
                trajectory_actions.record_contact(
                    actor_for(net.care),
                    trajectory,
                    on=datetime.date.fromisoformat(ref.care_note),
                    kind=ContactKind.PHONE,
                    care_only=True,
                )
            if ref.contact:
                contact = datetime.date.fromisoformat(ref.contact)
                trajectory_actions.record_contact(
                    coach, trajectory, on=contact, kind=ContactKind.FACE_TO_FACE
                )
                # A later contact does not move the first one.
                trajectory_actions.record_contact(
                    coach, trajectory, on=contact + datetime.timedelta(days=20), kind=ContactKind.PHONE
                )
            for kind, economy, certainty in ref.outcomes:
                trajectory_actions.record_outcome(
                    coach, trajectory, kind=kind, on=OUTCOME_ON, economy=economy, certainty=certainty
                )


# --- what the report must say, in plain Python over REFS ----------------------------------------------

LINE_NAMES = {"sara": "SaRA arbeidscoach", "gtb": "GTB trajectbegeleiding"}
REFERRER_NAMES = {"care": "PZ Bethanië", "outsider": "CGG Elders"}
# The types of those organisations (testing.build_network), in the order of the list of types.
REFERRER_TYPES = {"care": "psychiatric hospital (PZ)", "outsider": "mental-health centre (CGG)"}
CHANNEL_LABELS = {
    "care_professional": "referred by a care professional",
    "gp": "referred by a GP",
    "insurer": "referred by the insurer (advising physician)",
    "work_partner": "referred by a work partner",
    "info_session": "info session",
    "self": "self-registration",
    "ward": "coach on the ward",
    "other": "other",
}
PART = {
    "accepted": "accepted",
    "waiting": "waiting",
    "declined": "declined",
    "submitted": "open",
    "case_team": "open",
    "assigned": "open",
}
COUNTS = (
    "referrals",
    "persons",
    "accepted",
    "waiting",
    "declined",
    "open",
    "redirected",
    "contacted",
    "with_outcome",
    "paid_work",
    "nec",
)
COLUMNS = (*COUNTS[:8], "days_median", "days_p90", *COUNTS[8:])
HEADERS = {
    "Referrals": "referrals",
    "Unique persons (across organisations)": "persons",
    "Accepted (trajectory started)": "accepted",
    "On the waiting list": "waiting",
    "Declined": "declined",
    "Still in triage or assigned": "open",
    "Redirected at least once": "redirected",
    "With a first contact": "contacted",
    "Days to first contact: median": "days_median",
    "Days to first contact: 90th percentile": "days_p90",
    "Trajectories with an outcome": "with_outcome",
    "Of which paid work": "paid_work",
    "Of which paid work in the regular economy (NEC), verified": "nec",
}
TITLES = {
    "Overview": "summary",
    "Per referral line": "line",
    "Per channel": "channel",
    "Per referring organisation": "referrer",
    "Per type of referring organisation": "referrer_type",
}


def in_period(ref: Ref, lines: tuple[str, ...] = ("sara",), type_code: str | None = None) -> bool:
    if type_code is not None:
        # The trajectory's type, or for a referral without one the line's default type.
        default = {"sara": "arbeidscoach", "gtb": "gtb"}[ref.line]
        if (ref.type if ref.fate == "accepted" else default) != type_code:
            return False
    return START <= local(ref.created).date() <= END and ref.line in lines


def days_to_first_contact(ref: Ref) -> int | None:
    if ref.fate != "accepted" or ref.contact is None:
        return None
    return (datetime.date.fromisoformat(ref.contact) - local(ref.created).date()).days


def quantile(values: list[int], q: float) -> float | None:
    """Linear interpolation between the two nearest ranks, as statistics.quantiles(method="inclusive")."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    if q == 0.5:
        return round(float(statistics.median(values)), 1)
    return round(statistics.quantiles(values, n=10, method="inclusive")[int(q * 10) - 1], 1)


def figures(refs: list[Ref]) -> dict[str, Any]:
    kinds = [{kind for kind, _e, _c in ref.outcomes} for ref in refs]
    days = [d for d in (days_to_first_contact(ref) for ref in refs) if d is not None]
    counts = {
        "referrals": len(refs),
        # Every referral is a client of its own (Client0, Client1, …): one person each.
        "persons": len({id(ref) for ref in refs}),
        **{
            part: sum(PART[ref.fate] == part for ref in refs)
            for part in ("accepted", "waiting", "declined", "open")
        },
        "redirected": sum(ref.redirected for ref in refs),
        "contacted": len(days),
        "with_outcome": sum(bool(k) for k in kinds),
        "paid_work": sum(OutcomeKind.PAID_WORK in k for k in kinds),
        "nec": sum(PAID_NEC_VERIFIED in ref.outcomes for ref in refs),
    }
    return {**counts, "days_median": quantile(days, 0.5), "days_p90": quantile(days, 0.9)}


def expected(
    lines: tuple[str, ...] = ("sara",), type_code: str | None = None, refs: list[Ref] = REFS
) -> dict[str, Any]:
    """{section key: {"rows": {label: figures}, "total": figures}}, the rows as the report orders them."""
    refs = [ref for ref in refs if in_period(ref, lines, type_code)]
    total = figures(refs)

    def grouped(key: Any, names: dict[str, str], every: bool = False) -> dict[str, Any]:
        groups = names if every else {key(ref): names[key(ref)] for ref in refs}
        rows = {names[k]: figures([ref for ref in refs if key(ref) == k]) for k in groups}
        if not every:
            rows = dict(sorted(rows.items()))
        return {"rows": rows, "total": total}

    return {
        "summary": {"rows": {}, "total": total},
        "line": grouped(lambda ref: ref.line, LINE_NAMES),
        "channel": grouped(lambda ref: ref.channel, CHANNEL_LABELS, every=True),
        "referrer": grouped(lambda ref: ref.by, REFERRER_NAMES),
    }


def expected_for_funder(lines: tuple[str, ...] = ("sara", "gtb"), refs: list[Ref] = REFS) -> dict[str, Any]:
    """What a funder gets: the referrals per type of referring organisation in place of the ones
    per organisation, counts only (the days do not add up over organisations)."""
    true = expected(lines, refs=refs)
    del true["referrer"]
    refs = [ref for ref in refs if in_period(ref, lines)]
    counts_only = {
        column: value for column, value in true["summary"]["total"].items() if "days" not in column
    }
    true["referrer_type"] = {
        "rows": {
            label: {
                column: value
                for column, value in figures([ref for ref in refs if REFERRER_TYPES[ref.by] == label]).items()
                if "days" not in column
            }
            for label in REFERRER_TYPES.values()
            if any(REFERRER_TYPES[ref.by] == label for ref in refs)
        },
        "total": counts_only,
    }
    return true


def test_the_expected_figures_are_what_was_counted_by_hand():
    """The plain-Python expectations agree with a count by hand of REFS for SaRA."""
    total = expected()["summary"]["total"]
    assert total == {
        "referrals": 22,
        "persons": 22,
        "accepted": 9,
        "waiting": 2,
        "declined": 5,
        "open": 6,
        "redirected": 1,
        "contacted": 8,
        "with_outcome": 4,
        "paid_work": 3,
        "nec": 2,
        # days: 0, 2, 3, 7, 10, 14, 14, 30
        "days_median": 8.5,
        "days_p90": 18.8,
    }
    gp = expected()["channel"]["rows"]["referred by a GP"]
    assert (gp["referrals"], gp["accepted"], gp["open"], gp["days_median"], gp["nec"]) == (2, 1, 1, 2.0, 1)


# --- reading the formats back -------------------------------------------------------------------------


# The shared readers of `report_data`, with this report's section titles and column headers.
value = rd.value


def from_json(content: bytes) -> dict[str, Any]:
    data = json.loads(content)
    for section in data["sections"]:
        keys = [c["key"] for c in section["columns"] if c["kind"] != "label"]
        assert [HEADERS[c["label"]] for c in section["columns"][1:]] == keys
    return rd.from_json(data)


def from_csv(content: bytes) -> dict[str, Any]:
    return rd.from_csv(content, TITLES, HEADERS)


def from_xlsx(content: bytes) -> dict[str, Any]:
    return rd.from_xlsx(content, TITLES, HEADERS)


def from_html(content: bytes) -> dict[str, Any]:
    return rd.from_html(content.decode("utf-8"), HEADERS)


def report(client: Any, fmt: str, **extra: Any) -> Any:
    response = client.get(reverse("reports:report", args=["funnel"]), {**PERIOD, **extra, "format": fmt})
    assert response.status_code == 200, response.content[:500]
    return response


VALUE = re.compile(r"<5|\u00d7|—|-?\d+(\.\d+)?")


def columns_of(section: str) -> list[str]:
    """The per-type table has no days to the first contact (they do not add up over organisations)."""
    return [c for c in COLUMNS if "days" not in c] if section == "referrer_type" else list(COLUMNS)


def from_pdf(content: bytes, like: dict[str, Any]) -> dict[str, Any]:
    """The PDF's tables read by position: under each section title, the lines that end in one value
    per column, matched in order to the row labels of `like` (a long label wraps, so the line holds
    only its beginning; the columns are in the order of the other formats)."""
    rows: dict[str, list[tuple[str, list[str]]]] = {}
    section = None
    for line in pdf_text(content, "-layout").splitlines():
        tokens = line.split()
        if " ".join(tokens) in TITLES:
            section = TITLES[" ".join(tokens)]
            rows[section] = []
        elif (
            section
            and len(tokens) > len(columns_of(section))
            and all(VALUE.fullmatch(t) for t in tokens[-len(columns_of(section)) :])
        ):
            width = len(columns_of(section))
            rows[section].append((" ".join(tokens[:-width]), tokens[-width:]))
    parsed = {}
    for key, section_like in like.items():
        labels = [*section_like["rows"], "Total"]
        assert len(rows[key]) == len(labels), (key, rows[key])
        values = {}
        for label, (beginning, cells) in zip(labels, rows[key], strict=True):
            assert label.startswith(beginning.rstrip("\u2010-")), (label, beginning)
            values[label] = {column: value(cell) for column, cell in zip(columns_of(key), cells, strict=True)}
        parsed[key] = {"rows": {label: values[label] for label in labels[:-1]}, "total": values["Total"]}
    return parsed


def read(client: Any, fmt: str, like: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The report over HTTP in one format, read back as {section: {"rows": …, "total": …}}."""
    response = client.get(reverse("reports:report", args=["funnel"]), {**PERIOD, **extra, "format": fmt})
    assert response.status_code == 200, response.content[:500]
    content = response.content
    if fmt == "pdf":
        assert response["Content-Type"] == "application/pdf"
        return from_pdf(content, like)
    return {"html": from_html, "csv": from_csv, "xlsx": from_xlsx, "json": from_json}[fmt](content)


FORMATS = ["html", "csv", "xlsx", "json", "pdf"]


@pytest.fixture
def dataset(net):
    build(net)
    return net


# --- the coordinator: her organisation's exact figures ----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_coordinator_gets_the_exact_funnel_of_her_organisation_in_every_format(dataset, login, fmt):
    want = expected()
    assert read(login(dataset.coordinator), fmt, want) == want


def test_the_days_to_first_contact_are_the_median_and_90th_percentile_of_an_independent_count(dataset, login):
    parsed = read(login(dataset.coordinator), "json", expected())
    days = sorted(d for d in (days_to_first_contact(ref) for ref in REFS if in_period(ref)) if d is not None)
    assert days == [0, 2, 3, 7, 10, 14, 14, 30]
    # numpy.percentile's default ("linear"): rank q*(n-1), interpolated between its neighbours.
    rank = 0.9 * (len(days) - 1)
    p90 = days[int(rank)] + (days[int(rank) + 1] - days[int(rank)]) * (rank - int(rank))
    total = parsed["summary"]["total"]
    assert total["contacted"] == 8
    assert total["days_median"] == statistics.median(days) == 8.5
    assert total["days_p90"] == round(p90, 1) == 18.8
    care = parsed["channel"]["rows"]["referred by a care professional"]
    assert (care["contacted"], care["days_median"], care["days_p90"]) == (7, 10, 20.4)


def test_the_period_and_the_days_follow_the_calendar_in_brussels_not_utc(dataset, login):
    client = login(dataset.coordinator)
    zero = read(client, "json", {}, start="2025-07-15", end="2025-07-15")["summary"]["total"]
    assert (zero["referrals"], zero["contacted"], zero["days_median"]) == (1, 1, 0)
    for start, end in (
        ("2025-01-01", "2025-01-01"),
        ("2025-12-31", "2025-12-31"),
        ("2026-01-01", "2026-01-01"),
    ):
        total = read(client, "json", {}, start=start, end=end)["summary"]["total"]
        assert (total["referrals"], total["open"]) == (1, 1), start
    total = read(client, "json", {}, start="2024-12-01", end="2024-12-31")["summary"]["total"]
    assert total["referrals"] == 1


def test_the_trajectory_type_filter_takes_the_trajectory_s_type_or_else_the_line_s_default(dataset, login):
    client = login(dataset.coordinator)
    for code in ("ips", "arbeidscoach", "gtb"):
        type_pk = TrajectoryType.objects.get(code=code).pk
        want = expected(type_code=code)
        assert read(client, "json", want, trajectory_type=type_pk) == want, code
    assert expected(type_code="ips")["summary"]["total"]["referrals"] == 1
    assert expected(type_code="arbeidscoach")["summary"]["total"]["referrals"] == 21


def test_coordinators_of_two_organisations_get_their_own_funnel_one_after_the_other(dataset, login):
    # The report keeps its statements per parameters (Params.statement_key): in one process, the
    # second organisation's run must not be served the first one's statement, nor the first's again.
    gtb = make_user("funnel_gtb_coordinator", dataset.gtb, Role.COORDINATOR)
    sara_figures, gtb_figures = expected(), expected(lines=("gtb",))
    for user, want in (
        (dataset.coordinator, sara_figures),
        (gtb, gtb_figures),
        (dataset.coordinator, sara_figures),
    ):
        assert read(login(user), "json", want) == want
    assert sara_figures["summary"] != gtb_figures["summary"]


def test_a_coordinator_cannot_ask_for_another_organisation_s_funnel(dataset, login):
    want = expected()
    assert read(login(dataset.coordinator), "json", want, organisation=dataset.gtb.pk) == want


def test_the_per_channel_section_has_the_funnel_chart(dataset, login):
    response = login(dataset.coordinator).get(reverse("reports:report", args=["funnel"]), PERIOD)
    sections = rd.html_sections(response.content.decode())
    assert {key: len(section["svg"]) for key, section in sections.items() if section["svg"]} == {"channel": 1}


# --- the funder: small cells suppressed --------------------------------------------------------------------

SUBSETS = (
    ("redirected", "referrals"),
    ("contacted", "accepted"),
    ("with_outcome", "accepted"),
    ("paid_work", "with_outcome"),
    ("nec", "paid_work"),
)
PARTITION = ("referrals", "accepted", "waiting", "declined", "open")


def assert_protected(shown: dict[str, Any], true: dict[str, Any]) -> None:
    """Every count from 1 to 4 is "<5", and only those; what is shown is true; a statistic shows with
    its basis; and no hidden count can be worked out from the rest of its row or column."""
    assert list(shown) == list(true)
    totals = [section["total"] for section in shown.values()]
    assert all(total.items() <= totals[0].items() for total in totals)
    for key, section in true.items():
        assert list(shown[key]["rows"]) == list(section["rows"])
        labelled = [*section["rows"].items(), ("Total", section["total"])]
        cells = {**shown[key]["rows"], "Total": shown[key]["total"]}
        for label, figures in labelled:
            row = cells[label]
            for column in COUNTS:
                if 0 < figures[column] < 5:
                    assert row[column] == SUPPRESSED, (key, label, column)
                elif row[column] != SECONDARY:
                    assert row[column] == figures[column], (key, label, column)
            for column in ("days_median", "days_p90") if "days_median" in figures else ():
                assert row[column] == (SECONDARY if row["contacted"] in HIDDEN else figures[column])
            assert sum(row[c] in HIDDEN for c in PARTITION) != 1, (key, label)
            for part, whole in SUBSETS:
                if 0 < figures[whole] - figures[part] < 5:
                    assert {row[part], row[whole]} & set(HIDDEN), (key, label, part, whole)
        # Persons do not add up over the rows: no total relation for them.
        for column in [c for c in COUNTS if c != "persons"] if section["rows"] else ():
            assert sum(cells[label][column] in HIDDEN for label, _figures in labelled) != 1, (key, column)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_funder_gets_the_network_s_funnel_with_small_cells_suppressed_in_every_format(
    dataset, login, fmt
):
    true = expected_for_funder()
    assert true["line"]["rows"]["GTB trajectbegeleiding"]["referrals"] == 3
    shown = read(login(dataset.funder), fmt, true)
    assert_protected(shown, true)
    lines = shown["line"]["rows"]
    assert lines["GTB trajectbegeleiding"]["referrals"] == SUPPRESSED
    # Else the total minus SaRA's referrals would give GTB's three away.
    assert SECONDARY in (shown["line"]["total"]["referrals"], lines["SaRA arbeidscoach"]["referrals"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_funder_gets_the_fixed_network_tables_whatever_organisation_is_asked_for(dataset, login, fmt):
    # One organisation's funnel subtracted from the network's would give the others' small counts
    # away, so a funder gets the network with its breakdowns as rows, and no filter.
    true = expected_for_funder()
    funder = login(dataset.funder)
    shown = read(funder, fmt, true, organisation=dataset.sara.pk)
    assert_protected(shown, true)
    assert shown == read(funder, fmt, true)


# One small count (2 on the waiting list) among counts of eight and more, with no small remainder.
ONE_SMALL = (
    [
        Ref(
            f"2025-03-{day:02d} 10:00",
            "accepted",
            contact=f"2025-03-{day + 1:02d}",
            outcomes=(PAID_NEC_VERIFIED,),
        )
        for day in range(1, 11)
    ]
    + [Ref(f"2025-04-{day:02d} 10:00", "waiting") for day in (1, 2)]
    + [Ref(f"2025-05-{day:02d} 10:00", "declined") for day in range(1, 9)]
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_second_status_is_hidden_with_a_small_one_so_the_total_cannot_be_differenced(net, login, fmt):
    build(net, ONE_SMALL)
    true = expected_for_funder(refs=ONE_SMALL)
    total = true["summary"]["total"]
    assert [total[c] for c in PARTITION] == [20, 10, 2, 8, 0]
    # The 2 is "<5", and the 8 declined are hidden too ("\u00d7", never "<5"), although 8 is not small:
    # 20 - 10 - 0 would give the 2 away. Wherever the 2 is (the total, its line, channel and
    # referring organisation).
    want = copy.deepcopy(true)
    for section in want.values():
        for row in [*section["rows"].values(), section["total"]]:
            if row["waiting"]:
                row["waiting"], row["declined"] = SUPPRESSED, SECONDARY
    assert want["summary"]["total"]["referrals"] == 20
    assert read(login(net.funder), fmt, true) == want


# Counts of five and more everywhere, and no small remainder (no referral without a first contact,
# every trajectory with verified paid work): nothing to hide.
LARGE = [
    Ref(
        f"2025-0{month}-0{month} 10:00",
        "accepted",
        contact=f"2025-0{month}-{month + after:02d}",
        outcomes=(PAID_NEC_VERIFIED,),
    )
    for month, after in zip(range(1, 6), (1, 2, 4, 8, 16), strict=True)
] + [Ref(f"2025-06-0{day} 10:00", "declined") for day in range(1, 6)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_funder_sees_counts_of_five_and_more_as_they_are(net, login, fmt):
    build(net, LARGE)
    true = expected_for_funder(refs=LARGE)
    total = true["summary"]["total"]
    assert (total["referrals"], total["accepted"], total["declined"], total["nec"]) == (10, 5, 5, 5)
    # Days 1, 2, 4, 8 and 16: the median is 4; the 90th percentile lies at rank 3.6, 8 + 0.6 * 8.
    assert (total["days_median"], total["days_p90"]) == (4, 12.8)
    assert read(login(net.funder), fmt, true) == true


def test_the_funder_gets_the_referrers_per_type_and_the_coordinator_per_organisation(dataset, login):
    funder = read(login(dataset.funder), "json", {})
    assert "referrer" not in funder
    true = expected_for_funder()["referrer_type"]
    # PZ Bethani\u00eb made 23 of the referrals in the period on both lines, CGG Elders 2 (REFS).
    assert [row["referrals"] for row in true["rows"].values()] == [23, 2]
    rows = funder["referrer_type"]["rows"]
    assert list(rows) == ["psychiatric hospital (PZ)", "mental-health centre (CGG)"]
    for label, figures in true["rows"].items():
        for column, value in figures.items():
            assert rows[label][column] in ((SUPPRESSED,) if 0 < value < 5 else (value, SECONDARY)), (
                label,
                column,
            )
    assert "days_median" not in rows["psychiatric hospital (PZ)"]
    coordinator = read(login(dataset.coordinator), "json", {})
    assert "referrer_type" not in coordinator
    assert list(coordinator["referrer"]["rows"]) == ["CGG Elders", "PZ Bethani\u00eb"]


def test_the_funder_cannot_narrow_the_funnel_to_one_line(dataset, login):
    true = expected_for_funder()
    funder = login(dataset.funder)
    shown = read(funder, "json", true, line=dataset.gtb_line.pk)
    assert_protected(shown, true)
    assert list(shown["line"]["rows"]) == ["GTB trajectbegeleiding", "SaRA arbeidscoach"]
    assert shown == read(funder, "json", true)


# --- who may run it, and what it costs -------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["coach", "screener", "care", "outsider", "admin", "gtb_coach", "gtb_screener"]
)
@pytest.mark.parametrize("fmt", ["html", "json"])
def test_other_roles_get_404_on_the_funnel(dataset, login, persona, fmt):
    response = login(getattr(dataset, persona)).get(
        reverse("reports:report", args=["funnel"]), {**PERIOD, "format": fmt}
    )
    assert response.status_code == 404


def refer_some(net: Network, n: int) -> None:
    for i in range(n):
        client = net.new_client(first_name=f"Client{i}")
        if i % 2:
            trajectory = net.trajectory(client)
            trajectory_actions.record_contact(
                actor_for(net.coach), trajectory, on=trajectory.started_on, kind=ContactKind.PHONE
            )
        else:
            net.refer(client)


@pytest.mark.parametrize("n", [1, 20])
def test_the_report_runs_seven_queries_however_many_referrals_there_are(
    net, django_assert_max_num_queries, n
):
    refer_some(net, n)
    year = timezone.localdate().year
    params = Params(datetime.date(year, 1, 1), datetime.date(year, 12, 31), organisation=net.sara)
    # The funnel, the names of the lines and of the referrers; the unique persons in total and per
    # line, channel and referrer.
    with django_assert_max_num_queries(7):
        sections = FunnelReport().sections(params, detail=True)
    assert sections[0].total is not None
    assert sections[0].total.values["referrals"] == n


def test_the_report_page_runs_as_many_queries_for_twenty_referrals_as_for_one(net, login):
    client = login(net.coordinator)
    url = reverse("reports:report", args=["funnel"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"format": "json"}).status_code == 200
        return len(captured)

    refer_some(net, 1)
    one = queries()
    refer_some(net, 19)
    assert queries() == one
