"""The report framework (DESIGN §4.4; docs/reports.md says how to add a report).

A report is a small generator class: it declares its parameters and who may run it, runs one
aggregate query (a "cube": counts grouped by every dimension it breaks down by) and lays the cube
out as sections. Each section is a table of labelled rows with typed columns, optionally a total
row and a chart. Formatters (reports/formats.py) turn the same sections into HTML, CSV, XLSX, JSON
and PDF, so every format shows the same numbers and the same suppression.

Suppression (core.suppression.protect) runs on the finished sections, before any formatter sees
them: small counts become SMALL ("<5"), the counts hidden to protect them SECONDARY ("\u00d7"), and shares
and statistics computed over a hidden count follow (SECONDARY).
"""

from __future__ import annotations

import datetime
import math
import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.functional import Promise

from werkbrug.core import replica
from werkbrug.core.actor import Actor
from werkbrug.core.suppression import Relation, is_small, protect
from werkbrug.network.models import Organisation, ReferralLine, Role, TrajectoryType
from werkbrug.outreach.models import Project
from werkbrug.teams.models import Team


class Suppressed:
    """A hidden figure: SMALL is a count from 1 to 4 ("<5"); SECONDARY is a figure hidden so that a
    small count cannot be worked out from it ("\u00d7": a count of at least 5, or a share or statistic
    over a hidden count). A secondary figure is never shown as "<5"."""

    def __init__(self, mark: str, name: str) -> None:
        self.mark, self.name = mark, name

    def __str__(self) -> str:
        return self.mark

    def __repr__(self) -> str:
        return self.name


SMALL = Suppressed("<5", "SMALL")
SECONDARY = Suppressed("\u00d7", "SECONDARY")
Value = int | float | str | Suppressed | None

# Column kinds.
LABEL = "label"
COUNT = "count"  # additive: a total row sums it, suppression applies
PERCENT = "percent"  # 100 * part / whole, both COUNT columns of the same row
STAT = "stat"  # a median, a percentile, a ratio: shown when its basis count is shown
TEXT = "text"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = COUNT
    part: str = ""  # PERCENT
    whole: str = ""  # PERCENT
    basis: str = ""  # STAT: the COUNT column it is computed over; COUNT: hidden when that one is
    # PERCENT: the complement (whole - part) is a real count too; hide the share when it is small.
    guard_complement: bool = True
    # COUNT: the rows add up to the total in this column. Persons do not (one person can be in two
    # rows), so suppression builds no "total = sum of the rows" relation for such a column.
    adds_up: bool = True
    # PERCENT: the whole is the section total's `whole` (a row's share of the total, e.g. men).
    of_total: bool = False


@dataclass
class Row:
    label: str
    values: dict[str, Value]
    # Logical identity of each COUNT cell, shared between sections (the same total under two
    # breakdowns must be hidden in both or neither). Defaults to (section, row, column).
    keys: dict[str, Hashable] = field(default_factory=dict)


@dataclass
class Chart:
    kind: str  # "bar" (one bar per row) or "line" (one point per row, one series per column)
    columns: tuple[str, ...]
    title: str | Promise = ""


@dataclass
class Section:
    key: str
    title: str | Promise
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    chart: Chart | None = None
    note: str | Promise = ""
    # Row-level additive relations between columns: (whole column, part columns).
    partitions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Row-level subsets (part column, whole column): the complement is a count too, never shown,
    # and protected like any other (PERCENT columns declare theirs themselves).
    subsets: tuple[tuple[str, str], ...] = ()
    # Whether the rows add up to the total (False e.g. when one person can be in several rows).
    rows_add_up: bool = True

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total is not None else [])]


