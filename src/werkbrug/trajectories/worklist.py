"""What waits for the acting person: incoming handovers and referrals, for the start pages and the
menu's counters. A counter counts with the very queryset its list shows (issue 13 point 2), so both
follow the same access rules (clients.access)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from werkbrug.clients.access import scope
from werkbrug.core import statements
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
    return Coalesce(Subquery(statements.counting(queryset)), 0)


def _counters(actor: Actor, names: tuple[str, ...]) -> QuerySet[Any]:
    """The counters `names` in one statement, as a row of the acting membership."""
    counted = {"handovers": incoming_handovers, "referrals": waiting_referrals}
    membership = actor.membership
    assert membership is not None  # noqa: S101 - MenuCounts checks it
    return (
        Membership.objects.filter(pk=membership.pk)
        .annotate(**{name: _count(counted[name](actor)) for name in names})
        .values(*names)
    )


class MenuCounts:
    """The menu's counters: both in one query, run only when the menu reads one of them."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    @cached_property
    def _counts(self) -> tuple[int, int]:
        actor, membership = self.actor, self.actor.membership
        shown = {
            "handovers": actor.has_role(*HANDOVER_ROLES),
            "referrals": actor.has_role(Role.COACH, *TRIAGE_ROLES),
        }
        names = tuple(name for name, show in shown.items() if show)
        if membership is None or not names:
            return 0, 0
        # Built once per membership and day, run on every page (core.statements).
        found = statements.rows(statements.actor_key("menu", actor), lambda: _counters(actor, names))
        row = dict(zip(names, found[0], strict=True)) if found else {}
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
