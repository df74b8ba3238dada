"""The group modules section on the trajectory page (trajectories.panels): the client's enrolments
with their status, dates, attendance totals, placement and outcome. One query; the page already
read the trajectory through clients.access."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q

from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.groups.access import GROUP_ROLES
from werkbrug.groups.models import Enrolment, Presence
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.panels import Panel, register_trajectory_panel


def trajectory_panel(actor: Actor, trajectory: Trajectory, today: datetime.date) -> dict[str, Any] | None:
    if actor.role not in GROUP_ROLES:
        return None
    # Built once per membership and day, for every trajectory, and run on every page (core.statements).
    enrolments = statements.objects(
        statements.actor_key("group enrolments", actor),
        lambda: (
            Enrolment.objects.filter(trajectory_id=statements.BOUND)
            .select_related("run__template", "run__organisation", "placement_employer")
            .annotate(
                present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT)),
                missed=Count("attendance", filter=~Q(attendance__presence=Presence.PRESENT)),
            )
            .order_by("-run__starts_on", "pk")
        ),
        bound=trajectory.pk,
    )
    if not enrolments:
        return None
    return {"trajectory": trajectory, "enrolments": enrolments, "today": today}


def register() -> None:
    register_trajectory_panel(Panel("group-modules", "groups/_trajectory_panel.html", trajectory_panel))
