"""Recurring team meetings: the dates of a team's rule (python-dateutil's rrule), the meetings
generated ahead from it, and the team's calendar feed with the series as one VEVENT (RRULE, EXDATE for
a skipped date, an override with RECURRENCE-ID for a moved one).

Times are local wall-clock times in Europe/Brussels: a meeting "at 13:30" is at 13:30 in winter and
in summer. The rule is expanded on naive local times and each date is then placed in Brussels.

`generate_ahead(today)` is idempotent: a meeting remembers the date the rule gave it
(`Meeting.occurrence`, unique per series), so running it twice (on saving the rule and from the
daily job) adds nothing the second time.
"""

from __future__ import annotations

import datetime
import zoneinfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from werkbrug.teams.models import ExceptionKind, Frequency, Meeting, MeetingSeries

TZID = "Europe/Brussels"
BRUSSELS = zoneinfo.ZoneInfo(TZID)
MONTHS_AHEAD = 3
PRODID = "-//Werkbrug//Team meeting series//EN"
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def first_date(series: MeetingSeries) -> datetime.date:
    """The rule's first meeting: the first matching weekday on or after `starts_on`. Every n weeks
    counts from it (and it is the DTSTART of the feed, which must be an occurrence itself)."""
    if series.frequency == Frequency.MONTHLY:
        day = weekday(series.weekday, series.week_of_month or 1)
        anchor = rrule(
            MONTHLY, dtstart=datetime.datetime.combine(series.starts_on, series.start_time), byweekday=day
        )
    else:
        anchor = rrule(
            WEEKLY,
            dtstart=datetime.datetime.combine(series.starts_on, series.start_time),
            byweekday=series.weekday,
        )
    return anchor[0].date()


def _rule(series: MeetingSeries, until: datetime.date | None = None) -> rrule:
    first = datetime.datetime.combine(first_date(series), series.start_time)
    bounds = [d for d in (series.ends_on, until) if d is not None]
    end = datetime.datetime.combine(min(bounds), datetime.time(23, 59)) if bounds else None
    if series.frequency == Frequency.MONTHLY:
        day = weekday(series.weekday, series.week_of_month or 1)
        return rrule(MONTHLY, dtstart=first, byweekday=day, until=end)
    return rrule(WEEKLY, dtstart=first, interval=series.interval or 1, byweekday=series.weekday, until=end)


