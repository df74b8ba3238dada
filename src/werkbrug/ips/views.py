"""The ips pages: a trajectory's jobs, follow-along, income plans, disclosure log and DCM case (one
page, the trajectory team only), and the panels the trajectory page and the caseload show
(trajectories.panels). Every row is read through `clients.access` (trajectories.views fetching),
then narrowed to the trajectory team (`ips.actions.on_team`): anyone else gets 404."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString

from werkbrug.clients.access import readable_sections
from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.core.policy import client_view
from werkbrug.core.rows import day, html_row, url_maker
from werkbrug.ips.actions import DCM, JOB_TYPES, on_team
from werkbrug.ips.models import DcmCase, Placement
from werkbrug.ips.status import STATUS_LABELS, DueRow, caseload_due, caseload_placements, trajectory_status
from werkbrug.ips.templatetags.ips_status import status_badge
from werkbrug.network.models import Role
from werkbrug.trajectories.actions import is_lead
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.views import get_related, get_trajectory

CASELOAD_ROWS = 50


def team_trajectory(actor: Actor, pk: int) -> Trajectory:
    """A trajectory of the actor's team, or 404."""
    trajectory = get_trajectory(actor, pk)
    if not on_team(actor, trajectory):
        raise Http404
    return trajectory


def team_placement(actor: Actor, trajectory_pk: int, pk: int) -> Placement:
    placement = get_related(actor, Placement.objects.select_related("employer"), trajectory_pk, pk)
    if not on_team(actor, placement.trajectory):
        raise Http404
    return placement


def dcm_case(trajectory: Trajectory) -> DcmCase | None:
    return DcmCase.objects.filter(trajectory=trajectory).select_related("employer").first()


def _context(actor: Actor, trajectory: Trajectory, today: datetime.date) -> dict[str, Any]:
    status = trajectory_status(trajectory, today)
    case = dcm_case(trajectory) if trajectory.type.code == DCM else None
    lead = is_lead(actor, trajectory)
    # Link to the profile only for who may open it (a work partner needs the client's profile consent).
    profile_link = status.profile_update_since is not None and bool(
        readable_sections(actor, trajectory.client_id)
    )
    return {
        "profile_link": profile_link,
        "trajectory": trajectory,
        "today": today,
        "status": status,
        "labels": STATUS_LABELS,
        "lead": lead,
        "records_jobs": lead and trajectory.is_open and trajectory.type.code in JOB_TYPES,
        "is_dcm": trajectory.type.code == DCM,
        "case": case,
        "steps": list(case.steps.all()) if case is not None else [],
    }


@client_view
def trajectory_jobs(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = team_trajectory(actor, pk)
    today = timezone.localdate()
    context = _context(actor, trajectory, today)
    context["plans"] = list(trajectory.income_plans.select_related("recorded_by")[:20])
    context["disclosures"] = list(trajectory.disclosures.select_related("recorded_by")[:20])
    return render(request, "ips/trajectory.html", context)


# --- panels (registered in ips.apps) ----------------------------------------------------------


def trajectory_panel(actor: Actor, trajectory: Trajectory, today: datetime.date) -> dict[str, Any] | None:
    """On an IPS or DCM trajectory, for its team: the jobs with their follow-along, what is due."""
    if trajectory.type.code not in JOB_TYPES or not on_team(actor, trajectory):
        return None
    return _context(actor, trajectory, today)


def caseload_panel(actor: Actor, subject: Any, today: datetime.date) -> dict[str, Any] | None:
    """For a coach: follow-along slots open or overdue and job-loss contacts due, across their jobs."""
    if not actor.has_role(Role.COACH):
        return None
    # The placements' statement is built once per membership and day (core.statements).
    key = (*statements.actor_key("ips caseload placements", actor), today)
    rows = caseload_due(actor, today, statements.objects(key, lambda: caseload_placements(actor, today)))
    if not rows:
        return None
    return {
        "rows": _due_rows(rows[:CASELOAD_ROWS]),
        "more": max(0, len(rows) - CASELOAD_ROWS),
        "today": today,
    }


# The caseload panel's rows, built in Python: an IPS coach's panel of 37 rows, each including the
# badge template, cost a third of the caseload page (issue 14). The same HTML as the template gave.
_DUE = """<tr data-due-placement="{}" data-due-status="{}">
      <td><a href="{}">{}</a></td>
      <td>{} · {}</td>
      <td>{}</td>
      <td>{} \u2013 {}</td>
      <td>{}</td>
    </tr>"""


def _due_rows(rows: Sequence[DueRow]) -> list[SafeString]:
    url = url_maker("ips:trajectory")
    return [
        html_row(
            _DUE,
            row.placement.pk,
            row.status,
            url(row.placement.trajectory_id),
            row.placement.trajectory.client,
            row.placement.job_title,
            row.placement.employer,
            row.what,
            day(row.opens),
            day(row.closes),
            status_badge(row.status),
        )
        for row in rows
    ]
