"""The research export reads the year's lines once on PostgreSQL (research_sql, `lines_table`): inside
one snapshot (research_sql.one_snapshot, as the job runs it) the aggregate writes them into a
temporary table, dropped with the transaction, that the stream reads instead of joining the
trajectories again. The file stays byte for byte the Python reference's. Anywhere else (SQLite, a
stream in another transaction) both statements read the tables, as before."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from werkbrug.reports import research_sql
from werkbrug.reports.tests import report_data as rd
from werkbrug.trajectories.models import Trajectory

from .test_research_export import TRAILER, agreement, research_org, researcher  # noqa: F401 - fixtures
from .test_research_stream import population, reference  # noqa: F401 - fixture


def statements_naming_trajectories(monkeypatch) -> tuple[list[str], list[str]]:
    """Every statement sent (executed, or a COPY, which Django's execute wrappers do not see) that
    names the trajectories table; and every COPY, to show the spy saw the streaming statement."""
    table = Trajectory._meta.db_table
    named: list[str] = []
    copies: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if table in str(sql):
            named.append(str(sql))
        return execute(sql, params, many, context)

    if connection.vendor == "postgresql":
        copy = psycopg.Cursor.copy

        def spying(self, statement, *args, **kwargs):
            copies.append(str(statement))
            if table in str(statement):
                named.append(str(statement))
            return copy(self, statement, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "copy", spying)
    connection.execute_wrappers.append(wrapper)
    return named, copies


@pytest.fixture
def trajectory_statements(monkeypatch):
    named, copies = statements_naming_trajectories(monkeypatch)
    yield named, copies
    connection.execute_wrappers.pop()


def test_in_one_snapshot_postgresql_reads_the_trajectories_once_per_export(
    transactional_db, population, trajectory_statements
):
    named, copies = trajectory_statements
    with research_sql.one_snapshot():
        prepared = research_sql.prepare(rd.YEAR)
        content = b"".join(research_sql.stream(prepared))
    reads = list(named)
    found = TRAILER.search(content)
    assert found and int(found[2]) == prepared.lines == len(population) - 1
    assert content[: found.start()] == reference()
    if connection.vendor == "postgresql":
        assert len(reads) == 1 and "CREATE TEMPORARY TABLE" in reads[0]
        assert prepared.lines_table
        assert any("COPY (" in statement and prepared.lines_table in statement for statement in copies)
        # Dropped with the transaction.
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NULL", [prepared.lines_table])
            assert cursor.fetchone()[0]
    else:
        # SQLite: the aggregate and the stream each read the tables.
        assert not prepared.lines_table
        assert len(reads) == 2


def test_a_stream_in_another_transaction_reads_the_tables_again(
    transactional_db, population, trajectory_statements, monkeypatch
):
    named, _copies = trajectory_statements
    with research_sql.one_snapshot():
        prepared = research_sql.prepare(rd.YEAR)
    assert len(named) == 1
    # Even when the other transaction's snapshot reads alike (an idle database), the temporary table
    # went with the first one: the stream reads the tables.
    monkeypatch.setattr(research_sql, "_snapshot", lambda: prepared.snapshot)
    content = b"".join(research_sql.stream(prepared))
    reads = list(named)
    found = TRAILER.search(content)
    assert found and int(found[2]) == len(population) - 1
    assert content[: found.start()] == reference()
    assert len(reads) == 2 and "CREATE TEMPORARY TABLE" not in reads[1]
