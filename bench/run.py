#!/usr/bin/env python
"""Page benchmark (DESIGN §6): 8 concurrent coaches against a real gunicorn, on whatever database
DATABASE_URL names (SQLite in var/ by default).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/werkbrug_bench .venv/bin/python bench/run.py

What it does:
1. configures production-like settings (DEBUG off, manifest static files collected into
   bench/out/static, no HTTPS redirect because it talks plain http on loopback);
2. samples coaches with open trajectories and creates a Django session for each directly in the
   database (no password hashing, no login throttling in the way);
3. counts the queries of each page in-process (django.test.Client + CaptureQueriesContext);
4. starts `gunicorn werkbrug.wsgi -w 4 --threads 1` (by default) on 127.0.0.1 and lets N threads (default 8)
   each act as a coach: caseload page, then the file of a client in that caseload, again and again,
   for a bounded time and number of requests;
5. prints p50/p95/max latency and requests/s per page against the 150 ms p95 budget, then stops
   gunicorn and deletes the sessions it made.

Pages that are not built yet (still the `todo` placeholder) are skipped with a note.
Not part of the test run. See docs/bench.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BUDGET_P95_MS = 150.0


def configure_environment() -> None:
    """Production-like settings, shared by this process and the gunicorn it starts. SECRET_KEY
    must be the same in both: the session's auth hash is derived from it."""
    env = os.environ
    env.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.settings")
    env["DEBUG"] = "false"
    env.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    env.setdefault("PSEUDONYM_KEY", "bench-" + secrets.token_urlsafe(40))
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    env["SECURE_SSL_REDIRECT"] = "false"  # plain http on loopback
    env["SECURE_HSTS_SECONDS"] = "0"
    env.setdefault("STATIC_ROOT", str(OUT / "static"))
    env.setdefault("LOG_LEVEL", "ERROR")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]


@dataclass
class Coach:
    user_id: int
    username: str
    open_dossiers: int
    clients: list[int]
    session_key: str = ""


@dataclass
class Page:
    name: str
    url_name: str
    built: bool = True
    queries: int | None = None
    status: int | None = None
    samples: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)


def setup_django() -> None:
    import django

    django.setup()


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def page_is_built(url_name: str, *args: object) -> bool:
    from django.urls import resolve, reverse

    from werkbrug.core.todo import todo

    return resolve(reverse(url_name, args=args)).func is not todo


def data_summary() -> dict[str, object]:
    from django.db import connection

    from werkbrug.clients.models import Client
    from werkbrug.network.models import Organisation, User
    from werkbrug.trajectories.models import Contact, Trajectory

    return {
        "engine": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "clients": Client.objects.count(),
        "trajectories": Trajectory.objects.count(),
        "contacts": Contact.objects.count(),
    }


def sample_coaches(count: int, rng: random.Random) -> list[Coach]:
    from django.db.models import Count

    from werkbrug.network.models import User
    from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

    open_statuses = [TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED]
    loads = list(
        Trajectory.objects.filter(status__in=open_statuses, coach__isnull=False)
        .values("coach")
        .annotate(n=Count("id"))
        .values_list("coach", "n")
        .order_by("coach")
    )
    if not loads:
        raise SystemExit("No coach with open trajectories: generate data first (docs/bench.md).")
    chosen = rng.sample(loads, min(count, len(loads)))
    names = dict(User.objects.filter(pk__in=[c for c, _ in chosen]).values_list("pk", "username"))
    coaches = []
    for coach_id, n in chosen:
        clients = list(
            Trajectory.objects.filter(coach_id=coach_id, status__in=open_statuses).values_list(
                "client_id", flat=True
            )[:100]
        )
        coaches.append(Coach(coach_id, names[coach_id], n, clients))
    return coaches


