"""The rule of clients.provenance applied to one trajectory: what an organisation that was handed the
trajectory sees of what happened before it came in (issue 12, point 1; docs/privacy.md).

An organisation that was there from the start (it led it first, or it is a partner that is not a
former lead) sees the whole trajectory, as before. An organisation that came in by a handover
proposal (the receiver, later the lead) is a newcomer: without the `history` category it sees no
earlier lead, type, partner, handover or timeline entry from before it came in, and no link to the
referral; without the `notes` category it sees only its own contacts. Other organisations are named
only with `history`. The trajectory page, the contacts list, the client export and the API all ask
`past_view()`.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from werkbrug.clients.provenance import Sight, sight, sight_with
from werkbrug.core.actor import Actor
from werkbrug.trajectories.models import (
    Contact,
    ContactKind,
    Handover,
    HandoverStatus,
    Outcome,
    PartnerRole,
    Trajectory,
    TrajectoryEvent,
    TrajectoryEventKind,
    TrajectoryPartner,
)

KIND_LABELS = dict(ContactKind.choices)

# Timeline entries whose detail names organisations or earlier types.
NAMING_EVENTS = frozenset(
    {
        TrajectoryEventKind.STARTED,
        TrajectoryEventKind.HANDOVER_PROPOSED,
        TrajectoryEventKind.HANDOVER_ACCEPTED,
        TrajectoryEventKind.HANDOVER_DECLINED,
    }
)


def _arrival(organisation_id: int, trajectory: Any) -> dict[str, Any]:
    """The expressions that say when the trajectory was first proposed to this organisation by a
    handover, and whether it was there from the start (it started it, or it is a partner that is not
    a former lead). `trajectory`: a trajectory's pk, or an OuterRef to one."""
    return {
        "started_here": Exists(
            TrajectoryEvent.objects.filter(
                trajectory_id=trajectory, kind=TrajectoryEventKind.STARTED, organisation_id=organisation_id
            )
        ),
        "stays_partner": Exists(
            TrajectoryPartner.objects.filter(
                trajectory_id=trajectory, organisation_id=organisation_id
            ).exclude(role=PartnerRole.FORMER_LEAD)
        ),
        "first_proposed_at": Subquery(
            Handover.objects.filter(trajectory_id=trajectory, to_organisation_id=organisation_id)
            .exclude(status=HandoverStatus.WITHDRAWN)
            .order_by("proposed_at")
            .values("proposed_at")[:1]
        ),
    }


def _came_in_at(values: dict[str, Any]) -> datetime.datetime | None:
    """None when the organisation was there from the start."""
    if values.get("started_here") or values.get("stays_partner"):
        return None
    first: datetime.datetime | None = values.get("first_proposed_at")
    return first


def with_arrival(trajectories: QuerySet[Trajectory], organisation_id: int | None) -> QuerySet[Trajectory]:
    """Annotate what `past_view(..., seen=...)` needs to know when the organisation came in, so that
    a list of trajectories (the client export) reads it in its own query."""
    if organisation_id is None:
        return trajectories
    return trajectories.annotate(**_arrival(organisation_id, OuterRef("pk")))


