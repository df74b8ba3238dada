"""Hand-written SQL for each report, per engine, as an analyst would write it to get the report's
numbers straight from the tables: PostgreSQL with GROUPING SETS, SQLite (which has none) with
UNION ALL. bench/reports.py times these next to the reports and `check()` compares the numbers.

Each entry maps a report slug to {vendor: function(params) -> [(sql, params), ...]}.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from werkbrug.reports.framework import Params, Row, Section

Statements = list[tuple[str, list[Any]]]

YEARLY_DIMS = (
    ("type", "t.type_id"),
    ("organisation", "t.lead_organisation_id"),
    ("gender", "c.gender"),
    ("subregion", "c.subregion_id"),
)

# The trajectories active in the period, with the type and lead organisation they had at the end of
# it (or on the report's date, if earlier): the last accepted handover decided by then, else the first
# accepted handover's previous ones, else their own (docs/reports.md, "As of a date").
ASOF_TRAJECTORIES = """(
    SELECT t0.id, t0.client_id, t0.started_on, t0.closed_on,
        COALESCE(
            (SELECT h.new_type_id FROM trajectories_handover h
             WHERE h.trajectory_id = t0.id AND h.status = 'accepted' AND h.decided_at < %s
             ORDER BY h.decided_at DESC, h.id DESC LIMIT 1),
            (SELECT h.from_type_id FROM trajectories_handover h
             WHERE h.trajectory_id = t0.id AND h.status = 'accepted' ORDER BY h.decided_at, h.id LIMIT 1),
            t0.type_id) AS type_id,
        COALESCE(
            (SELECT h.to_organisation_id FROM trajectories_handover h
             WHERE h.trajectory_id = t0.id AND h.status = 'accepted' AND h.decided_at < %s
             ORDER BY h.decided_at DESC, h.id DESC LIMIT 1),
            (SELECT h.from_organisation_id FROM trajectories_handover h
             WHERE h.trajectory_id = t0.id AND h.status = 'accepted' ORDER BY h.decided_at, h.id LIMIT 1),
            t0.lead_organisation_id) AS lead_organisation_id
    FROM trajectories_trajectory t0
    WHERE t0.started_on <= %s AND (t0.closed_on IS NULL OR t0.closed_on >= %s)
) t"""
# In contact with mental-health care at some time in the period, in a period recorded by the date.
GGZ = """EXISTS (SELECT 1 FROM clients_ggzcontact g WHERE g.client_id = t.client_id AND g.since <= %s
                 AND g.recorded_at < %s AND (g.until IS NULL OR g.until >= %s))"""
NEC = "o.economy = 'nec' AND o.certainty = 'verified' AND (o.verified_on IS NULL OR o.verified_on <= %s)"


def _moment(day: datetime.date, vendor: str) -> Any:
    """The first moment after `day` in Belgium, as each engine compares its stored timestamps."""
    moment = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    if vendor == "postgresql":
        return moment
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _asof_params(p: Params, vendor: str) -> tuple[list[Any], list[Any], list[Any]]:
    """The parameters of ASOF_TRAJECTORIES, GGZ and NEC."""
    day = min(p.end, p.as_of)
    situation = _moment(day, vendor)
    trajectories = [situation, situation, p.end.isoformat(), p.start.isoformat()]
    ggz = [day.isoformat(), _moment(p.as_of, vendor), p.start.isoformat()]
    return trajectories, ggz, [p.as_of.isoformat()]


def _yearly_pg(p: Params) -> Statements:
    dims = ", ".join(expr for _name, expr in YEARLY_DIMS)
    sets = ", ".join(f"({expr})" for _name, expr in YEARLY_DIMS)
    asof_t, ggz, nec = _asof_params(p, "postgresql")
    trajectories = f"""
        SELECT GROUPING({dims}) AS g, {dims},
               count(*) AS active,
               count(*) FILTER (WHERE t.started_on >= %s) AS started,
               count(*) FILTER (WHERE {GGZ}) AS ggz,
               count(DISTINCT c.person_number) AS persons
        FROM {ASOF_TRAJECTORIES} JOIN clients_client c ON c.id = t.client_id
        GROUP BY GROUPING SETS ({sets}, ())"""
    osets = ", ".join(f"(o.kind, {expr})" for _name, expr in YEARLY_DIMS)
    outcomes = f"""
        SELECT GROUPING({dims}) AS g, o.kind, {dims},
               count(DISTINCT t.id) AS n,
               count(DISTINCT t.id) FILTER (WHERE {NEC}) AS nec
        FROM {ASOF_TRAJECTORIES}
        JOIN trajectories_outcome o ON o.trajectory_id = t.id
        JOIN clients_client c ON c.id = t.client_id
        WHERE o."on" BETWEEN %s AND %s
        GROUP BY GROUPING SETS ({osets}, (o.kind))"""
    return [
        (trajectories, [p.start.isoformat(), *ggz, *asof_t]),
        (outcomes, [*nec, *asof_t, p.start.isoformat(), p.end.isoformat()]),
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

    asof_t, ggz, nec = _asof_params(p, "sqlite")
    trajectories = union(
        f"count(*), count(CASE WHEN t.started_on >= %s THEN 1 END), count(CASE WHEN {GGZ} THEN 1 END), "
        "count(DISTINCT c.person_number)",
        f"FROM {ASOF_TRAJECTORIES} JOIN clients_client c ON c.id = t.client_id",
    )
    outcomes = union(
        f"count(DISTINCT t.id), count(DISTINCT CASE WHEN {NEC} THEN t.id END)",
        f"FROM {ASOF_TRAJECTORIES} JOIN trajectories_outcome o ON o.trajectory_id = t.id "
        'JOIN clients_client c ON c.id = t.client_id WHERE o."on" BETWEEN %s AND %s',
        extra_group="o.kind, ",
    )
    return [
        (trajectories, [p.start.isoformat(), *ggz, *asof_t] * 5),
        (outcomes, [*nec, *asof_t, p.start.isoformat(), p.end.isoformat()] * 5),
    ]


def _yearly_numbers(rows: list[list[tuple[Any, ...]]], vendor: str) -> dict[Hashable, dict[str, int]]:
    """{(breakdown, value): {measure: n}} from either engine's result."""
    trajectories, outcomes = rows
    numbers: dict[Hashable, dict[str, int]] = {}
    if vendor == "postgresql":
        for g, *dims, active, started, ggz, persons in trajectories:
            name = PG_GROUPING[g]
            value = None if name == "all" else dims[[n for n, _e in YEARLY_DIMS].index(name)]
            numbers[(name, value)] = {"active": active, "started": started, "ggz": ggz, "persons": persons}
        for g, kind, *dims, n, nec in outcomes:
            name = PG_GROUPING[g]
            value = None if name == "all" else dims[[n_ for n_, _e in YEARLY_DIMS].index(name)]
            numbers[("outcome", kind, name, value)] = {"n": n, "nec": nec}
    else:
        for name, value, active, started, ggz, persons in trajectories:
            numbers[(name, value)] = {"active": active, "started": started, "ggz": ggz, "persons": persons}
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
                ("all", None) if key == "all" else (name, value),
                {"active": 0, "started": 0, "ggz": 0, "persons": 0},
            )
            paid = numbers.get(
                ("outcome", "paid_work", "all" if key == "all" else name, value), {"n": 0, "nec": 0}
            )
            expected = (sql["active"], sql["persons"], sql["started"], sql["ggz"], paid["n"], paid["nec"])
            got = tuple(row.values[m] for m in ("active", "persons", "started", "ggz", "paid_work", "nec"))
            if expected != got:
                print(f"  yearly {section.key} {row.label}: report {got} != SQL {expected}")
                ok = False
    outcomes = next(s for s in sections if s.key == "outcomes")
    for row in outcomes.rows:
        key = row.keys["n"]
        kind = key[1] if key[0] == "outcome" else key[0]
        expected_n = numbers.get(("outcome", kind, "all", None), {"n": 0})["n"]
        if row.values["n"] != expected_n:
            print(f"  yearly outcome {kind}: report {row.values['n']} != SQL {expected_n}")
            ok = False
    return ok


