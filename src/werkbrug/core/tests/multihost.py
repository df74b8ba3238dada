"""A small Werkbrug installation on one machine, built with Linux network namespaces, for the
multi-host test (test_multihost.py) and bench/hosts.py (docs/deploy.md, docs/scaling.md).

    10.231.N.1   root namespace: PostgreSQL primary (PG_PORT) and streaming replica (PG_PORT + 1)
    10.231.N.11  netns "a":  gunicorn app host A (:8000)
    10.231.N.12  netns "b":  gunicorn app host B (:8000)
    10.231.N.20  netns "lb": HAProxy (:8080), health checks on /healthz, inter 1s fall 2 rise 2

All on one bridge in the root namespace (veth pairs; 10.x addresses and loopback only, nothing
routed outside). Both app hosts run the same checkout against the same primary, with the replica as
DATABASE_REPLICA_URL. `Cluster.start()` builds everything, `Cluster.stop()` removes every process,
namespace, link and temporary directory again and is safe to call after a partial start.

Needs root on Linux with `ip`, `haproxy` (Debian: haproxy) and PostgreSQL's server binaries
(Debian: postgresql). `missing_requirements()` says what is missing, for a skip with a reason.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]
HAPROXY_INTER_S = 1.0
HAPROXY_FALL = 2
HAPROXY_RISE = 2
APP_PORT = 8000
LB_PORT = 8080
# WERKBRUG_REPLICA_MAX_LAG_SECONDS of the app hosts: short, so that a test can wait it out.
MAX_LAG_SECONDS = 5

SEED = r"""
import json
import django

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY

from werkbrug.accounts import twofactor
from werkbrug.network.models import ApiToken, Membership
from werkbrug.testing import PASSWORD, build_network

