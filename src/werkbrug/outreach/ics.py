"""A coach's consultation hours and appointments as an iCalendar file.

Written the way teams.ics writes meeting invitations: local wall-clock times with
TZID=Europe/Brussels and the VTIMEZONE that defines it, and nothing that names a person. Hours are
one event each with an RRULE (weekly, interval 1 or 2, until the last day) and an EXDATE per
cancelled date, so a calendar expands them itself; appointments are single events that say only
"Appointment" and the site, never who booked.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from werkbrug.core.actor import Actor
from werkbrug.network.models import User
from werkbrug.outreach.access import visible_appointments, visible_hours
from werkbrug.outreach.models import TAKEN, CancelledDate
from werkbrug.outreach.schedule import BRUSSELS, first_on_or_after

PRODID = "-//Werkbrug//Outreach consultation hours//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Appointments from a month back to a year ahead: enough for a phone's calendar, bounded.
PAST_DAYS = 31
FUTURE_DAYS = 366


def coach_calendar(actor: Actor, coach: User, *, feed: bool = False) -> bytes:
    """`feed`: for the subscription URL, which any calendar app holding the link can read: hours say
    "Consultation hours: <site>", appointments only "Appointment" (not even the site)."""
    today = timezone.localdate()
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH", uid=f"werkbrug-outreach-{coach.pk}@werkbrug")
    hours_rows = list(
        visible_hours(actor)
        .filter(coach=coach)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today - datetime.timedelta(days=PAST_DAYS)))
        .select_related("site")
    )
    cancelled: dict[int, list[datetime.date]] = {}
    for hours_id, on in CancelledDate.objects.filter(hours__in=hours_rows).values_list("hours_id", "on"):
        cancelled.setdefault(hours_id, []).append(on)
    first_year = today.year
    for hours in hours_rows:
        first = first_on_or_after(hours, hours.valid_from)
        start = datetime.datetime.combine(first, hours.starts_at, tzinfo=BRUSSELS)
        event = Event.new(
            uid=f"werkbrug-hours-{hours.pk}@werkbrug",
            summary=_("Consultation hours: %(site)s") % {"site": hours.site.name},
            start=start,
            end=datetime.datetime.combine(first, hours.ends_at, tzinfo=BRUSSELS),
            stamp=stamp,
            location=", ".join(part for part in (hours.place, hours.site.address) if part) or None,
        )
        rule: dict[str, object] = {"freq": "weekly", "interval": hours.every}
        if hours.valid_until:
            until = datetime.datetime.combine(hours.valid_until, datetime.time(23, 59), tzinfo=BRUSSELS)
            rule["until"] = until.astimezone(datetime.UTC)
        event.add("rrule", rule)
        for on in sorted(cancelled.get(hours.pk, [])):
            event.add("exdate", datetime.datetime.combine(on, hours.starts_at, tzinfo=BRUSSELS))
        calendar.add_component(event)
        first_year = min(first_year, first.year)
    appointments = (
        visible_appointments(actor)
        .filter(
            hours__coach=coach,
            state__in=TAKEN,
            starts_at__gte=timezone.now() - datetime.timedelta(days=PAST_DAYS),
            starts_at__lte=timezone.now() + datetime.timedelta(days=FUTURE_DAYS),
        )
        .select_related("hours__site")
    )
    for appointment in appointments:
        calendar.add_component(
            Event.new(
                uid=f"werkbrug-appointment-{appointment.pk}@werkbrug",
                summary=_("Appointment")
                if feed
                else _("Appointment: %(site)s") % {"site": appointment.hours.site.name},
                start=appointment.starts_at.astimezone(BRUSSELS),
                end=appointment.ends_at.astimezone(BRUSSELS),
                stamp=stamp,
            )
        )
    calendar.add_missing_timezones(
        first_date=datetime.date(first_year - 1, 1, 1), last_date=datetime.date(today.year + 2, 1, 1)
    )
    return bytes(calendar.to_ical())
