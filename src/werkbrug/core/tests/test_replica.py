"""Reports on a read replica (core.replica; issue 19, point 3). The replica here is a second
connection alias on SQLite that opens the test database file on its own: it sees what is committed,
not the rows this test's transaction has written. So a read that went to the "replica" finds none of
the test's trajectories, and one that went to the primary finds them: which connection answered is
visible in the figures, not only in the captured statements."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.db import DatabaseError, OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.core import replica
from werkbrug.network.models import SubRegion
from werkbrug.trajectories.models import Trajectory

REPORT = reverse("reports:report", args=["yearly"])
# The tests add the alias as a deployment with DATABASE_REPLICA_URL has it; Django warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def _add_alias(settings, conf: dict) -> None:
    settings.DATABASES = {**settings.DATABASES, replica.REPLICA: conf}
    connections.settings[replica.REPLICA] = conf
    replica.forget()
    # Django's TestCase refuses connections to aliases the test did not declare, and only aliases
    # known when the test database is made can be declared. This alias is added later: connect it as
    # Django's own ensure_connection does (errors wrapped as django.db errors).
    conn = connections[replica.REPLICA]

    def ensure_connection() -> None:
        if conn.connection is None:
            with conn.wrap_database_errors:
                conn.connect()

    conn.ensure_connection = ensure_connection


def read_only_copy() -> dict:
    """Another connection to the primary's data. On SQLite the file opened read-only (an SQLite URI);
    on PostgreSQL the same test database reached by another host name (a replica on the primary's own
    address would be taken for the primary: `replica.configured`): either way it sees what is
    committed only."""
    primary = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        return {**primary, "HOST": "localhost" if primary.get("HOST") != "localhost" else "127.0.0.1"}
    return {**primary, "NAME": f"file:{primary['NAME']}?mode=ro"}


def unreachable(tmp_path) -> dict:
    """A replica that cannot be reached: SQLite cannot open a file in a folder that does not exist;
    on PostgreSQL nothing listens on the discard port."""
    primary = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        options = {**primary.get("OPTIONS", {}), "connect_timeout": 2}
        return {**primary, "HOST": "127.0.0.1", "PORT": "9", "OPTIONS": options}
    return {**primary, "NAME": str(tmp_path / "missing" / "replica.sqlite3")}


@pytest.fixture
def fake_replica(settings):
    """DATABASES["replica"]: the same SQLite file as the primary, read-only through its own connection."""
    conf = read_only_copy()
    _add_alias(settings, conf)
    yield conf
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]
    replica.forget()


@pytest.fixture
def down_replica(settings, tmp_path):
    """A replica that cannot be reached (`unreachable`)."""
    conf = unreachable(tmp_path)
    _add_alias(settings, conf)
    yield conf
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]
    replica.forget()


def test_without_a_replica_report_reads_stay_on_the_primary(net):
    net.trajectory()
    with replica.reports_reads() as source:
        assert Trajectory.objects.count() == 1
    assert source.alias == "default"


def test_report_reads_go_to_the_replica_and_other_reads_do_not(net, fake_replica):
    net.trajectory()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        with replica.reports_reads() as source:
            in_report = Trajectory.objects.count()
        outside = Trajectory.objects.count()
    assert source.alias == replica.REPLICA
    assert in_report == 0  # the replica's committed data: not this test's trajectory
    assert outside == 1  # a coach's page reads the primary
    assert any("trajectories_trajectory" in q["sql"] for q in on_replica.captured_queries)


def test_a_write_inside_reports_reads_goes_to_the_primary(net, fake_replica):
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[replica.REPLICA]) as on_replica,
        replica.reports_reads() as source,
    ):
        SubRegion.objects.create(name="Kempen")
    assert source.alias == replica.REPLICA
    assert any(q["sql"].startswith("INSERT") for q in on_primary.captured_queries)
    assert not any(q["sql"].startswith("INSERT") for q in on_replica.captured_queries)
    assert SubRegion.objects.filter(name="Kempen").exists()


def test_a_replica_that_lags_too_much_sends_reads_to_the_primary(net, fake_replica, settings, monkeypatch):
    net.trajectory()
    settings.WERKBRUG_REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(replica, "measure", lambda alias: (31.0, None))
    with replica.reports_reads() as source:
        assert Trajectory.objects.count() == 1
    assert source.alias == "default"


def test_a_replica_within_the_lag_says_from_when_its_data_is(net, fake_replica, settings, monkeypatch):
    replayed = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=datetime.UTC)
    settings.WERKBRUG_REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(replica, "measure", lambda alias: (29.0, replayed))
    with replica.reports_reads() as source:
        pass
    assert (source.alias, source.data_as_of) == (replica.REPLICA, replayed)


def test_the_lag_is_measured_once_in_a_few_seconds(net, fake_replica, monkeypatch):
    calls = []
    monkeypatch.setattr(replica, "measure", lambda alias: calls.append(alias) or (0.0, None))
    for _ in range(3):
        with replica.reports_reads():
            pass
    assert calls == [replica.REPLICA]


def test_a_replica_that_is_down_sends_reads_to_the_primary_without_an_error(net, down_replica):
    net.trajectory()
    with replica.reports_reads() as source:
        assert Trajectory.objects.count() == 1
    assert source.alias == "default"


def test_a_replica_failing_half_way_gives_the_figures_of_the_primary(net, fake_replica):
    def compute() -> str:
        if replica.read_alias() == replica.REPLICA:
            connections[replica.REPLICA].close()  # as when the replica stops mid-report
            raise OperationalError("server closed the connection unexpectedly")
        return f"primary: {Trajectory.objects.count()}"

    net.trajectory()
    value, source = replica.run_reports(compute)
    assert (value, source.alias) == ("primary: 1", "default")


def test_a_broken_query_on_a_working_replica_is_not_hidden(net, fake_replica):
    def compute() -> None:
        with connections[replica.read_alias()].cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM trajectories_trajectory")

    with pytest.raises(DatabaseError):  # OperationalError on SQLite, ProgrammingError on PostgreSQL
        replica.run_reports(compute)


@pytest.mark.parametrize("state", ["fresh", "lagging", "down"])
def test_the_report_page_answers_and_says_from_when_its_data_is(
    net, login, settings, tmp_path, monkeypatch, state
):
    conf = unreachable(tmp_path) if state == "down" else read_only_copy()
    _add_alias(settings, conf)
    replayed = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=datetime.UTC)
    if state != "down":
        monkeypatch.setattr(replica, "measure", lambda alias: (5.0 if state == "fresh" else 600.0, replayed))
    # (Capturing the statements connects: not to a replica that is down.)
    on_replica = CaptureQueriesContext(connections[replica.REPLICA]) if state != "down" else None
    try:
        with on_replica if on_replica is not None else contextlib.nullcontext():
            response = login(net.coordinator).get(REPORT, {"year": 2025})
        assert response.status_code == 200
        page = response.content.decode()
        assert "data-data-as-of" in page
        # 09:15 UTC is 10:15 in Brussels in March; on the primary the data is from now.
        assert ("March 2, 2026, 10:15" in page) is (state == "fresh")
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]
        replica.forget()
    assert bool(on_replica is not None and on_replica.captured_queries) is (state == "fresh")


def test_a_replica_that_is_the_primarys_own_database_is_not_used(net, settings):
    """A test run with DATABASE_REPLICA_URL set: Django points the replica at the test database."""
    _add_alias(settings, {**connections["default"].settings_dict})
    try:
        assert not replica.configured()
        with replica.reports_reads() as source:
            pass
        assert source.alias == "default"
    finally:
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]


def test_the_router_never_migrates_the_replica():
    router = replica.ReplicaRouter()
    assert router.allow_migrate(replica.REPLICA, "clients") is False
    assert router.allow_migrate("default", "clients") is True
    assert router.db_for_write(Trajectory) == "default"
