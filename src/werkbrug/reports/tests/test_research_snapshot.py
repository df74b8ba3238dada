"""The research export's two statements in one snapshot (research_sql.one_snapshot, as the job runs
them): on PostgreSQL the stream reads what the aggregate counted, so a change committed in between is
not seen and the stream does not check k again; on SQLite nothing changes: the stream reads the change
and its second check of k leaves the combination out."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import threading

from django.db import connection, connections
from django.urls import reverse

from werkbrug.clients.models import Client
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.jobs.models import PreparedFile
from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 - fixture
from werkbrug.reports import research_sql
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import client_of

from .test_research_export import TRAILER, agreement, lines, research_org, researcher  # noqa: F401 - fixtures
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


def spy_on_rechecks(monkeypatch) -> list[bool]:
    """Whether each streaming statement built checks k again."""
    rechecked: list[bool] = []
    statement = research_sql._statement

    def spying(*args, **kwargs):
        rechecked.append(kwargs.get("recheck", True))
        return statement(*args, **kwargs)

    monkeypatch.setattr(research_sql, "_statement", spying)
    return rechecked


def test_a_change_between_the_two_statements_is_not_read_in_one_snapshot(
    transactional_db, population, monkeypatch
):
    rechecked = spy_on_rechecks(monkeypatch)
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
    rechecked = spy_on_rechecks(monkeypatch)
    with research_sql.one_snapshot():
        prepared = research_sql.prepare(rd.YEAR)
    # The snapshot is over: a stream in another transaction cannot rely on it.
    b"".join(research_sql.stream(prepared))
    assert rechecked == [True]


def test_the_job_reads_one_snapshot_and_commits_the_audit_row_with_the_file(
    transactional_db, population, agreement, researcher, job_queue, monkeypatch
):
    rechecked = spy_on_rechecks(monkeypatch)
    client = client_of(researcher)
    AuditEvent.objects.all().delete()
    client.post(reverse("reports:research_prepare"), {"year": rd.YEAR})
    run_worker()
    prepared = PreparedFile.objects.get()
    assert prepared.status == PreparedFile.Status.READY
    content = b"".join(client.get(reverse("jobs:download", args=[prepared.pk])).streaming_content)
    found = TRAILER.search(content)
    assert found and int(found[2]) == prepared.rows_written == len(population) - 1
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=agreement.pk).count() == 1
    assert rechecked == [connection.vendor != "postgresql"]
