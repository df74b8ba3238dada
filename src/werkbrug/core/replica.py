"""Reports on a read replica (issue 19, point 3; docs/deploy.md, "A replica for reports").

When `DATABASE_REPLICA_URL` configures `DATABASES["replica"]`, the reads of report computations go
there: code that computes a report runs inside `reports_reads()`, and the router sends every read
made inside it to the replica. Routing is by *where* a read happens, not by model: the same
`Trajectory` query goes to the primary on a coach's page and to the replica in a report.

- Writes never go to the replica (`db_for_write` is always the primary), also inside
  `reports_reads()`: an audit row written while a report is computed lands on the primary.
- Before the replica is used, its lag is measured: on PostgreSQL `now() -
  pg_last_xact_replay_timestamp()` (0 when the server is not in recovery, i.e. not a standby). The
  answer is kept for `CHECK_SECONDS` in this process. A lag above `WERKBRUG_REPLICA_MAX_LAG_SECONDS`,
  or a replica that does not answer, sends the reads to the primary: a report never fails because
  of the replica.
- `ReadSource.data_as_of` is the moment the data is from (the replica's last replayed transaction,
  or now on the primary): the report page shows it.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

REPLICA = "replica"
# How long one measurement of the lag (or of the replica being down) holds in this process.
CHECK_SECONDS = 5.0

log = logging.getLogger("werkbrug.replica")
T = TypeVar("T")

_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("werkbrug_report_reads", default=None)


@dataclasses.dataclass(frozen=True)
class ReadSource:
    alias: str
    data_as_of: datetime.datetime

    @property
    def on_replica(self) -> bool:
        return self.alias != DEFAULT_DB_ALIAS


@dataclasses.dataclass(frozen=True)
class _Probe:
    usable: bool
    replayed_at: datetime.datetime | None  # None: the replica is as fresh as the primary
    lag_seconds: float | None


_probes: dict[str, tuple[float, _Probe]] = {}
_probes_lock = threading.Lock()


def configured() -> bool:
    """A replica is configured, and it is not the primary's own database (as in a test run, where
    Django points the replica at the primary's test database: TEST MIRROR)."""
    if REPLICA not in settings.DATABASES:
        return False
    ours, primary = connections[REPLICA].settings_dict, connections[DEFAULT_DB_ALIAS].settings_dict
    return any(ours.get(key) != primary.get(key) for key in ("NAME", "HOST", "PORT"))


def max_lag_seconds() -> float:
    return float(getattr(settings, "WERKBRUG_REPLICA_MAX_LAG_SECONDS", 30))


# The time since the last replayed transaction is the lag while the primary writes; when the primary
# is idle it grows although nothing is missing. So a standby that streams from the primary and has
# replayed everything it received counts as caught up (lag 0, data as of now).
CHECK_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_xact_replay_timestamp(),
       EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp())),
       pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
           AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')
"""


def measure(alias: str) -> tuple[float, datetime.datetime | None]:
    """The replica's lag in seconds and the moment of its last replayed transaction (None when it is
    not a standby, or not PostgreSQL: then it is the data itself). Raises DatabaseError when it is
    down."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        if conn.vendor != "postgresql":
            cursor.execute("SELECT 1")
            cursor.fetchone()
            return 0.0, None
        cursor.execute(CHECK_SQL)
        in_recovery, replayed_at, lag, caught_up = cursor.fetchone()
    if not in_recovery or caught_up:
        return 0.0, None
    if replayed_at is None:  # a standby that has replayed nothing yet knows no data
        return float("inf"), None
    return max(float(lag), 0.0), replayed_at


def _probe(alias: str) -> _Probe:
    now = time.monotonic()
    with _probes_lock:
        kept = _probes.get(alias)
    if kept is not None and now - kept[0] < CHECK_SECONDS:
        return kept[1]
    try:
        lag, replayed_at = measure(alias)
    except DatabaseError as exc:
        log.warning("replica %s unavailable, reports read from the primary: %s", alias, type(exc).__name__)
        _drop_connection(alias)
        probe = _Probe(False, None, None)
    else:
        usable = lag <= max_lag_seconds()
        if not usable:
            log.warning("replica %s lags %.1f s, reports read from the primary", alias, lag)
        probe = _Probe(usable, replayed_at, lag)
    with _probes_lock:
        _probes[alias] = (now, probe)
    return probe