# --- time zones ---------------------------------------------------------------------------------------
# Timestamps are stored in UTC; the reports count by the date in Belgium. PostgreSQL converts with
# AT TIME ZONE. SQLite knows no time zones: the EU rule (summer time from 01:00 UTC on the last Sunday
# of March to 01:00 UTC on the last Sunday of October, +2 hours; +1 hour otherwise), written out.
# (A literal % is written %% in statements with parameters: Django formats them with %.)

TZ = "Europe/Brussels"


def _sqlite_summer(moment: str) -> str:
    """Whether the UTC timestamp `moment` falls in summer time."""
    year = f"strftime('%%Y', {moment})"
    return (
        f"({moment} >= date({year} || '-03-25', 'weekday 0') || ' 01:00:00'"
        f" AND {moment} < date({year} || '-10-25', 'weekday 0') || ' 01:00:00')"
    )


def _sqlite_local_date(moment: str) -> str:
    """The date in Belgium of the UTC timestamp `moment`."""
    return f"date({moment}, CASE WHEN {_sqlite_summer(moment)} THEN '+2 hours' ELSE '+1 hour' END)"


def _sqlite_utc_midnight(day: str) -> str:
    """The UTC timestamp of midnight in Belgium at the start of `day` (a date): summer time at
    midnight from the day after the last Sunday of March to the last Sunday of October."""
    year = f"substr({day}, 1, 4)"
    summer = (
        f"({day} > date({year} || '-03-25', 'weekday 0') AND {day} <= date({year} || '-10-25', 'weekday 0'))"
    )
    return f"datetime({day}, CASE WHEN {summer} THEN '-2 hours' ELSE '-1 hour' END)"