def create_session(user: object, extra: dict[str, object] | None = None) -> str:
    """A logged-in session for `user`, written straight into the session store; returns its key.
    `extra` goes into the session too (bench/pages.py: the second factor's device)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    for key, value in (extra or {}).items():
        store[key] = value
    store.create()
    return store.session_key or ""


def create_sessions(coaches: list[Coach]) -> None:
    """A logged-in session per coach, written straight into the session store."""
    from werkbrug.network.models import User

    users = User.objects.in_bulk([c.user_id for c in coaches])
    for coach in coaches:
        coach.session_key = create_session(users[coach.user_id])


def delete_session_keys(keys: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=[k for k in keys if k]).delete()


def delete_sessions(coaches: list[Coach]) -> None:
    delete_session_keys([c.session_key for c in coaches])


def url_for(page: Page, coach: Coach, rng: random.Random) -> str:
    from django.urls import reverse

    if page.url_name == "clients:detail":
        return reverse(page.url_name, args=[rng.choice(coach.clients)])
    return reverse(page.url_name)


def count_queries(pages: list[Page], coach: Coach, rng: random.Random) -> None:
    """The number of queries of each page, in-process, for one sampled coach (second request, so
    that one-off caches do not count)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = coach.session_key
    for page in pages:
        if not page.built:
            continue
        url = url_for(page, coach, rng)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        page.queries = len(captured)
        page.status = response.status_code


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    OUT.mkdir(parents=True, exist_ok=True)
    log = (OUT / "gunicorn.log").open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "werkbrug.wsgi",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")])},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up; see {OUT / 'gunicorn.log'}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(conn: http.client.HTTPConnection, path: str, session_key: str) -> tuple[int, float]:
    from django.conf import settings

    started = time.perf_counter()
    conn.request(
        "GET",
        path,
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}", "Accept-Language": "nl-be"},
    )
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def run_load(
    port: int,
    pages: list[Page],
    coaches: list[Coach],
    users: int,
    duration: float,
    max_requests: int,
    warmup: int,
    seed: int,
) -> float:
    """Each thread is a coach at work: the caseload, then a client of it. Returns the wall time."""
    active = [p for p in pages if p.built]
    lock = threading.Lock()
    budget = {"left": max_requests}
    clock = {"began": 0.0, "stop": 0.0}

    def open_window() -> None:  # runs once, when every thread is warm, before any is released
        clock["began"] = time.perf_counter()
        clock["stop"] = clock["began"] + duration

    start_barrier = threading.Barrier(users + 1, action=open_window)

    def worker(index: int) -> None:
        rng = random.Random(seed + index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(warmup):  # warm the workers' connections and caches; not measured
            coach = coaches[rng.randrange(len(coaches))]
            for page in active:
                try:
                    fetch(conn, url_for(page, coach, rng), coach.session_key)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start_barrier.wait()
        while time.perf_counter() < clock["stop"]:
            coach = coaches[rng.randrange(len(coaches))]
            for page in active:
                with lock:
                    if budget["left"] <= 0:
                        return
                    budget["left"] -= 1
                path = url_for(page, coach, rng)
                try:
                    status, ms = fetch(conn, path, coach.session_key)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status, ms = 0, 0.0
                    detail = f"{path}: {exc!r}"
                else:
                    detail = f"{path}: HTTP {status}"
                with lock:
                    if status == 200:
                        page.samples.append(ms)
                    else:
                        page.errors += 1
                        if len(page.error_examples) < 3:
                            page.error_examples.append(detail)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    start_barrier.wait()
    for thread in threads:
        thread.join(duration + 120)
    return time.perf_counter() - clock["began"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(pages: list[Page], wall: float, summary: dict[str, object], args: argparse.Namespace) -> dict:
    print()
    print(
        f"Werkbrug page benchmark · {summary['engine']} ({summary['database']}) · "
        f"{summary['clients']:,} clients, {summary['trajectories']:,} trajectories, "
        f"{summary['contacts']:,} contacts, {summary['users']:,} users"
    )
    print(
        f"gunicorn -w {args.workers} --threads {args.threads} · {args.users} concurrent users · "
        f"{wall:.1f} s measured · budget p95 < {BUDGET_P95_MS:.0f} ms"
    )
    header = f"{'page':<16}{'queries':>8}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'req/s':>8}  budget"
    print(header)
    print("-" * len(header))
    result = {"summary": summary, "wall_s": wall, "pages": {}}
    for page in pages:
        if not page.built:
            print(f"{page.name:<16}  not built yet ({page.url_name} is still the placeholder): skipped")
            result["pages"][page.name] = {"built": False}
            continue
        n = len(page.samples)
        p50, p95, top = (
            percentile(page.samples, 0.5),
            percentile(page.samples, 0.95),
            max(page.samples or [0]),
        )
        verdict = "OK" if n and p95 < BUDGET_P95_MS else "OVER"
        print(
            f"{page.name:<16}{page.queries if page.queries is not None else '?':>8}{n:>10}{page.errors:>8}"
            f"{p50:>9.1f}{p95:>9.1f}{top:>9.1f}{n / wall:>8.1f}  {verdict}"
        )
        for example in page.error_examples:
            print(f"    error: {example}")
        result["pages"][page.name] = {
            "built": True,
            "queries": page.queries,
            "status_in_process": page.status,
            "requests": n,
            "errors": page.errors,
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(top, 1),
            "req_per_s": round(n / wall, 1),
        }
    total = sum(len(p.samples) for p in pages)
    print(f"{'all pages':<16}{'':>8}{total:>10}{'':>8}{'':>9}{'':>9}{'':>9}{total / wall:>8.1f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=8, help="concurrent users (threads)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load")
    parser.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured rounds per user first")
    parser.add_argument("--coaches", type=int, default=50, help="coaches sampled (one session each)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()

    configure_environment()
    setup_django()
    collect_static()
    rng = random.Random(args.seed)
    summary = data_summary()
    pages = [Page("caseload", "trajectories:caseload"), Page("client file", "clients:detail")]
    coaches = sample_coaches(args.coaches, rng)
    for page in pages:
        page.built = page_is_built(
            page.url_name, *([coaches[0].clients[0]] if "detail" in page.url_name else [])
        )
    if not any(p.built for p in pages):
        raise SystemExit("None of the pages is built yet.")
    create_sessions(coaches)
    process = None
    try:
        count_queries(pages, coaches[0], rng)
        print(
            f"Sampled {len(coaches)} coaches with open trajectories "
            f"({min(c.open_dossiers for c in coaches)}-{max(c.open_dossiers for c in coaches)} each); "
            f"queries counted for {coaches[0].username} ({coaches[0].open_dossiers} open dossiers)."
        )
        for page in pages:
            if page.built and page.status != 200:
                print(f"warning: {page.name} answered HTTP {page.status} in-process")
        process = start_gunicorn(args.port, args.workers, args.threads)
        wall = run_load(
            args.port, pages, coaches, args.users, args.duration, args.max_requests, args.warmup, args.seed
        )
        result = report(pages, wall, summary, args)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(result, indent=2))
    finally:
        if process is not None:
            stop(process)
        delete_sessions(coaches)


if __name__ == "__main__":
    main()