call_command("migrate", verbosity=0)
net = build_network()
trajectory = net.trajectory()
_, key = ApiToken.issue(Membership.objects.get(user=net.coach), "multihost")
# The funder's session as after a login with the second factor (as bench/pages.py makes them).
store = SessionStore()
store[SESSION_KEY] = str(net.funder.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = net.funder.get_session_auth_hash()
store[DEVICE_ID_SESSION_KEY] = twofactor.confirmed_totp(net.funder).persistent_id
store.create()
print("SEED " + json.dumps({
    "coach": net.coach.username, "password": PASSWORD, "trajectory": trajectory.pk,
    "token": key, "funder_session": store.session_key,
}))
"""


def missing_requirements() -> str | None:
    """Why the cluster cannot be built here, or None."""
    if not sys.platform.startswith("linux"):
        return "needs Linux network namespaces"
    if os.geteuid() != 0:
        return "needs root (network namespaces, PostgreSQL run as the postgres user)"
    for tool in ("ip", "haproxy", "runuser"):
        if _which(tool) is None:
            return f"`{tool}` not found (Debian: apt-get install iproute2 haproxy)"
    if pg_bin() is None:
        return (
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no `postgres` user to run PostgreSQL as"
    if not (Path(sys.executable).parent / "gunicorn").exists():
        return "gunicorn is not installed next to this Python"
    probe = f"wbprobe{os.getpid()}"
    done = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if done.returncode != 0:
        return f"cannot create a network namespace: {done.stderr.strip()}"
    subprocess.run(["ip", "netns", "delete", probe], capture_output=True)
    return None


def _which(tool: str) -> str | None:
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin:/usr/bin:/bin")


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _run(*args: str, check: bool = True, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, env=env, timeout=timeout)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


@dataclass
class Cluster:
    """One namespace cluster. `tag` keeps the names apart from another run on the same machine."""

    tag: str = field(default_factory=lambda: f"{os.getpid() % 100000}")
    workers: int = 2
    net: int = field(default_factory=lambda: 100 + os.getpid() % 150)
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="werkbrug-multihost-")))
    seed: dict[str, Any] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    namespaces: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(40))

    # --- addresses ---------------------------------------------------------------------------

    def ip(self, last: int) -> str:
        return f"10.231.{self.net}.{last}"

    @property
    def db_host(self) -> str:
        return self.ip(1)

    @property
    def pg_port(self) -> int:
        return 54400 + self.net % 100 * 2

    @property
    def replica_port(self) -> int:
        return self.pg_port + 1

    HOSTS = {"a": 11, "b": 12, "lb": 20}

    def host_url(self, host: str) -> str:
        return f"http://{self.ip(self.HOSTS[host])}:{APP_PORT}"

    @property
    def lb_url(self) -> str:
        return f"http://{self.ip(self.HOSTS['lb'])}:{LB_PORT}"

    def ns(self, host: str) -> str:
        return f"wbmh{self.tag}{host}"

    def database_url(self, replica: bool = False) -> str:
        return f"postgres://postgres@{self.db_host}:{self.replica_port if replica else self.pg_port}/werkbrug"

    # --- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        """Network, PostgreSQL primary with data, replica, static files, two app hosts, HAProxy."""
        os.chmod(self.tmp, 0o755)
        self.start_network()
        static = subprocess.Popen(  # meanwhile: it needs no database
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            env=self.app_env(),
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes["collectstatic"] = static
        self.start_primary()
        self.load_data()
        self.start_replica()
        if static.wait(timeout=300) != 0:
            raise RuntimeError("collectstatic failed")
        self.processes.pop("collectstatic")
        for host in ("a", "b"):
            self.start_app(host)
        self.start_haproxy()
        for host in ("a", "b"):
            self.wait_backend(host, "UP", timeout=60)

    def stop(self) -> None:
        """Everything away, whatever state a failed start left."""
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            self.processes.pop(name, None)
        for role in ("replica", "primary"):
            if (self.pgdir / role / "postmaster.pid").exists():
                self.pg_ctl(role, "stop", "-m", "immediate", check=False)
        for namespace in self.namespaces:
            _run("ip", "netns", "delete", namespace, check=False)
        for link in self.links:
            _run("ip", "link", "delete", link, check=False)
        self.namespaces, self.links = [], []
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_network(self) -> None:
        bridge = f"wb{self.tag}br"
        _run("ip", "link", "add", bridge, "type", "bridge")
        self.links.append(bridge)
        _run("ip", "addr", "add", f"{self.db_host}/24", "dev", bridge)
        _run("ip", "link", "set", bridge, "up")
        for host, last in self.HOSTS.items():
            namespace, outside, inside = self.ns(host), f"wb{self.tag}{host}", f"wb{self.tag}{host}i"
            _run("ip", "netns", "add", namespace)
            self.namespaces.append(namespace)
            _run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            self.links.append(outside)
            _run("ip", "link", "set", inside, "netns", namespace)
            _run("ip", "link", "set", outside, "master", bridge, "up")
            _run("ip", "-n", namespace, "addr", "add", f"{self.ip(last)}/24", "dev", inside)
            _run("ip", "-n", namespace, "link", "set", inside, "up")
            _run("ip", "-n", namespace, "link", "set", "lo", "up")

    # --- PostgreSQL ----------------------------------------------------------------------------

    def as_postgres(self, *args: str, check: bool = True) -> str:
        return _run("runuser", "-u", "postgres", "--", *args, check=check)

    def pg_ctl(self, role: str, action: str, *extra: str, check: bool = True) -> str:
        port = self.replica_port if role == "replica" else self.pg_port
        options = f"-p {port} -k {self.pgdir} -c listen_addresses={self.db_host}"
        args = [str(pg_bin() / "pg_ctl"), "-D", str(self.pgdir / role), "-l", str(self.pgdir / f"{role}.log")]
        if action == "start":
            args += ["-o", options, "-w", "-t", "60"]
        return self.as_postgres(*args, action, *extra, check=check)

    @property
    def pgdir(self) -> Path:
        """PostgreSQL's data directories, logs and sockets: the postgres user's."""
        return self.tmp / "pg"

    def start_primary(self) -> None:
        self.pgdir.mkdir(mode=0o700)
        shutil.chown(self.pgdir, "postgres", "postgres")
        datadir = self.pgdir / "primary"
        self.as_postgres(
            str(pg_bin() / "initdb"), "-D", str(datadir), "-U", "postgres", "-A", "trust", "--no-sync"
        )
        with open(datadir / "postgresql.conf", "a") as conf:
            # docs/deploy.md's primary settings; fsync off: a test cluster, the machine does not crash.
            conf.write(
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\n"
                "full_page_writes = off\nmax_connections = 100\n"
                # Which statements ran where: the test tells the report's reads from the rest.
                "shared_preload_libraries = 'pg_stat_statements'\n"
            )
        with open(datadir / "pg_hba.conf", "a") as hba:
            subnet = f"10.231.{self.net}.0/24"
            hba.write(f"host all all {subnet} trust\nhost replication all {subnet} trust\n")
        self.pg_ctl("primary", "start")
        self.psql("CREATE DATABASE werkbrug", database="postgres")
        self.psql("CREATE EXTENSION pg_stat_statements", database="werkbrug")

    def start_replica(self) -> None:
        """pg_basebackup -R: a copy of the primary that streams from it (standby.signal)."""
        self.as_postgres(
            str(pg_bin() / "pg_basebackup"), "-h", self.db_host, "-p", str(self.pg_port), "-U", "postgres",
            "-D", str(self.pgdir / "replica"), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        self.pg_ctl("replica", "start")
        self.wait_replica_streaming()

    def wait_replica_streaming(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.query("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
            if rows and rows[0][0] >= 1:
                return
            time.sleep(0.2)
        raise RuntimeError("the replica does not stream from the primary")

    def connect(self, replica: bool = False, database: str = "postgres") -> Any:
        import psycopg

        port = self.replica_port if replica else self.pg_port
        return psycopg.connect(
            host=self.db_host, port=port, user="postgres", dbname=database, autocommit=True
        )

    def query(
        self, sql: str, *params: object, replica: bool = False, database: str = "postgres"
    ) -> list[Any]:
        with self.connect(replica, database) as conn:
            return list(conn.execute(sql, params).fetchall())

    def psql(self, sql: str, database: str = "werkbrug") -> None:
        with self.connect(database=database) as conn:
            conn.execute(sql)

    def database_stats(self, replica: bool) -> tuple[int, int]:
        """(xact_commit + xact_rollback, tup_returned) of the werkbrug database on one server, read
        from the `postgres` database so that reading them does not count."""
        rows = self.query(
            "SELECT xact_commit + xact_rollback, tup_returned FROM pg_stat_database WHERE datname = 'werkbrug'",
            replica=replica,
        )
        return int(rows[0][0]), int(rows[0][1])

    def statement_calls(self, replica: bool, table: str) -> int:
        """How many statements on the werkbrug database that read `table` one server has run
        (pg_stat_statements; its own query text has the pattern as a parameter, so it does not count)."""
        rows = self.query(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
            " WHERE d.datname = 'werkbrug' AND s.query LIKE %s",
            f"%{table}%",
            replica=replica,
            database="werkbrug",
        )
        return int(rows[0][0])

    def wait_replica_caught_up(self, timeout: float = 10) -> None:
        """The replica has replayed everything the primary has written so far."""
        target = self.query("SELECT pg_current_wal_lsn()::text")[0][0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target, replica=True)[0][0]
            if done:
                return
            time.sleep(0.1)
        raise RuntimeError("the replica did not catch up")

    # --- the app -------------------------------------------------------------------------------

    def app_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST", "DATABASE"))}
        env.update(
            DJANGO_SETTINGS_MODULE="werkbrug.settings",
            PYTHONPATH=str(ROOT / "src"),
            DEBUG="false",
            SECRET_KEY=self.secret,
            PSEUDONYM_KEY=self.secret[::-1],
            ALLOWED_HOSTS="*",
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            DATABASE_URL=self.database_url(),
            DATABASE_REPLICA_URL=self.database_url(replica=True),
            WERKBRUG_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG_SECONDS),
            # These tests check where each report is computed: every request computes it. (Sharing
            # a funder's figures between requests, reports.shared, has tests of its own.)
            WERKBRUG_REPORT_SHARE_SECONDS="0",
            STATIC_ROOT=str(self.tmp / "static"),
            MEDIA_ROOT=str(self.tmp / "media"),
            WERKBRUG_VAR_DIR=str(self.tmp / "var"),
            LOG_LEVEL="WARNING",
        )
        return env

    def load_data(self) -> None:
        output = _run(sys.executable, "-c", SEED, env=self.app_env(), timeout=300)
        line = next(line for line in output.splitlines() if line.startswith("SEED "))
        self.seed = json.loads(line[5:])

    def start_app(self, host: str) -> None:
        """gunicorn as in deploy/werkbrug-web.service, in the host's namespace."""
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        log = open(self.tmp / f"gunicorn-{host}.log", "ab")  # noqa: SIM115 (kept by the process)
        self.processes[host] = subprocess.Popen(
            ["ip", "netns", "exec", self.ns(host), gunicorn, "werkbrug.wsgi",
             "--bind", f"0.0.0.0:{APP_PORT}", "--workers", str(self.workers), "--timeout", "60",
             "--graceful-timeout", "10", "--chdir", str(ROOT)],
            env=self.app_env(), stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        self.wait_http(self.host_url(host) + "/healthz", timeout=60)

    def kill_app(self, host: str) -> None:
        """The host dies: SIGKILL to gunicorn's master and workers, no graceful anything."""
        process = self.processes.pop(host)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def wait_http(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer 200 within {timeout} s (logs in {self.tmp})")

    # --- HAProxy -------------------------------------------------------------------------------

    def haproxy_config(self) -> str:
        """deploy/haproxy.cfg's backend, on plain http (TLS is not what this test is about)."""
        servers = "\n".join(
            f"    server {host} {self.ip(self.HOSTS[host])}:{APP_PORT} check" for host in ("a", "b")
        )
        return f"""global
    stats socket {self.tmp}/haproxy.sock mode 600 level admin
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch

frontend web
    bind {self.ip(self.HOSTS["lb"])}:{LB_PORT}
    default_backend app

backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    # maxconn = the host's workers: HAProxy queues the rest, so /healthz never waits behind a
    # backlog of page requests; a check that takes over 2 s counts as failed.
    timeout check 2s
    default-server inter {int(HAPROXY_INTER_S * 1000)}ms fall {HAPROXY_FALL} rise {HAPROXY_RISE} maxconn {self.workers}
    http-response set-header X-Werkbrug-Backend %s
{servers}
"""

    def start_haproxy(self) -> None:
        config = self.tmp / "haproxy.cfg"
        config.write_text(self.haproxy_config())
        log = open(self.tmp / "haproxy.log", "ab")  # noqa: SIM115 (kept by the process)
        self.processes["lb"] = subprocess.Popen(
            ["ip", "netns", "exec", self.ns("lb"), _which("haproxy") or "haproxy", "-db", "-f", str(config)],
            stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip

    def haproxy(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(self.tmp / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def backend_status(self) -> dict[str, str]:
        """HAProxy's view of each app host: UP, DOWN, or "UP 1/2" style transitions."""
        lines = self.haproxy("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        status = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "app" and row.get("svname") in ("a", "b"):
                status[row["svname"]] = row["status"]
        return status

    def wait_backend(self, host: str, status: str, timeout: float) -> float:
        """Seconds until HAProxy reports the host with this status."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            try:
                if self.backend_status().get(host) == status:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"HAProxy did not see {host} {status} within {timeout} s")