def _sqlite_percentiles(histogram: str, **quantiles: float) -> str:
    """SQLite has no percentile_cont. From `histogram` (columns g, k, v, n: n values v in group k of
    grouping g), per group: g, k, the number of values and each quantile (named by the keyword),
    interpolated between the two nearest ranks as percentile_cont does: at position q * (total - 1),
    between the values at the ranks below and above it; the value at 0-based rank r is the
    smallest v whose running count exceeds r."""
    picks, results = [], []
    for i, (name, q) in enumerate(quantiles.items()):
        position = f"{q} * (total - 1)"
        lower = f"CAST({position} AS INTEGER)"
        upper = f"{lower} + ({position} > {lower})"
        picks.append(
            f"{position} AS pos{i}, {lower} AS rank{i},"
            f" min(CASE WHEN upto > {lower} THEN v END) AS lo{i},"
            f" min(CASE WHEN upto > {upper} THEN v END) AS hi{i}"
        )
        results.append(f"lo{i} + (hi{i} - lo{i}) * (pos{i} - rank{i}) AS {name}")
    return f"""
        SELECT g, k, total, {", ".join(results)}
        FROM (
            SELECT g, k, total, {", ".join(picks)}
            FROM (
                SELECT g, k, v, sum(n) OVER (PARTITION BY g, k ORDER BY v ROWS UNBOUNDED PRECEDING) AS upto,
                       sum(n) OVER (PARTITION BY g, k) AS total
                FROM {histogram}
            )
            GROUP BY g, k, total
        )"""


# --- caseload ------------------------------------------------------------------------------------------
# Open trajectories today per organisation (and team) against the coaches' capacity; per line the
# referrals waiting today and the days from the local date of the referral to the start of the
# trajectories started in the period; referral events per local month of the period.

OPEN = "status IN ('active', 'paused')"
INFLOW = "('submitted', 'redirected')"
OUTFLOW = "('assigned', 'declined', 'redirected')"


def _coaches(main_type_pg: bool) -> str:
    """CTEs `open_t` (the open trajectories) and `coaches` (org, user_id, capacity) of the active coach
    memberships: the capacity set, or the norm of the type the coach mostly carries in that
    organisation (else the one the organisation mostly carries; ties: the lowest type id) x FTE.
    round() takes a half away from zero, as `trajectories.capacity.norm_capacity` does (25 x 0.50 =
    12.5: 13)."""
    if main_type_pg:
        main = """
        coach_main AS (
            SELECT DISTINCT ON (org, coach_id) org, coach_id, type_id FROM carried
            WHERE coach_id IS NOT NULL ORDER BY org, coach_id, n DESC, type_id
        ),
        org_main AS (
            SELECT DISTINCT ON (org) org, type_id FROM carried
            GROUP BY org, type_id ORDER BY org, sum(n) DESC, type_id
        ),"""
    else:
        main = """
        coach_main AS (
            SELECT org, coach_id, type_id FROM (
                SELECT org, coach_id, type_id,
                       row_number() OVER (PARTITION BY org, coach_id ORDER BY n DESC, type_id) AS pick
                FROM carried WHERE coach_id IS NOT NULL
            ) WHERE pick = 1
        ),
        org_main AS (
            SELECT org, type_id FROM (
                SELECT org, type_id,
                       row_number() OVER (PARTITION BY org ORDER BY sum(n) DESC, type_id) AS pick
                FROM carried GROUP BY org, type_id
            ) WHERE pick = 1
        ),"""
    return f"""
        WITH open_t AS (
            SELECT lead_organisation_id AS org, coach_id, type_id, status
            FROM trajectories_trajectory WHERE {OPEN}
        ),
        carried AS (SELECT org, coach_id, type_id, count(*) AS n FROM open_t GROUP BY org, coach_id, type_id),
        {main}
        coaches AS (
            SELECT m.organisation_id AS org, m.user_id,
                   COALESCE(m.capacity, CAST(round(tt.capacity_per_fte * m.fte) AS integer), 0) AS capacity
            FROM network_membership m
            LEFT JOIN coach_main cm ON cm.org = m.organisation_id AND cm.coach_id = m.user_id
            LEFT JOIN org_main om ON om.org = m.organisation_id
            LEFT JOIN network_trajectorytype tt ON tt.id = COALESCE(cm.type_id, om.type_id)
            WHERE m.role = 'coach' AND m.is_active
        )"""