def _drop_connection(alias: str) -> None:
    with suppress(DatabaseError):
        connections[alias].close()


def mark_down(alias: str) -> None:
    """A read on the replica failed: use the primary until the next check."""
    _drop_connection(alias)
    with _probes_lock:
        _probes[alias] = (time.monotonic(), _Probe(False, None, None))


def forget() -> None:
    """Drop the kept measurements (tests; a changed configuration)."""
    with _probes_lock:
        _probes.clear()


def choose() -> ReadSource:
    """Where report reads go now, and from when their data is."""
    if configured():
        probe = _probe(REPLICA)
        if probe.usable:
            return ReadSource(REPLICA, probe.replayed_at or timezone.now())
    return ReadSource(DEFAULT_DB_ALIAS, timezone.now())


@contextmanager
def reports_reads(source: ReadSource | None = None) -> Iterator[ReadSource]:
    """Reads inside go to the replica when it is configured and fresh enough; writes stay on the
    primary. Nested use keeps the outer choice."""
    outer = _reads.get()
    if outer is not None:
        yield ReadSource(outer, timezone.now()) if source is None else source
        return
    chosen = source or choose()
    token = _reads.set(chosen.alias)
    try:
        yield chosen
    finally:
        _reads.reset(token)


def read_alias() -> str:
    """The alias reads go to here: the replica inside reports_reads(), else the primary."""
    return _reads.get() or DEFAULT_DB_ALIAS


def _planned_for_their_values(compute: Callable[[], T]) -> T:
    """compute() with its statements planned for their own values on PostgreSQL, on every run
    (plan_cache_mode force_custom_plan). The pages' connections use one generic plan per prepared
    statement (settings: planning was half their SQL time); a report's date ranges and breakdowns
    can want very different plans (the annex report took 4x as long with a generic one), and its
    planning is nothing beside its run. Not `auto`: from a statement's sixth run PostgreSQL may take
    a generic plan it misjudges (the work-care report's hours went from 0.34 s to 1.6 s)."""
    connection = connections[read_alias()]
    if connection.vendor != "postgresql":
        return compute()
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    try:
        return compute()
    finally:
        # Back to the connection's own setting; in a failed transaction the rollback undoes the SET,
        # and a connection closed meanwhile starts with it (never reconnect here: run_reports reads
        # a closed replica connection as a failed replica).
        if connection.connection is not None:
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")


def run_reports(compute: Callable[[], T]) -> tuple[T, ReadSource]:
    """compute() inside reports_reads(), its statements planned for their own values; when the
    replica fails half-way (stopped, restarted), the whole computation runs again on the primary, so
    the reader gets figures, not an error."""
    outer = _reads.get()
    if outer is not None:  # inside another reports_reads(): its choice holds
        return compute(), ReadSource(outer, timezone.now())

    def planned() -> T:
        return _planned_for_their_values(compute)

    with reports_reads() as source:
        if not source.on_replica:
            return planned(), source
        try:
            return planned(), source
        except DatabaseError as exc:
            if not _failed_on(source.alias):
                raise
            log.warning(
                "replica failed during a report, computed again on the primary: %s", type(exc).__name__
            )
            mark_down(source.alias)
    with reports_reads(ReadSource(DEFAULT_DB_ALIAS, timezone.now())) as primary:
        return planned(), primary


def _failed_on(alias: str) -> bool:
    """Whether the replica's connection is the one that broke (not a bug in the query, which would
    fail on the primary too)."""
    conn = connections[alias]
    if conn.connection is None:
        return True
    try:
        return not conn.is_usable()
    except DatabaseError:
        return True


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: report reads to the replica (inside reports_reads), everything
    else, and every write, to the primary. The replica is never migrated: it follows the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return _reads.get()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
