"""Warm handovers through the API, as on the trajectory page (trajectories.action_views): the lead
proposes a handover to another organisation (with the client's consent to share the file), may
withdraw it; the receiving organisation accepts (taking over the lead) or declines.

Handovers are fetched as the page fetches them (`get_related` on the trajectories the token's
organisation takes part in, the receiver included while the proposal is open): anyone else gets 404.
A second answer to the same proposal is a 400 naming who answered first.
"""

import functools
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from werkbrug.api.action_schemas import (
    AcceptHandoverIn,
    DeclineHandoverIn,
    HandoverIn,
    HandoverOut,
)
from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.decisions import decide, evidence
from werkbrug.api.pagination import page
from werkbrug.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS, Page, Paging, TrajectoryId, TrajectoryOut
from werkbrug.core.actor import Actor
from werkbrug.trajectories import actions
from werkbrug.trajectories.forms import AcceptHandoverForm, DeclineHandoverForm, HandoverForm
from werkbrug.trajectories.models import Handover, Trajectory
from werkbrug.trajectories.provenance import past_view
from werkbrug.trajectories.views import coaches_of, default_coach, get_related, get_trajectory

router = Router(tags=["handovers"])

HandoverId = Path(..., ge=1, le=MAX_ID)
HANDOVER = {200: HandoverOut, **WRITE_ERRORS}
DECISION_ACCEPT = {200: TrajectoryOut, **WRITE_ERRORS}


def _handovers() -> Any:
    return Handover.objects.select_related(
        "from_organisation", "to_organisation", "new_type", "proposed_by", "decided_by"
    )


def _handover(actor: Actor, trajectory_id: int, handover_id: int) -> Handover:
    return get_related(actor, _handovers(), trajectory_id, handover_id)  # type: ignore[no-any-return]


handover_decision = functools.partial(decide, load=_handover)


def _handover_form(payload: HandoverIn, trajectory: Trajectory) -> HandoverForm:
    form = HandoverForm(
        {
            "to_organisation": payload.to_organisation_id,
            "new_type": payload.new_type,
            "note": payload.note,
            "evidence": payload.evidence.kind,
            "evidence_note": payload.evidence.note,
            "share": payload.share,
        },
        trajectory=trajectory,
    )
    # The page's field, keyed by the type's code (the API's name for a type) instead of its id.
    form.fields["new_type"].to_field_name = "code"  # type: ignore[attr-defined]
    return form


@router.get("/{trajectory_id}/handovers", response={200: Page[HandoverOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_handovers(request: HttpRequest, paging: Query[Paging], trajectory_id: int = TrajectoryId) -> Any:
    """The trajectory's handovers, newest first (open, accepted, declined and withdrawn). An
    organisation that was handed the trajectory sees the earlier ones only with the `history`
    category (docs/privacy.md)."""
    actor = actor_of(request)
    trajectory = get_trajectory(actor, trajectory_id)
    handovers = past_view(actor, trajectory).handover_rows(_handovers().filter(trajectory=trajectory))
    return page(handovers.order_by("-proposed_at", "-pk"), paging)


@router.post("/{trajectory_id}/handovers", response={201: HandoverOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def propose_handover(request: HttpRequest, payload: HandoverIn, trajectory_id: int = TrajectoryId) -> Any:
    """Propose to hand the lead over to an active care or work partner: the receiving organisation
    may read the file (with the client's consent, `evidence`) to decide."""
    return decide(
        request,
        trajectory_id,
        load=get_trajectory,
        form=lambda trajectory: _handover_form(payload, trajectory),
        api_names={"to_organisation": "to_organisation_id", "evidence_note": "evidence.note"},
        action=lambda actor, trajectory, **data: actions.propose_handover(
            actor,
            trajectory,
            to_organisation=data["to_organisation"],
            new_type=data["new_type"],
            note=data["note"],
            evidence=evidence(data),
            share=data["share"],
        ),
        status=201,
    )


@router.post("/{trajectory_id}/handovers/{handover_id}/accept", response=DECISION_ACCEPT)
@api_policy(CLIENT_DATA)
def accept_handover(
    request: HttpRequest,
    payload: AcceptHandoverIn,
    trajectory_id: int = TrajectoryId,
    handover_id: int = HandoverId,
) -> Any:
    """The receiving organisation takes over the lead; the trajectory is returned."""
    return handover_decision(
        request,
        trajectory_id,
        handover_id,
        form=lambda handover: AcceptHandoverForm(
            {"coach": payload.coach_id if payload.coach_id is not None else default_coach(actor_of(request))},
            coaches=coaches_of(handover.to_organisation_id),
        ),
        api_names={"coach": "coach_id"},
        action=_take_over,
    )


def _take_over(actor: Actor, handover: Handover, **data: Any) -> Any:
    trajectory = actions.accept_handover(actor, handover, **data)
    # The new lead sees the past only as far as the client agreed (trajectories.provenance).
    return past_view(actor, trajectory).shown_trajectory(trajectory)


@router.post("/{trajectory_id}/handovers/{handover_id}/decline", response=HANDOVER)
@api_policy(CLIENT_DATA)
def decline_handover(
    request: HttpRequest,
    payload: DeclineHandoverIn,
    trajectory_id: int = TrajectoryId,
    handover_id: int = HandoverId,
) -> Any:
    """The receiving organisation declines, saying why; the current lead keeps the trajectory."""
    form = DeclineHandoverForm({"reason": payload.reason})
    return handover_decision(request, trajectory_id, handover_id, form=form, action=actions.decline_handover)


@router.post("/{trajectory_id}/handovers/{handover_id}/withdraw", response=HANDOVER)
@api_policy(CLIENT_DATA)
def withdraw_handover(
    request: HttpRequest, trajectory_id: int = TrajectoryId, handover_id: int = HandoverId
) -> Any:
    """The lead withdraws an open proposal."""
    return handover_decision(request, trajectory_id, handover_id, action=actions.withdraw_handover)