# A team counts the open trajectories of its members (whatever the organisation) and the capacity of
# their coach memberships; a funder sees only the active teams with at least two such coaches.
TEAMS = """,
        team_open AS (
            SELECT tm.team_id, {active} AS active, {paused} AS paused
            FROM teams_teammember tm JOIN open_t o ON o.coach_id = tm.user_id
            GROUP BY tm.team_id
        ),
        team_capacity AS (
            SELECT tm.team_id, sum(c.capacity) AS capacity, count(DISTINCT c.user_id) AS coaches
            FROM teams_teammember tm JOIN coaches c ON c.user_id = tm.user_id
            GROUP BY tm.team_id
        )
        SELECT t.id, COALESCE(o.active, 0), COALESCE(o.paused, 0), tc.capacity
        FROM teams_team t
        JOIN team_capacity tc ON tc.team_id = t.id
        LEFT JOIN team_open o ON o.team_id = t.id
        WHERE t.is_active AND tc.coaches >= 2"""


# The unique persons (Client.person_number) of the open trajectories, per lead organisation, per team
# (of the trajectories' coaches) and in total.
OPEN_PERSONS = f"""
        FROM trajectories_trajectory t JOIN clients_client c ON c.id = t.client_id WHERE t.{OPEN}"""
TEAM_PERSONS = f"""
        SELECT tm.team_id, count(DISTINCT c.person_number)
        FROM teams_teammember tm JOIN trajectories_trajectory t ON t.coach_id = tm.user_id
        JOIN clients_client c ON c.id = t.client_id WHERE t.{OPEN}
        GROUP BY tm.team_id"""


def _caseload_pg(p: Params) -> Statements:
    start, end = p.start.isoformat(), p.end.isoformat()
    organisations = (
        _coaches(True)
        + """
        SELECT GROUPING(org) AS g, org, sum(active), sum(paused), sum(capacity)
        FROM (
            SELECT org, count(*) FILTER (WHERE status = 'active') AS active,
                   count(*) FILTER (WHERE status = 'paused') AS paused, 0 AS capacity
            FROM open_t GROUP BY org
            UNION ALL
            SELECT org, 0, 0, capacity FROM coaches
        ) loads
        GROUP BY GROUPING SETS ((org), ())"""
    )
    teams = _coaches(True) + TEAMS.format(
        active="count(*) FILTER (WHERE o.status = 'active')",
        paused="count(*) FILTER (WHERE o.status = 'paused')",
    )
    waiting = """
        SELECT GROUPING(line_id) AS g, line_id, count(*)
        FROM referrals_referral WHERE status = 'waiting'
        GROUP BY GROUPING SETS ((line_id), ())"""
    waiting_time = f"""
        SELECT GROUPING(r.line_id) AS g, r.line_id, count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY t.started_on - (r.created_at AT TIME ZONE '{TZ}')::date),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY t.started_on - (r.created_at AT TIME ZONE '{TZ}')::date)
        FROM trajectories_trajectory t JOIN referrals_referral r ON r.id = t.referral_id
        WHERE t.started_on BETWEEN %s AND %s
        GROUP BY GROUPING SETS ((r.line_id), ())"""
    flow = f"""
        SELECT GROUPING(month) AS g, to_char(month, 'YYYY-MM'),
               count(*) FILTER (WHERE kind IN {INFLOW}), count(*) FILTER (WHERE kind IN {OUTFLOW})
        FROM (
            SELECT date_trunc('month', at AT TIME ZONE '{TZ}') AS month, kind
            FROM referrals_referralevent
            WHERE kind IN ('submitted', 'redirected', 'assigned', 'declined')
              AND at >= %s::timestamp AT TIME ZONE '{TZ}'
              AND at < (%s::date + 1)::timestamp AT TIME ZONE '{TZ}'
        ) events
        GROUP BY GROUPING SETS ((month), ())"""
    persons = f"""
        SELECT GROUPING(t.lead_organisation_id), t.lead_organisation_id, count(DISTINCT c.person_number)
        {OPEN_PERSONS}
        GROUP BY GROUPING SETS ((t.lead_organisation_id), ())"""
    return [
        (organisations, []),
        (teams, []),
        (waiting, []),
        (waiting_time, [start, end]),
        (flow, [start, end]),
        (persons, []),
        (TEAM_PERSONS, []),
    ]


