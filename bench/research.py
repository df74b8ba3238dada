#!/usr/bin/env python
"""Research export benchmark (issue 14, point 3): the export as a researcher downloads it, next to one
hand-written SQL statement that writes the same CSV, on whatever database DATABASE_URL names.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/research.py
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/werkbrug_bench .venv/bin/python bench/research.py

- "export": `reports.research_sql.prepare` (the aggregate statement and the k-anonymity decision) and
  `stream` (the one streaming statement, the trailer) consumed to the last byte: what the view does
  after its access checks and audit row.
- "SQL": one hand-written statement over the tables (below) giving the same lines with the exact
  quasi-identifiers (no k-anonymity, which needs counts first), read to the end and written as the
  CSV: on PostgreSQL `COPY (...) TO STDOUT`, on SQLite a cursor and the csv module. Its pseudonym is
  the same HMAC-SHA256 (PostgreSQL: built-in sha256() with the key's pads in a temporary table;
  SQLite: the same Python function, SQLite has no SHA-256).
Each is run once to warm the caches, then `--runs` times in turns; the median is printed with the
ratio (budget: at most 1.5x). It also checks that, with k = 1, the export's file (without its trailer)
is byte for byte the hand-written statement's. Not part of the test run. See docs/bench.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BUDGET_RATIO = 1.5


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import django

    django.setup()


def hand_sql(year: int, vendor: str) -> tuple[str, list[object]]:
    """The year's lines with the exact quasi-identifiers, straight from the tables."""
    from werkbrug.reports import research_codebook
    from werkbrug.reports.research_sql import _Sql

    q = _Sql(vendor)
    labels = research_codebook._labels()

    def label(expression: str, column: str) -> str:
        whens = " ".join(
            f"WHEN {q.literal(code)} THEN {q.literal(name)}" for code, name in labels[column].items()
        )
        return f"CASE {expression} {whens} ELSE NULLIF({expression}, '') END"

    year_of = (
        "extract(year FROM c.birth_date)::int" if vendor == "postgresql" else "substr(c.birth_date, 1, 4)"
    )
    kinds = sorted(labels["outcomes"])
    flags = ", ".join(
        f"max(CASE WHEN o.kind = '{kind}' THEN 1 ELSE 0 END) AS k_{i}" for i, kind in enumerate(kinds)
    )
    select = ", ".join(
        [
            q.pseudonym("c.person_key"),
            year_of,
            label("c.gender", "gender"),
            q.safe("s.name"),
            "CASE WHEN c.ggz_contact THEN 1 ELSE 0 END",
            label("c.benefit_status", "benefit_status"),
            "row_number() OVER (ORDER BY t.id)",
            q.safe("ty.code"),
            q.safe("lead.name"),
            label("lead.org_type", "lead_organisation_type"),
            label("t.status", "status"),
            q.month("t.started_on"),
            q.month("t.closed_on"),
            label("t.close_reason", "close_reason"),
            q.safe("line.name"),
            label("r.channel", "referral_channel"),
            q.local_month("r.created_at"),
            label("referrer.org_type", "referring_organisation_type"),
            q.month("o.paid_on"),
            "COALESCE(o.nec, 0)",
            q.outcomes(),
        ]
    )
    sql = f"""
        WITH o AS (
            SELECT o.trajectory_id AS id, {flags},
                   min(CASE WHEN o.kind = 'paid_work' THEN o."on" END) AS paid_on,
                   max(CASE WHEN o.kind = 'paid_work' AND o.economy = 'nec' AND o.certainty = 'verified'
                            THEN 1 ELSE 0 END) AS nec
            FROM trajectories_outcome o WHERE o."on" BETWEEN %s AND %s GROUP BY o.trajectory_id
        )
        SELECT {select}
        FROM trajectories_trajectory t
        JOIN clients_client c ON c.id = t.client_id
        LEFT JOIN network_subregion s ON s.id = c.subregion_id
        JOIN network_trajectorytype ty ON ty.id = t.type_id
        JOIN network_organisation lead ON lead.id = t.lead_organisation_id
        LEFT JOIN referrals_referral r ON r.id = t.referral_id
        LEFT JOIN network_referralline line ON line.id = r.line_id
        LEFT JOIN network_organisation referrer ON referrer.id = r.referring_organisation_id
        LEFT JOIN o ON o.id = t.id
        {"CROSS JOIN bench_research_key k" if vendor == "postgresql" else ""}
        WHERE t.started_on <= %s AND (t.closed_on IS NULL OR t.closed_on >= %s)
        ORDER BY t.id"""
    start, end = datetime.date(year, 1, 1).isoformat(), datetime.date(year, 12, 31).isoformat()
    return sql, [start, end, end, start]


