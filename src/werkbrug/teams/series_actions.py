"""Writes on a team's recurring rule (network admin): the rule itself and its exceptions (a skipped
or moved date). Each saves, then brings the generated meetings in line (teams.series.sync_series)."""

from __future__ import annotations

import datetime
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Role
from werkbrug.teams.models import ExceptionKind, Frequency, MeetingSeries, SeriesException, Team, WeekOfMonth
from werkbrug.teams.series import rule_dates, sync_series

MAX_DURATION = 12 * 60
MAX_INTERVAL = 8


class SeriesFields(TypedDict):
    frequency: str
    interval: int | None
    weekday: int
    week_of_month: int | None
    start_time: datetime.time
    duration_minutes: int
    starts_on: datetime.date
    ends_on: datetime.date | None


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can manage the teams."))


def _values(fields: SeriesFields) -> dict[str, object]:
    frequency = fields["frequency"]
    if frequency not in Frequency.values:
        raise DomainError(_("Choose how often the team meets."), field="frequency")
    week = fields.get("week_of_month")
    if frequency == Frequency.MONTHLY and week not in WeekOfMonth.values:
        raise DomainError(_("Choose which weekday of the month."), field="week_of_month")
    interval = fields.get("interval") or 1
    if not 1 <= interval <= MAX_INTERVAL:
        raise DomainError(_("Every 1 to 8 weeks."), field="interval")
    if not 0 <= fields["weekday"] <= 6:
        raise DomainError(_("Choose a weekday."), field="weekday")
    duration = fields["duration_minutes"]
    if not 15 <= duration <= MAX_DURATION:
        raise DomainError(_("A meeting lasts between 15 minutes and 12 hours."), field="duration_minutes")
    ends_on = fields.get("ends_on")
    if ends_on is not None and ends_on < fields["starts_on"]:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    return {
        "frequency": frequency,
        "interval": interval if frequency == Frequency.WEEKLY else 1,
        "weekday": fields["weekday"],
        "week_of_month": week if frequency == Frequency.MONTHLY else None,
        "start_time": fields["start_time"],
        "duration_minutes": duration,
        "starts_on": fields["starts_on"],
        "ends_on": ends_on,
    }


@transaction.atomic
def save_series(actor: Actor, team: Team, **fields: Unpack[SeriesFields]) -> MeetingSeries:
    """Set (or change) the team's rule, then generate its meetings ahead."""
    _require_admin(actor)
    values = _values(fields)
    team = relock(team)
    series, created = MeetingSeries.objects.select_for_update().get_or_create(
        team=team, defaults={**values, "created_by": actor.user}
    )
    if not created:
        for key, value in values.items():
            setattr(series, key, value)
        series.updated_at = timezone.now()
        series.save()
    audit.record(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        series,
        client_id=None,
        summary=f"team {team.pk}: recurring rule",
    )
    sync_series(series, timezone.localdate())
    return series


@transaction.atomic
def add_exception(
    actor: Actor, series: MeetingSeries, *, on: datetime.date, kind: str, moved_to: datetime.datetime | None
) -> SeriesException:
    """Skip one date of the rule, or move it to another moment."""
    _require_admin(actor)
    series = relock(series)
    if on not in rule_dates(series, on, on):
        raise DomainError(_("The rule gives no meeting on this date."), field="on")
    if kind not in ExceptionKind.values:
        raise DomainError(_("Choose skip or move."), field="kind")
    if kind == ExceptionKind.MOVE and moved_to is None:
        raise DomainError(_("Give the new date and time."), field="moved_to")
    if series.exceptions.filter(on=on).exists():
        raise DomainError(_("This date already has an exception."), field="on")
    exception = SeriesException.objects.create(
        series=series, on=on, kind=kind, moved_to=moved_to if kind == ExceptionKind.MOVE else None
    )
    audit.record(
        actor, AuditAction.CREATE, exception, client_id=None, summary=f"series {series.pk}: {kind} {on}"
    )
    sync_series(series, timezone.localdate())
    return exception


@transaction.atomic
def remove_exception(actor: Actor, exception: SeriesException) -> None:
    _require_admin(actor)
    series = relock(exception.series)
    audit.record(
        actor, AuditAction.DELETE, exception, client_id=None, summary=f"series {series.pk}: {exception.on}"
    )
    exception.delete()
    sync_series(series, timezone.localdate())
