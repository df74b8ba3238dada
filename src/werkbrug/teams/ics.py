"""iCalendar (.ics) invitations for team meetings.

Calendar files end up in mail clients, phones and shared calendars, far outside Werkbrug. So an
.ics never names a client, not even for a case whose client consents to discussion in the team:
agenda items about a case carry the anonymous label ("Case 12") only, general points their title.
The times are written as local wall-clock time with TZID=Europe/Brussels and the VTIMEZONE that
defines it, so a calendar shows 14:00 for a meeting entered as 14:00, in winter and in summer.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from werkbrug.network.models import User
from werkbrug.teams.models import AgendaItem, Case, Meeting, TeamMember

TZID = "Europe/Brussels"
BRUSSELS = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Werkbrug//Case team meetings//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def meeting_uid(meeting: Meeting) -> str:
    """Stable per meeting: a calendar replaces the event when a changed meeting is sent again."""
    return f"werkbrug-meeting-{meeting.pk}@werkbrug"


def ics_filename(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}.ics"


def items_for(meeting: Meeting, user: User) -> QuerySet[AgendaItem]:
    """The items `user` may see: all of them for a fixed member, else those they are invited for."""
    items = meeting.items.all()
    if TeamMember.objects.filter(team_id=meeting.team_id, user=user).exists():
        return items
    return items.filter(guests__user=user)


def item_line(item: AgendaItem) -> str:
    """Never a name: the anonymous label for a case, the title for a general point."""
    if item.case_id is not None:
        # The model's label from the id alone: the case (and its client) is never loaded here.
        return Case(pk=item.case_id).anonymous_label
    return item.title or str(_("General point"))


def description(items: Iterable[AgendaItem]) -> str:
    lines = [item_line(item) for item in items]
    if not lines:
        return str(_("The agenda follows in Werkbrug."))
    numbered = [f"{n}. {line}" for n, line in enumerate(lines, start=1)]
    return "\n".join([str(_("Agenda (as far as it concerns you):")), *numbered])


def meeting_ics(
    meeting: Meeting, for_user: User, *, items: QuerySet[AgendaItem] | Iterable[AgendaItem] | None = None
) -> bytes:
    """The meeting as an iCalendar file for `for_user`. Pass `items` when the caller already knows
    what the user may see (a page passes teams.access.visible_items for the acting membership)."""
    visible = items_for(meeting, for_user) if items is None else items
    if isinstance(visible, QuerySet):
        visible = visible.order_by("position", "pk")
    team = meeting.team
    start = timezone.localtime(meeting.starts_at, BRUSSELS)
    end = timezone.localtime(meeting.ends_at, BRUSSELS)
    event = Event.new(
        uid=meeting_uid(meeting),
        summary=str(_("%(team)s meeting")) % {"team": team.name},
        start=start,
        end=end,
        stamp=timezone.now().astimezone(datetime.UTC),
        location=meeting.place or team.default_place or None,
        url=meeting.video_link or team.video_link or None,
        description=description(visible),
    )
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH", uid=f"werkbrug-calendar-{meeting.pk}@werkbrug")
    calendar.add_component(event)
    # Only the years around the meeting: the whole 1970-2038 history would bloat every invitation.
    calendar.add_missing_timezones(
        first_date=datetime.date(start.year - 1, 1, 1), last_date=datetime.date(end.year + 2, 1, 1)
    )
    return bytes(calendar.to_ical())
