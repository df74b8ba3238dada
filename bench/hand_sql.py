"""Hand-written SQL for each report, per engine, as an analyst would write it to get the report's
numbers straight from the tables: PostgreSQL with GROUPING SETS, SQLite (which has none) with
UNION ALL. bench/reports.py times these next to the reports and `check()` compares the numbers.

Each entry maps a report slug to {vendor: function(params) -> [(sql, params), ...]}.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from werkbrug.reports.framework import Params, Section

Statements = list[tuple[str, list[Any]]]

ACTIVE = "t.started_on <= %s AND (t.closed_on IS NULL OR t.closed_on >= %s)"
YEARLY_DIMS = (
    ("type", "t.type_id"),
    ("organisation", "t.lead_organisation_id"),
    ("gender", "c.gender"),
    ("subregion", "c.subregion_id"),
)


def _yearly_pg(p: Params) -> Statements:
    dims = ", ".join(expr for _name, expr in YEARLY_DIMS)
    sets = ", ".join(f"({expr})" for _name, expr in YEARLY_DIMS)
    trajectories = f"""
        SELECT GROUPING({dims}) AS g, {dims},
               count(*) AS active,
               count(*) FILTER (WHERE t.started_on >= %s) AS started,
               count(*) FILTER (WHERE c.ggz_contact) AS ggz
        FROM trajectories_trajectory t JOIN clients_client c ON c.id = t.client_id
        WHERE {ACTIVE}
        GROUP BY GROUPING SETS ({sets}, ())"""
    osets = ", ".join(f"(o.kind, {expr})" for _name, expr in YEARLY_DIMS)
    outcomes = f"""
        SELECT GROUPING({dims}) AS g, o.kind, {dims},
               count(DISTINCT t.id) AS n,
               count(DISTINCT t.id) FILTER (WHERE o.economy = 'nec' AND o.certainty = 'verified') AS nec
        FROM trajectories_trajectory t
        JOIN trajectories_outcome o ON o.trajectory_id = t.id
        JOIN clients_client c ON c.id = t.client_id
        WHERE {ACTIVE} AND o."on" BETWEEN %s AND %s
        GROUP BY GROUPING SETS ({osets}, (o.kind))"""
    return [
        (trajectories, [p.start.isoformat(), p.end.isoformat(), p.start.isoformat()]),
        (outcomes, [p.end.isoformat(), p.start.isoformat(), p.start.isoformat(), p.end.isoformat()]),
    ]


# GROUPING(type, organisation, gender, subregion): a bit is set for each dimension left out.
PG_GROUPING = {7: "type", 11: "organisation", 13: "gender", 14: "subregion", 15: "all"}


def _yearly_sqlite(p: Params) -> Statements:
    def union(select: str, where: str, extra_group: str = "") -> str:
        parts = []
        for index, (name, expr) in enumerate(YEARLY_DIMS):
            group = f"{extra_group}{expr}"
            parts.append(f"SELECT '{name}' AS g, {extra_group}{expr} AS d, {select} {where} GROUP BY {group}")
            del index
        total_group = f" GROUP BY {extra_group.rstrip(', ')}" if extra_group else ""
        parts.append(f"SELECT 'all' AS g, {extra_group}NULL AS d, {select} {where}{total_group}")
        return " UNION ALL ".join(parts)

    trajectories = union(
        "count(*), count(CASE WHEN t.started_on >= %s THEN 1 END), count(CASE WHEN c.ggz_contact THEN 1 END)",
        f"FROM trajectories_trajectory t JOIN clients_client c ON c.id = t.client_id WHERE {ACTIVE}",
    )
    outcomes = union(
        "count(DISTINCT t.id), count(DISTINCT CASE WHEN o.economy = 'nec' AND o.certainty = 'verified' THEN t.id END)",
        "FROM trajectories_trajectory t JOIN trajectories_outcome o ON o.trajectory_id = t.id "
        f'JOIN clients_client c ON c.id = t.client_id WHERE {ACTIVE} AND o."on" BETWEEN %s AND %s',
        extra_group="o.kind, ",
    )
    return [
        (trajectories, [p.start.isoformat(), p.end.isoformat(), p.start.isoformat()] * 5),
        (outcomes, [p.end.isoformat(), p.start.isoformat(), p.start.isoformat(), p.end.isoformat()] * 5),
    ]


def _yearly_numbers(rows: list[list[tuple[Any, ...]]], vendor: str) -> dict[Hashable, dict[str, int]]:
    """{(breakdown, value): {measure: n}} from either engine's result."""
    trajectories, outcomes = rows
    numbers: dict[Hashable, dict[str, int]] = {}
    if vendor == "postgresql":
        for g, *dims, active, started, ggz in trajectories:
            name = PG_GROUPING[g]
            value = None if name == "all" else dims[[n for n, _e in YEARLY_DIMS].index(name)]
            numbers[(name, value)] = {"active": active, "started": started, "ggz": ggz}
        for g, kind, *dims, n, nec in outcomes:
            name = PG_GROUPING[g]
            value = None if name == "all" else dims[[n_ for n_, _e in YEARLY_DIMS].index(name)]
            numbers[("outcome", kind, name, value)] = {"n": n, "nec": nec}
    else:
        for name, value, active, started, ggz in trajectories:
            numbers[(name, value)] = {"active": active, "started": started, "ggz": ggz}
        for name, kind, value, n, nec in outcomes:
            numbers[("outcome", kind, name, value)] = {"n": n, "nec": nec}
    return numbers


SECTION_DIM = {"gender": "gender", "subregion": "subregion", "type": "type", "organisation": "organisation"}


def check_yearly(sections: list[Section], rows: list[list[tuple[Any, ...]]], vendor: str) -> bool:
    numbers = _yearly_numbers(rows, vendor)
    ok = True
    for section in sections:
        name = SECTION_DIM.get(section.key)
        if name is None:
            continue
        for row in section.all_rows:
            key = row.keys["active"][1]
            value = None if key == "all" else key[1]
            sql = numbers.get(
                ("all", None) if key == "all" else (name, value), {"active": 0, "started": 0, "ggz": 0}
            )
            paid = numbers.get(
                ("outcome", "paid_work", "all" if key == "all" else name, value), {"n": 0, "nec": 0}
            )
            expected = (sql["active"], sql["started"], sql["ggz"], paid["n"], paid["nec"])
            got = tuple(row.values[m] for m in ("active", "started", "ggz", "paid_work", "nec"))
            if expected != got:
                print(f"  yearly {section.key} {row.label}: report {got} != SQL {expected}")
                ok = False
    outcomes = next(s for s in sections if s.key == "outcomes")
    for row in outcomes.rows:
        kind = row.keys["n"][1]
        expected_n = numbers.get(("outcome", kind, "all", None), {"n": 0})["n"]
        if row.values["n"] != expected_n:
            print(f"  yearly outcome {kind}: report {row.values['n']} != SQL {expected_n}")
            ok = False
    return ok


HAND_SQL: dict[str, dict[str, Callable[[Params], Statements]]] = {
    "yearly": {"postgresql": _yearly_pg, "sqlite": _yearly_sqlite},
}
CHECKS: dict[str, Callable[[list[Section], list[list[tuple[Any, ...]]], str], bool]] = {
    "yearly": check_yearly,
}


def check(slug: str, sections: list[Section], rows: list[list[tuple[Any, ...]]]) -> bool:
    from django.db import connection

    checker = CHECKS.get(slug)
    return checker(sections, rows, connection.vendor) if checker else False
