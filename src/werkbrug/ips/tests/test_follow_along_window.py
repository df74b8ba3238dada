"""The follow-along slots of a window (`closing`, `tally`) are the full schedule's slots that close in
it, and the full schedule is the one worked out by hand, on starts, windows and job ends chosen
around month ends and leap days."""

from __future__ import annotations

import datetime
import itertools

from werkbrug.ips.followalong import Slot, SlotKind, closing, slots, states, tally

D = datetime.date
DAY = datetime.timedelta(days=1)


def days(text: str) -> list[datetime.date]:
    return [D.fromisoformat(day) for day in text.split()]


# Starts around month ends and a leap day.
STARTS = days(
    "2023-12-31 2024-01-01 2024-01-28 2024-01-29 2024-01-30 2024-01-31 2024-02-29 2024-03-31 "
    "2024-05-31 2024-08-30 2024-12-31 2025-01-15 2025-02-28"
)
# Period ends: month ends, a leap day, a year's last day, and windows of one day.
DAYS = days(
    "2023-06-01 2023-12-31 2024-01-03 2024-01-31 2024-02-28 2024-02-29 2024-03-01 2024-03-30 "
    "2024-04-30 2024-07-31 2024-12-30 2024-12-31 2025-01-31 2025-03-31 2025-12-31 2026-06-30"
)


def windows() -> list[tuple[datetime.date, datetime.date]]:
    return [(first, last) for first, last in itertools.product(DAYS, DAYS) if first <= last]


def ends(start: datetime.date) -> list[datetime.date | None]:
    """No end, ended the day it started, inside the first month, on a month's last day, later."""
    return [None, start, start + 2 * DAY, start + 10 * DAY, start + 40 * DAY, D(2024, 4, 30), D(2025, 7, 1)]


def test_the_schedule_of_a_job_started_on_a_months_last_day_as_worked_out_by_hand():
    start = D(2024, 1, 31)
    monthly_opens = [
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
        D(2024, 5, 31),
        D(2024, 6, 30),
        D(2024, 7, 31),
        D(2024, 8, 31),
        D(2024, 9, 30),
        D(2024, 10, 31),
        D(2024, 11, 30),
        D(2024, 12, 31),
    ]
    monthly_closes = [*(day - DAY for day in monthly_opens[1:]), D(2025, 1, 30)]
    assert slots(start) == [
        Slot(SlotKind.BEFORE_START, D(2024, 1, 24), D(2024, 1, 30)),
        Slot(SlotKind.AFTER_START, D(2024, 1, 31), D(2024, 2, 3)),
        Slot(SlotKind.WEEKLY, D(2024, 2, 7), D(2024, 2, 13)),
        Slot(SlotKind.WEEKLY, D(2024, 2, 14), D(2024, 2, 20)),
        Slot(SlotKind.WEEKLY, D(2024, 2, 21), D(2024, 2, 27)),
    ] + [Slot(SlotKind.MONTHLY, o, c) for o, c in zip(monthly_opens, monthly_closes, strict=True)]
    # An end keeps the slots that opened on or before it.
    assert [s.opens for s in slots(start, ended_on=D(2024, 2, 14))] == [
        D(2024, 1, 24),
        D(2024, 1, 31),
        D(2024, 2, 7),
        D(2024, 2, 14),
    ]
    assert len(slots(start, monthly=False)) == 5
    assert slots(start, ended_on=D(2024, 1, 30)) == [
        Slot(SlotKind.BEFORE_START, D(2024, 1, 24), D(2024, 1, 30))
    ]


def test_the_slots_closing_in_a_window_are_the_full_schedules_that_close_in_it():
    compared = 0
    for start in STARTS:
        for ended, monthly in itertools.product(ends(start), (True, False)):
            schedule = slots(start, ended_on=ended, monthly=monthly)
            for first, last in windows():
                expected = [s for s in schedule if first <= s.closes <= last]
                assert closing(start, first, last, ended_on=ended, monthly=monthly) == expected, (
                    start,
                    ended,
                    monthly,
                    first,
                    last,
                )
                compared += bool(expected)
    assert compared > 1000  # most windows hold some slots


def test_a_window_of_one_day_holds_the_slot_closing_that_day():
    start = D(2024, 1, 31)
    assert closing(start, D(2024, 3, 30), D(2024, 3, 30)) == [
        Slot(SlotKind.MONTHLY, D(2024, 2, 29), D(2024, 3, 30))
    ]
    assert closing(start, D(2024, 3, 31), D(2024, 3, 31)) == []
    assert closing(start, D(2024, 3, 30), D(2024, 3, 30), ended_on=D(2024, 2, 28)) == []


def test_the_tally_counts_the_windows_slots_and_those_a_contact_meets():
    contact_days = sorted(
        {D(2024, 1, 25), D(2024, 2, 2), D(2024, 2, 29), D(2024, 3, 1), D(2024, 4, 30), D(2024, 12, 31)}
    )
    for start in STARTS:
        for ended, monthly in itertools.product(ends(start), (True, False)):
            for first, last in windows():
                found = states(closing(start, first, last, ended_on=ended, monthly=monthly), contact_days)
                expected = (len(found), sum(s.met_on is not None for s in found))
                assert tally(start, first, last, contact_days, ended_on=ended, monthly=monthly) == expected
    # By hand: a job from 31 January 2024, the period February to April 2024.
    start, first, last = D(2024, 1, 31), D(2024, 2, 1), D(2024, 4, 30)
    # after the start (met 2 Feb), weeks 2-4 (none), February 29-March 30 (met 29 Feb),
    # March 31-April 29 (no contact in it: the 30th is the next slot's).
    assert tally(start, first, last, contact_days) == (6, 2)
    assert tally(start, first, last, contact_days + contact_days) == (6, 2)  # repeated days
