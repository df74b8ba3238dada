"""The research export's two statements in one snapshot (research_sql.one_snapshot, as the job runs
them): on PostgreSQL the stream reads what the aggregate counted, so a change committed in between is
not seen and the stream does not check k again; on SQLite nothing changes: the stream reads the change
and its second check of k leaves the combination out."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import threading

from django.db import connection, connections

from werkbrug.clients.models import Client
from werkbrug.reports import research_sql
from werkbrug.reports.tests import report_data as rd

from .test_research_export import TRAILER, lines
from .test_research_stream import population  # noqa: F401 - fixture

ANTWERP_1983 = ("1983", "M", "Antwerpen-Noord", "none")


def committed_elsewhere(change) -> None:
    """Run `change` on another connection (a thread has its own) and commit it."""

    def run() -> None:
        try:
            change()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_change_between_the_two_statements_is_not_read_in_one_snapshot(
    transactional_db, population, monkeypatch
):
    rechecked: list[bool] = []
    statement = research_sql._statement

    def spying(*args, **kwargs):
        rechecked.append(kwargs.get("recheck", True))
        return statement(*args, **kwargs)

    monkeypatch.setattr(research_sql, "_statement", spying)
    before = b"".join(research_sql.stream(research_sql.prepare(rd.YEAR)))
    moved = [population[1].client_id, population[2].client_id]  # two of the six men of 1983

    with research_sql.one_snapshot():
        prepared = research_sql.prepare(rd.YEAR)
        assert prepared.shown[ANTWERP_1983] == ANTWERP_1983
        committed_elsewhere(lambda: Client.objects.filter(pk__in=moved).update(gender="F"))
        content = b"".join(research_sql.stream(prepared))

    assert Client.objects.filter(pk__in=moved, gender="F").count() == 2  # the change was committed
    found = TRAILER.search(content)
    assert found
    rows = lines(content[: found.start()].decode())
    antwerp = [row for row in rows if row["birth_year"] == "1983" and row["subregion"] == "Antwerpen-Noord"]
    if connection.vendor == "postgresql":
        # The aggregate's snapshot: the file is the one before the change, without a second check.
        assert prepared.snapshot
        assert rechecked == [True, False]
        assert content == before and len(antwerp) == 6 and int(found[2]) == len(rows) == prepared.lines
    else:
        # SQLite reads the change; the second check leaves the combination of four persons out.
        assert not prepared.snapshot
        assert rechecked == [True, True]
        assert not antwerp and int(found[2]) == len(rows) == prepared.lines - 6


def test_outside_one_snapshot_the_stream_checks_k_again(transactional_db, population, monkeypatch):
    rechecked: list[bool] = []
    statement = research_sql._statement
    monkeypatch.setattr(
        research_sql,
        "_statement",
        lambda *args, **kwargs: rechecked.append(kwargs.get("recheck", True)) or statement(*args, **kwargs),
    )
    with research_sql.one_snapshot():
        prepared = research_sql.prepare(rd.YEAR)
    # The snapshot is over: a stream in another transaction cannot rely on it.
    b"".join(research_sql.stream(prepared))
    assert rechecked == [True]
