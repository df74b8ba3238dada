"""Statements built once and run on every page (issue 14: the fixed cost of a page).

The menu's counters (handovers and referrals waiting, unread feedback) run on every page, and
building their access-checked querysets (`clients.access.scope`: two EXISTS subqueries) costs far
more than running them: a few milliseconds of Python against well under one of SQL. `rows(key,
build)` keeps only the SQL text and parameters of the queryset `build()` returns and runs that
statement again on every call, so what it counts is always current.

The key must hold everything the statement depends on (the membership, user, organisation, role,
and the day that decides which consents are active), and `build` must read nothing from the
database. Tests clear the memo between tests (conftest).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet, Value
from django.utils import timezone

from werkbrug.core.actor import Actor

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


def clear() -> None:
    _STATEMENTS.clear()
