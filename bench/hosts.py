#!/usr/bin/env python
"""One app host against two, and reports on the primary against the replica (issue 19,
docs/scaling.md), on the namespace cluster of the multi-host test (src/werkbrug/core/tests/multihost.py):
two gunicorn hosts, HAProxy, PostgreSQL primary + streaming replica, all on this machine.

    sudo .venv/bin/python bench/hosts.py --scale small --users 8 --duration 20

Needs root, `ip`, haproxy and PostgreSQL's server binaries (as the multi-host test). It generates a
network of the given scale on the cluster's primary, then:
1. pages: N coach threads in a closed loop (caseload, then a client file of it, no wait), for
   `--duration` seconds each: on host A directly, through HAProxy with host B disabled, and through
   HAProxy with both hosts; p50/p95, requests/s and requests/s per core, and the ratio two/one;
2. reports: bench/reports.py against the primary and against the replica (same data, streamed).
Everything runs on the same cores, so two hosts show the load balancer's cost and the spread, not
more capacity: capacity per core is the figure to carry over (docs/scaling.md). Not part of the
test run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from werkbrug.core.tests.multihost import Cluster, missing_requirements  # noqa: E402


class BenchCluster(Cluster):
    scale: str = "small"

    def load_data(self) -> None:
        env = self.app_env()
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        began = time.monotonic()
        subprocess.run(
            [*manage, "generate_network", "--scale", self.scale],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"generate_network --scale {self.scale}: {time.monotonic() - began:.0f} s")


def coach_sessions(cluster: Cluster, count: int) -> list[tuple[str, list[int]]]:
    """(session key, clients of the caseload) of sampled coaches, written on the primary."""
    os.environ.update(cluster.app_env())
    import django

    django.setup()
    from run import create_session, sample_coaches

    from werkbrug.network.models import User

    coaches = sample_coaches(count, random.Random(19))
    users = User.objects.in_bulk([c.user_id for c in coaches])
    return [(create_session(users[c.user_id]), c.clients) for c in coaches if c.clients]


def load(base: str, sessions: list[tuple[str, list[int]]], users: int, duration: float) -> dict[str, float]:
    from django.urls import reverse

    parts = urlsplit(base)
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    caseload = reverse("trajectories:caseload")
    stop_at = time.monotonic() + duration

    def user(index: int) -> None:
        session, clients = sessions[index % len(sessions)]
        rng = random.Random(index)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            for path in (caseload, reverse("clients:detail", args=[rng.choice(clients)])):
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
                    answer = conn.getresponse()
                    answer.read()
                    ok = answer.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                    ok = False
                if ok:
                    mine.append((time.perf_counter() - began) * 1000)
                else:
                    failed += 1
        with lock:
            samples.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    ordered = sorted(samples)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")

    rps = len(samples) / wall
    return {
        "p50": pct(0.5),
        "p95": pct(0.95),
        "rps": rps,
        "per_core": rps / (os.cpu_count() or 1),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "full"])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app host")
    parser.add_argument("--runs", type=int, default=3, help="bench/reports.py runs per server")
    args = parser.parse_args()
    reason = missing_requirements()
    if reason:
        sys.exit(f"bench/hosts.py cannot run here: {reason}")

    cluster = BenchCluster(workers=args.workers)
    cluster.scale = args.scale
    try:
        began = time.monotonic()
        cluster.start()
        print(
            f"cluster up in {time.monotonic() - began:.0f} s ({os.cpu_count()} cores, load {os.getloadavg()})"
        )
        sessions = coach_sessions(cluster, 50)
        print(f"{len(sessions)} coaches, {args.users} users, {args.duration:.0f} s per phase, closed loop")
        for base in (cluster.host_url("a"), cluster.lb_url):  # warm both hosts' workers
            load(base, sessions, args.users, 3)
        results = {}
        results["one host, direct"] = load(cluster.host_url("a"), sessions, args.users, args.duration)
        cluster.haproxy("disable server app/b")
        results["one host, via HAProxy"] = load(cluster.lb_url, sessions, args.users, args.duration)
        cluster.haproxy("enable server app/b")
        cluster.wait_backend("b", "UP", timeout=30)
        results["two hosts, via HAProxy"] = load(cluster.lb_url, sessions, args.users, args.duration)
        print(
            f"\n{'pages (caseload + client file)':32} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'/core':>7} {'errors':>6}"
        )
        for name, r in results.items():
            print(
                f"{name:32} {r['p50']:8.1f} {r['p95']:8.1f} {r['rps']:8.1f} {r['per_core']:7.1f} {r['errors']:6.0f}"
            )
        one, two = results["one host, via HAProxy"], results["two hosts, via HAProxy"]
        print(
            f"two hosts / one host: {two['rps'] / one['rps']:.2f}x requests/s, p95 {two['p95'] / one['p95']:.2f}x"
        )
        print(f"load average after the pages: {os.getloadavg()}")

        env = {k: v for k, v in cluster.app_env().items() if k != "DATABASE_REPLICA_URL"}
        for name, url in (
            ("primary", cluster.database_url()),
            ("replica", cluster.database_url(replica=True)),
        ):
            print(f"\n== reports on the {name} ({url})")
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "reports.py"), "--runs", str(args.runs)],
                env={**env, "DATABASE_URL": url},
                check=False,
            )
        print(f"load average after the reports: {os.getloadavg()}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
