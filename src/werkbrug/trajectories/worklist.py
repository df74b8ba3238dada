"""What waits for the acting person: incoming handovers and referrals, for the start pages and the
menu's counters. A counter counts with the very queryset its list shows (issue 13 point 2), so both
follow the same access rules (clients.access)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import Count, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from werkbrug.clients.access import scope
from werkbrug.core.actor import Actor
from werkbrug.network.models import Membership, Role
from werkbrug.referrals.worklist import assigned_to_me, triage_queue
from werkbrug.trajectories.models import Handover, HandoverStatus

# Who sees the handovers proposed to their organisation in the menu (the roles with the link).
HANDOVER_ROLES = (Role.COACH, Role.COORDINATOR)
# Who triages: their referrals waiting are the triage inbox.
TRIAGE_ROLES = (Role.SCREENER, Role.COORDINATOR)


def incoming_handovers(actor: Actor) -> QuerySet[Handover]:
    """Handovers proposed to the actor's organisation, waiting for an answer (the handover inbox)."""
    return scope(
        actor,
        Handover.objects.filter(to_organisation=actor.organisation, status=HandoverStatus.PROPOSED),
        client_path="trajectory__client",
    )


def waiting_referrals(actor: Actor) -> QuerySet[Any]:
    """Referrals waiting for the actor: the triage inbox for whoever triages, else the referrals
    assigned to the coach."""
    if actor.has_role(*TRIAGE_ROLES):
        return triage_queue(actor)
    return assigned_to_me(actor)


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of `queryset` as a scalar subquery (0 for no rows)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


class MenuCounts:
    """The menu's counters: both in one query, run only when the menu reads one of them."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    @cached_property
    def _counts(self) -> tuple[int, int]:
        actor, membership = self.actor, self.actor.membership
        counters: dict[str, Any] = {}
        if actor.has_role(*HANDOVER_ROLES):
            counters["handovers"] = _count(incoming_handovers(actor))
        if actor.has_role(Role.COACH, *TRIAGE_ROLES):
            counters["referrals"] = _count(waiting_referrals(actor))
        if membership is None or not counters:
            return 0, 0
        row = Membership.objects.filter(pk=membership.pk).annotate(**counters).values(*counters).first() or {}
        return int(row.get("handovers") or 0), int(row.get("referrals") or 0)

    @property
    def handovers(self) -> int:
        """Handovers proposed to the organisation that wait for an answer."""
        return self._counts[0]

    @property
    def referrals(self) -> int:
        """Referrals waiting for the actor: the triage inbox, or those assigned to the coach."""
        return self._counts[1]


def menu_counts(request: HttpRequest) -> dict[str, Any]:
    """Context processor for the menu's badges (beside exchange's unread feedback). No query unless
    a page's menu reads a counter."""
    if not request.user.is_authenticated or not hasattr(request, "get_membership"):
        return {}
    return {"menu_counts": MenuCounts(Actor.from_request(request))}
