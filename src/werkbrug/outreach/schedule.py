"""When consultation hours take place, and their slots: plain date arithmetic, no RRULE engine.

A weekly rule with an interval of one or two weeks, counted from its first day, with cancelled
dates, is a few lines of arithmetic that anyone can check by hand; the .ics feed (outreach.ics)
writes the same rule as an RRULE with EXDATEs for calendars to expand.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from werkbrug.outreach.models import TAKEN, Appointment, Booking, BookingStatus, CancelledDate, Hours

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def first_on_or_after(hours: Hours, day: datetime.date) -> datetime.date:
    """The first date on or after `day` the hours take place by their rule (cancellations aside)."""
    start = max(day, hours.valid_from)
    first = hours.valid_from + datetime.timedelta(days=(hours.weekday - hours.valid_from.weekday()) % 7)
    if start <= first:
        return first
    step = 7 * hours.every
    periods = -(-(start - first).days // step)  # ceiling division
    return first + datetime.timedelta(days=periods * step)


def dates(
    hours: Hours, start: datetime.date, end: datetime.date, cancelled: Iterable[datetime.date] = ()
) -> Iterator[datetime.date]:
    """The dates in [start, end] on which the hours take place."""
    skip = set(cancelled)
    last = min(end, hours.valid_until) if hours.valid_until else end
    day = first_on_or_after(hours, start)
    while day <= last:
        if day not in skip:
            yield day
        day += datetime.timedelta(days=7 * hours.every)


@dataclass(frozen=True)
class Slot:
    hours: Hours
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def value(self) -> str:
        """How a form names this slot: the hours and the start, in UTC."""
        return f"{self.hours.pk}@{self.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M}"


def slots_on(hours: Hours, day: datetime.date) -> list[Slot]:
    """The slots of the hours on one date, in local wall-clock time."""
    start = datetime.datetime.combine(day, hours.starts_at, tzinfo=BRUSSELS)
    end = datetime.datetime.combine(day, hours.ends_at, tzinfo=BRUSSELS)
    length = datetime.timedelta(minutes=hours.slot_minutes)
    found = []
    while start + length <= end:
        found.append(Slot(hours, start, start + length))
        start += length
    return found


def taken(
    hours_ids: Iterable[int], since: datetime.datetime, until: datetime.datetime
) -> set[tuple[int, datetime.datetime]]:
    """(hours id, start) of the slots held by an appointment or a pending booking: two queries."""
    ids = list(hours_ids)
    held: set[tuple[int | None, datetime.datetime | None]] = set(
        Appointment.objects.filter(
            hours_id__in=ids, starts_at__gte=since, starts_at__lt=until, state__in=TAKEN
        ).values_list("hours_id", "starts_at")
    )
    held |= set(
        Booking.objects.filter(
            hours_id__in=ids, starts_at__gte=since, starts_at__lt=until, status=BookingStatus.PENDING
        ).values_list("hours_id", "starts_at")
    )
    return {(h, s) for h, s in held if h is not None and s is not None}


def free_slots(
    hours_rows: QuerySet[Hours] | Iterable[Hours],
    start: datetime.date,
    end: datetime.date,
    *,
    after: datetime.datetime | None = None,
) -> list[Slot]:
    """The free slots of these hours from `start` to `end` (inclusive) that begin after `after`,
    in time order. A constant number of queries whatever the number of hours."""
    rows = list(hours_rows)
    if not rows:
        return []
    cancelled: dict[int, set[datetime.date]] = {}
    for hours_id, on in CancelledDate.objects.filter(hours__in=rows, on__gte=start, on__lte=end).values_list(
        "hours_id", "on"
    ):
        cancelled.setdefault(hours_id, set()).add(on)
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=BRUSSELS)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=BRUSSELS)
    held = taken([h.pk for h in rows], since, until)
    found = [
        slot
        for hours in rows
        for day in dates(hours, start, end, cancelled.get(hours.pk, ()))
        for slot in slots_on(hours, day)
        if (hours.pk, slot.starts_at) not in held and (after is None or slot.starts_at > after)
    ]
    return sorted(found, key=lambda slot: (slot.starts_at, slot.hours.pk))


def parse_slot(value: str) -> tuple[int, datetime.datetime] | None:
    """The (hours id, start) a form posted, or None when it is not a slot's value."""
    try:
        hours_id, stamp = value.split("@", 1)
        start = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M").replace(tzinfo=datetime.UTC)
        return int(hours_id), start
    except ValueError:
        return None


def slot_of(hours: Hours, starts_at: datetime.datetime) -> Slot | None:
    """The slot of these hours that begins at `starts_at`, if the rule has one then (cancellations
    are checked by the caller with the rest of what is taken)."""
    local = starts_at.astimezone(BRUSSELS)
    if next(iter(dates(hours, local.date(), local.date())), None) is None:
        return None
    for slot in slots_on(hours, local.date()):
        if slot.starts_at == local:
            return slot
    return None
