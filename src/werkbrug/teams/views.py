"""Case team pages: the actor's teams, a team's page with its open cases, registering a case for a
team and closing one. See teams.pages for access and anonymity; the other pages are in
teams.manage_views (network admin), teams.meeting_views and teams.item_views.

A client to register is fetched through clients.access.get_visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.access import get_visible
from werkbrug.clients.models import Client
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.paging import paginate
from werkbrug.core.policy import client_view
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.teams import actions
from werkbrug.teams.access import is_member, is_named, member_teams, with_named
from werkbrug.teams.followup_actions import get_member_team
from werkbrug.teams.forms import CaseForm
from werkbrug.teams.models import AgendaItem, Case, CaseStatus, ItemGuest, Meeting, Team
from werkbrug.teams.pages import CaseRow, action_rows, back_to, button_action, open_team_actions
from werkbrug.trajectories.models import Trajectory

MEETINGS_ON_TEAM_PAGE = 10
ACTIONS_ON_TEAM_PAGE = 50


# --- the actor's teams and a team's page -------------------------------------------------------------


@client_view
def team_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    now = timezone.now()
    upcoming = Meeting.objects.filter(team=OuterRef("pk"), starts_at__gt=now).order_by("starts_at", "pk")
    teams = (
        member_teams(actor)
        .select_related("organisation")
        .annotate(
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
        )
        .order_by("name", "pk")
    )
    # Meetings the actor is a guest at (their own items only): no case label on this page.
    invitations = (
        Meeting.objects.filter(
            pk__in=ItemGuest.objects.filter(user=actor.user).values("item__meeting_id"), ends_at__gte=now
        )
        .select_related("team")
        .annotate(my_items=Count("items", filter=Q(items__guests__user=actor.user), distinct=True))
        .order_by("starts_at", "pk")
    )
    return render(request, "teams/team_list.html", {"teams": list(teams), "invitations": list(invitations)})


@client_view
@lists_clients("teams:detail")
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    team = get_member_team(actor, pk)
    now = timezone.now()
    today = timezone.localdate()
    decided = AgendaItem.objects.filter(case=OuterRef("pk"), decided_at__isnull=False).order_by(
        "-decided_at", "-pk"
    )
    cases = (
        with_named(team.cases.filter(status=CaseStatus.OPEN))
        .select_related(
            "client",
            "team",
            "registered_by_organisation",
            "trajectory__type",
            "trajectory__lead_organisation",
        )
        .annotate(decided_lead=Subquery(decided.values("lead_organisation__name")[:1]))
        .order_by("created_at", "pk")
    )
    page = paginate(request, cases)
    case_rows = [CaseRow.of(c, c.named, c.decided_lead or "") for c in page.object_list]  # type: ignore[attr-defined]
    upcoming = list(
        team.meetings.filter(starts_at__gt=now)
        .annotate(item_count=Count("items"))
        .order_by("starts_at", "pk")[:MEETINGS_ON_TEAM_PAGE]
    )
    past = list(
        team.meetings.filter(starts_at__lte=now)
        .annotate(item_count=Count("items"))
        .order_by("-starts_at", "-pk")[:MEETINGS_ON_TEAM_PAGE]
    )
    open_actions = list(open_team_actions(team)[: ACTIONS_ON_TEAM_PAGE + 1])
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "page": page,
            "cases": case_rows,
            "upcoming": upcoming,
            "past": past,
            "actions": action_rows(open_actions[:ACTIONS_ON_TEAM_PAGE], today),
            "more_actions": len(open_actions) > ACTIONS_ON_TEAM_PAGE,
            # The team's calendar feed, once its rule planned meetings (no extra query).
            "has_series": any(m.series_id is not None for m in upcoming),
        },
    )


def _member_case(step: Step) -> Case:
    case = (
        Case.objects.filter(pk=step.kwargs["pk"], team__in=member_teams(step.actor))
        .select_related("team")
        .first()
    )
    if case is None:
        raise Http404
    return case


case_close = button_action(
    load=_member_case,
    run=lambda step, data: actions.close_case(step.actor, step.target),
    success=_("The case was closed."),
    back=lambda step: reverse("teams:detail", args=[step.target.team_id]),
)


# --- registering a case ------------------------------------------------------------------------------


def _visible_client(actor: Actor, request: HttpRequest) -> Client:
    return get_visible(actor, Client.objects.all(), request.GET.get("client"), client_path="")


@client_view
def case_start(request: HttpRequest) -> HttpResponse:
    """Choose the team to register the client for (from the client page or a referral)."""
    actor = Actor.from_request(request)
    client = _visible_client(actor, request)
    referral = request.GET.get("referral", "")
    teams = Team.objects.filter(is_active=True).select_related("organisation").order_by("name", "pk")
    return render(
        request,
        "teams/case_start.html",
        {
            "client": client,
            "teams": teams,
            "query": f"client={client.pk}" + (f"&referral={referral}" if referral.isdigit() else ""),
        },
    )


@dataclass(frozen=True)
class Registration:
    """A client to register for a team: an active team and a client the actor may see."""

    team: Team
    client: Client


def _registration(step: Step) -> Registration:
    team = get_object_or_404(
        Team.objects.select_related("organisation"), pk=step.kwargs["team_pk"], is_active=True
    )
    return Registration(team, _visible_client(step.actor, step.request))


def _case_form(step: Step) -> CaseForm:
    """The referrals and trajectories of this client the actor's organisation takes part in; the
    referral the page was opened from is chosen."""
    actor, client = step.actor, step.target.client
    referrals = (
        Referral.objects.for_organisation(actor.organisation)
        .filter(client=client, status=ReferralStatus.CASE_TEAM)
        .select_related("line")
    )
    trajectories = (
        Trajectory.objects.for_organisation(actor.organisation)
        .filter(client=client)
        .open()
        .select_related("type", "lead_organisation")
    )
    initial = {}
    wanted = step.request.GET.get("referral", "")
    if wanted.isdigit() and referrals.filter(pk=wanted).exists():
        initial["referral"] = int(wanted)
    return CaseForm(step.data, referrals=referrals, trajectories=trajectories, initial=initial)


def _registered(step: Step, case: Case) -> str:
    """A member returns to the team's page, anyone else to the client's; an anonymous case says so."""
    if not is_named(case):
        messages.info(
            step.request,
            _(
                "The client has not consented to discussion in this team: the team sees “%(label)s” "
                "and no name."
            )
            % {"label": case.anonymous_label},
        )
    team = step.target.team
    if is_member(step.actor, team):
        return reverse("teams:detail", args=[team.pk])
    return reverse("clients:detail", args=[step.target.client.pk])


def _registration_intro(step: Step) -> str:
    team, client = step.target.team, step.target.client
    if is_named(Case(team=team, client=client)):
        return str(_("The client consents to discussion in this team: the members see the name."))
    return _(
        "The client has not consented to discussion in this team (purpose “discussion in a case team”, "
        "recipient %(org)s): the case is registered and discussed anonymously. If the client agrees, "
        "record that consent on the client page first."
    ) % {"org": team.organisation}


# Any network partner whose organisation may see the client registers a case for a team.
case_create = action_view(
    policy=client_view,
    load=_registration,
    form=_case_form,
    run=lambda step, data: actions.register_case(step.actor, step.target.team, step.target.client, **data),
    success=lambda step: _("The case was registered for %(team)s.") % {"team": step.target.team.name},
    done=_registered,
    title=lambda step: _("Register a case for %(team)s") % {"team": step.target.team.name},
    submit_label=_("Register the case"),
    intro=_registration_intro,
    context=lambda step: back_to(
        reverse("clients:detail", args=[step.target.client.pk]), str(step.target.client)
    ),
    refused_status=200,
)