@dataclass(frozen=True)
class PastView:
    sight: Sight
    came_in_at: datetime.datetime | None

    @property
    def organisation_id(self) -> int | None:
        return self.sight.organisation_id

    @property
    def newcomer(self) -> bool:
        return self.came_in_at is not None

    @property
    def history(self) -> bool:
        return not self.newcomer or self.sight.history

    @property
    def notes(self) -> bool:
        return not self.newcomer or self.sight.notes

    @property
    def hidden(self) -> list[str]:
        """The categories about the past this organisation does not see here (for the page's line)."""
        if not self.newcomer:
            return []
        return self.sight.hidden_labels(history=self.history, notes=self.notes)

    def names(self, organisation_id: int | None) -> bool:
        return self.history or organisation_id == self.organisation_id

    def partners(self, partners: QuerySet[TrajectoryPartner]) -> QuerySet[TrajectoryPartner]:
        return partners if self.history else partners.filter(Q(organisation_id=self.organisation_id))

    def contacts(self, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
        return contacts if self.notes else contacts.filter(Q(organisation_id=self.organisation_id))

    def shown_contacts(self, contacts: Iterable[Contact]) -> list[Contact]:
        """Contacts for display: another organisation's name and writer only with `history` (copies,
        never saved), each with its `kind_label` (`get_kind_display()` hashes every choice on each
        call: a fixed cost of the trajectory page)."""
        shown = []
        for contact in contacts:
            if not self.names(contact.organisation_id):
                contact = copy.copy(contact)
                contact.organisation = None  # type: ignore[assignment]
                contact.recorded_by = None  # type: ignore[assignment]
            contact.kind_label = KIND_LABELS.get(contact.kind, contact.kind)  # type: ignore[attr-defined]
            shown.append(contact)
        return shown

    def shows_outcome(self, outcome: Outcome) -> bool:
        """An outcome another organisation recorded before this one came in is the past."""
        if self.history or self.came_in_at is None:
            return True
        return outcome.organisation_id == self.organisation_id or outcome.on >= self.came_in_at.date()

    def outcomes(self, outcomes: QuerySet[Outcome]) -> QuerySet[Outcome]:
        if self.history or self.came_in_at is None:
            return outcomes
        return outcomes.filter(Q(organisation_id=self.organisation_id) | Q(on__gte=self.came_in_at.date()))

    def handovers(self, handovers: Iterable[Handover]) -> list[Handover]:
        """Without `history`: the proposal still open (it comes from the current lead) and the
        organisation's own proposals; an accepted handover to it names the earlier lead."""
        if self.history:
            return list(handovers)
        return [
            h
            for h in handovers
            if h.status == HandoverStatus.PROPOSED or h.from_organisation_id == self.organisation_id
        ]

    def handover_rows(self, handovers: QuerySet[Handover]) -> QuerySet[Handover]:
        """The same rule as `handovers()` for a queryset (the API's paged list)."""
        if self.history:
            return handovers
        return handovers.filter(
            Q(status=HandoverStatus.PROPOSED) | Q(from_organisation_id=self.organisation_id)
        )

    def shown_trajectory(self, trajectory: Trajectory) -> Trajectory:
        """A copy for display only (never saved): without `history`, only the organisation itself
        among the partners (`partners_shown`) and no link to the referral."""
        shown = copy.copy(trajectory)
        shown.partners_shown = [  # type: ignore[attr-defined]
            p for p in trajectory.partners.all() if self.history or p.organisation_id == self.organisation_id
        ]
        if not self.history:
            shown.referral_id = None
        return shown

    def events(self, events: Iterable[TrajectoryEvent]) -> list[TrajectoryEvent]:
        """The timeline from the moment it came in, without the details that name organisations or
        earlier types."""
        if self.history or self.came_in_at is None:
            return list(events)
        shown = []
        for event in events:
            if event.at < self.came_in_at:
                continue
            if event.kind in NAMING_EVENTS or not self.names(event.organisation_id):
                event = copy.copy(event)
                event.detail = ""
                event.anonymous = not self.names(event.organisation_id)  # type: ignore[attr-defined]
            shown.append(event)
        return shown


def past_view(actor: Actor, trajectory: Trajectory, seen: Sight | None = None) -> PastView:
    """What the actor's organisation sees of the trajectory's past: one query. With a trajectory
    annotated by `with_arrival()`, only `sight()`'s (built once per membership and day), and with
    `seen` (the client's `sight()`, read once for several trajectories) too, none."""
    organisation_id = actor.organisation.pk if actor.organisation else None
    if hasattr(trajectory, "first_proposed_at"):
        # Annotated by `with_arrival()` for the actor's organisation: the client's sight alone.
        return PastView(
            sight=seen or sight(actor, trajectory.client_id), came_in_at=_came_in_at(vars(trajectory))
        )
    if organisation_id is None:
        return PastView(sight=sight(actor, trajectory.client_id), came_in_at=None)
    read, arrival = sight_with(actor, trajectory.client_id, **_arrival(organisation_id, trajectory.pk))
    return PastView(sight=seen or read, came_in_at=_came_in_at(arrival))
