"""Statements built once and run on every page (issue 14: the fixed cost of a page).

The menu's counters (handovers and referrals waiting, unread feedback) run on every page, and
building their access-checked querysets (`clients.access.scope`: two EXISTS subqueries) costs far
more than running them: a few milliseconds of Python against well under one of SQL. `rows(key,
build)` keeps only the SQL text and parameters of the queryset `build()` returns and runs that
statement again on every call, so what it counts is always current.

`objects(key, build)` does the same for a queryset of model instances (with `select_related`,
annotations, `only()` and a slice): it keeps the SQL text and parameters and the compiler's map of
which column goes to which field, and turns the rows it reads on every call into instances as the
ORM would. Pages use it for their lists scoped by `clients.access` (the caseload, its panels).

The key must hold everything the statement depends on (the membership, user, organisation, role,
and the day that decides which consents are active), and `build` must read nothing from the
database. Only statements are kept, never rows or figures: every call reads the database again.
Tests clear the memo between tests (conftest).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Model, QuerySet, Value
from django.db.models.expressions import Col
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators  # type: ignore[attr-defined]
from django.http import Http404
from django.utils import timezone

from werkbrug.core.actor import Actor

M = TypeVar("M", bound=Model)

V = TypeVar("V")


class Memo(Generic[V]):
    """The statements a process keeps, the least recently used dropped first when `size` are kept (a
    busy worker serves many memberships a day: dropping them all at once would rebuild them all)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


# A composed statement: its SQL, parameters and the database it reads (sql None: no rows).
Composed = tuple[str | None, tuple[Any, ...], str]
MAX_STATEMENTS = 4096
_STATEMENTS: Memo[tuple[str, tuple[Any, ...]]] = Memo(MAX_STATEMENTS)


