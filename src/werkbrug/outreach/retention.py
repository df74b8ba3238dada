"""Retention of self-bookings nobody handled (docs/outreach.md): a pending booking from the public
page holds a first name and a phone number or e-mail address. The consent text promises they are not
kept without reason: a booking no coach confirmed or rejected within
`OUTREACH_UNHANDLED_BOOKING_DAYS` days (30 by default) is deleted.

`purge_unhandled(today)` is what a nightly job calls (keep its signature); it is idempotent: a second
run the same day finds nothing left. `manage.py purge_unhandled_bookings` runs it by hand.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from werkbrug.core.dbdates import local_midnight
from werkbrug.outreach.models import Booking, BookingStatus

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30


def unhandled_days() -> int:
    return int(getattr(settings, "OUTREACH_UNHANDLED_BOOKING_DAYS", DEFAULT_DAYS))


def unhandled(today: datetime.date) -> QuerySet[Booking]:
    """Pending bookings made before the start (Brussels midnight) of `today` minus the retention days:
    with 30 days, a booking of 1 March is deleted on 31 March."""
    cutoff = today - datetime.timedelta(days=unhandled_days())
    moment = local_midnight(cutoff + datetime.timedelta(days=1))
    return Booking.objects.filter(status=BookingStatus.PENDING, created_at__lt=moment)


@transaction.atomic
def purge_unhandled(today: datetime.date) -> int:
    """Delete the bookings nobody handled in time; the number deleted (0 on a second run)."""
    count, _per_model = unhandled(today).delete()
    if count:
        logger.info("outreach retention: %d unhandled self-booking(s) deleted", count)
    return count