@dataclass(frozen=True)
class Params:
    start: datetime.date
    end: datetime.date
    organisation: Organisation | None = None
    line: ReferralLine | None = None
    team: Team | None = None
    type: TrajectoryType | None = None
    # An outreach project (the annex 11.5 report narrowed to one project).
    project: Project | None = None
    # The report counts what was known on this day (docs/reports.md, "As of a date").
    as_of: datetime.date = field(default_factory=timezone.localdate)

    def describe(self) -> list[tuple[str, str]]:
        from django.utils.translation import gettext as _

        items = [
            (_("Period"), f"{self.start:%d/%m/%Y} - {self.end:%d/%m/%Y}"),
            (_("As of"), f"{self.as_of:%d/%m/%Y}"),
        ]
        for label, value in (
            (_("Organisation"), self.organisation),
            (_("Referral line"), self.line),
            (_("Team"), self.team),
            (_("Trajectory type"), self.type),
            (_("Project"), self.project),
        ):
            if value is not None:
                items.append((label, str(value)))
        return items

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "organisation": self.organisation.name if self.organisation else None,
            "line": self.line.name if self.line else None,
            "team": self.team.name if self.team else None,
            "type": self.type.code if self.type else None,
            "as_of": self.as_of.isoformat(),
        } | ({"project": self.project.name} if self.project else {})  # only the annex offers it

    def stored(self) -> dict[str, Any]:
        """The parameters as a published report keeps them (ids), for `Params.restore`."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "organisation": self.organisation.pk if self.organisation else None,
            "line": self.line.pk if self.line else None,
            "team": self.team.pk if self.team else None,
            "type": self.type.pk if self.type else None,
        } | ({"project": self.project.pk} if self.project else {})

    def statement_key(self, name: str, *more: Hashable) -> tuple[Hashable, ...]:
        """The key under which a report keeps the statement `name` built from these parameters
        (core.statements: its SQL and parameters, never its rows): the database it reads and every
        parameter, so two organisations, periods, filters or dates never share a statement. `more`:
        whatever else the statement depends on (e.g. ids read before it is built)."""
        return (name, replica.read_alias(), *sorted(self.stored().items()), *more)

    @classmethod
    def restore(cls, stored: Mapping[str, Any], **changes: Any) -> Params:
        def get(model: Any, key: str) -> Any:
            return model.objects.get(pk=stored[key]) if stored.get(key) is not None else None

        values = {
            "start": datetime.date.fromisoformat(stored["start"]),
            "end": datetime.date.fromisoformat(stored["end"]),
            "as_of": datetime.date.fromisoformat(stored["as_of"]),
            "organisation": get(Organisation, "organisation"),
            "line": get(ReferralLine, "line"),
            "team": get(Team, "team"),
            "type": get(TrajectoryType, "type"),
            "project": get(Project, "project"),
        }
        return cls(**(values | changes))


@dataclass
class Result:
    report: Report
    params: Params
    sections: list[Section]
    generated_at: datetime.datetime
    suppressed: bool
    # The definition of the figures (Report.definition; a published report keeps the one it used).
    definition: str = ""
    # From when the data is: the replica's last replayed transaction, or now on the primary
    # (core.replica). None for a published report (its figures are stored).
    data_as_of: datetime.datetime | None = None
    # A funder's figures shared by everyone asking the same (reports.shared): for how many seconds
    # after `generated_at` they are shown before they are computed again. 0: computed for this run.
    shared_seconds: int = 0


class Report:
    slug: ClassVar[str]
    title: ClassVar[str | Promise]
    description: ClassVar[str | Promise]
    # Which of organisation, line, team, type the report can be narrowed by.
    filters: ClassVar[tuple[str, ...]] = ()  # form fields: organisation, line, team, trajectory_type, project
    roles: ClassVar[frozenset[str]] = frozenset({Role.FUNDER, Role.COORDINATOR})
    # Which definition of the figures this class computes: a published report names it. Change the
    # version whenever what a figure counts changes, and say in one line what it counts.
    definition: ClassVar[str] = ""
    definition_note: ClassVar[str | Promise] = ""
    # Whether the figures follow `Params.as_of` (a report of today's situation does not offer it).
    dated: ClassVar[bool] = True

    @classmethod
    def is_available_to(cls, actor: Actor) -> bool:
        return actor.role in cls.roles

    @classmethod
    def own_organisation_only(cls, actor: Actor) -> bool:
        """Everyone but a funder sees their own organisation's figures only."""
        return actor.role != Role.FUNDER

    @classmethod
    def suppresses_for(cls, actor: Actor) -> bool:
        """Funders and evaluators get aggregates with small cells suppressed (DESIGN §5)."""
        return actor.role == Role.FUNDER

    @classmethod
    def filters_for(cls, actor: Actor) -> tuple[str, ...]:
        """The filters the actor may choose. A funder gets the fixed publication tables, the network
        with its breakdowns as rows, and chooses the period only: a table narrowed by a filter could
        be subtracted from the network's to give one organisation's small counts away."""
        return () if cls.suppresses_for(actor) else cls.filters

    def __init__(self) -> None:
        # Cells a report never shows but a reader could reconstruct (the cross-table behind two
        # breakdowns of the same total), and how the shown cells add up from them. Filled in by
        # sections(); suppression protects them like the shown ones.
        self.hidden_cells: dict[Hashable, int] = {}
        self.hidden_relations: list[Relation] = []

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        """Run the aggregate query and lay it out. `detail` is False for funders: no per-person
        rows (not even per staff member)."""
        raise NotImplementedError

    @classmethod
    def may_publish(cls, actor: Actor) -> bool:
        """Publishing stores the exact figures: only a role that runs the report unsuppressed."""
        return cls.is_available_to(actor) and not cls.suppresses_for(actor)

    def params_for(self, actor: Actor, params: Params) -> Params:
        """The parameters a run counts with: whatever asked for them, a suppressed report keeps the
        period only (no filters, see filters_for)."""
        return Params(start=params.start, end=params.end) if self.suppresses_for(actor) else params

    def run(self, actor: Actor, params: Params, *, now: datetime.datetime) -> Result:
        """The figures computed now. The report page asks `reports.shared.run`, which shares a
        funder's figures for a few minutes."""
        suppressed = self.suppresses_for(actor)
        params = self.params_for(actor, params)
        # The reads go to the replica when one is configured and fresh enough (core.replica).
        sections, source = replica.run_reports(lambda: self.sections(params, detail=not suppressed))
        if suppressed:
            self.suppress(sections)
        return Result(self, params, sections, now, suppressed, self.definition, source.data_as_of)

    def suppress(self, sections: Sequence[Section]) -> None:
        """Small-cell suppression over finished sections (also those of a published report, rebuilt
        with the hidden cells it stored)."""
        apply_suppression(sections, hidden_cells=self.hidden_cells, hidden_relations=self.hidden_relations)


