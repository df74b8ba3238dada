"""Follow-up of team decisions: which action items a person carries (marking one done is
`teams.actions.complete_action`).

Reading: `owned_actions(actor)` is the one way to the action items a person may see as their own —
owned by them *and* still reachable through the team rules (a fixed member for the organisation
they act for, or a guest of the agenda item the action came from). Someone who left the team no
longer sees the actions, nor the case labels on them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from werkbrug.core.actor import Actor
from werkbrug.teams.access import member_teams
from werkbrug.teams.models import ActionItem, ItemGuest, Team


def owned_actions(actor: Actor) -> QuerySet[ActionItem]:
    """The actor's own action items in teams they sit in, or from items they are invited for."""
    if actor.membership is None or not actor.sees_clients:
        return ActionItem.objects.none()
    guest_items = ItemGuest.objects.filter(user=actor.user).values("item_id")
    return ActionItem.objects.filter(owner=actor.user).filter(
        Q(team__in=member_teams(actor)) | Q(item_id__in=guest_items)
    )


def get_member_team(actor: Actor, team_pk: int | str) -> Team:
    """A team the actor sits in as a fixed member (for the organisation they act for), or 404."""
    team = member_teams(actor).filter(pk=team_pk).first() if str(team_pk).isdigit() else None
    if team is None:
        raise Http404
    return team


def open_actions(actor: Actor) -> QuerySet[ActionItem]:
    """Open (not done) actions of the actor, the oldest due date first: the overdue ones lead."""
    return owned_actions(actor).filter(done_on__isnull=True).order_by("due_on", "pk")
