"""`{% team_decisions trajectory %}`: the case team's decisions inside a trajectory page.

The trajectory page is access-checked already (get_visible); this adds one query for the decisions
of the team cases linked to that trajectory, with their meeting, team and lead organisation."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q

from werkbrug.teams.models import AgendaItem
from werkbrug.trajectories.models import Trajectory

register = template.Library()


def decisions_for(trajectory: Trajectory) -> list[AgendaItem]:
    """Decided agenda items of the team cases linked to the trajectory, newest meeting first."""
    return list(
        AgendaItem.objects.filter(case__trajectory_id=trajectory.pk)
        .filter(Q(decided_at__isnull=False) | Q(lead_organisation__isnull=False) | ~Q(next_steps=""))
        .select_related("meeting__team", "lead_organisation")
        .order_by("-meeting__starts_at", "-pk")
    )


@register.inclusion_tag("teams/followup_decisions.html")
def team_decisions(trajectory: Trajectory) -> dict[str, Any]:
    return {"decisions": decisions_for(trajectory)}
