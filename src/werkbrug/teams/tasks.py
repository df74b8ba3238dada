"""The teams area's background jobs (docs/jobs.md): meeting invitations, guest invitations, the
daily action reminders and the daily planning of the series' meetings ahead. Arguments are ids and
dates only."""

from __future__ import annotations

import datetime

from django.db import transaction

from werkbrug.jobs.daily import claim
from werkbrug.jobs.models import DoneMarker
from werkbrug.jobs.runner import job
from werkbrug.teams import notify, series
from werkbrug.teams.models import ItemGuest, Meeting


@job
def meeting_invitations(meeting_id: int) -> int:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return notify.notify_meeting(meeting) if meeting is not None else 0


@job
def guest_invitation(guest_id: int) -> int:
    guest = ItemGuest.objects.filter(pk=guest_id).first()
    return notify.notify_guest(guest) if guest is not None else 0


@job
def action_reminders(day: str, within_days: int = notify.REMIND_WITHIN_DAYS) -> int:
    """The daily reminders of `day` (ISO date): each action is reminded of once that day."""
    return notify.send_action_reminders(datetime.date.fromisoformat(day), within_days)


GENERATE_AHEAD = "generate_ahead"


@job
def generate_meetings(day: str) -> int:
    """The meetings of every team's rule for the months ahead of `day` (ISO date), once that day.
    `series.generate_ahead` is safe to repeat (a meeting remembers its date in the rule) and works
    series by series, so it is not held in one long transaction: the day's done-marker is written
    after it, and a second run on the same day finds the marker and does nothing."""
    today = datetime.date.fromisoformat(day)
    if DoneMarker.objects.filter(job=GENERATE_AHEAD, day=today).exists():
        return 0
    added = series.generate_ahead(today)
    with transaction.atomic():
        claim(GENERATE_AHEAD, today, [""])
    return added
