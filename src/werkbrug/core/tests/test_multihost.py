"""Two app hosts behind HAProxy, PostgreSQL primary + streaming replica, in network namespaces
(issue 19, docs/deploy.md). The cluster is built once for the module (multihost.py, about a minute)
and every test leaves it as it found it: a killed host or a stopped replica is started again.

Runs as root on Linux with `ip`, haproxy and PostgreSQL's server binaries (.ci/run installs them);
elsewhere every test is skipped with the reason. Talks to the hosts over HTTP only, with one cookie
jar of its own (the session cookie is Secure with DEBUG off; a browser would only send it over
https, which the load balancer terminates in production).
"""

from __future__ import annotations

import datetime
import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest

from werkbrug.core.tests.multihost import (
    HAPROXY_FALL,
    HAPROXY_INTER_S,
    MAX_LAG_SECONDS,
    Cluster,
    missing_requirements,
)

pytestmark = [pytest.mark.multihost, pytest.mark.xdist_group("multihost")]

USERS = 8
LOAD_SECONDS_BEFORE_KILL = 2.0
LOAD_SECONDS_AFTER_KILL = 5.0
# HAProxy marks a host down after `fall` failed checks `inter` apart; one more interval covers the
# check that was already under way when the host died.
DETECTION_BOUND_S = HAPROXY_INTER_S * (HAPROXY_FALL + 1)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    reason = missing_requirements()
    if reason is not None:
        pytest.skip(f"multi-host test not run: {reason}")
    built = Cluster()
    try:
        built.start()
        yield built
    finally:
        built.stop()


@dataclass
class Browser:
    """One cookie jar that talks to any host by address."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, base: str, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        payload = None
        if body is not None:
            payload = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=payload, headers=headers)
        answer = conn.getresponse()
        text = answer.read().decode(errors="replace")
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "max-age=0" in value.lower() or cookie_value in ("", '""'):
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = cookie_value
        conn.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, text

    def csrf_token(self, base: str, path: str) -> str:
        status, _, text = self.request(base, "GET", path)
        assert status == 200, (path, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)


COACH_PAGE = "/trajectories/caseload/"


def logged_in(browser: Browser, base: str) -> bool:
    """The coach's caseload answers for the logged-in coach, and sends anyone else to the login."""
    status, headers, _ = browser.request(base, "GET", COACH_PAGE)
    if status in (301, 302):
        assert "/login/" in headers["location"]
        return False
    assert status == 200, status
    return True


def test_a_login_on_one_host_is_valid_on_the_other_and_logout_ends_it_on_both(cluster: Cluster) -> None:
    a, b = cluster.host_url("a"), cluster.host_url("b")
    browser = Browser()
    assert not logged_in(browser, a) and not logged_in(browser, b)

    token = browser.csrf_token(a, "/login/")
    status, _, _ = browser.request(
        a,
        "POST",
        "/login/",
        {
            "csrfmiddlewaretoken": token,
            "username": cluster.seed["coach"],
            "password": cluster.seed["password"],
        },
    )
    assert status == 302, status
    assert "sessionid" in browser.cookies
    assert logged_in(browser, a)
    assert logged_in(browser, b), "the session made on host A is not valid on host B"

    stolen = browser.cookies["sessionid"]
    token = browser.csrf_token(b, COACH_PAGE)
    status, _, _ = browser.request(b, "POST", "/logout/", {"csrfmiddlewaretoken": token})
    assert status in (200, 302), status
    assert not logged_in(browser, b)
    assert not logged_in(browser, a)
    # The old cookie, sent again as a copy of it would be: dead on both hosts.
    thief = Browser(cookies={"sessionid": stolen})
    assert not logged_in(thief, b)
    assert not logged_in(thief, a), "logout on host B left the session alive on host A"


def funder_get(cluster: Cluster, path: str) -> tuple[int, dict[str, str], str]:
    return Browser(cookies={"sessionid": cluster.seed["funder_session"]}).request(cluster.lb_url, "GET", path)


REPORT = "/reports/caseload/"
VERDICT_HOLD_SECONDS = 5.5
# Every report reads trajectories; the health checks, sessions and the lag probe do not.
REPORT_TABLE = "trajectories_trajectory"


def record_one_contact(cluster: Cluster) -> None:
    """A write on the primary, streamed to the replica: the network is at work."""
    answer = api_post_contact(cluster)
    assert answer.contact_id is not None, answer
    cluster.wait_replica_caught_up()


def report_reads(cluster: Cluster) -> tuple[int, int]:
    return (
        cluster.statement_calls(replica=True, table=REPORT_TABLE),
        cluster.statement_calls(replica=False, table=REPORT_TABLE),
    )


def test_a_report_through_the_load_balancer_is_served_from_the_replica(cluster: Cluster) -> None:
    record_one_contact(cluster)
    replica_before, primary_before = report_reads(cluster)
    status, _, text = funder_get(cluster, REPORT)
    assert status == 200, (status, text[:500])
    replica_after, primary_after = report_reads(cluster)
    assert replica_after > replica_before, "the report's reads did not reach the replica"
    assert primary_after == primary_before, "the report read trajectories on the primary"


def test_a_quiet_primary_is_not_a_lagging_replica(cluster: Cluster) -> None:
    """Nothing written for longer than WERKBRUG_REPLICA_MAX_LAG_SECONDS (a quiet night): the replica
    has replayed everything, so reports still read there (the time since the last replayed
    transaction is no lag when there is nothing to replay)."""
    record_one_contact(cluster)
    time.sleep(MAX_LAG_SECONDS + 1.5)
    replica_before, primary_before = report_reads(cluster)
    status, _, text = funder_get(cluster, REPORT)
    assert status == 200, (status, text[:500])
    replica_after, primary_after = report_reads(cluster)
    assert replica_after > replica_before, "an idle primary made reports leave the replica"
    assert primary_after == primary_before