def run_hand_sql(year: int) -> bytes:
    """The hand-written statement's CSV (BOM, header, lines), read to the end."""
    from django.conf import settings
    from django.db import connection

    from werkbrug.core import spreadsheet
    from werkbrug.reports import research_codebook, research_sql
    from werkbrug.reports.research import COLUMNS

    header = spreadsheet.csv_text([research_codebook.headers(COLUMNS)]).encode()
    delimiter = ";" if spreadsheet.uses_decimal_comma() else ","
    sql, params = hand_sql(year, connection.vendor)
    out = [header]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_research_key (ipad bytea, opad bytea)")
            cursor.execute("DELETE FROM bench_research_key")
            with cursor.copy("COPY bench_research_key FROM STDIN") as copy:
                copy.write_row(research_sql._pads(settings.PSEUDONYM_KEY.encode()))
            query = psycopg.ClientCursor(cursor.connection).mogrify(sql, params)
            with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, DELIMITER '{delimiter}')") as copy:
                out += [bytes(data)[:-1] + b"\r\n" for data in copy]
        else:
            research_sql._register_sqlite_functions()
            cursor.execute(sql, params)
            text = io.StringIO()
            writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
            while batch := cursor.fetchmany(research_sql.FETCH_ROWS):
                writer.writerows([["" if value is None else value for value in row] for row in batch])
            out.append(text.getvalue().encode())
    return b"".join(out)


def run_export(year: int) -> bytes:
    from werkbrug.reports import research_sql

    # As the job runs it (reports.tasks): both statements in one snapshot where the engine allows.
    with research_sql.one_snapshot():
        return b"".join(research_sql.stream(research_sql.prepare(year)))


def run_prepare(year: int) -> object:
    from werkbrug.reports import research_sql

    with research_sql.one_snapshot():
        return research_sql.prepare(year)


def timed(first: Callable[[], object], second: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median times of both, run in turns so that a busy moment weighs on both alike."""
    first(), second()  # warm-up
    a, b = [], []
    for _ in range(runs):
        began = time.perf_counter()
        first()
        a.append(time.perf_counter() - began)
        began = time.perf_counter()
        second()
        b.append(time.perf_counter() - began)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None, help="default: last year")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.utils import timezone, translation

    from werkbrug.reports import research_sql

    translation.activate("nl-be")
    year = args.year or timezone.localdate().year - 1
    # The same CSV: with k = 1 the export writes the exact quasi-identifiers, as the statement does.
    k, research_sql.K = research_sql.K, 1
    export_file, hand_file = run_export(year), run_hand_sql(year)
    research_sql.K = k
    body = export_file[: export_file.rindex(research_sql.TRAILER_START.encode())]
    same = body == hand_file
    lines = hand_file.count(b"\r\n") - 1
    export_s, sql_s = timed(lambda: run_export(year), lambda: run_hand_sql(year), args.runs)
    # Of which the aggregate and the decision (the one step the hand-written statement does not do),
    # in one snapshot as the export runs it (on PostgreSQL that writes the year's lines once too).
    prepare_s, _none = timed(lambda: run_prepare(year), lambda: None, args.runs)
    ratio = export_s / sql_s if sql_s else float("inf")
    ok = ratio <= BUDGET_RATIO
    print(
        f"engine {connection.vendor} · year {year} · {lines:,} lines · {len(export_file):,} bytes · median of {args.runs}"
    )
    print(f"{'export s':>9} {'of which aggregate s':>21} {'SQL s':>7} {'ratio':>6}  budget  same CSV (k = 1)")
    print(
        f"{export_s:>9.3f} {prepare_s:>21.3f} {sql_s:>7.3f} {ratio:>6.2f}  {'ok' if ok else 'OVER':<6}  "
        f"{'yes' if same else 'NO'}"
    )
    sys.exit(0 if ok and same else 1)


if __name__ == "__main__":
    main()
