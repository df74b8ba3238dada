"""The teams area's background jobs (docs/jobs.md): meeting invitations, guest invitations and the
daily action reminders. Arguments are ids and dates only."""

from __future__ import annotations

import datetime

from werkbrug.jobs.runner import job
from werkbrug.teams import notify
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