def rule_dates(series: MeetingSeries, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The dates the rule gives between `start` and `end` (both included), exceptions not applied."""
    after = datetime.datetime.combine(start, datetime.time.min)
    before = datetime.datetime.combine(end, datetime.time.max)
    return [moment.date() for moment in _rule(series, end).between(after, before, inc=True)]


def local_moment(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=BRUSSELS)


def occurrences(
    series: MeetingSeries, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.datetime]]:
    """(date of the rule, when it takes place) between start and end: skipped dates left out, moved
    ones at their new moment."""
    exceptions = {e.on: e for e in series.exceptions.all()}
    result = []
    for day in rule_dates(series, start, end):
        exception = exceptions.get(day)
        if exception is None:
            result.append((day, local_moment(day, series.start_time)))
        elif exception.kind == ExceptionKind.MOVE and exception.moved_to is not None:
            result.append((day, exception.moved_to))
    return result


def _untouched(meetings: list[Meeting]) -> list[Meeting]:
    """Generated meetings nobody worked on yet (no agenda item, no attendance): safe to drop."""
    return [m for m in meetings if not m.items.exists() and not m.attendance.exists()]


@transaction.atomic
def sync_series(series: MeetingSeries, today: datetime.date, *, months: int = MONTHS_AHEAD) -> list[Meeting]:
    """Bring the series' future meetings in line with the rule for `months` ahead: create the missing
    ones, move the moved ones, drop untouched ones the rule no longer gives. Returns the new ones."""
    end = today + relativedelta(months=months)
    if series.ends_on is not None:
        end = min(end, series.ends_on)
    wanted = dict(occurrences(series, max(today, series.starts_on), end)) if end >= today else {}
    duration = datetime.timedelta(minutes=series.duration_minutes)
    existing = {
        m.occurrence: m for m in series.meetings.filter(occurrence__gte=today) if m.occurrence is not None
    }
    gone = [m for day, m in existing.items() if day not in wanted]
    for stale in _untouched(gone):
        stale.delete()
    created: list[Meeting] = []
    for day, starts_at in wanted.items():
        meeting = existing.get(day)
        if meeting is None:
            new = _create(series, day, starts_at, duration)
            if new is not None:
                created.append(new)
        elif meeting.starts_at != starts_at:
            meeting.starts_at, meeting.ends_at = starts_at, starts_at + duration
            meeting.save(update_fields=["starts_at", "ends_at"])
    return created


def _create(
    series: MeetingSeries, day: datetime.date, starts_at: datetime.datetime, duration: datetime.timedelta
) -> Meeting | None:
    team = series.team
    try:
        with transaction.atomic():
            return Meeting.objects.create(
                team=team,
                series=series,
                occurrence=day,
                starts_at=starts_at,
                ends_at=starts_at + duration,
                place=team.default_place,
                video_link=team.video_link,
                created_by=series.created_by,
            )
    except IntegrityError:  # generated meanwhile by another run
        return None


def generate_ahead(today: datetime.date | None = None, *, months: int = MONTHS_AHEAD) -> int:
    """Generate the meetings of every active team's rule for `months` ahead (the daily job). Returns
    how many meetings were added; running it again the same day adds none."""
    today = today or timezone.localdate()
    total = 0
    for series in MeetingSeries.objects.filter(team__is_active=True).select_related("team"):
        total += len(sync_series(series, today, months=months))
    return total


# --- the calendar feed -------------------------------------------------------------------------------


def series_uid(series: MeetingSeries) -> str:
    return f"werkbrug-series-{series.pk}@werkbrug"


def recurrence(series: MeetingSeries) -> vRecur:
    day = RRULE_DAYS[series.weekday]
    if series.frequency == Frequency.MONTHLY:
        recur = vRecur(freq="MONTHLY", byday=f"{series.week_of_month or 1}{day}")
    else:
        recur = vRecur(freq="WEEKLY", interval=series.interval or 1, byday=day)
    if series.ends_on is not None:
        last = local_moment(series.ends_on, series.start_time).astimezone(datetime.UTC)
        recur["until"] = last
    return recur


def series_ics(series: MeetingSeries) -> bytes:
    """The team's series as one VEVENT with RRULE, EXDATE for skipped dates and an override per moved
    date. No agenda and never a client: only the team's name, place and link."""
    team = series.team
    duration = datetime.timedelta(minutes=series.duration_minutes)
    first = local_moment(first_date(series), series.start_time)
    summary = str(_("%(team)s meeting")) % {"team": team.name}
    stamp = timezone.now().astimezone(datetime.UTC)
    event = Event.new(
        uid=series_uid(series),
        summary=summary,
        start=first,
        end=first + duration,
        stamp=stamp,
        location=team.default_place or None,
        url=team.video_link or None,
    )
    event.add("rrule", recurrence(series))
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH", uid=f"werkbrug-team-{team.pk}@werkbrug")
    exceptions = list(series.exceptions.all())
    skipped = [local_moment(e.on, series.start_time) for e in exceptions if e.kind == ExceptionKind.SKIP]
    if skipped:
        event.add("exdate", skipped)
    calendar.add_component(event)
    for exception in exceptions:
        if exception.kind != ExceptionKind.MOVE or exception.moved_to is None:
            continue
        moved = timezone.localtime(exception.moved_to, BRUSSELS)
        override = Event.new(
            uid=series_uid(series),
            summary=summary,
            start=moved,
            end=moved + duration,
            stamp=stamp,
            location=team.default_place or None,
        )
        override.add("recurrence-id", local_moment(exception.on, series.start_time))
        calendar.add_component(override)
    last_year = (series.ends_on or series.starts_on + relativedelta(years=3)).year
    calendar.add_missing_timezones(
        first_date=datetime.date(series.starts_on.year - 1, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )
    return bytes(calendar.to_ical())
