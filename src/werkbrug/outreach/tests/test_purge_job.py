"""The purge of unhandled self-bookings as a daily job keyed by its day (issue 19): a second run on
the same day does nothing, even for a booking that became due meanwhile; the next day's run does."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from werkbrug.jobs.models import DoneMarker
from werkbrug.outreach.models import Booking
from werkbrug.outreach.tasks import purge_unhandled_bookings
from werkbrug.outreach.tests.data import site
from werkbrug.outreach.tests.test_retention import made_on

pytestmark = pytest.mark.django_db


def test_the_job_is_daily_and_runs_once_a_day(net):
    assert "werkbrug.outreach.tasks.purge_unhandled_bookings" in settings.JOBS_DAILY
    s = site(net)
    made_on(s, 1, "Oud", "0470 00 00 01")  # due on 1 December
    purge_unhandled_bookings.enqueue("2026-12-01")
    assert Booking.objects.count() == 0
    assert DoneMarker.objects.filter(job="purge_unhandled", day=datetime.date(2026, 12, 1)).count() == 1
    late = made_on(s, 1, "Later", "0470 00 00 02")  # due as well, but today's run is done
    assert purge_unhandled_bookings.enqueue("2026-12-01").return_value == 0
    assert list(Booking.objects.values_list("pk", flat=True)) == [late.pk]
    assert purge_unhandled_bookings.enqueue("2026-12-02").return_value == 1
    assert not Booking.objects.exists()
