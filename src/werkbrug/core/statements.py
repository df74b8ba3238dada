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

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Count, Model, QuerySet, Value
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from werkbrug.core.actor import Actor

M = TypeVar("M", bound=Model)

_STATEMENTS: dict[Hashable, tuple[str, tuple[Any, ...]]] = {}
MAX_STATEMENTS = 4096


def rows(key: Hashable, build: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of the statement `build()` gives, built once per key (values() querysets: tuples in
    the order of their fields)."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        if len(_STATEMENTS) >= MAX_STATEMENTS:
            _STATEMENTS.clear()
        sql, params = build().query.sql_with_params()
        statement = _STATEMENTS[key] = (sql, tuple(params))
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return list(cursor.fetchall())


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


def counting(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset's COUNT(*) as a one-column query: one row, or none when it has no rows. Usable
    as a scalar subquery too (Subquery(counting(...)))."""
    return queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")


def count(key: Hashable, build: Callable[[], QuerySet[Any]]) -> int:
    """How many rows `build()` has, with the statement built once per key (see `rows`)."""
    found = rows(key, lambda: counting(build()))
    return int(found[0][0]) if found else 0


@dataclass(frozen=True)
class _ObjectStatement:
    """A compiled model query: its SQL and parameters (None: it has no rows, e.g. `none()`), the
    database it reads, and its compiler, which knows after compiling where each field's column is."""

    sql: str | None
    params: tuple[Any, ...]
    using: str
    compiler: SQLCompiler | None


_OBJECTS: dict[Hashable, _ObjectStatement] = {}


def _compile(queryset: QuerySet[Any]) -> _ObjectStatement:
    if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
        raise ValueError("statements.objects: a plain model queryset (no values(), no prefetch)")
    if queryset._known_related_objects:
        raise ValueError("statements.objects: not a related manager's queryset")
    using = queryset.db
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _ObjectStatement(None, (), using, None)
    return _ObjectStatement(sql, tuple(params), using, compiler)


def objects(key: Hashable, build: Callable[[], QuerySet[M]]) -> list[M]:
    """The model instances of the queryset `build()` gives, its statement built once per key and run
    on every call (see the module's text). Same rows, same instances, as `list(build())`."""
    statement = _OBJECTS.get(key)
    if statement is None:
        if len(_OBJECTS) >= MAX_STATEMENTS:
            _OBJECTS.clear()
        statement = _OBJECTS[key] = _compile(build())
    if statement.sql is None or statement.compiler is None:
        return []
    # A copy with this thread's connection: the memo is shared by the threads of a process.
    compiler = copy.copy(statement.compiler)
    compiler.connection = connections[statement.using]
    with compiler.connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        fetched = cursor.fetchall()
    if compiler.has_extra_select:
        fetched = [row[: compiler.col_count] for row in fetched]
    select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
    assert klass_info is not None  # noqa: S101 - a model query always has one
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    related = get_related_populators(klass_info, select, statement.using)
    found: list[M] = []
    for row in compiler.results_iter([fetched]):
        obj = model.from_db(statement.using, init_list, row[start:end])
        for populator in related:
            populator.populate(row, obj)
        for name, position in (annotations or {}).items():
            setattr(obj, name, row[position])
        found.append(obj)
    return found


def clear() -> None:
    _STATEMENTS.clear()
    _OBJECTS.clear()
