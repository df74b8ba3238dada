"""Hand-written SQL for the annex 11.5 report (reports/annex.py), the same on PostgreSQL and SQLite:
plain GROUP BYs over the outreach tables; and the check of the report's numbers against it."""

from __future__ import annotations

import datetime
from typing import Any

from hand_sql import Statements, _moment

from werkbrug.outreach.models import Destination
from werkbrug.reports.framework import Params, Section

PERSON = "CASE WHEN p.client_id IS NULL THEN -p.id ELSE c.person_number END"
PATHS = """outreach_path p LEFT JOIN clients_client c ON c.id = p.client_id
    WHERE p.started_on BETWEEN %s AND %s AND p.created_at < %s"""
REFERRALS = """outreach_onwardreferral r JOIN outreach_path p ON p.id = r.path_id
    LEFT JOIN clients_client c ON c.id = p.client_id
    WHERE r.referred_on BETWEEN %s AND %s AND r.recorded_at < %s"""
SESSIONS = "outreach_infosession x WHERE x.held_on BETWEEN %s AND %s AND x.recorded_at < %s"


def _annex(p: Params, vendor: str) -> Statements:
    period = [p.start.isoformat(), p.end.isoformat(), _moment(p.as_of, vendor)]
    as_of = p.as_of.isoformat()
    day = min(p.end, p.as_of).isoformat()
    return [
        (f"SELECT p.channel, COUNT(*) FROM {PATHS} GROUP BY p.channel", period),
        (
            f"SELECT COUNT(DISTINCT {PERSON}), COUNT(CASE WHEN p.decided_on <= %s THEN 1 END) FROM {PATHS}",
            [as_of, *period],
        ),
        (
            f"""SELECT r.destination, COUNT(DISTINCT {PERSON}),
                COUNT(DISTINCT CASE WHEN r.verified_on <= %s THEN {PERSON} END),
                COUNT(DISTINCT CASE WHEN r.work_incapacity THEN {PERSON} END)
            FROM {REFERRALS} GROUP BY r.destination""",
            [as_of, *period],
        ),
        (f"SELECT x.audience, COUNT(*), SUM(x.reached) FROM {SESSIONS} GROUP BY x.audience", period),
        (
            """SELECT COUNT(*) FROM outreach_appointment a WHERE a.state = 'no_show'
               AND a.starts_at >= %s AND a.starts_at < %s AND a.decided_at < %s""",
            [
                _moment(p.start - datetime.timedelta(days=1), vendor),
                _moment(p.end, vendor),
                _moment(p.as_of, vendor),
            ],
        ),
        (
            """SELECT COUNT(*) FROM outreach_site s WHERE EXISTS (SELECT 1 FROM outreach_agreement g
               WHERE g.site_id = s.id AND g.signed_on IS NOT NULL AND g.signed_on <= %s
               AND g.starts_on <= %s AND (g.ends_on IS NULL OR g.ends_on >= %s))""",
            [as_of, day, day],
        ),
        (
            f"""SELECT j.id, j.name, COUNT(DISTINCT {PERSON}) FROM {
                PATHS.replace(
                    "WHERE",
                    '''
                JOIN outreach_project_sites ps ON ps.site_id = p.site_id
                JOIN outreach_project j ON j.id = ps.project_id
                WHERE p.started_on BETWEEN j.starts_on AND j.ends_on AND''',
                    1,
                )
            } GROUP BY j.id, j.name""",
            period,
        ),
        (
            f"""SELECT j.id, SUM(x.reached) FROM {
                SESSIONS.replace(
                    "WHERE",
                    '''
                JOIN outreach_project_sites ps ON ps.site_id = x.site_id
                JOIN outreach_project j ON j.id = ps.project_id
                WHERE x.held_on BETWEEN j.starts_on AND j.ends_on AND x.audience = 'clients' AND''',
                    1,
                )
            }
            GROUP BY j.id""",
            period,
        ),
        (
            f"""SELECT j.id, COUNT(DISTINCT {PERSON}),
                COUNT(DISTINCT CASE WHEN r.verified_on <= %s THEN {PERSON} END)
            FROM {
                REFERRALS.replace(
                    "WHERE",
                    '''
                JOIN outreach_project_sites ps ON ps.site_id = p.site_id
                JOIN outreach_project j ON j.id = ps.project_id
                WHERE r.referred_on BETWEEN j.starts_on AND j.ends_on AND r.destination = 'vdab' AND''',
                    1,
                )
            }
            GROUP BY j.id""",
            [as_of, *period],
        ),
        ("SELECT id, name FROM outreach_project", []),
    ]


def annex_pg(p: Params) -> Statements:
    return _annex(p, "postgresql")


def annex_sqlite(p: Params) -> Statements:
    return _annex(p, "sqlite")


def check_annex(sections: list[Section], rows: list[list[tuple[Any, ...]]], vendor: str) -> bool:
    """Every count of the report (unsuppressed) against the SQL's."""
    channels, ((persons, decided),), results, sessions, ((no_shows,),), ((agreed,),), *projects = rows
    got = {s.key: {row.label: row.values for row in s.all_rows} for s in sections}
    individual = sum(n for _c, n in channels)
    by_dest = {d: (n, v, i) for d, n, v, i in results}
    by_audience = {a: (n, int(r or 0)) for a, n, r in sessions}
    ok = True

    def same(what: str, report: Any, sql: Any) -> None:
        nonlocal ok
        if report != sql:
            print(f"  annex: {what}: report {report}, SQL {sql}")
            ok = False

    reach = list(got["reach"].values())
    same("reach", [r["n"] for r in reach], [individual, by_audience.get("clients", (0, 0))[1]])
    evaluators = [r["n"] for r in got["evaluators"].values()]
    same(
        "evaluators",
        evaluators,
        [persons, decided, no_shows, agreed, *by_audience.get("professionals", (0, 0))],
    )
    result_rows = next(s for s in sections if s.key == "results").rows
    report_results = [(r.values["n"], r.values.get("verified")) for r in result_rows]
    sql_results = []
    for d in Destination:
        n, v, i = by_dest.get(d.value, (0, 0, 0))
        sql_results.append((n, v))
        if d == Destination.VDAB:
            sql_results.append((i, None))
    same("results", report_results, sql_results)
    paths, collective, vdab, all_names = projects
    names = dict(all_names)
    zero = {"individual": 0, "collective": 0, "vdab": 0, "vdab_verified": 0}
    sql_projects: dict[str, dict[str, int]] = {}
    for pk, _name, n in paths:
        sql_projects.setdefault(names[pk], dict(zero))["individual"] = n
    for pk, reached in collective:
        sql_projects.setdefault(names[pk], dict(zero))["collective"] = int(reached or 0)
    for pk, n, v in vdab:
        row = sql_projects.setdefault(names[pk], dict(zero))
        row["vdab"], row["vdab_verified"] = n, v
    projects_section = next(x for x in sections if x.key == "projects")
    same("projects", {r.label: r.values for r in projects_section.rows}, sql_projects)
    return ok
