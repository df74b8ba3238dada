"""The follow-along schedule of a placement (seed 003, IPS principle 6: time-unlimited support).

Contact with the client at most a week before the job starts and within three days after, then
every week of the first month, then (if the client wishes) every month until the job's first year
is over. Each is a *slot*: a window of days in which one contact with the client meets it. What
meets a slot is a contact on the trajectory (not an unanswered outreach attempt); support given to
the employer is recorded apart (`employers.EmployerContact`, purpose "support") and never meets a
client slot.

Pure functions over dates, so the caseload, the trajectory page and the fidelity review compute
the same thing, and a test can build a known year by hand.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from werkbrug.trajectories.models import ContactKind

BEFORE_START_DAYS = 7
AFTER_START_DAYS = 3
WEEKLY_WEEKS = 4  # the first month, week by week
MONTHLY_UNTIL_MONTHS = 12  # then monthly, for a year from the start

# Contact kinds that count as contact with the client (an unanswered attempt does not).
MEETING_KINDS = tuple(k for k in ContactKind.values if k != ContactKind.OUTREACH_ATTEMPT)


class SlotKind(StrEnum):
    BEFORE_START = "before_start"
    AFTER_START = "after_start"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


SLOT_LABELS = {
    SlotKind.BEFORE_START: _("in the week before the start"),
    SlotKind.AFTER_START: _("within 3 days after the start"),
    SlotKind.WEEKLY: _("weekly in the first month"),
    SlotKind.MONTHLY: _("monthly in the first year"),
}


@dataclass(frozen=True)
class Slot:
    kind: SlotKind
    opens: datetime.date
    closes: datetime.date  # the last day that meets it

    @property
    def label(self) -> str:
        return str(SLOT_LABELS[self.kind])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def slots(
    started_on: datetime.date, *, ended_on: datetime.date | None = None, monthly: bool = True
) -> list[Slot]:
    """Every slot of a placement, in date order. A job that ended keeps the slots that opened
    before its end (the job-loss contact is a clock of its own: `Placement.job_loss_contact_due`)."""
    return [Slot(*s) for s in _closing(started_on, datetime.date.min, datetime.date.max, ended_on, monthly)]


def closing(
    started_on: datetime.date,
    first: datetime.date,
    last: datetime.date,
    *,
    ended_on: datetime.date | None = None,
    monthly: bool = True,
) -> list[Slot]:
    """The slots of `slots(...)` that close from `first` to `last` (both included), in date order,
    without working out the others."""
    return [Slot(*s) for s in _closing(started_on, first, last, ended_on, monthly)]


def tally(
    started_on: datetime.date,
    first: datetime.date,
    last: datetime.date,
    days: Sequence[datetime.date],
    *,
    ended_on: datetime.date | None = None,
    monthly: bool = True,
) -> tuple[int, int]:
    """How many slots close from `first` to `last`, and how many of them a contact day meets:
    `len(states(closing(...), days))` and the number of those met, without building them. `days`:
    sorted (repeats do no harm)."""
    due = met = 0
    n = len(days)
    for _kind, opens, closes in _closing(started_on, first, last, ended_on, monthly):
        due += 1
        i = bisect.bisect_left(days, opens)
        met += i < n and days[i] <= closes
    return due, met


_DAY = datetime.timedelta(days=1)
# The slots of the first month: their kind, and their first and last day counted from the start.
_FIRST_MONTH = (
    (SlotKind.BEFORE_START, -BEFORE_START_DAYS * _DAY, -_DAY),
    (SlotKind.AFTER_START, 0 * _DAY, AFTER_START_DAYS * _DAY),
    *((SlotKind.WEEKLY, 7 * (week - 1) * _DAY, (7 * week - 1) * _DAY) for week in range(2, WEEKLY_WEEKS + 1)),
)


def _closing(
    started_on: datetime.date,
    first: datetime.date,
    last: datetime.date,
    ended_on: datetime.date | None,
    monthly: bool,
) -> Iterator[tuple[SlotKind, datetime.date, datetime.date]]:
    """(kind, opens, closes) of the slots that close from `first` to `last`, in date order. Both
    the days a slot opens and closes grow from one slot to the next, so the first slot that closes
    after `last` or opens after the job's end ends the schedule."""
    end = last if ended_on is None else min(last, ended_on)  # no slot opens after its closing day
    for kind, opening, closing in _FIRST_MONTH:
        closes = started_on + closing
        if closes > last or started_on + opening > end:
            return
        if closes >= first:
            yield kind, started_on + opening, closes
    if not monthly:
        return
    # Month m's slot closes the day before add_months(started_on, m + 1). The first of those after
    # `first` is in its month or the next: those before it close before `first`.
    month = max(2, (first.year - started_on.year) * 12 + first.month - started_on.month)
    while month <= MONTHLY_UNTIL_MONTHS and add_months(started_on, month) <= first:
        month += 1
    if month > MONTHLY_UNTIL_MONTHS:
        return
    opens = add_months(started_on, month - 1)
    for after in range(month, MONTHLY_UNTIL_MONTHS + 1):
        following = add_months(started_on, after)
        closes = following - _DAY
        if closes > last or opens > end:
            return
        yield SlotKind.MONTHLY, opens, closes
        opens = following


@dataclass(frozen=True)
class SlotState:
    slot: Slot
    met_on: datetime.date | None  # the first contact in the window

    def status(self, today: datetime.date) -> str:
        """ "met", "open" (its window is now), "overdue" (closed, unmet) or "later"."""
        if self.met_on is not None:
            return "met"
        if today > self.slot.closes:
            return "overdue"
        if today >= self.slot.opens:
            return "open"
        return "later"


def states(schedule: Sequence[Slot], contact_days: Iterable[datetime.date]) -> list[SlotState]:
    """Each slot with the first contact day inside its window (None: not met)."""
    days = sorted(set(contact_days))
    result = []
    for slot in schedule:
        i = bisect.bisect_left(days, slot.opens)
        met = days[i] if i < len(days) and days[i] <= slot.closes else None
        result.append(SlotState(slot, met))
    return result
