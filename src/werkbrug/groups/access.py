"""Who may do what with group modules.

Templates are network reference data: the network admin manages them. Runs are network data that
coaches and coordinators read (to enrol a client); the run's organisation (its coaches and its
coordinator) plans it: sessions, attendance, placements, outcomes.

An enrolment names a client. Participants see nothing of each other: the run's organisation sees
the participants whose client it may see (`clients.access.scope`; enrolling involves the
organisation and needs the client's consent for it), and another organisation that enrolled a
client sees only its own client(s). Anyone else gets 404 on the participant list.
"""

from __future__ import annotations

from django.db.models import QuerySet

from werkbrug.clients.access import scope
from werkbrug.core.actor import Actor
from werkbrug.core.policy import role_view
from werkbrug.groups.models import Enrolment, Run
from werkbrug.network.models import Role
from werkbrug.trajectories.models import Trajectory

GROUP_ROLES = (Role.COACH, Role.COORDINATOR)

group_reader = role_view(*GROUP_ROLES)
template_admin = role_view(Role.NETWORK_ADMIN)


def is_staff(actor: Actor, run: Run) -> bool:
    """The run's organisation plans the run and sees its participant list."""
    return (
        actor.role in GROUP_ROLES
        and actor.organisation is not None
        and (actor.organisation.pk == run.organisation_id)
    )


def visible_enrolments(actor: Actor, run: Run) -> QuerySet[Enrolment]:
    """The run's enrolments this actor may see: all of them (whose client it may see) for the run's
    organisation, only those of its own trajectories for anyone else."""
    rows = scope(actor, Enrolment.objects.filter(run=run), "trajectory__client")
    if is_staff(actor, run):
        return rows
    return rows.filter(trajectory__in=Trajectory.objects.for_organisation(actor.organisation).values("pk"))
