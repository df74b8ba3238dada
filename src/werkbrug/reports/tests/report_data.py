"""A known dataset for the report tests, and what the yearly report must say about it, worked out
here in plain Python over the dataset (never by calling the report code). No tests in this module.

The report year is 2025; "now" is fixed at NOW (mid-February 2026) so that paid work in 2025 can be
verified after three months and the year choices are stable.

SaRA (the coordinator's organisation) leads arbeidscoach and IPS trajectories, GTB leads GTB
trajectories; clients are men and women in two sub-regions, with and without contact with
mental-health care; trajectories start before, in and after the year, and some closed before it.
"""

from __future__ import annotations

import csv
import datetime
import html.parser
import io
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import time_machine

from werkbrug.clients.models import Client
from werkbrug.network.models import SubRegion, TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import Network, actor_for, pdf_text
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, Economy, OutcomeKind, Trajectory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 2, 16, 10, 0, tzinfo=BRUSSELS)
YEAR = 2025
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)

NORTH, KEMPEN = "Antwerpen-Noord", "Kempen"
SARA, GTB = "SaRA Arbeidscoaching", "GTB Antwerpen"
TYPE_NAMES = {"arbeidscoach": "Arbeidscoach-voortraject", "ips": "IPS", "gtb": "GTB-trajectbegeleiding"}
GENDER_LABELS = {"M": "man", "F": "woman"}


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def local(text: str) -> datetime.datetime:
    """'2026-01-31 23:30' in Brussels time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


@dataclass(frozen=True)
class Out:
    kind: str
    on: str
    economy: str = ""
    certainty: str = Certainty.ESTIMATED


NEC_VERIFIED = (Economy.NEC, Certainty.VERIFIED)
NEC_ESTIMATED = (Economy.NEC, Certainty.ESTIMATED)
SOCIAL_VERIFIED = (Economy.SOCIAL, Certainty.VERIFIED)
SOCIAL_ESTIMATED = (Economy.SOCIAL, Certainty.ESTIMATED)


def paid(on: str, economy_certainty: tuple[str, str]) -> Out:
    return Out(OutcomeKind.PAID_WORK, on, *economy_certainty)


@dataclass(frozen=True)
class Spec:
    org: str  # SARA or GTB: the lead organisation
    type: str  # trajectory type code
    gender: str
    region: str
    ggz: bool
    started: str
    closed: str | None = None
    outcomes: tuple[Out, ...] = ()


SPECS: list[Spec] = [
    # SaRA, arbeidscoach: eleven active in 2025, one closed before it, one started after it.
    Spec(SARA, "arbeidscoach", "M", NORTH, True, "2024-03-01", None,
         (paid("2025-01-10", SOCIAL_ESTIMATED), paid("2025-03-01", NEC_VERIFIED))),
    Spec(SARA, "arbeidscoach", "F", NORTH, True, "2024-06-01", "2025-05-01",
         (paid("2025-02-01", NEC_VERIFIED), Out(OutcomeKind.TRAINING, "2025-04-01"))),
    Spec(SARA, "arbeidscoach", "M", KEMPEN, False, "2024-09-01", None, (paid("2025-09-01", NEC_ESTIMATED),)),
    Spec(SARA, "arbeidscoach", "F", NORTH, False, "2025-01-15", None, (paid("2025-05-01", SOCIAL_VERIFIED),)),
    Spec(SARA, "arbeidscoach", "M", NORTH, True, "2025-02-01", None, (Out(OutcomeKind.TRAINING, "2025-06-01"),)),
    Spec(SARA, "arbeidscoach", "F", KEMPEN, True, "2025-03-01", None,
         (Out(OutcomeKind.TRAINING, "2025-07-01"), Out(OutcomeKind.VOLUNTEERING, "2025-08-01"))),
    Spec(SARA, "arbeidscoach", "M", NORTH, False, "2025-04-01", "2025-10-01",
         (Out(OutcomeKind.DROP_OUT, "2025-10-01"),)),
    Spec(SARA, "arbeidscoach", "F", NORTH, False, "2025-05-01", None, (paid("2025-10-15", NEC_ESTIMATED),)),
    Spec(SARA, "arbeidscoach", "M", NORTH, True, "2025-06-01"),
    Spec(SARA, "arbeidscoach", "F", NORTH, False, "2025-07-01"),
    Spec(SARA, "arbeidscoach", "M", KEMPEN, False, "2025-08-01"),
    Spec(SARA, "arbeidscoach", "M", NORTH, True, "2023-05-01", "2024-11-30", (paid("2024-06-01", NEC_VERIFIED),)),
    Spec(SARA, "arbeidscoach", "F", NORTH, True, "2026-01-10"),
    # SaRA, IPS: four active in 2025 (one closed on its first day).
    Spec(SARA, "ips", "M", NORTH, True, "2024-11-01", None,
         (paid("2024-12-01", NEC_VERIFIED), Out(OutcomeKind.VOLUNTEERING, "2025-02-01"))),
    Spec(SARA, "ips", "F", NORTH, False, "2025-02-15", None, (paid("2025-06-01", SOCIAL_ESTIMATED),)),
    Spec(SARA, "ips", "M", KEMPEN, True, "2025-09-01", None, (Out(OutcomeKind.TRAINING, "2026-01-20"),)),
    Spec(SARA, "ips", "F", NORTH, False, "2024-01-10", "2025-01-01"),
    # GTB: six active in 2025 (one started on its first day, one on its last), one closed the day before it.
    Spec(GTB, "gtb", "M", NORTH, True, "2024-05-01", None, (paid("2025-04-01", NEC_VERIFIED),)),
    Spec(GTB, "gtb", "F", KEMPEN, False, "2024-10-01", "2025-03-31", (paid("2025-01-15", NEC_ESTIMATED),)),
    Spec(GTB, "gtb", "M", NORTH, False, "2025-01-01", None, (Out(OutcomeKind.TRAINING, "2025-03-01"),)),
    Spec(GTB, "gtb", "F", NORTH, True, "2025-04-01"),
    Spec(GTB, "gtb", "M", KEMPEN, True, "2025-06-01", None, (paid("2025-08-01", SOCIAL_ESTIMATED),)),
    Spec(GTB, "gtb", "F", NORTH, False, "2025-12-31"),
    Spec(GTB, "gtb", "F", NORTH, True, "2023-01-01", "2024-12-31", (Out(OutcomeKind.TRAINING, "2024-06-01"),)),
]  # fmt: skip


@dataclass
class Dataset:
    net: Network
    kempen: SubRegion
    specs: list[Spec]
    trajectories: list[Trajectory] = field(default_factory=list)


def at(day: str | datetime.date) -> Any:
    """Travel to 10:00 Brussels time on that day (no ticking)."""
    value = d(day) if isinstance(day, str) else day
    return time_machine.travel(
        datetime.datetime.combine(value, datetime.time(10), tzinfo=BRUSSELS), tick=False
    )


def start_trajectory(net: Network, client: Client, org: str, type_code: str) -> Trajectory:
    """Referred by the hospital, triaged by the line's screener, accepted by the line's coach."""
    line, screener, coach = (
        (net.coach_line, net.screener, net.coach)
        if org == SARA
        else (net.gtb_line, net.gtb_screener, net.gtb_coach)
    )
    referral = net.refer(client, line=line)
    referral_actions.assign_referral(actor_for(screener), referral, coach=coach)
    return trajectory_actions.accept_referral(
        actor_for(coach), referral, trajectory_type=TrajectoryType.objects.get(code=type_code)
    )


def lead_coach(net: Network, spec: Spec) -> Any:
    return net.coach if spec.org == SARA else net.gtb_coach


def build(net: Network, specs: list[Spec] = SPECS) -> Dataset:
    """Create every trajectory on its start date through the real actions, close it on its closing
    date, and record the outcomes (at NOW, dated in the past)."""
    kempen = SubRegion.objects.create(name=KEMPEN)
    regions = {NORTH: net.region, KEMPEN: kempen}
    data = Dataset(net=net, kempen=kempen, specs=specs)
    for number, spec in enumerate(specs, start=1):
        with at(spec.started):
            client = net.new_client(
                first_name=f"Persoon{number}",
                last_name="Rapport",
                gender=spec.gender,
                subregion=regions[spec.region],
                ggz_contact=spec.ggz,
            )
            trajectory = start_trajectory(net, client, spec.org, spec.type)
        assert trajectory.started_on == d(spec.started)
        data.trajectories.append(trajectory)
    for spec, trajectory in zip(specs, data.trajectories, strict=True):
        coach = actor_for(lead_coach(net, spec))
        for outcome in spec.outcomes:
            trajectory_actions.record_outcome(
                coach, trajectory, kind=outcome.kind, on=d(outcome.on), economy=outcome.economy,
                certainty=outcome.certainty,
            )  # fmt: skip
        if spec.closed:
            with at(spec.closed):
                trajectory_actions.close_trajectory(
                    coach, trajectory, reason="goal_reached", note="", on=d(spec.closed)
                )
    return data


# --- the expected figures, from the specs alone ----------------------------------------------------


def active(spec: Spec, start: datetime.date = START, end: datetime.date = END) -> bool:
    return d(spec.started) <= end and (spec.closed is None or d(spec.closed) >= start)


def outcomes_in(spec: Spec, start: datetime.date = START, end: datetime.date = END) -> list[Out]:
    return [o for o in spec.outcomes if start <= d(o.on) <= end]


def figures(specs: list[Spec], start: datetime.date = START, end: datetime.date = END) -> dict[str, Any]:
    """The yearly report's row for these trajectories (already filtered to the rows' group)."""
    rows = [s for s in specs if active(s, start, end)]
    paid_work = [s for s in rows if any(o.kind == OutcomeKind.PAID_WORK for o in outcomes_in(s, start, end))]
    nec = [
        s
        for s in paid_work
        if any(
            o.kind == OutcomeKind.PAID_WORK and o.economy == Economy.NEC and o.certainty == Certainty.VERIFIED
            for o in outcomes_in(s, start, end)
        )
    ]
    n_active, n_ggz, n_paid, n_nec = len(rows), sum(s.ggz for s in rows), len(paid_work), len(nec)

    def pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    return {
        "active": n_active,
        # Every spec is a client of its own (Persoon1, Persoon2, … without an INSZ): one person each.
        "persons": len({id(s) for s in rows}),
        "started": sum(start <= d(s.started) <= end for s in rows),
        "ggz": n_ggz,
        "ggz_share": pct(n_ggz, n_active),
        "paid_work": n_paid,
        "paid_work_share": pct(n_paid, n_active),
        "nec": n_nec,
        "nec_share": pct(n_nec, n_paid),
    }


def outcome_count(
    specs: list[Spec], kind: str, start: datetime.date = START, end: datetime.date = END
) -> int:
    """Trajectories active in the period with at least one outcome of this kind in the period."""
    return sum(
        active(s, start, end) and any(o.kind == kind for o in outcomes_in(s, start, end)) for s in specs
    )


def expected_yearly(
    specs: list[Spec], *, with_organisations: bool, start: datetime.date = START, end: datetime.date = END
) -> dict[str, dict[str, Any]]:
    """section key -> {"rows": {label: {column: value}}, "total": {column: value} | None}."""
    rows = [s for s in specs if active(s, start, end)]

    def groups(attribute: str, names: dict[str, str]) -> dict[str, dict[str, Any]]:
        values = sorted({getattr(s, attribute) for s in rows})
        return {
            names[v]: figures([s for s in rows if getattr(s, attribute) == v], start, end) for v in values
        }

    total = figures(rows, start, end)
    expected: dict[str, dict[str, Any]] = {
        "summary": {"rows": {}, "total": total},
        "gender": {
            # Men and women also as a share of all the trajectories (seed 001: "42% men, 58% women").
            "rows": {
                label: {**values, "gender_share": round(100 * values["active"] / len(rows), 1)}
                for label, values in groups("gender", GENDER_LABELS).items()
            },
            "total": {**total, "gender_share": 100.0 if rows else None},
        },
        "subregion": {"rows": groups("region", {NORTH: NORTH, KEMPEN: KEMPEN}), "total": total},
        "type": {"rows": groups("type", TYPE_NAMES), "total": total},
    }
    if with_organisations:
        expected["organisation"] = {"rows": groups("org", {SARA: SARA, GTB: GTB}), "total": total}
    expected["outcomes"] = {
        "rows": {
            str(label): {"n": outcome_count(rows, kind, start, end)} for kind, label in OutcomeKind.choices
        },
        "total": None,
    }
    with_outcomes = sorted({s.type for s in rows if outcomes_in(s, start, end)})
    expected["outcomes_per_type"] = {
        "rows": {
            TYPE_NAMES[t]: {
                kind: outcome_count([s for s in rows if s.type == t], kind, start, end)
                for kind in OutcomeKind.values
            }
            for t in with_outcomes
        },
        "total": {kind: outcome_count(rows, kind, start, end) for kind in OutcomeKind.values},
    }
    return expected


# --- reading each format back into {section: {"rows": {label: {column: value}}, "total": …}} -------

SUPPRESSED = "<5"  # a count from 1 to 4
SECONDARY = "\u00d7"  # hidden so that a small count cannot be worked out
HIDDEN = (SUPPRESSED, SECONDARY)
LEGEND = "<5: between 1 and 4; \u00d7: hidden so that a small number cannot be worked out"

# The column headers as the yearly report labels them (LANGUAGE_CODE "en"), written out here.
YEARLY_HEADERS_FIXED = {
    "Trajectories active in the period": "active",
    "Unique persons (across organisations)": "persons",
    "Share of the trajectories (%)": "gender_share",
    "Started in the period": "started",
    "In contact with mental-health care (GGZ)": "ggz",
    "% GGZ": "ggz_share",
    "Outflow to paid work": "paid_work",
    "% paid work": "paid_work_share",
    "Of which regular economy (NEC), verified after 3 months": "nec",
    "% NEC of paid work": "nec_share",
    "Trajectories": "n",
}


class _Headers(dict[str, str]):
    """The fixed headers, and the outcome kinds' labels in the language active when read."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        outcome_labels = {str(label): kind for kind, label in OutcomeKind.choices}
        return YEARLY_HEADERS_FIXED.get(key) or outcome_labels.get(key, default)


