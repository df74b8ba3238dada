"""Team management by the network admin: the list of teams, a new team, editing one and its fixed
members. These pages show no client data."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.teams import actions
from werkbrug.teams.forms import MemberForm, TeamForm
from werkbrug.teams.models import Team, TeamMember
from werkbrug.teams.pages import back_to, button_action, member_ids

network_admin = role_view(Role.NETWORK_ADMIN)

TEAM_FIELDS = ("name", "kind", "organisation", "cadence", "default_place", "video_link", "is_active")


def _team(step: Step) -> Team:
    return get_object_or_404(Team.objects.select_related("organisation"), pk=step.kwargs["pk"])


def _edit_url(team_pk: int) -> str:
    return reverse("teams:team_edit", args=[team_pk])


@network_admin
def manage(request: HttpRequest) -> HttpResponse:
    teams = (
        Team.objects.select_related("organisation")
        .annotate(member_count=Count("members"))
        .order_by("name", "pk")
    )
    return render(request, "teams/manage_list.html", {"page": paginate(request, teams)})


team_create = action_view(
    policy=network_admin,
    form=TeamForm,
    run=lambda step, data: actions.create_team(step.actor, **data),
    success=_("The team was added."),
    done=lambda step, team: _edit_url(team.pk),
    title=_("New team"),
    submit_label=_("Add team"),
    context=lambda step: back_to(reverse("teams:manage"), str(_("Teams"))),
    refused_status=200,
)


def _manage_page(step: Step) -> dict[str, Any]:
    """The team's form beside its fixed members and the form to add one."""
    team = step.target
    members = team.members.select_related("user", "organisation").order_by(
        "user__last_name", "user__first_name"
    )
    return {"team": team, "members": members, "member_form": MemberForm(exclude=member_ids(team.pk))}


team_edit = action_view(
    policy=network_admin,
    load=_team,
    form=lambda step: TeamForm(step.data, initial=model_to_dict(step.target, TEAM_FIELDS), editing=True),
    run=lambda step, data: actions.update_team(step.actor, step.target, **data),
    success=_("The team was saved."),
    done=lambda step, team: _edit_url(team.pk),
    template="teams/manage_team.html",
    context=_manage_page,
    refused_status=200,
)

member_add = action_view(
    policy=network_admin,
    load=_team,
    form=lambda step: MemberForm(step.data, exclude=member_ids(step.target.pk)),
    run=lambda step, data: actions.add_member(step.actor, step.target, **data),
    success=_("The member was added."),
    done=lambda step, member: _edit_url(step.target.pk),
    title=_("Add a member"),
    submit_label=_("Add member"),
    context=lambda step: back_to(_edit_url(step.target.pk), step.target.name),
)

member_remove = button_action(
    policy=network_admin,
    load=lambda step: get_object_or_404(
        TeamMember.objects.select_related("user"), pk=step.kwargs["member_pk"], team_id=step.kwargs["pk"]
    ),
    run=lambda step, data: actions.remove_member(step.actor, step.target),
    success=_("The member was removed."),
    back=lambda step: _edit_url(step.kwargs["pk"]),
)
