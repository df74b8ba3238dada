"""Who sees what of work-care (docs/workcare.md).

- A workshop is the network data of the organisation that runs it: its coaches (the supervisors)
  and coordinators keep it; anyone else, funders and other organisations included, gets 404.
- An agreement and a participant's hours are client data: read through `clients.access` and
  `Trajectory.objects.for_organisation`, and only by the work-care team: a coach or coordinator of
  the trajectory's lead organisation. A care partner, a referrer or anyone else gets 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from werkbrug.clients.access import scope
from werkbrug.core.actor import Actor
from werkbrug.network.models import Role
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.views import get_trajectory
from werkbrug.workcare.models import WORKCARE_TYPE, WorkCareAgreement, Workshop

WORKCARE_ROLES = (Role.COACH, Role.COORDINATOR)


def keeps_workcare(actor: Actor) -> bool:
    return actor.organisation is not None and actor.role in WORKCARE_ROLES


def visible_workshops(actor: Actor) -> QuerySet[Workshop]:
    if not keeps_workcare(actor):
        return Workshop.objects.none()
    return Workshop.objects.filter(organisation=actor.organisation)


def get_workshop(actor: Actor, pk: int) -> Workshop:
    return get_object_or_404(visible_workshops(actor).select_related("organisation"), pk=pk)


def on_team(actor: Actor, trajectory: Trajectory) -> bool:
    """A coach or coordinator of the lead organisation of a work-care trajectory."""
    return (
        keeps_workcare(actor)
        and trajectory.type.code == WORKCARE_TYPE
        and actor.organisation is not None
        and trajectory.lead_organisation_id == actor.organisation.pk
    )


def team_trajectory(actor: Actor, pk: int) -> Trajectory:
    """A work-care trajectory of the actor's team, through clients.access; else 404."""
    trajectory = get_trajectory(actor, pk)
    if not on_team(actor, trajectory):
        raise Http404
    return trajectory


def get_agreement(actor: Actor, trajectory_pk: int, pk: int) -> WorkCareAgreement:
    trajectory = team_trajectory(actor, trajectory_pk)
    agreement = (
        WorkCareAgreement.objects.filter(trajectory=trajectory, pk=pk).select_related("workshop").first()
    )
    if agreement is None:
        raise Http404
    agreement.trajectory = trajectory
    return agreement


def team_trajectories(actor: Actor) -> QuerySet[Trajectory]:
    """The work-care trajectories the actor's organisation leads and whose client the actor sees."""
    if not keeps_workcare(actor):
        return Trajectory.objects.none()
    rows = Trajectory.objects.filter(lead_organisation=actor.organisation, type__code=WORKCARE_TYPE)
    return scope(actor, rows, "client")