def test_pages_other_than_reports_leave_the_replica_alone(cluster: Cluster) -> None:
    """The control for the tests above: a coach's pages read trajectories on the primary only."""
    browser = Browser()
    token = browser.csrf_token(cluster.lb_url, "/login/")
    credentials = {"username": cluster.seed["coach"], "password": cluster.seed["password"]}
    browser.request(cluster.lb_url, "POST", "/login/", {"csrfmiddlewaretoken": token, **credentials})
    replica_before, primary_before = report_reads(cluster)
    for _ in range(2):  # both hosts, through the round robin
        assert logged_in(browser, cluster.lb_url)
    replica_after, primary_after = report_reads(cluster)
    assert primary_after > primary_before
    assert replica_after == replica_before


def test_stopping_the_replica_makes_reports_fall_back_to_the_primary(cluster: Cluster) -> None:
    cluster.pg_ctl("replica", "stop", "-m", "fast")
    try:
        primary_before = cluster.statement_calls(replica=False, table=REPORT_TABLE)
        for _ in range(3):  # both app hosts, through the round robin
            status, _, text = funder_get(cluster, REPORT)
            assert status == 200, (status, text[:500])
            assert "<table" in text or "<svg" in text, "no report in the answer"
        assert cluster.statement_calls(replica=False, table=REPORT_TABLE) > primary_before
    finally:
        cluster.pg_ctl("replica", "start")
        cluster.wait_replica_streaming()
        # An app process keeps its verdict on the replica for a few seconds (core.replica): let the
        # "down" it saw expire before the next test.
        time.sleep(VERDICT_HOLD_SECONDS)


@dataclass
class Write:
    began: float
    ended: float
    status: int | None
    contact_id: int | None
    backend: str | None
    error: str = ""


def api_post_contact(cluster: Cluster) -> Write:
    """Record a contact through the load balancer's API; the answer as a Write."""
    parts = urlsplit(cluster.lb_url)
    path = f"/api/trajectories/{cluster.seed['trajectory']}/contacts"
    headers = {"Authorization": f"Bearer {cluster.seed['token']}", "Content-Type": "application/json"}
    body = json.dumps({"on": datetime.date.today().isoformat(), "note": "multihost", "duration_minutes": 30})
    began = time.monotonic()
    write = Write(began, began, None, None, None)
    try:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        content = answer.read()
        write.status = answer.status
        write.backend = answer.getheader("X-Werkbrug-Backend")
        if 200 <= answer.status < 300:
            write.contact_id = int(json.loads(content)["id"])
        conn.close()
    except Exception as error:  # a connection cut by the dying host: not acknowledged
        write.error = repr(error)
    write.ended = time.monotonic()
    return write


def record_contacts(
    cluster: Cluster, stop_at: list[float], results: list[Write], lock: threading.Lock
) -> None:
    """One user: record a contact through the load balancer's API, again and again, until told. A
    refused write is tried again after a moment, as a person would: refusals come back in a few
    milliseconds, and a tight loop used up its writes before the load after the kill was measured."""
    for _ in range(4000):  # bounded, whatever the clock does
        if time.monotonic() >= stop_at[0]:
            return
        write = api_post_contact(cluster)
        with lock:
            results.append(write)
        if write.contact_id is None:
            time.sleep(0.05)


def test_killing_an_app_host_under_load_loses_no_acknowledged_write(cluster: Cluster) -> None:
    results: list[Write] = []
    lock = threading.Lock()
    stop_at = [time.monotonic() + 60]
    users = [
        threading.Thread(target=record_contacts, args=(cluster, stop_at, results, lock)) for _ in range(USERS)
    ]
    for user in users:
        user.start()
    detected_after = None
    try:
        time.sleep(LOAD_SECONDS_BEFORE_KILL)
        killed_at = time.monotonic()
        cluster.kill_app("a")
        detected_after = cluster.wait_backend("a", "DOWN", timeout=10)
        stop_at[0] = killed_at + LOAD_SECONDS_AFTER_KILL
    finally:
        stop_at[0] = min(stop_at[0], time.monotonic() + LOAD_SECONDS_AFTER_KILL)
        for user in users:
            user.join(timeout=60)
        if "a" not in cluster.processes:
            cluster.start_app("a")
            cluster.wait_backend("a", "UP", timeout=30)

    acknowledged = [w for w in results if w.contact_id is not None]
    before_kill = [w for w in acknowledged if w.ended < killed_at]
    assert {w.backend for w in before_kill} == {"a", "b"}, "the load did not reach both hosts before the kill"
    assert any(w.began > killed_at + DETECTION_BOUND_S for w in acknowledged), "no load after the kill"

    # Every acknowledged write is in the primary.
    ids = [w.contact_id for w in acknowledged]
    rows = cluster.query("SELECT id FROM trajectories_contact WHERE id = ANY(%s)", ids, database="werkbrug")
    assert len(ids) == len(set(ids))
    assert {row[0] for row in rows} == set(ids), "acknowledged writes missing from the database"

    # HAProxy took the dead host out within its health-check interval, and from then on every
    # request was answered by the other host, without errors.
    assert detected_after is not None and detected_after <= DETECTION_BOUND_S, detected_after
    after_detection = [w for w in results if w.began > killed_at + DETECTION_BOUND_S]
    assert after_detection
    failed = [w for w in after_detection if w.contact_id is None]
    assert not failed, failed[:3]
    assert {w.backend for w in after_detection} == {"b"}