REGISTRY: dict[str, type[Report]] = {}


def register(report: type[Report]) -> type[Report]:
    REGISTRY[report.slug] = report
    return report


def available_reports(actor: Actor) -> list[type[Report]]:
    return [report for report in REGISTRY.values() if report.is_available_to(actor)]


# --- the cube: one grouped query, rolled up in Python ---------------------------------------------


class Cube:
    """Rows of a single GROUP BY query (dimension values + additive measures), rolled up per
    dimension. Because every breakdown sums the same cells, totals agree across sections."""

    def __init__(self, rows: Iterable[Mapping[str, Any]], dims: Sequence[str], measures: Sequence[str]):
        self.dims, self.measures = tuple(dims), tuple(measures)
        self.cells: list[tuple[tuple[Any, ...], tuple[int, ...]]] = [
            (tuple(row[d] for d in self.dims), tuple(int(row[m] or 0) for m in self.measures)) for row in rows
        ]
        self._sums: dict[tuple[str, ...], dict[Any, dict[str, int]]] = {}

    def total(self) -> dict[str, int]:
        return self.by()["all"] if self.cells else dict.fromkeys(self.measures, 0)

    def by(
        self, *dims: str, key: Callable[[tuple[Any, ...]], Any] | None = None
    ) -> dict[Any, dict[str, int]]:
        """Measures summed per value of the given dimension(s); no dimension: {"all": the totals}.
        Cached per dimensions (the cells do not change), so breakdowns that ask twice sum once."""
        if key is None and dims in self._sums:
            return {k: dict(v) for k, v in self._sums[dims].items()}
        index = [self.dims.index(d) for d in dims]
        width = range(len(self.measures))
        sums: dict[Any, list[int]] = {}
        # One dimension: its value; several: the tuple of theirs; none: "all".
        pick = operator.itemgetter(*index) if index else (lambda _values: "all")
        for dims_values, values in self.cells:
            group_key = key(tuple(dims_values[i] for i in index)) if key else pick(dims_values)
            target = sums.get(group_key)
            if target is None:
                sums[group_key] = list(values)
            else:
                for i in width:
                    target[i] += values[i]
        result = {k: dict(zip(self.measures, v, strict=True)) for k, v in sums.items()}
        if key is None:
            self._sums[dims] = result
            return {k: dict(v) for k, v in result.items()}
        return result


