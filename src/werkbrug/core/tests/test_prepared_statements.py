"""PostgreSQL prepares a statement a connection runs again (settings, `DB_PREPARE_THRESHOLD`), so
it does not plan it on every request (docs/bench.md)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from werkbrug.core import replica
from werkbrug.network.models import Organisation
from werkbrug.settings import database_from_url


def test_a_postgresql_database_binds_on_the_server_and_prepares_at_the_second_run(monkeypatch):
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)
    options = database_from_url("postgres://werkbrug@db.example:5432/werkbrug")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 2
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "-1")
    assert (
        database_from_url("postgres://werkbrug@db.example:5432/werkbrug")["OPTIONS"]["prepare_threshold"]
        is None
    )
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "0")
    assert (
        database_from_url("postgres://werkbrug@db.example:5432/werkbrug")["OPTIONS"]["prepare_threshold"] == 0
    )


def _prepared_on_this_connection(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if marker in row[0]]


@pytest.mark.django_db
def test_a_statement_run_twice_is_prepared_on_postgresql_and_sqlite_keeps_its_own_cache():
    # A statement no other code runs: its parameter differs per run, its text does not.
    marker = 'UPPER("network_organisation"."name"::text) = UPPER('
    for name in ("first", "second", "third"):
        assert not Organisation.objects.filter(name__iexact=f"prepared-{name}").exists()
    if connection.vendor == "postgresql":
        prepared = _prepared_on_this_connection(marker)
        assert prepared
        # Bound on the server: the value is a parameter of the prepared statement, not its text.
        assert all("prepared-" not in statement and "$1" in statement for statement in prepared), prepared
    else:
        # SQLite's module keeps its own statement cache; nothing to configure there.
        assert connection.vendor == "sqlite"
        assert "server_side_binding" not in connection.settings_dict.get("OPTIONS", {})


@pytest.mark.django_db
def test_pages_run_one_generic_plan_and_reports_plan_for_their_own_values():
    def mode() -> str:
        if connection.vendor != "postgresql":
            return "sqlite"
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return str(cursor.fetchone()[0])

    postgresql = connection.vendor == "postgresql"
    assert mode() == ("force_generic_plan" if postgresql else "sqlite")
    inside, source = replica.run_reports(mode)
    assert source.alias == "default"
    assert inside == ("force_custom_plan" if postgresql else "sqlite")
    # And back for the pages, also after a report that failed.
    assert mode() == ("force_generic_plan" if postgresql else "sqlite")
    with pytest.raises(ZeroDivisionError):
        replica.run_reports(lambda: 1 / 0)
    assert mode() == ("force_generic_plan" if postgresql else "sqlite")


@pytest.mark.django_db
def test_a_prepared_statement_outlives_two_hundred_others_on_postgresql():
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        # The sqlite3 module takes the size at connect time and does not show it afterwards.
        assert connection.get_connection_params()["cached_statements"] == settings.STATEMENT_CACHE_SIZE
        return
    connection.ensure_connection()
    assert connection.connection.prepared_max == settings.STATEMENT_CACHE_SIZE
    marker = "kept-statement-marker"
    with connection.cursor() as cursor:
        # psycopg prepares a statement on the run after the threshold (settings: 2).
        for _ in range(3):
            cursor.execute(f'SELECT %s::int AS "{marker}"', [1])
        assert _prepared_on_this_connection(marker)
        # Two hundred other statements, each run until it is prepared; psycopg's own limit of 100
        # would deallocate the first one on the way.
        for number in range(200):
            for _ in range(3):
                cursor.execute(f'SELECT %s::int + {number} AS "other-{number}"', [1])
    assert _prepared_on_this_connection(marker)
