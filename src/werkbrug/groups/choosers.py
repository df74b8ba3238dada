"""The enrolment chooser (core.choosers): a coach enrols a client of the team's open trajectories
whose client the coach may see (clients.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.groups.access import GROUP_ROLES, open_team_trajectories
from werkbrug.trajectories.models import Trajectory


def enrollable_trajectories(actor: Actor | None = None) -> QuerySet[Any]:
    if actor is None or actor.organisation is None:
        return Trajectory.objects.none()
    return open_team_trajectories(actor).select_related("client", "type")


def trajectory_label(trajectory: Trajectory) -> str:
    return f"{trajectory.client} ({trajectory.type})"


register(
    Chooser(
        name="group_clients",
        queryset=enrollable_trajectories,
        search=("client__first_name", "client__last_name"),
        noun=_("client"),
        label=trajectory_label,
        order=("client__last_name", "client__first_name", "pk"),
        roles=frozenset(GROUP_ROLES),
    )
)
