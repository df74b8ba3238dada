"""The period condition that SQLite keeps off the index (core.dbdates.Scanned) selects exactly the
trajectories the plain condition selects, on both engines, at every edge of the period."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Q

from werkbrug.reports.framework import Params
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.yearly import trajectories_in
from werkbrug.trajectories.models import Trajectory


def plain(start: datetime.date, end: datetime.date) -> set[int]:
    """The trajectories active in the period, by the plain ORM condition."""
    rows = Trajectory.objects.filter(started_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    return set(rows.values_list("pk", flat=True))


def test_the_scanned_condition_selects_what_the_plain_one_selects(data):
    days = sorted({t.started_on for t in Trajectory.objects.all()})
    assert len(days) > 3
    # Periods whose end falls on, just before and just after the start of a trajectory.
    ends = {day + datetime.timedelta(days=delta) for day in days for delta in (-1, 0, 1)}
    for end in sorted(ends):
        start = end - datetime.timedelta(days=364)
        got = set(trajectories_in(Params(start, end)).values_list("pk", flat=True))
        assert got == plain(start, end), end


def test_sqlite_reads_the_table_and_postgresql_gets_the_plain_column(data):
    sql = str(trajectories_in(Params(datetime.date(rd.YEAR, 1, 1), datetime.date(rd.YEAR, 12, 31))).query)
    scanned = '+"trajectories_trajectory"."started_on" <=' in sql
    assert scanned == (connection.vendor == "sqlite")