def _caseload_sqlite(p: Params) -> Statements:
    start, end = p.start.isoformat(), p.end.isoformat()
    organisations = (
        _coaches(False)
        + """,
        loads AS (
            SELECT org, count(CASE WHEN status = 'active' THEN 1 END) AS active,
                   count(CASE WHEN status = 'paused' THEN 1 END) AS paused, 0 AS capacity
            FROM open_t GROUP BY org
            UNION ALL
            SELECT org, 0, 0, capacity FROM coaches
        )
        SELECT 0, org, sum(active), sum(paused), sum(capacity) FROM loads GROUP BY org
        UNION ALL
        SELECT 1, NULL, sum(active), sum(paused), sum(capacity) FROM loads"""
    )
    teams = _coaches(False) + TEAMS.format(
        active="count(CASE WHEN o.status = 'active' THEN 1 END)",
        paused="count(CASE WHEN o.status = 'paused' THEN 1 END)",
    )
    waiting = """
        SELECT 0, line_id, count(*) FROM referrals_referral WHERE status = 'waiting' GROUP BY line_id
        UNION ALL
        SELECT 1, NULL, count(*) FROM referrals_referral WHERE status = 'waiting'"""
    # The days waited per line and overall, as a histogram; the median and the 90th percentile from
    # its running counts.
    waiting_time = f"""
        WITH waits AS (
            SELECT r.line_id,
                   CAST(julianday(t.started_on) - julianday({_sqlite_local_date("r.created_at")}) AS INTEGER) AS days
            FROM trajectories_trajectory t JOIN referrals_referral r ON r.id = t.referral_id
            WHERE t.started_on BETWEEN %s AND %s
        ),
        histogram AS (
            SELECT 0 AS g, line_id AS k, days AS v, count(*) AS n FROM waits GROUP BY line_id, days
            UNION ALL
            SELECT 1, NULL, days, count(*) FROM waits GROUP BY days
        )
        {_sqlite_percentiles("histogram", median=0.5, p90=0.9)}"""
    # Per month of the period: from local midnight of its first day in the period to that of the
    # day after its last (a calendar of the months, joined to the events on their (kind, at) index).
    flow = f"""
        WITH RECURSIVE period(first_day, last_day) AS (SELECT %s, %s),
        months(first) AS (
            SELECT date(first_day, 'start of month') FROM period
            UNION ALL
            SELECT date(first, '+1 month') FROM months, period WHERE date(first, '+1 month') <= last_day
        ),
        spans AS (
            SELECT strftime('%%Y-%%m', first) AS month, max(first, first_day) AS since,
                   min(date(first, '+1 month'), date(last_day, '+1 day')) AS until
            FROM months, period
        ),
        bounds AS (
            SELECT month, {_sqlite_utc_midnight("since")} AS since, {_sqlite_utc_midnight("until")} AS until
            FROM spans
        ),
        per_month AS (
            SELECT b.month,
                   count(CASE WHEN e.kind IN {INFLOW} THEN 1 END) AS inflow,
                   count(CASE WHEN e.kind IN {OUTFLOW} THEN 1 END) AS outflow
            FROM bounds b JOIN referrals_referralevent e
              ON e.kind IN ('submitted', 'redirected', 'assigned', 'declined') AND e.at >= b.since AND e.at < b.until
            GROUP BY b.month
        )
        SELECT 0, month, inflow, outflow FROM per_month
        UNION ALL
        SELECT 1, NULL, sum(inflow), sum(outflow) FROM per_month"""
    persons = f"""
        SELECT 0, t.lead_organisation_id, count(DISTINCT c.person_number) {OPEN_PERSONS} GROUP BY t.lead_organisation_id
        UNION ALL
        SELECT 1, NULL, count(DISTINCT c.person_number) {OPEN_PERSONS}"""
    return [
        (organisations, []),
        (teams, []),
        (waiting, []),
        (waiting_time, [start, end]),
        (flow, [start, end]),
        (persons, []),
        (TEAM_PERSONS, []),
    ]


