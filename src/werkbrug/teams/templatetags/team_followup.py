"""`{% team_decisions trajectory %}`: the case team's decisions inside a trajectory page.

The trajectory page is access-checked already (get_visible); this adds one query for the decisions
of the team cases linked to that trajectory, with their meeting, team and lead organisation."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q

from werkbrug.core import statements
from werkbrug.teams.models import AgendaItem
from werkbrug.trajectories.models import Trajectory

register = template.Library()


def decisions_for(trajectory: Trajectory) -> list[AgendaItem]:
    """Decided agenda items of the team cases linked to the trajectory, newest meeting first. The
    statement depends on nobody: built once for every trajectory, run on every call (core.statements)."""
    return statements.objects(
        "team decisions of a trajectory",
        lambda: (
            AgendaItem.objects.filter(case__trajectory_id=statements.BOUND)
            .filter(Q(decided_at__isnull=False) | Q(lead_organisation__isnull=False) | ~Q(next_steps=""))
            .select_related("meeting__team", "lead_organisation")
            .order_by("-meeting__starts_at", "-pk")
        ),
        bound=trajectory.pk,
    )


@register.inclusion_tag("teams/followup_decisions.html")
def team_decisions(trajectory: Trajectory) -> dict[str, Any]:
    return {"decisions": decisions_for(trajectory)}
