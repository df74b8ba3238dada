"""The team's recurring rule (network admin: the rule, its exceptions and the meetings it generated)
and the team's calendar feed (members: the series as one VEVENT with RRULE)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.policy import client_view, role_view
from werkbrug.network.models import Role
from werkbrug.teams import series_actions
from werkbrug.teams.access import is_member
from werkbrug.teams.ics import CONTENT_TYPE
from werkbrug.teams.models import MeetingSeries, SeriesException, Team
from werkbrug.teams.pages import back_to, button_action
from werkbrug.teams.series import series_ics
from werkbrug.teams.series_forms import ExceptionForm, SeriesForm

network_admin = role_view(Role.NETWORK_ADMIN)
SERIES_FIELDS = (
    "frequency",
    "interval",
    "weekday",
    "week_of_month",
    "start_time",
    "duration_minutes",
    "starts_on",
    "ends_on",
)
UPCOMING = 12


def series_url(team_pk: int) -> str:
    return reverse("teams:series", args=[team_pk])


def _team(step: Step) -> Team:
    return get_object_or_404(Team, pk=step.kwargs["pk"])


def _series(step: Step) -> MeetingSeries:
    return get_object_or_404(MeetingSeries.objects.select_related("team"), team_id=step.kwargs["pk"])


def _initial(team: Team) -> dict[str, Any]:
    series = MeetingSeries.objects.filter(team=team).first()
    return model_to_dict(series, SERIES_FIELDS) if series else {"interval": 1, "duration_minutes": 120}


def _page(step: Step) -> dict[str, Any]:
    team = step.target
    series = MeetingSeries.objects.filter(team=team).first()
    context: dict[str, Any] = {
        "team": team,
        "series": series,
        **back_to(reverse("teams:team_edit", args=[team.pk]), team.name),
    }
    if series is not None:
        context["exceptions"] = list(series.exceptions.all())
        context["upcoming"] = list(
            series.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:UPCOMING]
        )
        context["exception_form"] = ExceptionForm()
    return context


series_edit = action_view(
    policy=network_admin,
    load=_team,
    form=lambda step: SeriesForm(step.data, initial=_initial(step.target)),
    run=lambda step, data: series_actions.save_series(step.actor, step.target, **data),
    success=_("The recurring rule was saved and the meetings are planned ahead."),
    done=lambda step, series: series_url(step.target.pk),
    title=_("Recurring meetings"),
    submit_label=_("Save the rule"),
    template="teams/series.html",
    context=_page,
    refused_status=200,
)

exception_add = action_view(
    policy=network_admin,
    load=_series,
    form=ExceptionForm,
    run=lambda step, data: series_actions.add_exception(step.actor, step.target, **data),
    success=_("The exception was saved."),
    done=lambda step, exception: series_url(step.target.team_id),
    title=_("Skip or move a meeting"),
    submit_label=_("Save"),
    context=lambda step: back_to(series_url(step.target.team_id), step.target.team.name),
    refused_status=200,
)

exception_remove = button_action(
    policy=network_admin,
    load=lambda step: get_object_or_404(
        SeriesException.objects.select_related("series"),
        pk=step.kwargs["exception_pk"],
        series__team_id=step.kwargs["pk"],
    ),
    run=lambda step, data: series_actions.remove_exception(step.actor, step.target),
    success=_("The exception was removed."),
    back=lambda step: series_url(step.kwargs["pk"]),
)


@client_view
def team_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's series as an .ics feed, for its fixed members (anyone else: 404)."""
    actor = Actor.from_request(request)
    series = MeetingSeries.objects.select_related("team").filter(team_id=pk).first()
    if series is None or not is_member(actor, series.team):
        raise Http404
    response = HttpResponse(series_ics(series), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="team-{pk}.ics"'
    return response
