#!/usr/bin/env python
"""Report benchmark (DESIGN §6): every report over the whole network, next to hand-written SQL that
computes the same numbers, on whatever database DATABASE_URL names.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/reports.py
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/werkbrug_bench .venv/bin/python bench/reports.py

For each report it times, as a funder would get it (network-wide, small cells suppressed):
- "report": the generator (its aggregate queries, the roll-up, suppression) and the HTML of its
  sections with the SVG charts, i.e. everything but the page chrome;
- "SQL": the hand-written statements in `hand_sql.py` for this engine, fetched to the end.
Each is run once to warm the caches, then `--runs` times in turns; the median is printed with the ratio and
the budgets: under 2 s, and at most 2x the SQL. It also checks that both give the same numbers.
Not part of the test run. See docs/bench.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 2.0
BUDGET_RATIO = 2.0


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import django

    django.setup()


def timed(report: Callable[[], object], sql: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median times of the report and of its SQL, run in turns so that a busy moment on the machine
    weighs on both alike; and the SQL's rows."""
    report(), sql()  # warm-up
    report_times, sql_times, rows = [], [], None
    for _ in range(runs):
        began = time.perf_counter()
        report()
        report_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        rows = sql()
        sql_times.append(time.perf_counter() - began)
    return statistics.median(report_times), statistics.median(sql_times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None, help="default: last year")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--report", action="append", help="only this report (slug); repeatable")
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.template.loader import render_to_string
    from django.utils import timezone, translation
    from hand_sql import HAND_SQL, check

    from werkbrug.core.actor import Actor
    from werkbrug.network.models import Membership, Role
    from werkbrug.reports.formats import context
    from werkbrug.reports.framework import REGISTRY, Params

    translation.activate("nl-be")
    year = args.year or timezone.localdate().year - 1
    params = Params(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    funder = Membership.objects.filter(role=Role.FUNDER).select_related("user", "organisation").first()
    if funder is None:
        sys.exit("No funder in this database: run `manage.py generate_network --scale full` first.")
    actor = Actor(user=funder.user, membership=funder)
    engine = connection.vendor
    counts = connection.cursor()
    counts.execute("SELECT count(*) FROM trajectories_trajectory")
    (trajectories,) = counts.fetchone()
    print(
        f"engine {engine} · {trajectories:,} trajectories · period {params.start} - {params.end} · median of {args.runs}"
    )
    print(f"{'report':<10} {'report s':>9} {'SQL s':>7} {'ratio':>6}  budget  same numbers")
    failures = 0
    for slug, report_class in REGISTRY.items():
        if args.report and slug not in args.report:
            continue

        def run_report(report_class=report_class) -> object:
            result = report_class().run(actor, params, now=timezone.now())
            render_to_string("reports/_sections.html", context(result))
            return result

        def run_sql(slug=slug) -> object:
            rows = []
            with connection.cursor() as cursor:
                if engine == "postgresql":
                    # Planned for its values, as the reports are (core.replica.run_reports).
                    cursor.execute("SET plan_cache_mode = force_custom_plan")
                for sql, sql_params in HAND_SQL[slug][engine](params):
                    cursor.execute(sql, sql_params)
                    rows.append(cursor.fetchall())
                if engine == "postgresql":
                    cursor.execute("RESET plan_cache_mode")
            return rows

        if slug not in HAND_SQL:
            print(f"{slug:<10} no hand-written SQL yet")
            failures += 1
            continue
        report_s, sql_s, rows = timed(run_report, run_sql, args.runs)
        # The report's own sections, unsuppressed, against the SQL's numbers.
        same = check(slug, report_class().sections(params, detail=False), rows)
        ratio = report_s / sql_s if sql_s else float("inf")
        ok = report_s < BUDGET_S and ratio <= BUDGET_RATIO
        failures += not (ok and same)
        print(
            f"{slug:<10} {report_s:>9.3f} {sql_s:>7.3f} {ratio:>6.2f}  {'ok' if ok else 'OVER':<6}  {'yes' if same else 'NO'}"
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
