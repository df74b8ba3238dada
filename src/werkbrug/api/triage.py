"""Triage of a referral through the API, as on the referral page (referrals.views): the line's
screener or coordinator assigns, redirects, puts on the waiting list, sends to the case team or
declines; the assigned coach accepts (the trajectory starts) or returns it to the screener.

Every referral is fetched as the page fetches it (`get_visible` on the referrals of the token's
organisation): anyone else gets 404. The input is checked by the page's own form, then by the
action, which refuses a decision another person took first (400, naming who and when).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router
from ninja.responses import Status

from werkbrug.api.action_schemas import (
    AcceptReferralIn,
    AssignIn,
    DeclineIn,
    RedirectIn,
    RequiredNoteIn,
    WaitlistIn,
)
from werkbrug.api.auth import actor_of, api_policy
from werkbrug.api.forms import clean_with
from werkbrug.api.referrals import referrals_of
from werkbrug.api.schemas import MAX_ID, WRITE_ERRORS, ReferralOut, TrajectoryOut
from werkbrug.clients.access import get_visible
from werkbrug.clients.actions import Evidence
from werkbrug.core.actor import Actor
from werkbrug.referrals import actions
from werkbrug.referrals.forms import (
    AcceptForm,
    AssignForm,
    DeclineForm,
    RedirectForm,
    RequiredNoteForm,
    WaitlistForm,
)
from werkbrug.referrals.models import Referral
from werkbrug.trajectories import actions as trajectory_actions

router = Router(tags=["referrals"])

CLIENT_DATA = "token:client_data"
ReferralId = Path(..., ge=1, le=MAX_ID)
DECISION = {200: ReferralOut, **WRITE_ERRORS}


def _referral(actor: Actor, referral_id: int) -> Referral:
    """The referral decided on, as the page loads it (no view event: the decision is audited)."""
    return get_visible(actor, referrals_of(actor), referral_id, audit_view=False)


@router.post("/{referral_id}/assign", response=DECISION)
@api_policy(CLIENT_DATA)
def assign_referral(request: HttpRequest, payload: AssignIn, referral_id: int = ReferralId) -> Any:
    """The line's screener or coordinator gives the referral to a coach of the line's organisation."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    form = AssignForm(
        {"coach": payload.coach_id, "note": payload.note}, coaches=actions.coaches_for(referral.line)
    )
    data = clean_with(form, {"coach": "coach_id"})
    return actions.assign_referral(actor, referral, **data)


@router.post("/{referral_id}/redirect", response=DECISION)
@api_policy(CLIENT_DATA)
def redirect_referral(request: HttpRequest, payload: RedirectIn, referral_id: int = ReferralId) -> Any:
    """Send the referral to another line; the client's consent to share with that line's
    organisation is recorded with it (evidence)."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    form = RedirectForm(
        {
            "line": payload.line_id,
            "note": payload.note,
            "consent": True,
            "evidence": payload.evidence.kind,
            "evidence_note": payload.evidence.note,
        }
    )
    data = clean_with(form, {"line": "line_id", "evidence_note": "evidence.note"})
    return actions.redirect_referral(
        actor,
        referral,
        line=data["line"],
        note=data["note"],
        evidence=Evidence(data["evidence"], data["evidence_note"]),
    )


@router.post("/{referral_id}/waitlist", response=DECISION)
@api_policy(CLIENT_DATA)
def waitlist_referral(request: HttpRequest, payload: WaitlistIn, referral_id: int = ReferralId) -> Any:
    """Put the referral on the line's waiting list, with the expected start if known."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    data = clean_with(WaitlistForm({"expected_start": payload.expected_start, "note": payload.note}))
    return actions.waitlist_referral(actor, referral, **data)


@router.post("/{referral_id}/case-team", response=DECISION)
@api_policy(CLIENT_DATA)
def send_to_case_team(request: HttpRequest, payload: RequiredNoteIn, referral_id: int = ReferralId) -> Any:
    """Ask the case team who should lead (a note is required)."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    data = clean_with(RequiredNoteForm({"note": payload.note}))
    return actions.send_to_case_team(actor, referral, **data)


@router.post("/{referral_id}/decline", response=DECISION)
@api_policy(CLIENT_DATA)
def decline_referral(request: HttpRequest, payload: DeclineIn, referral_id: int = ReferralId) -> Any:
    """Decline the referral with a reason (and a note for the reason `other`)."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    data = clean_with(DeclineForm({"reason": payload.reason, "note": payload.note}))
    return actions.decline_referral(actor, referral, **data)


@router.post("/{referral_id}/return", response=DECISION)
@api_policy(CLIENT_DATA)
def return_referral(request: HttpRequest, payload: RequiredNoteIn, referral_id: int = ReferralId) -> Any:
    """The assigned coach hands the referral back to the screener, saying why."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    data = clean_with(RequiredNoteForm({"note": payload.note}))
    return actions.return_referral(actor, referral, **data)


@router.post("/{referral_id}/accept", response={201: TrajectoryOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def accept_referral(request: HttpRequest, payload: AcceptReferralIn, referral_id: int = ReferralId) -> Any:
    """The assigned coach accepts: the trajectory starts (on `started_on`, default today) at the
    line's organisation and is returned."""
    actor = actor_of(request)
    referral = _referral(actor, referral_id)
    form = AcceptForm({"trajectory_type": payload.trajectory_type or referral.line.default_trajectory_type})
    # The page's field, keyed by the type's code (the API's name for a type) instead of its id.
    form.fields["trajectory_type"].to_field_name = "code"  # type: ignore[attr-defined]
    data = clean_with(form)
    trajectory = trajectory_actions.accept_referral(
        actor, referral, trajectory_type=data["trajectory_type"], started_on=payload.started_on
    )
    return Status(201, trajectory)