def _grouped(rows: list[tuple[Any, ...]], dimension: str) -> dict[Hashable, tuple[Any, ...]]:
    """{"all" or (dimension, value): the row's numbers} from rows (GROUPING flag, value, *numbers),
    the form both engines' statements return (SQLite writes the flag itself)."""
    return {
        "all" if g else (dimension, value): tuple(int(n) if isinstance(n, Decimal) else n for n in numbers)
        for g, value, *numbers in rows
    }


def _days(value: float | None) -> float | None:
    """A percentile as the reports show it: to one decimal."""
    return None if value is None else round(float(value), 1)


def _compare(
    report: str,
    section: Section,
    keyed: dict[Hashable, tuple[Row, tuple[Any, ...]]],
    sql: dict[Hashable, tuple[Any, ...]],
    empty: tuple[Any, ...] | None,
) -> bool:
    """Every row of the section against the SQL's numbers under its key; and no key in the SQL's
    result without a row in the section. `keyed`: key -> (row, the report's numbers). A row the SQL
    has no numbers for must be `empty` (an empty group returns no row from a GROUP BY); None: it must
    not happen."""
    ok = True
    for key, (row, got) in keyed.items():
        expected = sql.get(key, empty)
        if got != expected:
            print(f"  {report} {section.key} {row.label}: report {got} != SQL {expected}")
            ok = False
    for key in sql.keys() - keyed.keys():
        print(f"  {report} {section.key}: SQL has {key} {sql[key]}, the report has no row for it")
        ok = False
    return ok


def _keyed(
    section: Section, measures: tuple[str, ...], key_measure: str
) -> dict[Hashable, tuple[Row, tuple[Any, ...]]]:
    """The section's rows (and total) by the key of one of their cells (minus the measure name):
    "all" for the total, (dimension, value) for a row."""
    return {
        row.keys[key_measure][1]: (row, tuple(row.values[m] for m in measures)) for row in section.all_rows
    }


def check_caseload(sections: list[Section], rows: list[list[tuple[Any, ...]]], vendor: str) -> bool:
    """Per organisation and per team (active, paused, open, capacity), per line (waiting today,
    started in the period, median and 90th percentile of the days waited) and per month (inflow,
    outflow), each with its total. The load (a share of two compared cells) is not compared."""
    del vendor  # both engines return the same shapes
    organisations, teams, waiting, waiting_time, flow, persons, team_persons = rows
    by_key = {section.key: section for section in sections}
    if not {"organisations", "teams", "waiting", "flow"} <= by_key.keys():
        print(f"  caseload: sections {sorted(by_key)}")
        return False
    loads = ("active", "paused", "open", "persons", "capacity")

    people = _grouped(persons, "organisation")
    sql_loads = {
        key: (a, p, a + p, people.get(key, (0,))[0], c)
        for key, (a, p, c) in _grouped(organisations, "organisation").items()
    }
    section = by_key["organisations"]
    ok = _compare("caseload", section, _keyed(section, loads, "active"), sql_loads, None)

    section = by_key["teams"]
    people = dict(team_persons)
    sql_teams: dict[Hashable, tuple[Any, ...]] = {
        ("team", team): (a, p, a + p, people.get(team, 0), int(c)) for team, a, p, c in teams
    }
    ok &= _compare("caseload", section, _keyed(section, loads, "active"), sql_teams, None)

    section = by_key["waiting"]
    now = _grouped(waiting, "line")
    times = _grouped(waiting_time, "line")
    sql_waiting: dict[Hashable, tuple[Any, ...]] = {}
    for key in now.keys() | times.keys():
        started, median, p90 = times.get(key, (0, None, None))
        sql_waiting[key] = (now.get(key, (0,))[0], started, _days(median), _days(p90))
    measures = ("waiting", "started", "median", "p90")
    ok &= _compare("caseload", section, _keyed(section, measures, "waiting"), sql_waiting, (0, 0, None, None))

    section = by_key["flow"]
    keyed = {
        ("month", row.label): (row, (row.values["inflow"], row.values["outflow"])) for row in section.rows
    }
    if section.total is not None:
        keyed["all"] = (section.total, (section.total.values["inflow"], section.total.values["outflow"]))
    ok &= _compare("caseload", section, keyed, _grouped(flow, "month"), (0, 0))
    return ok


# --- funnel ------------------------------------------------------------------------------------------
# The referrals created in the period (by their date in Belgium), on their current line: their
# status today, whether they were ever redirected, the days from the referral's local date to the
# first contact of its trajectory (at least 0), and the outcomes of that trajectory; per line, per
# channel, per referring organisation and in total.

