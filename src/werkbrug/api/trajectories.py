"""Trajectories your organisation leads, contributes to or is asked to take over; their contacts
(care notes only for care partners) and outcomes. Writes go through trajectories.actions."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.decisions import decide
from werkbrug.api.pagination import page
from werkbrug.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ContactIn,
    ContactOut,
    Id,
    OutcomeIn,
    OutcomeOut,
    Page,
    Paging,
    TrajectoryId,
    TrajectoryListOut,
    TrajectoryOut,
)
from werkbrug.clients.access import get_visible, scope, visible_notes
from werkbrug.core.actor import Actor
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.provenance import past_view

router = Router(tags=["trajectories"])


def _trajectory(actor: Actor, trajectory_id: int) -> Trajectory:
    """The trajectory itself, for its sub-resources and the actions; 404 unless visible."""
    return get_visible(actor, Trajectory.objects.for_organisation(actor.organisation), trajectory_id)


@router.get("", response={200: Page[TrajectoryListOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_trajectories(request: HttpRequest, paging: Query[Paging], client_id: Id | None = None) -> Any:
    """Trajectories your organisation takes part in, most recently started first."""
    actor = actor_of(request)
    trajectories = scope(
        actor,
        Trajectory.objects.for_organisation(actor.organisation).select_related(
            "client", "type", "lead_organisation", "coach"
        ),
    )
    if client_id is not None:
        trajectories = trajectories.filter(client_id=client_id)
    return page(trajectories.order_by("-started_on", "-pk"), paging)


@router.get("/{trajectory_id}", response={200: TrajectoryOut, **READ_ERRORS})
@api_policy(CLIENT_DATA)
def get_trajectory(request: HttpRequest, trajectory_id: int = TrajectoryId) -> Any:
    actor = actor_of(request)
    trajectory = get_visible(
        actor,
        Trajectory.objects.for_organisation(actor.organisation)
        .select_related("client", "type", "lead_organisation", "coach")
        .prefetch_related("partners__organisation"),
        trajectory_id,
    )
    # What happened before the organisation was handed it: as far as the client agreed.
    return past_view(actor, trajectory).shown_trajectory(trajectory)


@router.get("/{trajectory_id}/contacts", response={200: Page[ContactOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_contacts(request: HttpRequest, paging: Query[Paging], trajectory_id: int = TrajectoryId) -> Any:
    """Contacts, newest first. Care notes only for care partners."""
    actor = actor_of(request)
    trajectory = _trajectory(actor, trajectory_id)
    past = past_view(actor, trajectory)
    contacts = past.contacts(
        visible_notes(actor, trajectory.contacts.select_related("recorded_by", "organisation"))
    )
    listed = page(contacts.order_by("-on", "-pk"), paging)
    listed["items"] = past.shown_contacts(listed["items"])
    return listed


@router.post("/{trajectory_id}/contacts", response={201: ContactOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_contact(request: HttpRequest, payload: ContactIn, trajectory_id: int = TrajectoryId) -> Any:
    values = payload.dict() | {"on": payload.on or timezone.localdate()}
    return decide(
        request, trajectory_id, load=_trajectory, values=values, action=actions.record_contact, status=201
    )


@router.get("/{trajectory_id}/outcomes", response={200: Page[OutcomeOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_outcomes(request: HttpRequest, paging: Query[Paging], trajectory_id: int = TrajectoryId) -> Any:
    actor = actor_of(request)
    trajectory = _trajectory(actor, trajectory_id)
    past = past_view(actor, trajectory)
    outcomes = trajectory.outcomes.select_related("recorded_by", "organisation")
    return page(past.outcomes(outcomes).order_by("-on", "-pk"), paging)


@router.post("/{trajectory_id}/outcomes", response={201: OutcomeOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_outcome(request: HttpRequest, payload: OutcomeIn, trajectory_id: int = TrajectoryId) -> Any:
    """Only the lead organisation's coach or coordinator records outcomes."""
    values = payload.dict() | {"economy": payload.economy or ""}
    return decide(
        request, trajectory_id, load=_trajectory, values=values, action=actions.record_outcome, status=201
    )
