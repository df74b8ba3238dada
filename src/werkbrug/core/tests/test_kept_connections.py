"""A worker keeps its connection for ten minutes (`DB_CONN_MAX_AGE`) and the connection keeps more
ready statements than the pages run between them (`DB_STATEMENT_CACHE`): at 60 s, and with the
drivers' 100 (psycopg) and 128 (sqlite3), a worker serving every page in turn ran most statements on
a connection that had not prepared them yet (docs/bench.md, s40)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connections

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
    # A connection of its own: the test's own one is inside a transaction and cannot be reopened.
    fresh = connections.create_connection("default")
    try:
        fresh.connect()
        assert fresh.close_at is not None
        assert fresh.close_at - time.monotonic() > settings.CONN_MAX_AGE - 30
    finally:
        fresh.close()
