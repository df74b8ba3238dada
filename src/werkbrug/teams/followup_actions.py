"""Follow-up of team decisions: the action items agreed on an agenda item, who may own one, marking
one done, and which action items a person carries.

Reading: `owned_actions(actor)` is the one way to the action items a person may see as their own —
owned by them *and* still reachable through the team rules (a fixed member for the organisation
they act for, or a guest of the agenda item the action came from). Someone who left the team no
longer sees the actions, nor the case labels on them.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.network.models import User
from werkbrug.teams.access import is_member, member_teams, people_of
from werkbrug.teams.actions import audit_on_item, clean_text, refuse_identifying, require_member
from werkbrug.teams.models import ActionItem, AgendaItem, ItemGuest, Team

ACTION_MAX = ActionItem._meta.get_field("description").max_length or 500


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


# --- writes ---------------------------------------------------------------------------------------------


def possible_owners(item: AgendaItem) -> QuerySet[User]:
    """Who may own an action on this item: a fixed member of the team or a guest of this very item —
    the people who know the case. Anyone else would learn of it through their action list."""
    return people_of(item.meeting.team_id, ItemGuest.objects.filter(item=item)).filter(is_active=True)


@transaction.atomic
def create_action(
    actor: Actor,
    item: AgendaItem,
    *,
    description: str,
    owner: User | None,
    due_on: datetime.date | None,
) -> ActionItem:
    """A member records an action on an item: what, who (a member or a guest of the item), by when."""
    team = item.meeting.team
    require_member(actor, team)
    text = clean_text(
        description, field="description", max_length=ACTION_MAX, required=_("Describe the action.")
    )
    if item.case is not None:
        refuse_identifying(item.case, text, field="description")
    if owner is None:
        raise DomainError(_("Choose who owns this action."), field="owner")
    if not possible_owners(item).filter(pk=owner.pk).exists():
        raise DomainError(
            _("The owner must be a member of the team or a guest invited for this item."), field="owner"
        )
    if due_on is None:
        raise DomainError(_("Give the due date."), field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(_("The due date lies in the past."), field="due_on")
    action = ActionItem.objects.create(
        team=team,
        case=item.case,
        item=item,
        description=text,
        owner=owner,
        due_on=due_on,
        created_by=actor.user,
    )
    audit_on_item(actor, AuditAction.CREATE, action, item, f"team action for {owner.pk}")
    return action


@transaction.atomic
def complete_action(actor: Actor, action: ActionItem, *, on: datetime.date | None = None) -> ActionItem:
    """The owner or a fixed member of the team marks an action done (today unless told otherwise)."""
    if not actor.sees_clients or not (action.owner_id == actor.user.pk or is_member(actor, action.team)):
        raise DomainError(_("Only the owner or a member of the team can mark this action done."))
    if action.done_on is not None:
        raise InvalidTransition(_("This action is already done."))
    day = on or timezone.localdate()
    require_not_future(day, field="on", message=_("An action cannot be done in the future."))
    action.done_on = day
    action.save(update_fields=["done_on"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        action,
        client_id=action.case.client_id if action.case is not None else None,
        summary="team action done",
    )
    return action
