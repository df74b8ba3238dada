#!/usr/bin/env python
"""Growth from small to full scale with both scales measured in the same minutes (issue 14).

    .venv/bin/python bench/growth.py --small sqlite:////tmp/bench-small.sqlite3 \\
        --full sqlite:////tmp/bench.sqlite3 --json bench/out/growth-sqlite.json

`bench/pages.py --compare` divides one run's p50 by another run's, taken minutes apart; this
machine's speed drifts by up to half within minutes (docs/bench.md, "The floor"), and the growth
factor of an unchanged page moved by a third between two such runs (s47). Here one `bench/pages.py
--serve-urls` per scale samples its personas (the same seed and counts as a page bench run), checks
every URL in-process and serves the data on its own gunicorn; this script then opens, at one user,
round after round, every page in a new random order, and each page at both scales in a random
order, each request after one to that scale's /healthz. A page's two p50s (and the two floors) come
from the same minutes, so their ratio is the data's size and not the machine's drift.

A request picks a persona of the page's role, then one of its URLs (`pages.all_urls`), at random.
Per page it prints the p50 at each scale, the growth factor (full p50 / small p50), and the
growth of the page's ratio to /healthz (growth divided by the floor's own growth).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pages import load_average
from run import percentile

BENCH = Path(__file__).resolve().parent
SCALES = ("small", "full")


class Server:
    """One `bench/pages.py --serve-urls` child: its gunicorn, URLs and sessions, until `close()`."""

    def __init__(self, scale: str, database_url: str, port: int, options: list[str], folder: Path) -> None:
        self.scale = scale
        self.path = folder / f"{scale}.json"
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(BENCH / "pages.py"),
                "--serve-urls",
                str(self.path),
                "--port",
                str(port),
                *options,
            ],
            env={**os.environ, "DATABASE_URL": database_url},
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        self.served: dict = {}
        self.conn: http.client.HTTPConnection | None = None

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.path.exists():
            if self.process.poll() is not None:
                raise SystemExit(f"bench/pages.py for the {self.scale} scale stopped before serving")
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"bench/pages.py for the {self.scale} scale did not serve within {timeout:.0f} s"
                )
            time.sleep(0.5)
        self.served = json.loads(self.path.read_text())
        self.conn = http.client.HTTPConnection("127.0.0.1", self.served["port"], timeout=60)

    def get(self, path: str, session_key: str) -> tuple[int, float]:
        assert self.conn is not None
        headers = {"Accept-Language": "nl-be"}
        if session_key:
            headers["Cookie"] = f"{self.served['cookie']}={session_key}"
        started = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.served["port"], timeout=60)
            return 0, 0.0
        return response.status, (time.perf_counter() - started) * 1000

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure(servers: dict[str, Server], keys: list[str], seconds: float, seed: int) -> dict:
    """One user: 3 unmeasured requests a page and scale, then whole rounds for `seconds` a page and
    scale in all. Returns the samples: {"floor": {scale: [...]}, "pages": {key: {scale: [...]}},
    "by_persona": {key: {scale: {username: [...]}}}, "errors": {key: {scale: n}}}."""
    rng = random.Random(seed)
    floor: dict[str, list[float]] = {scale: [] for scale in servers}
    samples = {key: {scale: [] for scale in servers} for key in keys}
    by_persona: dict[str, dict[str, dict[str, list[float]]]] = {
        key: {scale: {} for scale in servers} for key in keys
    }
    errors = {key: dict.fromkeys(servers, 0) for key in keys}

    def page_request(key: str, scale: str, record: bool = True) -> None:
        server = servers[scale]
        session_key, urls, username = rng.choice(server.served["pages"][key])
        status, ms = server.get(rng.choice(urls), session_key)
        if not record:
            return
        if status == 200:
            samples[key][scale].append(ms)
            by_persona[key][scale].setdefault(username, []).append(ms)
        else:
            errors[key][scale] += 1

    for key in keys:
        for scale in servers:
            for _ in range(3):
                page_request(key, scale, record=False)
    order = list(keys)
    scales = list(servers)
    stop_at = time.perf_counter() + seconds * len(keys) * len(scales)
    while time.perf_counter() < stop_at:  # whole rounds: every page and scale the same number of times
        rng.shuffle(order)
        for key in order:
            rng.shuffle(scales)
            for scale in scales:
                status, ms = servers[scale].get(servers[scale].served["floor"], "")
                if status == 200:
                    floor[scale].append(ms)
                page_request(key, scale)
    return {"floor": floor, "pages": samples, "by_persona": by_persona, "errors": errors}


def figures(measured: dict) -> dict:
    def p50(values: list[float]) -> float | None:
        return percentile(values, 0.5) if values else None  # as bench/pages.py takes it

    floor = {scale: p50(values) for scale, values in measured["floor"].items()}
    floor_growth = floor["full"] / floor["small"] if floor["small"] and floor["full"] else None
    pages = {}
    for key, by_scale in measured["pages"].items():
        small, full = p50(by_scale["small"]), p50(by_scale["full"])
        growth = full / small if small and full else None
        pages[key] = {
            "n": {scale: len(values) for scale, values in by_scale.items()},
            "errors": measured["errors"][key],
            "small_p50_ms": small,
            "full_p50_ms": full,
            "x_healthz_full": full / floor["full"] if full and floor["full"] else None,
            "growth": growth,
            "growth_x_healthz": growth / floor_growth if growth and floor_growth else None,
            "persona_p50_ms": {
                scale: {name: p50(values) for name, values in sorted(personas.items())}
                for scale, personas in measured["by_persona"][key].items()
            },
        }
    return {"floor_p50_ms": floor, "floor_growth": floor_growth, "pages": pages}


def print_table(result: dict, servers: dict[str, Server], per_persona: bool) -> None:
    def f(value: object, fmt: str = ".1f") -> str:
        return "-" if value is None else format(value, fmt)

    for scale, server in servers.items():
        s = server.served["summary"]
        print(
            f"{scale}: {s['engine']} ({s['database']}) · {s['clients']:,} clients, {s['trajectories']:,} "
            f"trajectories, {s['contacts']:,} contacts · sampled URLs answering non-200 in-process: "
            f"{server.served['non_200']}"
        )
    header = (
        f"{'page':<30}{'small p50':>10}{'full p50':>10}{'x healthz':>10}{'growth':>8}{'growth x':>9}{'n':>6}"
    )
    print(header)
    print("-" * len(header))
    for key, row in result["pages"].items():
        print(
            f"{key:<30}{f(row['small_p50_ms']):>10}{f(row['full_p50_ms']):>10}{f(row['x_healthz_full']):>10}"
            f"{f(row['growth'], '.2f'):>8}{f(row['growth_x_healthz'], '.2f'):>9}{min(row['n'].values()):>6}"
        )
        if per_persona:
            for scale, personas in row["persona_p50_ms"].items():
                print(f"    {scale}: " + ", ".join(f"{name} {f(ms)}" for name, ms in personas.items()))
        if any(row["errors"].values()):
            print(f"    non-200 answers: {row['errors']}")
    floor = result["floor_p50_ms"]
    print(
        f"floor: /healthz before every page request, p50 {f(floor['small'], '.2f')} ms small, "
        f"{f(floor['full'], '.2f')} ms full (growth {f(result['floor_growth'], '.2f')})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", required=True, help="DATABASE_URL of the small scale's data")
    parser.add_argument("--full", required=True, help="DATABASE_URL of the full scale's data")
    parser.add_argument("--pages", default="", help="as bench/pages.py --pages")
    parser.add_argument("--personas", type=int, default=5, help="users sampled per role, at each scale")
    parser.add_argument("--single", type=float, default=4.0, help="seconds per page and scale")
    parser.add_argument("--ports", type=int, nargs=2, default=(8771, 8772), metavar=("SMALL", "FULL"))
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per scale")
    parser.add_argument("--setup-timeout", type=float, default=900.0, help="seconds to sample and check")
    parser.add_argument("--per-persona", action="store_true", help="print each persona's p50 under its page")
    parser.add_argument("--json", type=Path, help="write the figures and samples as JSON here")
    args = parser.parse_args()

    options = ["--personas", str(args.personas), "--seed", str(args.seed), "--workers", str(args.workers)]
    if args.pages:
        options += ["--pages", args.pages]
    with tempfile.TemporaryDirectory(prefix="werkbrug-growth-") as folder:
        servers: dict[str, Server] = {}
        try:
            # One after the other: both would collect the static files into the same folder at once.
            for scale, url, port in zip(SCALES, (args.small, args.full), args.ports, strict=True):
                servers[scale] = Server(scale, url, port, options, Path(folder))
                servers[scale].wait_ready(args.setup_timeout)
            keys = [k for k in servers["small"].served["pages"] if k in servers["full"].served["pages"]]
            skipped = sorted(set(servers["small"].served["pages"]) ^ set(servers["full"].served["pages"]))
            began, load_start = time.strftime("%H:%M:%S", time.gmtime()), load_average()
            measured = measure(servers, keys, args.single, args.seed)
            ended, load_end = time.strftime("%H:%M:%S", time.gmtime()), load_average()
            result = figures(measured)
            print(f"Werkbrug growth bench · 1 user, {args.single:.0f} s a page and scale, in turns")
            print(f"measured {began}-{ended} UTC, load average {load_start} → {load_end}")
            if skipped:
                print(f"pages with a persona at one scale only, left out: {', '.join(skipped)}")
            print_table(result, servers, args.per_persona)
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                summaries = {scale: server.served["summary"] for scale, server in servers.items()}
                args.json.write_text(
                    json.dumps(
                        {
                            "measured_utc": [began, ended],
                            "load": [load_start, load_end],
                            "summaries": summaries,
                            **result,
                            "samples": measured,
                        },
                        indent=2,
                    )
                )
        finally:
            for server in servers.values():
                server.close()


if __name__ == "__main__":
    main()
