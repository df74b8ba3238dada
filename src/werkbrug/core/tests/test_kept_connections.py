"""A worker keeps its connection for ten minutes (`DB_CONN_MAX_AGE`) and the connection keeps more
ready statements than the pages run between them (`DB_STATEMENT_CACHE`): at 60 s, and with the
drivers' 100 (psycopg) and 128 (sqlite3), a worker serving every page in turn ran most statements on
a connection that had not prepared them yet (docs/bench.md, s40)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection

from werkbrug.settings import database_from_url


def test_both_engines_are_given_the_age_and_sqlite_the_statement_cache(tmp_path):
    assert settings.CONN_MAX_AGE >= 600
    assert settings.STATEMENT_CACHE_SIZE >= 1000
    postgresql = database_from_url("postgres://werkbrug@db.example:5432/werkbrug")
    sqlite = database_from_url(f"sqlite:///{tmp_path}/kept.sqlite3")
    assert postgresql["CONN_MAX_AGE"] == sqlite["CONN_MAX_AGE"] == settings.CONN_MAX_AGE
    assert sqlite["OPTIONS"]["cached_statements"] == settings.STATEMENT_CACHE_SIZE


@pytest.mark.django_db
def test_a_new_connection_is_kept_for_the_configured_age():
    connection.close()
    connection.ensure_connection()
    assert connection.close_at is not None
    assert connection.close_at - time.monotonic() > settings.CONN_MAX_AGE - 30


def _prepared(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if marker in row[0]]


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
        assert _prepared(marker)
        # Two hundred other statements, each run until it is prepared; psycopg's own limit of 100
        # would deallocate the first one on the way.
        for number in range(200):
            for _ in range(3):
                cursor.execute(f'SELECT %s::int + {number} AS "other-{number}"', [1])
    assert _prepared(marker)
