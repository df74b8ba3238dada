"""Saving an agenda item in one go (issue 13 point 3): its minutes, the team's decision, a guest to
invite and a new action, from the one form of the item page. One transaction: the item is locked and
read again first, each part goes through its own action and rules (teams.meeting_actions,
teams.decision_actions, teams.followup_actions), and a refused part writes nothing at all, so the
page shows the form again with everything the user typed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from werkbrug.clients.actions import Evidence
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.network.models import Organisation, User
from werkbrug.teams.actions import require_member
from werkbrug.teams.decision_actions import DecisionResult, decide_case
from werkbrug.teams.followup_actions import create_action
from werkbrug.teams.meeting_actions import invite_guest, record_minutes
from werkbrug.teams.models import ActionItem, AgendaItem, ItemGuest


@dataclass(frozen=True)
class DecisionInput:
    lead_organisation: Organisation | None = None
    next_steps: str = ""
    start: bool = False
    evidence: Evidence | None = None


@dataclass(frozen=True)
class ActionInput:
    description: str = ""
    owner: User | None = None
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class ItemSaved:
    """What one save of an item wrote (None: that part was left as it was)."""

    item: AgendaItem
    minutes: bool = False
    decision: DecisionResult | None = None
    guest: ItemGuest | None = None
    action: ActionItem | None = None


def _decision_changed(item: AgendaItem, decision: DecisionInput) -> bool:
    """A decision to save: a lead or next steps other than the stored ones, or a step to start. An
    untouched decision part (or an empty one) is left alone."""
    lead_id = decision.lead_organisation.pk if decision.lead_organisation is not None else None
    if decision.start:
        return True
    if lead_id is None and not decision.next_steps.strip():
        return False
    return lead_id != item.lead_organisation_id or decision.next_steps.strip() != item.next_steps


@transaction.atomic
def save_item(
    actor: Actor,
    item: AgendaItem,
    *,
    minutes: str | None,
    decision: DecisionInput | None = None,
    guest: tuple[User, Organisation | None] | None = None,
    action: ActionInput | None = None,
) -> ItemSaved:
    """Save what changed on an item: `minutes` (None: unchanged), the decision, a guest and an action.
    The guest is invited first, so that they can own the new action of the same save."""
    relock(item)
    require_member(actor, item.meeting.team)
    invited = invite_guest(actor, item, user=guest[0], organisation=guest[1]) if guest else None
    wrote_minutes = minutes is not None and minutes.strip() != item.minutes
    if wrote_minutes:
        record_minutes(actor, item, minutes=minutes or "")
    decided = None
    if decision is not None and _decision_changed(item, decision):
        decided = decide_case(
            actor,
            item,
            lead_organisation=decision.lead_organisation,
            next_steps=decision.next_steps,
            start=decision.start,
            evidence=decision.evidence,
        )
    created = None
    if action is not None and (action.description.strip() or action.owner or action.due_on):
        created = create_action(
            actor, item, description=action.description, owner=action.owner, due_on=action.due_on
        )
    return ItemSaved(item=item, minutes=wrote_minutes, decision=decided, guest=invited, action=created)
