"""A team's meetings: planning one, its page with the agenda (a guest sees their own items only),
the attendance and updating the agenda. See teams.pages for access and anonymity."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.policy import client_view
from werkbrug.teams import meeting_actions
from werkbrug.teams.access import get_meeting, seat_of
from werkbrug.teams.followup_actions import get_member_team
from werkbrug.teams.forms import AttendanceForm, MeetingForm
from werkbrug.teams.models import AgendaItem, Attendance, Meeting
from werkbrug.teams.pages import (
    action_rows,
    audit_views,
    back_to,
    button_action,
    item_row,
    meeting_items,
    open_actions_of,
)


def _meeting_url(meeting: Meeting) -> str:
    return reverse("teams:meeting", args=[meeting.pk])


def _member_meeting(step: Step) -> Meeting:
    """A meeting of a team the actor sits in; a guest, like anyone else, gets 404."""
    meeting = get_meeting(step.actor, step.kwargs["pk"])
    if not seat_of(meeting):
        raise Http404
    return meeting


meeting_create = action_view(
    policy=client_view,
    load=lambda step: get_member_team(step.actor, step.kwargs["team_pk"]),
    form=lambda step: MeetingForm(
        step.data, initial={"place": step.target.default_place, "video_link": step.target.video_link}
    ),
    run=lambda step, data: meeting_actions.schedule_meeting(step.actor, step.target, **data),
    success=_("The meeting was planned; its agenda holds the open cases."),
    done=lambda step, meeting: _meeting_url(meeting),
    title=_("Plan a meeting"),
    submit_label=_("Plan the meeting"),
    context=lambda step: back_to(reverse("teams:detail", args=[step.target.pk]), step.target.name),
    refused_status=200,
)


@client_view
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Members see the whole agenda, attendance and open actions; a guest their own items only."""
    actor = Actor.from_request(request)
    meeting = get_meeting(actor, pk)
    member = seat_of(meeting)
    today = timezone.localdate()
    items = meeting_items(actor, meeting)
    rows = [item_row(shown.item, today, shown.guests, shown.actions) for shown in items]
    cases = [shown.item.case for shown in items if shown.item.case is not None]
    audit_views(actor, cases, f"team meeting {meeting.pk}")
    context: dict[str, Any] = {"meeting": meeting, "team": meeting.team, "member": member, "rows": rows}
    if member:
        people = meeting_actions.expected_people(meeting)
        attendance = {a.user_id: a.present for a in Attendance.objects.filter(meeting=meeting)}
        context["attendance_form"] = AttendanceForm(
            people=people, initial={"present": [pk for pk, present in attendance.items() if present]}
        )
        context["attendance_recorded"] = bool(attendance)
        context["open_actions"] = action_rows(open_actions_of(meeting.team_id), today)
    return render(request, "teams/meeting.html", context)


attendance = action_view(
    policy=client_view,
    load=_member_meeting,
    form=lambda step: AttendanceForm(step.data, people=meeting_actions.expected_people(step.target)),
    run=lambda step, data: meeting_actions.record_attendance(
        step.actor, step.target, present=data["present"]
    ),
    success=_("The attendance was recorded."),
    done=lambda step, rows: _meeting_url(step.target),
    title=_("Attendance"),
    context=lambda step: back_to(_meeting_url(step.target), str(step.target)),
    refused_status=200,
)


def _agenda_refreshed(step: Step, added: list[AgendaItem]) -> str:
    if not added:
        messages.info(step.request, _("Nothing new to add."))
    return _meeting_url(step.target)


agenda_refresh = button_action(
    load=_member_meeting,
    run=lambda step, data: meeting_actions.refresh_agenda(step.actor, step.target),
    success=_("The agenda was updated."),
    back=lambda step: _meeting_url(step.target),
    done=_agenda_refreshed,
)