YEARLY_HEADERS = _Headers()
YEARLY_TITLES = {
    "Overview": "summary",
    "Men and women": "gender",
    "Per sub-region": "subregion",
    "Per trajectory type": "type",
    "Per organisation": "organisation",
    "Outcomes in the period": "outcomes",
    "Outcomes per trajectory type": "outcomes_per_type",
}


def value(cell: Any) -> Any:
    """One cell of any format as a number, None, "<5" or "\u00d7"."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise AssertionError(f"unexpected boolean cell {cell!r}")
    if isinstance(cell, int | float):
        return cell
    text = str(cell).replace("\u00a0", " ").strip()
    if text in ("", "—"):
        return None
    if text in HIDDEN:
        return text
    text = text.removesuffix("%").strip().replace(",", "")
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def table(header: list[Any], body: list[list[Any]], headers: dict[str, str]) -> dict[str, Any]:
    """Rows (first cell the label) under a header into {"rows": …, "total": …}; the total row is the
    one labelled "Total"."""
    while header and header[-1] in (None, ""):
        header = header[:-1]
    keys = [headers.get(str(h), str(h)) for h in header[1:]]
    parsed: dict[str, Any] = {"rows": {}, "total": None}
    for cells in body:
        cells = [*cells, *([None] * (len(header) - len(cells)))][: len(header)]
        label = str(cells[0])
        values = {k: value(c) for k, c in zip(keys, cells[1:], strict=True)}
        if label == "Total":
            parsed["total"] = values
        else:
            parsed["rows"][label] = values
    return parsed


def from_json(content: dict[str, Any]) -> dict[str, Any]:
    parsed = {}
    for section in content["sections"]:
        keys = [c["key"] for c in section["columns"] if c["kind"] != "label"]
        parsed[section["key"]] = {
            "rows": {row["label"]: {k: value(row[k]) for k in keys} for row in section["rows"]},
            "total": {k: value(section["total"][k]) for k in keys} if section["total"] else None,
        }
    return parsed


def csv_rows(content: bytes, delimiter: str = ",") -> list[list[str]]:
    """A CSV download as a spreadsheet reads it: it starts with a byte order mark; "," separates the
    cells in English (the tests' language), ";" in Dutch and French (core.spreadsheet)."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), text[:40]
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def csv_records(content: bytes) -> list[dict[str, str]]:
    """The lines of an English CSV download under its first line's names (see csv_rows)."""
    header, *lines = csv_rows(content)
    return [dict(zip(header, line, strict=True)) for line in lines]


def from_csv(
    content: bytes, titles: dict[str, str] = YEARLY_TITLES, headers: dict[str, str] = YEARLY_HEADERS
) -> dict[str, Any]:
    lines = csv_rows(content)
    parsed, block = {}, []
    for line in [*lines, []]:
        if line:
            block.append(line)
            continue
        if block and block != [[LEGEND]]:  # the legend follows the tables
            title, header, *body = block
            parsed[titles[title[0]]] = table(header, body, headers)
        block = []
    return parsed


def from_xlsx(
    content: bytes, titles: dict[str, str] = YEARLY_TITLES, headers: dict[str, str] = YEARLY_HEADERS
) -> dict[str, Any]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    parsed = {}
    for sheet in workbook.worksheets[1:]:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        title, header, *body = rows
        # A note follows the table after an empty row.
        body = body[: next((i for i, r in enumerate(body) if all(c is None for c in r)), len(body))]
        parsed[titles[str(title[0])]] = table(list(header), body, headers)
    return parsed


class _Tables(html.parser.HTMLParser):
    """Each <section data-section="key">'s table: header, body rows and the total row."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict[str, Any]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.part = ""
        self.svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section" and attributes.get("data-section"):
            self.current = attributes["data-section"]
            self.sections[self.current] = {"header": [], "body": [], "total": [], "svg": []}
        elif self.current is None:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self.part = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell = []
        elif tag == "svg":
            self.svg_depth += 1
            self.sections[self.current]["svg"].append([])
        if self.svg_depth and self.current is not None:
            self.sections[self.current]["svg"][-1].append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if self.current is None:
            return
        if tag in ("th", "td") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            target = {"thead": "header", "tbody": "body", "tfoot": "total"}[self.part]
            self.sections[self.current][target].append(self.row)
            self.row = None
        elif tag == "svg":
            self.svg_depth -= 1
        elif tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.svg_depth and self.current is not None:
            self.sections[self.current]["svg"][-1].append(("#text", data))


def html_sections(content: str) -> dict[str, dict[str, Any]]:
    parser = _Tables()
    parser.feed(content)
    return parser.sections


def from_html(content: str, headers: dict[str, str] = YEARLY_HEADERS) -> dict[str, Any]:
    parsed = {}
    for key, section in html_sections(content).items():
        if not section["header"]:
            parsed[key] = {"rows": {}, "total": None}
            continue
        parsed[key] = table(section["header"][0], section["body"] + section["total"], headers)
    return parsed


def pdf_lines(content: bytes) -> Iterator[list[str]]:
    """The text lines of the PDF, each split into its cells (runs of two or more spaces apart)."""
    for line in pdf_text(content, "-layout").splitlines():
        cells = [c for c in re.split(r"\s{2,}", line.strip()) if c]
        if cells:
            yield cells


VALUE_CELL = re.compile(r"^(<5|\u00d7|—|-?\d+(\.\d+)?( ?%)?)$")


def from_pdf(
    content: bytes, expected: dict[str, Any], titles: dict[str, str] = YEARLY_TITLES
) -> dict[str, Any]:
    """The PDF's tables, read back with the expected layout as a guide: per section (found by its
    title) the expected rows in order, each a text line of the label (or the start of a wrapped label)
    and one value per column. The chart under a table repeats values; it comes after the table."""
    lines = list(pdf_lines(content))
    title_of = {key: title for title, key in titles.items()}
    starts = {key: next(i for i, cells in enumerate(lines) if cells == [title_of[key]]) for key in expected}
    bounds = [*sorted(starts.values()), len(lines)]
    parsed: dict[str, Any] = {}
    for key, section in expected.items():
        begin = starts[key]
        end = bounds[bounds.index(begin) + 1]
        first = section["total"] if section["total"] is not None else next(iter(section["rows"].values()), {})
        columns = list(first)
        position = begin + 1
        got: dict[str, Any] = {"rows": {}, "total": None}
        for label in [*section["rows"], *(["Total"] if section["total"] is not None else [])]:
            for index in range(position, end):
                cells = lines[index]
                if (
                    len(cells) == len(columns) + 1
                    and label.startswith(cells[0])
                    and all(VALUE_CELL.match(c) for c in cells[1:])
                ):
                    values = {c: value(v) for c, v in zip(columns, cells[1:], strict=True)}
                    if label == "Total":
                        got["total"] = values
                    else:
                        got["rows"][label] = values
                    position = index + 1
                    break
            else:
                raise AssertionError(f"row {label!r} of section {key!r} not found in the PDF")
        parsed[key] = got
    return parsed


FORMATS = ("html", "json", "csv", "xlsx", "pdf")


def read(fmt: str, response: Any, expected: dict[str, Any]) -> dict[str, Any]:
    """A report response in any format as {section: {"rows": …, "total": …}}."""
    if fmt == "json":
        return from_json(response.json())
    if fmt == "csv":
        return from_csv(response.content)
    if fmt == "xlsx":
        return from_xlsx(response.content)
    if fmt == "pdf":
        return from_pdf(response.content, expected)
    return from_html(response.content.decode())


# Count columns of the yearly report, and its shares as (part, whole).
COUNT_COLUMNS = frozenset(
    {"active", "persons", "started", "ggz", "paid_work", "nec", "n", *OutcomeKind.values}
)
# Counts whose rows do not add up to the total (one person can be in two rows).
NOT_ADDITIVE = frozenset({"persons"})
SHARES = {
    "ggz_share": ("ggz", "active"),
    "paid_work_share": ("paid_work", "active"),
    "nec_share": ("nec", "paid_work"),
}
# Row-level subsets: the complement (whole - part) is a count too.
SUBSETS = [("started", "active"), ("ggz", "active"), ("paid_work", "active"), ("nec", "paid_work")]


def all_rows(section: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        *section["rows"].items(),
        *([("Total", section["total"])] if section["total"] is not None else []),
    ]


def assert_suppressed_view_of(parsed: dict[str, Any], expected: dict[str, Any]) -> None:
    """What a funder must see: counts from 1 to 4 "<5", zeros shown, other counts exact or "\u00d7"
    (never "<5"); a share exact unless its part or whole is hidden or its complement small: "\u00d7"."""
    assert parsed.keys() == expected.keys()
    for key, section in expected.items():
        got = parsed[key]
        assert got["rows"].keys() == section["rows"].keys(), key
        assert (got["total"] is None) == (section["total"] is None), key
        for (label, values), (_label, shown) in zip(all_rows(section), all_rows(got), strict=True):
            for column, exact in values.items():
                where = (key, label, column, exact, shown[column])
                if column in COUNT_COLUMNS:
                    if 0 < exact < 5:
                        assert shown[column] == SUPPRESSED, where
                    elif exact == 0:
                        assert shown[column] == 0, where
                    else:
                        assert shown[column] in (exact, SECONDARY), where
                elif column == "gender_share":
                    # A row's share of the total: hidden when the row's or the total's count is.
                    if {shown["active"], got["total"]["active"]} & set(HIDDEN):
                        assert shown[column] == SECONDARY, where
                    else:
                        assert shown[column] == exact, where
                else:
                    part, whole = SHARES[column]
                    if {shown[part], shown[whole]} & set(HIDDEN) or 0 < values[whole] - values[part] < 5:
                        assert shown[column] == SECONDARY, where
                    else:
                        assert shown[column] == exact, where


def recoverable_cells(parsed: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Hidden cells a reader can work out by subtraction: in a section with a total row, a column
    with exactly one hidden cell under a visible total; in a row, a visible whole and part whose difference is
    small, or a visible share whose part or complement is small. Empty when the table is safe."""
    found: list[tuple[Any, ...]] = []
    for key, section in parsed.items():
        total = section["total"]
        if total is not None and section["rows"]:
            for column, shown_total in total.items():
                if (
                    column in SHARES
                    or column in NOT_ADDITIVE
                    or column == "gender_share"
                    or shown_total in HIDDEN
                ):
                    continue
                hidden = [label for label, values in section["rows"].items() if values[column] in HIDDEN]
                if len(hidden) == 1:
                    found.append((key, column, hidden[0]))
        for label, values in all_rows(section):
            for part, whole in SUBSETS:
                p, w = values.get(part), values.get(whole)
                if isinstance(p, int) and isinstance(w, int) and 0 < w - p < 5:
                    found.append((key, label, f"{whole} - {part}", w - p))
            for share, (part, whole) in SHARES.items():
                # A visible share and a visible whole give the part (and the complement) away.
                if isinstance(values.get(share), float) and isinstance(values.get(whole), int):
                    p = round(values[share] * values[whole] / 100)
                    if values.get(part) in HIDDEN or 0 < p < 5 or 0 < values[whole] - p < 5:
                        found.append((key, label, share, p))
    return found