def percentile(histogram: Mapping[int | float, int], q: float) -> float | None:
    """The q-th quantile (0..1) of the values counted in `histogram`, interpolated between the two
    nearest ranks (PostgreSQL's percentile_cont; the median of an even count is the mean of the
    middle two)."""
    n = sum(histogram.values())
    if n == 0:
        return None
    position = q * (n - 1)
    lower_rank, upper_rank = math.floor(position), math.ceil(position)
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        if count <= 0:
            continue
        if lower is None and lower_rank < seen + count:
            lower = value
        if upper_rank < seen + count:
            upper = value
            break
        seen += count
    if lower is None or upper is None:  # unreachable: the ranks lie within n
        return None
    return float(lower + (upper - lower) * (position - lower_rank))


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- suppression over finished sections ------------------------------------------------------------


def _cell_key(section: Section, row_index: int, row: Row, column: str) -> Hashable:
    return row.keys.get(column, (section.key, row_index, column))


def apply_suppression(
    sections: Sequence[Section],
    *,
    hidden_cells: Mapping[Hashable, int] | None = None,
    hidden_relations: Iterable[Relation] = (),
) -> None:
    """Replace every small count by SMALL, and every count that would give one away (by
    subtraction, or by bounds: the table audit) by SECONDARY; then hide shares and statistics that
    rest on a hidden count (SECONDARY)."""
    cells: dict[Hashable, int] = dict(hidden_cells or {})
    relations: list[Relation] = list(hidden_relations)
    hidden: set[Hashable] = set(cells)
    where: dict[Hashable, list[tuple[Row, str]]] = defaultdict(list)

    for section in sections:
        counts = [c.key for c in section.columns if c.kind == COUNT]
        subsets = list(section.subsets) + [
            (c.part, c.whole) for c in section.columns if c.kind == PERCENT and c.guard_complement
        ]
        keyed: list[tuple[Row, dict[str, Hashable]]] = []
        for index, row in enumerate(section.all_rows):
            keys = {column: _cell_key(section, index, row, column) for column in counts}
            keyed.append((row, keys))
            for column, key in keys.items():
                value = row.values.get(column)
                if isinstance(value, int):
                    cells[key] = value
                    where[key].append((row, column))
            for whole_key, part_keys in section.partitions:
                relations.append((keys[whole_key], [keys[p] for p in part_keys]))
            for part_column, whole_column in subsets:
                part_value, whole_value = row.values.get(part_column), row.values.get(whole_column)
                if isinstance(part_value, int) and isinstance(whole_value, int):
                    complement = ("complement", keys[part_column], keys[whole_column])
                    cells[complement] = whole_value - part_value
                    hidden.add(complement)
                    relations.append((keys[whole_column], [keys[part_column], complement]))
        # A total without rows (an overview) is not a sum of nothing.
        if section.total is not None and section.rows_add_up and section.rows:
            total_keys = keyed[-1][1]
            for column in counts:
                if section.column(column).adds_up:
                    relations.append((total_keys[column], [keys[column] for _row, keys in keyed[:-1]]))

    # Only small counts are protected: without one (e.g. a report of nothing, all zeros) protect()
    # hides nothing, and its key and relations are not worth building.
    to_hide = protect(cells, relations, hidden=hidden) if any(map(is_small, cells.values())) else set()
    for key in to_hide:
        mark = SMALL if is_small(cells[key]) else SECONDARY
        for row, column in where[key]:
            row.values[column] = mark

    for section in sections:
        for row in section.all_rows:
            for col in section.columns:
                if col.kind == PERCENT:
                    of = section.total if col.of_total and section.total is not None else row
                    part, whole = row.values.get(col.part), of.values.get(col.whole)
                    complement_small = (
                        col.guard_complement
                        and isinstance(part, int)
                        and isinstance(whole, int)
                        and 0 < whole - part < 5
                    )
                    if isinstance(part, Suppressed) or isinstance(whole, Suppressed) or complement_small:
                        row.values[col.key] = SECONDARY
                elif (
                    col.basis
                    and isinstance(row.values.get(col.basis), Suppressed)
                    and not isinstance(row.values.get(col.key), Suppressed)
                ):
                    row.values[col.key] = SECONDARY
