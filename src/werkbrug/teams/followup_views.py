"""Follow-up pages of the case teams: my open actions (overdue first), a team's open actions, marking
an action done, and a meeting's .ics.

Everything comes through the team rules (teams.access, teams.followup_actions.owned_actions): anyone
else gets 404. A case shows the client's name only while the client consents to discussion in the
team (with_named / case_label); the .ics never names a client.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.paging import paginate
from werkbrug.core.policy import client_view
from werkbrug.teams.access import case_label, get_meeting, named_cases_q, visible_items
from werkbrug.teams.followup_actions import complete_action, get_member_team, open_actions, owned_actions
from werkbrug.teams.ics import CONTENT_TYPE, ics_filename, meeting_ics
from werkbrug.teams.models import ActionItem
from werkbrug.teams.pages import button_action, safe_next


@dataclass(frozen=True)
class ActionRow:
    action: ActionItem
    label: str
    overdue: bool


def _with_labels(actions: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    """Everything a row shows, in the same query: team, meeting, case and whether it is named."""
    return actions.select_related("team", "owner", "item__meeting", "case__client").annotate(
        named=named_cases_q("case__")
    )


def _rows(actions: list[ActionItem], today: datetime.date) -> list[ActionRow]:
    return [
        ActionRow(
            action=a,
            label=case_label(a.case, a.named) if a.case is not None else "",  # type: ignore[attr-defined]
            overdue=a.done_on is None and a.due_on < today,
        )
        for a in actions
    ]


@client_view
@lists_clients("teamfollowup:my_actions")
def my_actions(request: HttpRequest) -> HttpResponse:
    """The actor's open action items across their teams; overdue ones first and flagged."""
    actor = Actor.from_request(request)
    today = timezone.localdate()
    page = paginate(request, _with_labels(open_actions(actor)))
    rows = _rows(list(page.object_list), today)
    return render(
        request,
        "teams/followup_my_actions.html",
        {
            "page": page,
            "rows": rows,
            "overdue": sum(1 for r in rows if r.overdue),
        },
    )


@client_view
@lists_clients("teamfollowup:team_actions")
def team_actions(request: HttpRequest, team_pk: int) -> HttpResponse:
    """The open actions of one team, for its fixed members; overdue ones first."""
    actor = Actor.from_request(request)
    team = get_member_team(actor, team_pk)
    today = timezone.localdate()
    actions = ActionItem.objects.filter(team=team, done_on__isnull=True).order_by("due_on", "pk")
    page = paginate(request, _with_labels(actions))
    return render(
        request,
        "teams/followup_team_actions.html",
        {
            "team": team,
            "page": page,
            "rows": _rows(list(page.object_list), today),
        },
    )


def _owned_action(step: Step) -> ActionItem:
    action = owned_actions(step.actor).select_related("case").filter(pk=step.kwargs["pk"]).first()
    if action is None:
        raise Http404
    return action


# The owner marks their action done; anyone else gets 404.
action_done = button_action(
    load=_owned_action,
    run=lambda step, data: complete_action(step.actor, step.target),
    success=_("The action is marked done."),
    back=lambda step: safe_next(step.request, reverse("teamfollowup:my_actions")),
)


@client_view
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as an .ics file for a member or an invited guest (their items only)."""
    actor = Actor.from_request(request)
    meeting = get_meeting(actor, pk)
    data = meeting_ics(meeting, actor.user, items=visible_items(actor, meeting))
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(meeting)}"'
    response["Cache-Control"] = "private, no-store"
    return response
