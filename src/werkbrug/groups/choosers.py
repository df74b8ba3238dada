"""The enrolment chooser (core.choosers): a coach enrols a client of the team's open trajectories
whose client the coach may see (clients.access)."""

from __future__ import annotations

from werkbrug.core.choosers import register
from werkbrug.groups.access import GROUP_ROLES
from werkbrug.trajectories.choosers import team_trajectory_chooser

register(team_trajectory_chooser("group_clients", roles=frozenset(GROUP_ROLES)))
