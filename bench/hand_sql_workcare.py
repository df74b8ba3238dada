"""Hand-written SQL for the work-care report (reports/workcare.py), the same on PostgreSQL and SQLite:
the latest agreement of each participant in the period by a window function, then plain GROUP BYs;
and the check of the report's numbers against it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hand_sql import Statements, _moment

from werkbrug.reports.framework import Params, Section
from werkbrug.workcare.models import Aim, Form

PARTICIPANTS = """WITH a AS (
    SELECT g.trajectory_id, g.form, g.aim, g.starts_on,
        ROW_NUMBER() OVER (PARTITION BY g.trajectory_id ORDER BY g.starts_on DESC, g.id DESC) AS rn
    FROM workcare_workcareagreement g
    WHERE g.starts_on <= %s AND (g.ends_on IS NULL OR g.ends_on >= %s) AND g.recorded_at < %s
), p AS (SELECT * FROM a WHERE rn = 1)"""


def _outcome(kind: str) -> str:
    return f"""EXISTS (SELECT 1 FROM trajectories_outcome o WHERE o.trajectory_id = p.trajectory_id
        AND o.kind = '{kind}' AND o."on" BETWEEN %s AND %s)"""


IPS = """EXISTS (SELECT 1 FROM trajectories_trajectory t
    JOIN trajectories_trajectory i ON i.client_id = t.client_id
    JOIN network_trajectorytype y ON y.id = i.type_id
    WHERE t.id = p.trajectory_id AND y.code = 'ips' AND i.started_on BETWEEN %s AND %s)"""


def _workcare(p: Params, vendor: str) -> Statements:
    start, end = p.start.isoformat(), p.end.isoformat()
    participants = [end, start, _moment(p.as_of, vendor)]
    return [
        (
            f"""{PARTICIPANTS}
            SELECT p.form, p.aim, COUNT(*), COUNT(CASE WHEN p.starts_on >= %s THEN 1 END),
                COUNT(CASE WHEN {_outcome("paid_work")} THEN 1 END),
                COUNT(CASE WHEN {_outcome("training")} THEN 1 END),
                COUNT(CASE WHEN {IPS} THEN 1 END)
            FROM p GROUP BY p.form, p.aim""",
            [*participants, start, start, end, start, end, start, end],
        ),
        (
            f"""{PARTICIPANTS}
            SELECT p.form, p.aim, SUM(h.hours) FROM p
            JOIN workcare_dayhours h ON h.trajectory_id = p.trajectory_id
            WHERE h.day BETWEEN %s AND %s GROUP BY p.form, p.aim""",
            [*participants, start, end],
        ),
    ]


def workcare_pg(p: Params) -> Statements:
    return _workcare(p, "postgresql")


def workcare_sqlite(p: Params) -> Statements:
    return _workcare(p, "sqlite")


def check_workcare(sections: list[Section], rows: list[list[tuple[Any, ...]]], vendor: str) -> bool:
    """Every cell of the report (unsuppressed) against the SQL's."""
    counts, hours = rows
    names = ("n", "new", "paid_work", "training", "ips")
    expected: dict[str, dict[str, dict[str, Any]]] = {}
    for key, dim, choices in (("form", 0, Form.choices), ("aim", 1, Aim.choices)):
        table: dict[str, dict[str, Any]] = {}
        for code, label in choices:
            cells = [row for row in counts if row[dim] == code]
            table[str(label)] = {name: sum(row[2 + i] for row in cells) for i, name in enumerate(names)}
            table[str(label)]["hours"] = float(
                sum((Decimal(str(h or 0)) for *dims, h in hours if dims[dim] == code), Decimal(0))
            )
        expected[key] = table
    ok = True
    for section in sections:
        got = {row.label: dict(row.values) for row in section.rows}
        if got != expected[section.key]:
            print(f"  workcare {section.key}: report {got}, SQL {expected[section.key]}")
            ok = False
    return ok
