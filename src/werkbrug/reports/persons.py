"""Unique persons beside trajectories and referrals (issue 12, point 6; docs/reports.md, "Persons").

A person is a `Client.person_number` (clients.linkage): records of one person at several organisations,
with or without an INSZ, share it, so a person counts once in the network and once in each row they
appear in. Persons do not add up over the rows (one person can have two types), so their columns
are declared `adds_up=False`.

The database counts them, in one statement per report (`persons_per`): the distinct persons per value
of every breakdown and in total. A dimension is any field or annotation on the queryset (e.g. `type_id`, or an as-of annotation of the
type a trajectory had on a date), so the persons follow the same rows as the other figures.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy

from werkbrug.core import statements
from werkbrug.reports.framework import Column, Row, Section

PERSONS_KEY = "persons"


def persons_column(beside: str) -> Column:
    """The persons column beside the count `beside`. Persons are often exactly that count (one
    trajectory each), so a persons cell is hidden whenever the count beside it is."""
    return Column(
        PERSONS_KEY, gettext_lazy("Unique persons (across organisations)"), adds_up=False, basis=beside
    )


@dataclass
class Counted:
    """What `persons_per` found: distinct persons per dimension value and in total, and, when asked
    for measures, the plain counts grouped by all the dimensions at once (rows for a `Cube`)."""

    per: dict[str, dict[Hashable, int]]
    total: int
    cube: list[dict[str, Any]] = field(default_factory=list)
    joined: list[dict[str, Any]] = field(default_factory=list)


# The first column of a `Joined` branch's rows: JOINED_INDEX - key (a key is 0 or more), below every
# other branch's index (-2 to the number of dimensions).
JOINED_INDEX = -10


@dataclass(frozen=True)
class Joined:
    """Rows that belong to the base's rows (e.g. each trajectory's outcomes in the period), counted in
    the statement of `persons_per` from the base's materialised rows, so that the base's table (with
    what the rows' dimensions cost, e.g. as-of annotations) is read once for both.

    `rows()` is a values() queryset with three columns: `t` (the base row's primary key), `k` (what
    the rows are grouped by: a whole number from 0, e.g. an outcome kind's position) and `f` (1 or 0).
    Per key and the base's dimensions, the branch counts the distinct base rows with such a row
    (`n`) and those with a flagged one (`flagged`) (`Counted.joined`, keyed as `Counted.cube`, plus
    "key"). A key other than `detailed` is broken down by the first dimension alone (the others
    NULL): its rows are few and the cube stays small."""

    rows: Callable[[], QuerySet[Any]]
    detailed: int


def persons_per(
    key: Hashable,
    rows: Callable[[], QuerySet[Any]],
    fields: Mapping[str, str | tuple[str, ...]],
    *,
    person: str = "client__person_number",
    measures: Mapping[str, Q | None] | None = None,
    joined: Joined | None = None,
) -> Counted:
    """The distinct persons per value of every dimension of `fields` (a field or annotation of the
    queryset `rows()` gives, or a tuple of them, keyed by the tuple of their values) and among all
    rows, in ONE statement on both engines: the rows are read once into a materialised common table
    expression (PostgreSQL 12+, SQLite 3.35+), and each dimension and the total count their distinct
    (value, person) pairs from it.

    With `measures` ({name: condition, None for every row}), the same statement also counts the rows
    meeting each condition grouped by all the dimensions together (`Counted.cube`, keyed by the field
    names), so a report whose cube has the same dimensions reads its rows once for both. Only for
    dimensions with one value per row: a multi-valued one (a join to many) would count a row twice.

    With `joined` (and measures), the same statement also counts rows of another table that belong
    to the base's rows (`Joined`, `Counted.joined`).

    The statement is written once per `key` (core.statements.composed): a key that holds everything
    `rows()` and `joined.rows()` depend on (`Params.statement_key`), the fields and the measures."""
    if joined is not None and not measures:
        raise ValueError("a joined branch counts in the measures' columns: give measures")
    names = list(fields)
    # Per dimension, the fields it is made of, and their column names in the base.
    groups = [(source,) if isinstance(source, str) else source for source in fields.values()]
    columns = [[f"d{index}_{part}" for part in range(len(group))] for index, group in enumerate(groups)]
    measures = measures or {}
    every = [column for group in columns for column in group]

    def compose() -> statements.Composed:
        queryset = rows()
        values: dict[str, Any] = {"t": F("pk")} if joined is not None else {}
        values["p"] = F(person)
        for group, names_of in zip(groups, columns, strict=True):
            values.update({column: F(src) for column, src in zip(names_of, group, strict=True)})
        sums = [f"m{index}" for index in range(len(measures))]
        for column, condition in zip(sums, measures.values(), strict=True):
            values[column] = (
                Value(1) if condition is None else Case(When(condition, then=Value(1)), default=Value(0))
            )
        base, params = queryset.order_by().values(**values).query.sql_with_params()
        db = connections[queryset.db]
        if joined is None:
            return _persons_sql(db, base, columns, sums), tuple(params), queryset.db
        joined_sql, joined_params = joined.rows().order_by().query.sql_with_params()
        branch = _joined_branch(db, joined_sql, columns, sums, joined.detailed)
        return _persons_sql(db, base, columns, sums, branch), (*params, *joined_params), queryset.db

    shape = (key, tuple(fields.items()), person, tuple(measures), joined and joined.detailed)
    statement = statements.composed(shape, compose)
    counted = Counted({name: {} for name in names}, 0)
    for index, *row in statements.run(statement):
        dims, count = row[: len(every)], int(row[len(every)] or 0)
        if index <= JOINED_INDEX:
            cell = {str(fields[name]): dims[i] for i, name in enumerate(names)}
            flagged = int(row[len(every) + 1] or 0)
            counted.joined.append(cell | {"key": JOINED_INDEX - index, "n": count, "flagged": flagged})
        elif index == -2:
            cube = {str(fields[name]): dims[i] for i, name in enumerate(names)}
            cube.update(zip(measures, (int(n or 0) for n in row[len(every) + 1 :]), strict=True))
            counted.cube.append(cube)
        elif index == len(columns):
            counted.total = count
        else:
            offset = sum(len(group) for group in columns[:index])
            found = tuple(dims[offset : offset + len(columns[index])])
            counted.per[names[index]][found[0] if len(found) == 1 else found] = count
    return counted


def _joined_branch(db: Any, joined: str, columns: list[list[str]], sums: list[str], detailed: int) -> str:
    """The branch of a `Joined`: the base's rows joined to the rows of the SQL `joined`."""
    qn = db.ops.quote_name
    first = columns[0]
    key = f"j.{qn('k')}"
    dims = [
        f"base.{qn(c)}" if c in first else f"CASE WHEN {key} = {int(detailed)} THEN base.{qn(c)} END"
        for group in columns
        for c in group
    ]
    t = f"base.{qn('t')}"
    flagged = f"COUNT(DISTINCT CASE WHEN j.{qn('f')} = 1 THEN {t} END)"
    rest = "".join(", NULL" for _c in sums[1:])
    # SQLite: CROSS JOIN keeps the base's few rows outside, each looking its own rows up by index (as
    # a plain join it read the other table's rows of the whole network first). PostgreSQL plans it.
    join = "CROSS JOIN" if db.vendor == "sqlite" else "JOIN"
    grouped = ", ".join(str(position) for position in range(1, len(dims) + 2))
    return (
        f"SELECT {JOINED_INDEX} - {key}, {', '.join(dims)}, COUNT(DISTINCT {t}), {flagged}{rest} "  # noqa: S608
        f"FROM base {join} ({joined}) AS j ON j.{qn('t')} = {t} GROUP BY {grouped}"
    )


def _persons_sql(db: Any, base: str, columns: list[list[str]], sums: list[str], joined: str = "") -> str:
    """The statement of `persons_per` around the rows' own SQL `base`, with a `Joined` branch."""
    every = [column for group in columns for column in group]
    qn = db.ops.quote_name
    listed = "".join(f"{qn(c)}, " for c in every)
    no_sums = "".join(", NULL" for _c in sums)
    # The first branch types every column for the UNION (PostgreSQL types a bare NULL as text).
    branches = [f"SELECT -1, {listed}0{''.join(f', {qn(c)}' for c in sums)} FROM base WHERE 1 = 0"]  # noqa: S608
    if sums:
        totals = "".join(f", SUM({qn(c)})" for c in sums)
        grouped = f" GROUP BY {', '.join(qn(c) for c in every)}" if every else ""
        branches.append(f"SELECT -2, {listed}COUNT(*){totals} FROM base{grouped}")  # noqa: S608
    for index, names_of in enumerate(columns):
        shown = "".join(f"{qn(c)}, " if c in names_of else "NULL, " for c in every)
        keys = ", ".join(qn(c) for c in names_of)
        if db.vendor == "sqlite":
            # SQLite sorts by the keys once and keeps the distinct persons per group as it goes: half
            # the time of grouping the (value, person) pairs first at full scale (docs/bench.md).
            distinct = f"SELECT {index}, {shown}COUNT(DISTINCT {qn('p')}){no_sums} FROM base GROUP BY {keys}"  # noqa: S608
            branches.append(distinct)
            continue
        # PostgreSQL hashes the (value, person) pairs, then counts them per value.
        pairs = f"SELECT {keys} FROM base GROUP BY {keys}, {qn('p')}"  # noqa: S608
        branches.append(f"SELECT {index}, {shown}COUNT(*){no_sums} FROM ({pairs}) AS pairs GROUP BY {keys}")  # noqa: S608
    nulls = "".join("NULL, " for _c in every)
    branches.append(f"SELECT {len(columns)}, {nulls}COUNT(DISTINCT {qn('p')}){no_sums} FROM base")  # noqa: S608
    if joined:
        # On SQLite the joined branch goes first: after another branch, SQLite read the other table
        # another way and the statement took three to four times as long (docs/bench.md, s47).
        # PostgreSQL's first branch stays the one that types the columns.
        branches.insert(0 if db.vendor == "sqlite" else 1, joined)
    header = ", ".join(qn(c) for c in [*(["t"] if joined else []), "p", *every, *sums])
    # Only quoted column names generated here and the queryset's own SQL, with its parameters.
    return f"WITH base ({header}) AS MATERIALIZED ({base}) " + " UNION ALL ".join(branches)


def add_persons(
    sections: Iterable[Section],
    key: Hashable,
    rows: Callable[[], QuerySet[Any]],
    *,
    anchor: str,
    fields: Mapping[str, str | tuple[str, ...]] | None = None,
    person: str = "client__person_number",
) -> None:
    """Fill the persons column of every section that has one, beside the count `anchor`: a row keyed
    `(anchor, "all")` gets the persons of all of `rows()` (a queryset; its statement is kept under
    `key`, as in `persons_per`), a row keyed `(anchor, (dim, value))` those of the rows with that
    value of `fields.get(dim, dim)`. One statement for the total and every dimension, whatever the
    number of rows; the same logical key as the count it stands beside (("persons", group)), so a
    figure shown twice is hidden in both places or neither."""
    fields = fields or {}
    sections = list(sections)
    wanted = _beside(sections, anchor)
    dims = {
        row_key[1][0]
        for row in wanted
        if isinstance(row_key := row.keys[anchor], tuple) and isinstance(row_key[1], tuple)
    }
    if wanted:
        fill_persons(
            sections,
            persons_per(key, rows, {d: fields.get(d, d) for d in sorted(dims)}, person=person),
            anchor=anchor,
        )


def fill_persons(sections: Iterable[Section], counted: Counted, *, anchor: str) -> None:
    """Write what `persons_per` counted into the persons column beside `anchor` (see add_persons)."""
    total, per_dim = counted.total, counted.per
    for row in _beside(sections, anchor):
        group = row.keys[anchor][1]  # type: ignore[index]
        if group == "all":
            row.values[PERSONS_KEY] = total
        elif isinstance(group, tuple):
            row.values[PERSONS_KEY] = per_dim[group[0]].get(group[1], 0)
        else:
            continue
        row.keys[PERSONS_KEY] = (PERSONS_KEY, group)


def _beside(sections: Iterable[Section], anchor: str) -> list[Row]:
    """The rows with a persons column and a count `anchor` for it to stand beside."""
    return [
        row
        for section in sections
        if any(column.key == PERSONS_KEY for column in section.columns)
        for row in section.all_rows
        if anchor in row.keys
    ]
