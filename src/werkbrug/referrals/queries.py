"""Read-side queries for referrals: waiting-list positions and monthly flow, each one query."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from werkbrug.network.models import ReferralLine
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralEventKind, ReferralStatus, Urgency

URGENT_FIRST = Case(
    When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def waiting_positions(line_ids: Iterable[int]) -> dict[int, int]:
    """Place of every waiting referral on its line's list: urgent first, then first come."""
    rows = (
        Referral.objects.filter(line_id__in=list(line_ids), status=ReferralStatus.WAITING)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("line_id")],
                order_by=[URGENT_FIRST.asc(), F("waiting_since").asc()],
            )
        )
        .values_list("pk", "position")
    )
    return dict(rows)


def first_of_month(day: datetime.date, months_back: int) -> datetime.date:
    year, month = day.year, day.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def monthly_flow(lines: list[ReferralLine], months: int = 12) -> dict[int, list[dict[str, object]]]:
    """Per line, per month: inflow (arrived by referral or redirect) and outflow (assigned, declined,
    redirected away). Two grouped queries for all lines together."""
    today = timezone.localdate()
    start = first_of_month(today, months - 1)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    line_ids = [line.pk for line in lines]
    events = ReferralEvent.objects.filter(at__gte=since).annotate(month=TruncMonth("at"))
    inflow = (
        events.filter(
            Q(kind=ReferralEventKind.SUBMITTED) | Q(kind=ReferralEventKind.REDIRECTED),
            to_line_id__in=line_ids,
        )
        .values("to_line_id", "month")
        .annotate(n=Count("pk"))
    )
    outflow = (
        events.filter(
            Q(kind__in=[ReferralEventKind.ASSIGNED, ReferralEventKind.DECLINED], to_line_id__in=line_ids)
            | Q(kind=ReferralEventKind.REDIRECTED, from_line_id__in=line_ids)
        )
        .annotate(
            line_id=Case(
                When(kind=ReferralEventKind.REDIRECTED, then=F("from_line_id")),
                default=F("to_line_id"),
            )
        )
        .values("line_id", "month")
        .annotate(n=Count("pk"))
    )
    months_list = [first_of_month(today, back) for back in range(months - 1, -1, -1)]
    table: dict[int, dict[datetime.date, dict[str, object]]] = {
        line_id: {m: {"month": m, "inflow": 0, "outflow": 0} for m in months_list} for line_id in line_ids
    }

    def month_key(value: datetime.date | datetime.datetime) -> datetime.date:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value.replace(day=1)

    for row in inflow:
        cell = table[row["to_line_id"]].get(month_key(row["month"]))
        if cell is not None:
            cell["inflow"] = row["n"]
    for row in outflow:
        cell = table.get(row["line_id"], {}).get(month_key(row["month"]))
        if cell is not None:
            cell["outflow"] = row["n"]
    return {line_id: list(cells.values()) for line_id, cells in table.items()}
