"""Part 2's pages: the individual paths, a path, the projects and a project's commitment against
realisation per month, the financing rules. Read-only; the writes are in `path_action_views.py`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.outreach.access import OUTREACH_ROLES, get_path, get_project, visible_paths, visible_projects
from werkbrug.outreach.models import AppointmentState, Destination, FinancingRule
from werkbrug.outreach.path_actions import conversation_count
from werkbrug.outreach.project_actions import money, months, rule_for
from werkbrug.trajectories.models import PartnerRole, TrajectoryPartner

outreach_view = role_view(*OUTREACH_ROLES)


@outreach_view
@lists_clients("outreach:paths")
@require_safe
def path_list(request: HttpRequest) -> HttpResponse:
    """Open paths of the organisation's sites, mine first; a reminder that is due is marked."""
    actor = Actor.from_request(request)
    show = request.GET.get("show", "mine")
    paths = visible_paths(actor).filter(closed_on__isnull=True).select_related("site")
    if show != "all":
        show = "mine"
        paths = paths.filter(coach=actor.user)
    paths = paths.annotate(
        n_conversations=Count("conversations", distinct=True)
        + Count("appointments", filter=Q(appointments__state=AppointmentState.ATTENDED), distinct=True),
        n_referrals=Count("referrals", distinct=True),
    ).order_by("remind_on", "-started_on", "-pk")
    return render(
        request,
        "outreach/path_list.html",
        {"page": paginate(request, paths), "show": show, "today": timezone.localdate()},
    )


def care_partner(path: Any) -> Any:
    """The care organisation in the background of the path's outreach trajectory, if named."""
    if path.trajectory_id is None:
        return None
    return (
        TrajectoryPartner.objects.filter(trajectory_id=path.trajectory_id, role=PartnerRole.CARE_BACKGROUND)
        .select_related("organisation")
        .first()
    )


@outreach_view
@require_safe
def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    path = get_path(actor, pk)
    context = {
        "path": path,
        "conversations": conversation_count(path),
        "contacts": list(path.conversations.select_related("by")),  # type: ignore[attr-defined]
        "appointments": list(path.appointments.order_by("starts_at")),  # type: ignore[attr-defined]
        "referrals": list(path.referrals.all()),  # type: ignore[attr-defined]
        "today": timezone.localdate(),
        "care_partner": care_partner(path),
    }
    return render(request, "outreach/path_detail.html", context)


@outreach_view
@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    projects = visible_projects(actor).annotate(n_sites=Count("sites", distinct=True)).order_by("name", "pk")
    return render(
        request,
        "outreach/project_list.html",
        {"page": paginate(request, projects), "may_add": actor.role == Role.COORDINATOR},
    )


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return min(max(year, 2000), 2100)


@outreach_view
@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The commitment against realisation per month of one year, and the money."""
    actor = Actor.from_request(request)
    project = get_project(actor, pk)
    today = timezone.localdate()
    year = _year(request, min(max(today.year, project.starts_on.year), project.ends_on.year))
    committed, rows, realised = months(project, year)
    context = {
        "project": project,
        "year": year,
        "years": range(project.starts_on.year, project.ends_on.year + 1),
        "committed": committed,
        "months": rows,
        "realised": realised,
        "money": money(committed, realised, year),
        "sites": list(project.sites.order_by("name")[:200]),
        "coaches": list(project.coaches.order_by("last_name", "first_name")[:200]),
        "commitments": list(project.commitments.all()),
        "may_edit": actor.role == Role.COORDINATOR,
        "vdab": Destination.VDAB.label,
    }
    return render(request, "outreach/project_detail.html", context)


@role_view(Role.NETWORK_ADMIN, Role.COORDINATOR)
@require_safe
def financing(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    per_person, cost_percent = rule_for(year)
    return render(
        request,
        "outreach/financing.html",
        {
            "rules": list(FinancingRule.objects.order_by("-year")[:50]),
            "default_per_person": FinancingRule.DEFAULT_PER_PERSON,
            "default_cost_percent": FinancingRule.DEFAULT_COST_PERCENT,
            "may_edit": Actor.from_request(request).role == Role.NETWORK_ADMIN,
            "year": year,
            "per_person": per_person,
            "cost_percent": cost_percent,
        },
    )
