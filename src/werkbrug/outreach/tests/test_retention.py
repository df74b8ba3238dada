"""Retention of self-bookings nobody handled: deleted after OUTREACH_UNHANDLED_BOOKING_DAYS (30 by
default), handled ones kept, idempotent; the management command runs the same function."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import time_machine
from django.core.management import call_command

from werkbrug.outreach import booking_actions
from werkbrug.outreach.models import Booking, BookingStatus
from werkbrug.outreach.retention import purge_unhandled
from werkbrug.outreach.tests.data import booking, site
from werkbrug.testing import actor_for

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def made_on(s, day, name, phone):
    with time_machine.travel(datetime.datetime(2026, 11, day, 23, 30, tzinfo=BRUSSELS), tick=False):
        return booking(s, None, None, name=name, phone=phone)  # a call-back request


def test_unhandled_bookings_go_after_thirty_days_handled_ones_stay(net):
    s = site(net)
    old = made_on(s, 1, "Oud", "0470 00 00 01")  # 1 November, 23:30 Brussels
    assert old.status == BookingStatus.PENDING
    young = made_on(s, 2, "Jong", "0470 00 00 02")
    rejected = made_on(s, 1, "Afgewezen", "0470 00 00 03")
    with time_machine.travel(datetime.datetime(2026, 11, 3, 10, tzinfo=BRUSSELS), tick=False):
        booking_actions.reject_booking(actor_for(net.coach), rejected)
    # 1 November + 30 days = 1 December: the day the November 1 booking goes, not before.
    assert purge_unhandled(datetime.date(2026, 11, 30)) == 0
    assert purge_unhandled(datetime.date(2026, 12, 1)) == 1
    assert set(Booking.objects.values_list("pk", flat=True)) == {young.pk, rejected.pk}
    assert purge_unhandled(datetime.date(2026, 12, 1)) == 0  # idempotent
    assert Booking.objects.get(pk=rejected.pk).status == BookingStatus.REJECTED
    assert purge_unhandled(datetime.date(2026, 12, 2)) == 1  # now the 2 November one
    assert list(Booking.objects.values_list("pk", flat=True)) == [rejected.pk]


def test_the_number_of_days_is_a_setting(net, settings):
    settings.OUTREACH_UNHANDLED_BOOKING_DAYS = 7
    s = site(net)
    made_on(s, 1, "Oud", "0470 00 00 01")
    assert purge_unhandled(datetime.date(2026, 11, 7)) == 0
    assert purge_unhandled(datetime.date(2026, 11, 8)) == 1


def test_the_command_deletes_and_its_dry_run_does_not(net):
    s = site(net)
    made_on(s, 1, "Oud", "0470 00 00 01")
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 12, 5, 3, tzinfo=BRUSSELS), tick=False):
        call_command("purge_unhandled_bookings", "--dry-run", stdout=out)
        assert Booking.objects.count() == 1 and "1 unhandled" in out.getvalue()
        call_command("purge_unhandled_bookings", stdout=out)
    assert Booking.objects.count() == 0
