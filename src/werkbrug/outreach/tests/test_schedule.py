"""The hours' dates and slots, by plain date arithmetic: checked against dates written out by hand."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from werkbrug.outreach import actions
from werkbrug.outreach.schedule import dates, free_slots, slots_on
from werkbrug.outreach.tests.data import MONDAY, TUESDAY, at, booking, hours, site
from werkbrug.testing import actor_for

D = datetime.date


@pytest.mark.django_db
def test_weekly_and_fortnightly_dates_counted_from_the_first_day(net):
    s = site(net)
    weekly = hours(net, s)
    fortnightly = hours(net, s, weekday=3, every=2, valid_until=D(2027, 1, 31))
    assert list(dates(weekly, D(2026, 12, 7), D(2026, 12, 31))) == [
        D(2026, 12, 8),
        D(2026, 12, 15),
        D(2026, 12, 22),
        D(2026, 12, 29),
    ]
    # Thursdays every 2nd week from the first Thursday on or after 7 December: 10 Dec, 24 Dec, …
    assert list(dates(fortnightly, D(2026, 12, 20), D(2027, 12, 31))) == [
        D(2026, 12, 24),
        D(2027, 1, 7),
        D(2027, 1, 21),
    ]


@pytest.mark.django_db
def test_a_cancelled_date_has_no_slots(net):
    s = site(net)
    h = hours(net, s)
    actions.cancel_date(actor_for(net.coach), h, on=D(2026, 12, 15), reason="Opleiding")
    with time_machine.travel(MONDAY, tick=False):
        found = free_slots([h], D(2026, 12, 7), D(2026, 12, 20), after=MONDAY)
    assert {slot.starts_at.date() for slot in found} == {TUESDAY}
    assert [slot.starts_at for slot in found] == [at(TUESDAY, 9, m) for m in (0,)] + [
        at(TUESDAY, hh, mm) for hh, mm in ((9, 30), (10, 0), (10, 30), (11, 0), (11, 30))
    ]


@pytest.mark.django_db
def test_slots_fill_the_hours_and_a_pending_booking_takes_one(net):
    s = site(net)
    h = hours(net, s, ends_at=datetime.time(10, 45))
    assert [slot.starts_at for slot in slots_on(h, TUESDAY)] == [
        at(TUESDAY, 9),
        at(TUESDAY, 9, 30),
        at(TUESDAY, 10),
    ]
    with time_machine.travel(MONDAY, tick=False):
        booking(s, h, at(TUESDAY, 9, 30))
        found = free_slots([h], TUESDAY, TUESDAY, after=MONDAY)
    assert [slot.starts_at for slot in found] == [at(TUESDAY, 9), at(TUESDAY, 10)]


@pytest.mark.django_db
def test_a_date_the_hours_do_not_hold_cannot_be_cancelled(net):
    from werkbrug.core.exceptions import DomainError

    h = hours(net, site(net))
    with pytest.raises(DomainError):
        actions.cancel_date(actor_for(net.coach), h, on=D(2026, 12, 9))
