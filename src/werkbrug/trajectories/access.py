"""Which trajectories an actor's team works on: the trajectory team's view, for the practice areas
above (employers, groups) to start from."""

from __future__ import annotations

from django.db.models import QuerySet

from werkbrug.clients.access import scope
from werkbrug.core.actor import Actor
from werkbrug.trajectories.models import Trajectory


def team_trajectories(actor: Actor) -> QuerySet[Trajectory]:
    """The trajectories the actor's organisation works on and whose client the actor may see: the
    trajectory team's view (no audit row; callers that show one row use `get_visible`)."""
    return scope(actor, Trajectory.objects.for_organisation(actor.organisation), "client")


def open_team_trajectories(actor: Actor) -> QuerySet[Trajectory]:
    """The team's open trajectories whose client the actor may see: whom a coach may name to an
    employer or enrol in a group."""
    return scope(actor, Trajectory.objects.for_organisation(actor.organisation).open(), "client")