FUNNEL_PARTS = (
    ("accepted", "status = 'accepted'"),
    ("waiting", "status = 'waiting'"),
    ("declined", "status = 'declined'"),
    ("open", "status IN ('submitted', 'case_team', 'assigned')"),
)
FUNNEL_FLAGS = """
               r.id IN (SELECT referral_id FROM referrals_referralevent WHERE kind = 'redirected') AS redirected,
               EXISTS (SELECT 1 FROM trajectories_outcome o WHERE o.trajectory_id = t.id) AS with_outcome,
               EXISTS (SELECT 1 FROM trajectories_outcome o WHERE o.trajectory_id = t.id AND o.kind = 'paid_work')
                   AS paid_work,
               EXISTS (
                   SELECT 1 FROM trajectories_outcome o
                   WHERE o.trajectory_id = t.id AND o.kind = 'paid_work' AND o.economy = 'nec'
                     AND o.certainty = 'verified'
               ) AS nec,
               c.person_number AS person"""
# The referred person: referrals of one person count once (Client.person_number).
FUNNEL_FROM = """FROM referrals_referral r LEFT JOIN trajectories_trajectory t ON t.referral_id = r.id
            JOIN clients_client c ON c.id = r.client_id
            LEFT JOIN network_organisation ro ON ro.id = r.referring_organisation_id"""
# GROUPING(line_id, channel, referrer, referrer_type): a bit is set for each dimension left out. (A
# funder's funnel shows the type of the referring organisation, a coordinator's the organisation.)
FUNNEL_GROUPING = {7: "line", 11: "channel", 13: "referrer", 14: "referrer_type", 15: "all"}


def _funnel_pg(p: Params) -> Statements:
    parts = ", ".join(f"count(*) FILTER (WHERE {condition})" for _name, condition in FUNNEL_PARTS)
    sql = f"""
        WITH cohort AS (
            SELECT r.line_id, r.channel, r.referring_organisation_id AS referrer, ro.org_type AS referrer_type,
                   r.status,
                   CASE WHEN t.first_contact_on IS NOT NULL
                        THEN greatest(t.first_contact_on - (r.created_at AT TIME ZONE '{TZ}')::date, 0) END AS days,
                   {FUNNEL_FLAGS}
            {FUNNEL_FROM}
            WHERE r.created_at >= %s::timestamp AT TIME ZONE '{TZ}'
              AND r.created_at < (%s::date + 1)::timestamp AT TIME ZONE '{TZ}'
        )
        SELECT GROUPING(line_id, channel, referrer, referrer_type) AS g, line_id, channel, referrer, referrer_type,
               count(*), {parts},
               count(*) FILTER (WHERE redirected), count(days),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY days),
               count(*) FILTER (WHERE with_outcome), count(*) FILTER (WHERE paid_work), count(*) FILTER (WHERE nec),
               count(DISTINCT person)
        FROM cohort
        GROUP BY GROUPING SETS ((line_id), (channel), (referrer), (referrer_type), ())"""
    return [(sql, [p.start.isoformat(), p.end.isoformat()])]


def _funnel_sqlite(p: Params) -> Statements:
    parts = ", ".join(
        f"count(CASE WHEN {condition} THEN 1 END) AS {name}" for name, condition in FUNNEL_PARTS
    )
    columns = "status, days, redirected, with_outcome, paid_work, nec, person"
    # Each referral once per breakdown (g as PostgreSQL's GROUPING, k the line, channel or referrer).
    sql = f"""
        WITH dates(first_day, last_day) AS (SELECT %s, %s),
        period(since, until) AS (
            SELECT {_sqlite_utc_midnight("first_day")}, {_sqlite_utc_midnight("date(last_day, '+1 day')")} FROM dates
        ),
        -- days: NULL without a first contact (SQLite's max() of a NULL is NULL).
        cohort AS MATERIALIZED (
            SELECT r.line_id, r.channel, r.referring_organisation_id AS referrer, ro.org_type AS referrer_type,
                   r.status,
                   max(CAST(julianday(t.first_contact_on) - julianday({_sqlite_local_date("r.created_at")}) AS INTEGER), 0)
                       AS days,
                   {FUNNEL_FLAGS}
            {FUNNEL_FROM}
            WHERE r.created_at >= (SELECT since FROM period) AND r.created_at < (SELECT until FROM period)
        ),
        breakdowns AS MATERIALIZED (
            SELECT 7 AS g, line_id AS k, {columns} FROM cohort
            UNION ALL SELECT 11, channel, {columns} FROM cohort
            UNION ALL SELECT 13, referrer, {columns} FROM cohort
            UNION ALL SELECT 14, referrer_type, {columns} FROM cohort
            UNION ALL SELECT 15, NULL, {columns} FROM cohort
        ),
        counts AS (
            SELECT g, k, count(*) AS referrals, {parts}, sum(redirected) AS redirected, count(days) AS contacted,
                   sum(with_outcome) AS with_outcome, sum(paid_work) AS paid_work, sum(nec) AS nec,
                   count(DISTINCT person) AS persons
            FROM breakdowns GROUP BY g, k
        ),
        histogram AS (
            SELECT g, k, days AS v, count(*) AS n FROM breakdowns WHERE days IS NOT NULL GROUP BY g, k, days
        ),
        percentiles AS ({_sqlite_percentiles("histogram", median=0.5, p90=0.9)})
        SELECT c.g, c.k, c.referrals, c.accepted, c.waiting, c.declined, c.open, c.redirected, c.contacted,
               p.median, p.p90, c.with_outcome, c.paid_work, c.nec, c.persons
        FROM counts c LEFT JOIN percentiles p ON p.g = c.g AND p.k IS c.k"""
    return [(sql, [p.start.isoformat(), p.end.isoformat()])]


