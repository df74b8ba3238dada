"""The chooser of the handover form (core.choosers): the organisation a trajectory is handed to.
The form validates against this same queryset, so the search offers exactly what it accepts. (The
coach of the lead organisation is network.choosers' "coaches".) And the chooser over the team's open
trajectories that the areas above register under their own name (`team_trajectory_chooser`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.network.choosers import organisation_chooser, work_and_care_organisations
from werkbrug.network.models import Organisation
from werkbrug.trajectories.access import open_team_trajectories
from werkbrug.trajectories.models import Trajectory


def handover_organisations_from(lead_id: int) -> QuerySet[Any]:
    """Where the lead organisation may hand a trajectory: an active work or care organisation other
    than itself."""
    return work_and_care_organisations().exclude(pk=lead_id)


def handover_organisations(actor: Actor) -> QuerySet[Any]:
    """Only the lead hands over, so the actor's organisation is the lead."""
    if actor.organisation is None:
        return Organisation.objects.none()
    return handover_organisations_from(actor.organisation.pk)


register(organisation_chooser("handover_organisations", handover_organisations))


def choosable_trajectories(actor: Actor | None = None) -> QuerySet[Any]:
    """The team's open trajectories whose client the actor may see (clients.access)."""
    if actor is None or actor.organisation is None:
        return Trajectory.objects.none()
    return open_team_trajectories(actor).select_related("client", "type")


def trajectory_label(trajectory: Trajectory) -> str:
    return f"{trajectory.client} ({trajectory.type})"


def team_trajectory_chooser(name: str, roles: frozenset[str]) -> Chooser:
    """A chooser over the team's open trajectories, searched and listed by the client's name: a coach
    naming a client to an employer, enrolling one in a group module."""
    return Chooser(
        name=name,
        queryset=choosable_trajectories,
        search=("client__first_name", "client__last_name"),
        noun=_("client"),
        label=trajectory_label,
        order=("client__last_name", "client__first_name", "pk"),
        roles=roles,
    )