def rows(key: Hashable, build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of the statement `build()` gives, built once per key (values() querysets: tuples in
    the order of their fields)."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        sql, params = build().query.sql_with_params()
        statement = (sql, tuple(params))
        _STATEMENTS.put(key, statement)
    return run((*statement, DEFAULT_DB_ALIAS))  # always the default database


# A report statement is some kilobytes of SQL; a busy server runs a few hundred reports a day.
MAX_COMPOSED = 1024
_COMPOSED: Memo[Composed] = Memo(MAX_COMPOSED)


def composed(key: Hashable, compose: Callable[[], Composed]) -> Composed:
    """The statement `compose()` writes (SQL, parameters, database alias), written once per key: for
    statements a caller puts together around the ORM's SQL (a report's rollups), whose building
    costs more than their run for one organisation. As `rows`: `compose` reads nothing from the
    database, and only the statement is kept."""
    statement = _COMPOSED.get(key)
    if statement is None:
        sql, params, using = compose()
        statement = (sql, tuple(params), using)
        _COMPOSED.put(key, statement)
    return statement


def compiled(queryset: QuerySet[Any], compiler: Any = None) -> Composed:
    """The queryset's SQL, parameters and database, as `composed` keeps them (no SQL: it has no rows,
    e.g. a filter on an empty list). `compiler`: the queryset's own, when the caller reads it after."""
    compiler = compiler or queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return (None, (), queryset.db)
    return (sql, tuple(params), queryset.db)


def run(statement: Composed) -> list[tuple[Any, ...]]:
    """The rows of a composed statement as the database driver returns them, on the database it
    reads (no SQL: no rows), without Django's per-value converters: a Python call for every value of
    every row, which for thousands of rows costs more than reading them."""
    sql, params, using = statement
    if sql is None:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def fetched(key: Hashable, build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of the values_list() queryset `build()` gives as the database driver returns them
    (`run`), its statement built once per key (no rows when it cannot have any, e.g. a filter on an
    empty list). A date column is a date on both engines (SQLite parses its declared type), a
    boolean is 0 or 1 on SQLite. A column that is no model field (an expression) is the driver's
    value: on SQLite a date is text."""
    return run(composed(key, lambda: compiled(build())))


def actor_key(name: str, actor: Actor) -> tuple[Any, ...]:
    """The key of a statement that depends on the acting membership and today's date alone (the
    statements behind `clients.access.scope`: who, for which organisation, in which role, and which
    consents are active today)."""
    membership = actor.membership
    return (
        name,
        actor.user.pk,
        membership and membership.pk,
        membership and membership.organisation_id,
        membership and membership.role,
        timezone.localdate(),
    )


def totals(queryset: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """`queryset.aggregate(**aggregates)` as a values() query, to keep (`values`): one row (no rows
    only when the query cannot have any, e.g. a filter on an empty list)."""
    return queryset.order_by().annotate(one=Value(1)).values("one").annotate(**aggregates).values(*aggregates)


def counting(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset's COUNT(*) as a one-column query: one row, or none when it has no rows. Usable
    as a scalar subquery too (Subquery(counting(...)))."""
    return totals(queryset, n=Count("*"))


def count(key: Hashable, build: Callable[[], QuerySet[Any]]) -> int:
    """How many rows `build()` has, with the statement built once per key (see `rows`)."""
    found = rows(key, lambda: counting(build()))
    return int(found[0][0]) if found else 0


@dataclass(frozen=True)
class _ObjectStatement:
    """A compiled model query: its SQL and parameters (sql None: it has no rows, e.g. `none()`), the
    database it reads, and the compiler's map of its columns (`select`, `klass_info`, the annotations'
    positions). Only what turns a row into instances is kept, not the query: a few kilobytes."""

    sql: str | None
    params: tuple[Any, ...] = ()
    using: str = "default"
    select: tuple[Any, ...] = ()
    klass_info: dict[str, Any] | None = None
    annotation_col_map: dict[str, int] | None = None
    has_extra_select: bool = False


@dataclass(frozen=True)
class _ValuesStatement:
    """A compiled values() query: its statement, the names of its columns in the order values()
    gives them, and its selected expressions (for their converters)."""

    statement: Composed
    names: tuple[str, ...]
    select: tuple[Any, ...]


_VALUES: Memo[_ValuesStatement] = Memo(MAX_COMPOSED)


def values(key: Hashable, build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the values() queryset `build()` gives, as its dicts, with the ORM's converters
    (dates, decimals, booleans as the ORM gives them), its statement built once per key (see `rows`).
    Same dicts as `list(build())`."""
    kept = _VALUES.get(key)
    if kept is None:
        queryset = build()
        if queryset._iterable_class is not ValuesIterable:  # type: ignore[attr-defined]
            raise ValueError("statements.values: a values() queryset")
        query = queryset.query
        compiler = query.get_compiler(using=queryset.db)
        statement = compiled(queryset, compiler)
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        select = tuple(_column(expression) for expression, _sql, _alias in compiler.select)
        if statement[0] is not None and len(select) != len(names):
            raise ValueError("statements.values: a values() queryset without extra columns")
        kept = _ValuesStatement(statement, names, select)
        _VALUES.put(key, kept)
    fetched: Any = run(kept.statement)
    if not fetched:
        return []
    using = kept.statement[2]
    db: Any = connections[using]
    # A compiler of this connection converts the values as the ORM's own would.
    compiler = db.ops.compiler("SQLCompiler")(None, db, using)
    converters = compiler.get_converters(list(kept.select))
    if converters:
        fetched = compiler.apply_converters(fetched, converters)
    names = kept.names
    return [dict(zip(names, row, strict=True)) for row in fetched]


# About 14 KB a statement (the caseload's, measured with tracemalloc): at most some 30 MB a process.
MAX_OBJECT_STATEMENTS = 2048
_OBJECTS: Memo[_ObjectStatement] = Memo(MAX_OBJECT_STATEMENTS)


def _column(expression: Any) -> Any:
    """A selected expression as the rows need it: a model column as it is, anything else (an
    annotation's subquery) as a value of the same type, so its converters stay the same."""
    return expression if isinstance(expression, Col) else Value(None, output_field=expression.output_field)


def _compile(queryset: QuerySet[Any]) -> _ObjectStatement:
    if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        raise ValueError("statements.objects: a plain model queryset (no values(), no prefetch)")
    if queryset._known_related_objects:  # type: ignore[attr-defined]
        raise ValueError("statements.objects: not a related manager's queryset")
    using = queryset.db
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _ObjectStatement(None)
    return _ObjectStatement(
        sql,
        tuple(params),
        using,
        tuple((_column(expression), None, alias) for expression, _sql, alias in compiler.select),
        compiler.klass_info,
        compiler.annotation_col_map,
        compiler.has_extra_select,
    )


# Stands for the argument of a statement (`objects(..., bound=pk)`): a number no row has.
BOUND = -7_205_759_403_792_793


def objects(key: Hashable, build: Callable[[], QuerySet[M]], bound: int | None = None) -> list[M]:
    """The model instances of the queryset `build()` gives, its statement built once per key and run
    on every call (see the module's text). Same rows, same instances, as `list(build())`.

    With `bound`, `build()` filters on `BOUND` where the statement takes its argument (e.g.
    `.filter(pk=BOUND)`), and every call runs it with `bound` there: one statement for every pk. The
    caller checks that `bound` fits the column (a 64-bit integer)."""
    statement = _OBJECTS.get(key)
    if statement is None:
        statement = _compile(build())
        if statement.sql is not None and (bound is not None) != (BOUND in statement.params):
            raise ValueError("statements.objects: `bound` needs BOUND in the statement, and BOUND `bound`")
        _OBJECTS.put(key, statement)
    if statement.sql is None or statement.klass_info is None:
        return []
    params = statement.params
    if bound is not None:
        params = tuple(bound if type(p) is int and p == BOUND else p for p in params)
    db = connections[statement.using]
    with db.cursor() as cursor:
        cursor.execute(statement.sql, params)
        fetched = cursor.fetchall()
    rowmap = _rowmap(db, key, statement)
    if statement.has_extra_select:
        fetched = [row[: rowmap.width] for row in fetched]
    rows: Any = map(list, fetched)
    if rowmap.converters:
        rows = rowmap.compiler.apply_converters(fetched, rowmap.converters)
    model, using, start, end = rowmap.model, statement.using, rowmap.start, rowmap.end
    found: list[M] = []
    for row in rows:
        obj = model.from_db(using, rowmap.init_list, row[start:end])
        for populator in rowmap.related:
            populator.populate(row, obj)
        for name, position in rowmap.annotations:
            setattr(obj, name, row[position])
        found.append(cast(M, obj))
    return found


@dataclass(frozen=True)
class _RowMap:
    """How one connection turns a statement's rows into instances, as the ORM would: the
    compiler's converters (bound to that connection's operations), the model's fields and the
    related models' populators. Kept per connection, beside the statement."""

    statement: _ObjectStatement
    compiler: Any
    converters: dict[int, Any]
    width: int
    model: type[Model]
    start: int
    end: int
    init_list: list[str]
    related: list[Any]
    annotations: tuple[tuple[str, int], ...]


# Per connection (each thread has its own), the row maps of its statements, as many as statements.
_ROWMAPS: weakref.WeakKeyDictionary[Any, Memo[_RowMap]] = weakref.WeakKeyDictionary()


def _rowmap(db: Any, key: Hashable, statement: _ObjectStatement) -> _RowMap:
    kept = _ROWMAPS.get(db)
    if kept is None:
        kept = _ROWMAPS.setdefault(db, Memo(MAX_OBJECT_STATEMENTS))
    rowmap = kept.get(key)
    if rowmap is not None and rowmap.statement is statement:
        return rowmap
    select, klass_info, using = list(statement.select), statement.klass_info, statement.using
    assert klass_info is not None  # noqa: S101 (objects() returns before for a statement without rows)
    # A compiler of this connection converts the values as the ORM's own would.
    compiler = db.ops.compiler("SQLCompiler")(None, db, using)
    compiler.select, compiler.col_count = select, len(select)
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    rowmap = _RowMap(
        statement=statement,
        compiler=compiler,
        converters=compiler.get_converters([column[0] for column in select]),
        width=len(select),
        model=klass_info["model"],
        start=start,
        end=end,
        init_list=[column[0].target.attname for column in select[start:end]],
        related=get_related_populators(klass_info, select, using),
        annotations=tuple((statement.annotation_col_map or {}).items()),
    )
    kept.put(key, rowmap)
    return rowmap


# The ids a database column holds (a 64-bit integer): another pk is no row.
MAX_PK = 2**63 - 1


def one(key: Hashable, build: Callable[[], QuerySet[M]], pk: object) -> M:
    """The row `pk` of the statement `build()` gives, which filters `pk=BOUND` (see `objects`), or
    Http404: as `get_object_or_404(build-with-pk)`, with the statement built once per key."""
    try:
        number = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 0 < number <= MAX_PK:
        raise Http404
    found = objects(key, build, bound=number)
    if not found:
        raise Http404
    return found[0]


def clear() -> None:
    _STATEMENTS.clear()
    _COMPOSED.clear()
    _VALUES.clear()
    _OBJECTS.clear()
    _ROWMAPS.clear()
