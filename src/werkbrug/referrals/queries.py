"""Read-side queries for referrals: waiting-list positions and monthly flow, each one query."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypedDict

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from werkbrug.core import statements
from werkbrug.core.dbdates import local_midnight
from werkbrug.network.models import ReferralLine
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralEventKind, ReferralStatus, Urgency

URGENT_FIRST = Case(
    When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def waiting_positions(line_ids: Iterable[int]) -> dict[int, int]:
    """Place of every waiting referral on its line's list: urgent first, then first come. The
    statement is built once per set of lines (core.statements)."""
    ids = tuple(line_ids)
    if not ids:
        return {}
    rows = statements.rows(
        ("waiting positions", ids),
        lambda: (
            Referral.objects.filter(line_id__in=ids, status=ReferralStatus.WAITING)
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=[F("line_id")],
                    order_by=[URGENT_FIRST.asc(), F("waiting_since").asc()],
                )
            )
            .values_list("pk", "position")
        ),
    )
    return dict(rows)


def first_of_month(day: datetime.date, months_back: int) -> datetime.date:
    year, month = day.year, day.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from the one holding `start` to the one holding `end`."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


class MonthFlow(TypedDict):
    month: datetime.date  # the first day of the month
    inflow: int
    outflow: int


INFLOW_KINDS = (ReferralEventKind.SUBMITTED, ReferralEventKind.REDIRECTED)
# A redirect is outflow of the line it leaves (from_line); the others of the line they are on (to_line).
OUTFLOW_KINDS = (ReferralEventKind.ASSIGNED, ReferralEventKind.DECLINED, ReferralEventKind.REDIRECTED)


def _month_index(boundaries: Sequence[datetime.datetime]) -> Case:
    """The index of the month an event falls in, given the start of every month and the end of the
    last one (local midnights); NULL outside. A balanced tree of comparisons with the boundaries, so
    each event takes a handful of them (not one per month) and no date function runs per row; it
    follows the local time zone like TruncMonth would."""

    def within(low: int, high: int) -> Any:  # boundaries[low] <= at < boundaries[high + 1]
        if low == high:
            return Value(low)
        middle = (low + high + 1) // 2
        return Case(
            When(at__lt=boundaries[middle], then=within(low, middle - 1)),
            default=within(middle, high),
            output_field=IntegerField(),
        )

    return Case(
        When(at__lt=boundaries[0], then=None),
        When(at__lt=boundaries[-1], then=within(0, len(boundaries) - 2)),
        default=None,
        output_field=IntegerField(),
    )


def _flow_rows(
    line_ids: Collection[int] | None, start: datetime.date, end: datetime.date
) -> tuple[list[datetime.date], list[dict[str, Any]]]:
    """The months of the period and, in one grouped query, the number of events per kind and month,
    and per line when `line_ids` are given. The statement (a tree of the months' boundaries) is
    built once per lines, period and time zone (core.statements)."""
    months = month_starts(start, end)
    ids = None if line_ids is None else tuple(sorted(line_ids))
    # The columns in the statement's order: the model's fields, then the annotations (month, n).
    dims = ["kind", "month"] if ids is None else ["kind", "to_line_id", "from_line_id", "month"]

    def build() -> QuerySet[Any]:
        boundaries = [local_midnight(max(month, start)) for month in months]
        boundaries.append(local_midnight(end + datetime.timedelta(days=1)))
        events = ReferralEvent.objects.annotate(month=_month_index(boundaries))
        if ids is None:
            # Every line: no line needed, the (kind, at) index answers on its own.
            events = events.filter(
                at__gte=boundaries[0], at__lt=boundaries[-1], kind__in={*INFLOW_KINDS, *OUTFLOW_KINDS}
            )
        else:
            # A few lines: by the (to_line, at) and (from_line, at) indexes, only the period's events
            # (without them, the line's every event since the start: the page grew with the network).
            # Only the kinds `flow` counts: a redirect is the one kind counted for the line it leaves.
            period = Q(at__gte=boundaries[0], at__lt=boundaries[-1])
            arrived = Q(to_line_id__in=ids, kind__in=sorted({*INFLOW_KINDS, *OUTFLOW_KINDS}))
            left = Q(from_line_id__in=ids, kind=ReferralEventKind.REDIRECTED)
            events = events.filter((arrived & period) | (left & period))
        return events.values(*dims).annotate(n=Count("pk")).order_by()

    if ids == ():
        return months, []
    key = ("referral flow", ids, start, end, timezone.get_current_timezone_name())
    rows = [dict(zip([*dims, "n"], row, strict=True)) for row in statements.rows(key, build)]
    return months, rows


def flow(line_ids: Collection[int], start: datetime.date, end: datetime.date) -> dict[int, list[MonthFlow]]:
    """Per line, per month of the period from `start` to `end` (both included, local time): inflow
    (arrived on the line: submitted or redirected to it) and outflow (assigned, declined, or
    redirected away). The first and last month count only their days in the period. One query."""
    wanted = set(line_ids)
    months, rows = _flow_rows(wanted, start, end)
    counts = {line_id: [[0, 0] for _month in months] for line_id in wanted}  # [inflow, outflow]
    for row in rows:
        kind, month, n = row["kind"], row["month"], row["n"]
        if kind in INFLOW_KINDS and row["to_line_id"] in wanted:
            counts[row["to_line_id"]][month][0] += n
        outflow_line = row["from_line_id"] if kind == ReferralEventKind.REDIRECTED else row["to_line_id"]
        if kind in OUTFLOW_KINDS and outflow_line in wanted:
            counts[outflow_line][month][1] += n
    return {
        line_id: [
            MonthFlow(month=month, inflow=inflow, outflow=outflow)
            for month, (inflow, outflow) in zip(months, per_month, strict=True)
        ]
        for line_id, per_month in counts.items()
    }


def total_flow(line_ids: Collection[int] | None, start: datetime.date, end: datetime.date) -> list[MonthFlow]:
    """Per month of the period: the inflow and outflow of `flow` summed over the lines (None: every
    line). A redirect from one of the lines to another counts as outflow of the one and inflow of
    the other. One query."""
    if line_ids is not None:
        per_line = flow(line_ids, start, end).values()
        return [
            MonthFlow(
                month=cells[0]["month"],
                inflow=sum(cell["inflow"] for cell in cells),
                outflow=sum(cell["outflow"] for cell in cells),
            )
            for cells in zip(*per_line, strict=True)
        ] or [MonthFlow(month=month, inflow=0, outflow=0) for month in month_starts(start, end)]
    months, rows = _flow_rows(None, start, end)
    totals = [MonthFlow(month=month, inflow=0, outflow=0) for month in months]
    for row in rows:
        if row["kind"] in INFLOW_KINDS:
            totals[row["month"]]["inflow"] += row["n"]
        if row["kind"] in OUTFLOW_KINDS:
            totals[row["month"]]["outflow"] += row["n"]
    return totals


def monthly_flow(lines: list[ReferralLine], months: int = 12) -> dict[int, list[MonthFlow]]:
    """Per line, per month of the last `months` months (this one included): inflow and outflow, as
    `flow` counts them. One grouped query for all lines together."""
    today = timezone.localdate()
    return flow([line.pk for line in lines], first_of_month(today, months - 1), today)
