"""The statements a process keeps (core.statements): the least recently used go first."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, F, Q, QuerySet

from werkbrug.clients.models import Client
from werkbrug.core import statements
from werkbrug.core.statements import Memo
from werkbrug.network.models import Membership, Role
from werkbrug.testing import make_user


def test_a_full_memo_drops_the_least_recently_used_statement_only():
    memo: Memo[str] = Memo(3)
    for key in ("a", "b", "c"):
        memo.put(key, key.upper())
    assert memo.get("a") == "A"  # "a" is used again: "b" is now the oldest
    memo.put("d", "D")
    assert len(memo) == 3
    assert memo.get("b") is None
    assert [memo.get(key) for key in ("a", "c", "d")] == ["A", "C", "D"]


def test_putting_a_kept_key_again_replaces_it_without_dropping_another():
    memo: Memo[int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("a", 3)
    assert len(memo) == 2 and memo.get("a") == 3 and memo.get("b") == 2
    memo.clear()
    assert len(memo) == 0 and memo.get("a") is None


# --- values(): a values() query kept as its statement, read again on every call ----------------------


def _memberships(organisation_id: int) -> QuerySet[Membership, dict[str, Any]]:
    return (
        Membership.objects.filter(organisation_id=organisation_id)
        .values("user_id", "role", "fte", "is_active")
        .annotate(since=F("user__date_joined"), active_twice=Count("pk", filter=Q(is_active=True)))
        .order_by()
    )


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: (row["user_id"], row["role"]))


def test_values_gives_the_dicts_the_orm_gives_and_reads_the_rows_again_on_every_call(net):
    organisation_id = net.sara.pk
    built: list[int] = []

    def build() -> QuerySet[Membership, dict[str, Any]]:
        built.append(1)
        return _memberships(organisation_id)

    first = statements.values(("memberships", organisation_id), build)
    assert first and _sorted(first) == _sorted(list(_memberships(organisation_id)))
    # The ORM's converters: a Decimal, a bool and a datetime, as the ORM gives them on this engine.
    row = first[0]
    assert isinstance(row["fte"], Decimal) and isinstance(row["is_active"], bool)
    assert isinstance(row["since"], datetime.datetime)
    newcomer = make_user("statement_newcomer", net.sara, Role.COACH)
    Membership.objects.filter(user=newcomer).update(fte=Decimal("0.50"), is_active=False)
    again = statements.values(("memberships", organisation_id), build)
    assert built == [1]  # built once, run twice
    assert _sorted(again) == _sorted(list(_memberships(organisation_id)))
    mine = [row for row in again if row["user_id"] == newcomer.pk]
    assert mine == [
        {
            "user_id": newcomer.pk,
            "role": Role.COACH,
            "fte": Decimal("0.50"),
            "is_active": False,
            "since": newcomer.date_joined,
            "active_twice": 0,
        }
    ]


def test_values_keeps_a_statement_per_key(net):
    sara = statements.values(("memberships", net.sara.pk), lambda: _memberships(net.sara.pk))
    gtb = statements.values(("memberships", net.gtb.pk), lambda: _memberships(net.gtb.pk))
    assert _sorted(sara) == _sorted(list(_memberships(net.sara.pk)))
    assert _sorted(gtb) == _sorted(list(_memberships(net.gtb.pk)))
    assert _sorted(sara) != _sorted(gtb)


def test_values_of_a_query_without_rows_and_of_a_query_that_is_no_values_query(net):
    assert statements.values("none", lambda: Membership.objects.filter(pk__in=[]).values("pk")) == []
    assert statements.values("empty", lambda: _memberships(-1)) == []
    with pytest.raises(ValueError, match="values"):
        statements.values("objects", lambda: Membership.objects.all())


def test_totals_is_the_aggregate_as_a_kept_row(net):
    def build() -> QuerySet[Membership]:
        return Membership.objects.filter(organisation=net.sara)

    kept = statements.values(
        "totals", lambda: statements.totals(build(), n=Count("pk"), users=Count("user_id", distinct=True))
    )
    assert kept == [build().aggregate(n=Count("pk"), users=Count("user_id", distinct=True))]
    # As aggregate(): one row of zeros when nothing matches.
    nothing = statements.values(
        "no totals", lambda: statements.totals(Membership.objects.filter(pk=-1), n=Count("pk"))
    )
    assert nothing == [Membership.objects.filter(pk=-1).aggregate(n=Count("pk"))] == [{"n": 0}]


def test_composed_keeps_what_compose_wrote_per_key():
    calls: list[str] = []

    def compose(name: str) -> statements.Composed:
        calls.append(name)
        return (f"SELECT %s AS {name}", (1,), "default")

    assert statements.composed("a", lambda: compose("a")) == ("SELECT %s AS a", (1,), "default")
    assert statements.composed("a", lambda: compose("other")) == ("SELECT %s AS a", (1,), "default")
    assert statements.composed("b", lambda: compose("b")) == ("SELECT %s AS b", (1,), "default")
    assert calls == ["a", "b"]


def test_fetched_gives_the_drivers_rows_of_a_kept_statement(net):
    def build(organisation_id: int) -> QuerySet[Membership, tuple[Any, ...]]:
        return (
            Membership.objects.filter(organisation_id=organisation_id)
            .values_list("user_id", "is_active")
            .order_by("user_id")
        )

    def rows(organisation_id: int) -> list[tuple[Any, ...]]:
        return statements.fetched(("fetched", organisation_id), lambda: build(organisation_id))

    sara = [(user, bool(active)) for user, active in rows(net.sara.pk)]
    assert sara == list(build(net.sara.pk))
    assert rows(net.gtb.pk) != rows(net.sara.pk) and len(rows(net.gtb.pk)) == build(net.gtb.pk).count()
    # Read again on every call.
    make_user("coach_fetched", net.sara, Role.COACH)
    assert len(rows(net.sara.pk)) == len(sara) + 1
    # A date column is a date on both engines.
    client = net.new_client(birth_date=datetime.date(1988, 2, 29))
    born = statements.fetched(
        "fetched dates", lambda: Client.objects.filter(pk=client.pk).values_list("birth_date")
    )
    assert born == [(datetime.date(1988, 2, 29),)]
    # A query that cannot have rows has none.
    assert (
        statements.fetched("fetched none", lambda: Membership.objects.filter(pk__in=[]).values_list("pk"))
        == []
    )
