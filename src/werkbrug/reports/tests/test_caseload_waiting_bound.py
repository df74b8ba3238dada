"""The caseload report's waiting times for an organisation's lines read only the lines' referrals
accepted since the period began (reports.caseload.started_from_lines). They must give what a count
over every trajectory gives, at each edge of the period, and SQLite must read those referrals
through their index."""

from __future__ import annotations

import datetime
from collections import Counter

import time_machine
from django.db import connection
from django.utils import timezone

from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.reports.caseload import started_from_lines
from werkbrug.reports.framework import Params
from werkbrug.reports.tests.report_data import d, local
from werkbrug.testing import Network, actor_for, query_plan
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def started(
    net: Network, submitted: str, accepted: str, started_on: str | None = None, *, gtb: bool = False
) -> Trajectory:
    """A referral on SaRA's line (GTB's with `gtb`) submitted at one moment (Brussels time), assigned
    and accepted at another, the trajectory back-dated to `started_on` when given (as the caseload
    import does)."""
    line, screener, coach = (
        (net.gtb_line, net.gtb_screener, net.gtb_coach) if gtb else (net.coach_line, net.screener, net.coach)
    )
    with time_machine.travel(local(submitted), tick=False):
        referral = net.refer(net.new_client(), line=line)
    with time_machine.travel(local(accepted), tick=False):
        referral_actions.assign_referral(actor_for(screener), referral, coach=coach)
        return trajectory_actions.accept_referral(
            actor_for(coach),
            referral,
            trajectory_type=TrajectoryType.objects.get(code="arbeidscoach"),
            started_on=d(started_on) if started_on else None,
        )


def by_hand(line_id: int) -> Counter[tuple[int, int]]:
    """Every trajectory from a referral on the line, started in the period: (line, days from the
    local date of submission to the start), counted in Python over all of them."""
    cells: Counter[tuple[int, int]] = Counter()
    for trajectory in Trajectory.objects.select_related("referral").filter(referral__line_id=line_id):
        if START <= trajectory.started_on <= END:
            submitted = timezone.localtime(trajectory.referral.created_at).date()
            cells[(line_id, (trajectory.started_on - submitted).days)] += 1
    return cells


def counted(line_ids: list[int] | None, line_id: int) -> Counter[tuple[int, int]]:
    cells: Counter[tuple[int, int]] = Counter()
    for cell in started_from_lines(Params(START, END), line_ids):
        if cell["line"] == line_id:
            cells[(cell["line"], cell["days"])] += cell["n"]
    return cells


def test_the_waiting_times_of_a_line_count_every_trajectory_started_in_the_period(net, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    line = net.coach_line.pk
    # In: submitted years before, accepted in the period, the start back-dated to its first week.
    started(net, "2023-05-10 10:00", "2026-03-02 10:00", "2026-01-05")
    # In: accepted half an hour into the period (local time; still the old year in UTC).
    started(net, "2025-11-01 10:00", "2026-01-01 00:30")
    # Out: accepted and started half an hour before the period.
    started(net, "2025-11-01 10:00", "2025-12-31 23:30")
    # Out: accepted in the period, the start back-dated to before it.
    started(net, "2025-06-01 10:00", "2026-02-10 10:00", "2025-12-20")
    # In: submitted and accepted in the period.
    started(net, "2026-04-01 10:00", "2026-04-15 10:00")
    # In: accepted after the period, the start back-dated to its last day.
    started(net, "2026-12-30 10:00", "2027-01-02 10:00", "2026-12-31")
    # In: accepted on its start day in the middle of the period.
    started(net, "2026-06-01 10:00", "2026-06-02 10:00")
    # Another organisation's line, accepted in the period: not among SaRA's cells.
    started(net, "2026-02-01 10:00", "2026-02-03 10:00", gtb=True)
    expected = by_hand(line)
    assert sum(expected.values()) == 5
    assert counted([line], line) == expected
    assert counted([line], net.gtb_line.pk) == Counter()
    # Without a line (a funder's report) every trajectory is read; the line's cells are the same.
    assert counted(None, line) == expected


def test_sqlite_reads_the_lines_referrals_accepted_since_the_period_began_through_their_index(net):
    """SQLite's plan: the lines' referrals are looked up by line, status and acceptance moment
    together, not read all (an organisation's busy line has had tens of thousands). PostgreSQL
    chooses by statistics that a test database does not have (docs/bench.md, s49)."""
    plan = query_plan(*started_from_lines(Params(START, END), [net.coach_line.pk]).query.sql_with_params())
    if connection.vendor == "sqlite":
        assert "referrals_line_status_decided (line_id=? AND status=? AND decided_at>?)" in plan, plan
    else:
        assert "referrals_referral" in plan