FUNNEL_MEASURES = (
    "referrals",
    "accepted",
    "waiting",
    "declined",
    "open",
    "redirected",
    "contacted",
    "days_median",
    "days_p90",
    "with_outcome",
    "paid_work",
    "nec",
    "persons",
)


def check_funnel(sections: list[Section], rows: list[list[tuple[Any, ...]]], vendor: str) -> bool:
    """Every measure (the counts, the four parts of the referrals, the median and 90th percentile of
    the days to the first contact) of every row and total of the four sections."""
    (cells,) = rows
    sql: dict[Hashable, tuple[Any, ...]] = {}
    for row in cells:
        if vendor == "postgresql":
            g, line, channel, referrer, referrer_type, *numbers = row
            value = {
                "line": line,
                "channel": channel,
                "referrer": referrer,
                "referrer_type": referrer_type,
            }.get(FUNNEL_GROUPING[g])
        else:
            g, value, *numbers = row
        name = FUNNEL_GROUPING[g]
        counts = (
            [int(n) for n in numbers[:7]] + [_days(n) for n in numbers[7:9]] + [int(n) for n in numbers[9:]]
        )
        if name == "referrer_type":  # no days per type: they do not add up over the organisations
            counts[7:9] = [None, None]
        sql["all" if name == "all" else (name, value)] = tuple(counts)
    empty = (0,) * 7 + (None, None) + (0,) * 4
    ok = True
    seen: set[Hashable] = set()
    for section in sections:
        keyed = _keyed(section, FUNNEL_MEASURES, "referrals")
        dimension = None if section.key == "summary" else section.key
        wanted = {key: numbers for key, numbers in sql.items() if key == "all" or key[0] == dimension}  # type: ignore[index]
        ok &= _compare("funnel", section, keyed, wanted, empty)
        seen.add(section.key)
    if seen not in (
        {"summary", "line", "channel", "referrer"},
        {"summary", "line", "channel", "referrer_type"},
    ):
        print(f"  funnel: sections {sorted(seen)}")
        ok = False
    return ok


HAND_SQL: dict[str, dict[str, Callable[[Params], Statements]]] = {
    "yearly": {"postgresql": _yearly_pg, "sqlite": _yearly_sqlite},
    "caseload": {"postgresql": _caseload_pg, "sqlite": _caseload_sqlite},
    "funnel": {"postgresql": _funnel_pg, "sqlite": _funnel_sqlite},
}
# The annex 11.5 report's statements live beside this file (bench/hand_sql_annex.py).
from hand_sql_annex import annex_pg, annex_sqlite, check_annex  # noqa: E402

HAND_SQL["annex"] = {"postgresql": annex_pg, "sqlite": annex_sqlite}
CHECKS: dict[str, Callable[[list[Section], list[list[tuple[Any, ...]]], str], bool]] = {
    "yearly": check_yearly,
    "caseload": check_caseload,
    "funnel": check_funnel,
    "annex": check_annex,
}


def check(slug: str, sections: list[Section], rows: list[list[tuple[Any, ...]]]) -> bool:
    from django.db import connection

    checker = CHECKS.get(slug)
    return checker(sections, rows, connection.vendor) if checker else False


# The work-care report's statements live beside this file (bench/hand_sql_workcare.py).
from hand_sql_workcare import check_workcare, workcare_pg, workcare_sqlite  # noqa: E402

HAND_SQL["workcare"] = {"postgresql": workcare_pg, "sqlite": workcare_sqlite}
CHECKS["workcare"] = check_workcare
