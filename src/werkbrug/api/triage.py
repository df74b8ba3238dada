"""Triage of a referral through the API, as on the referral page (referrals.views): the line's
screener or coordinator assigns, redirects, puts on the waiting list, sends to the case team or
declines; the assigned coach accepts (the trajectory starts) or returns it to the screener.

Every referral is fetched as the page fetches it (`get_visible` on the referrals of the token's
organisation): anyone else gets 404. The input is checked by the page's own form, then by the
action, which refuses a decision another person took first (400, naming who and when).
"""

import functools
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from werkbrug.api.action_schemas import (
    AcceptReferralIn,
    AssignIn,
    DeclineIn,
    RedirectIn,
    RequiredNoteIn,
    WaitlistIn,
)
from werkbrug.api.auth import CLIENT_DATA, api_policy
from werkbrug.api.decisions import decide, evidence
from werkbrug.api.referrals import referrals_of
from werkbrug.api.schemas import MAX_ID, WRITE_ERRORS, ReferralOut, TrajectoryOut
from werkbrug.clients.access import get_visible
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

ReferralId = Path(..., ge=1, le=MAX_ID)
DECISION = {200: ReferralOut, **WRITE_ERRORS}


def _referral(actor: Actor, referral_id: int) -> Referral:
    """The referral decided on, as the page loads it (no view event: the decision is audited)."""
    return get_visible(actor, referrals_of(actor), referral_id, audit_view=False)


referral_decision = functools.partial(decide, load=_referral)


@router.post("/{referral_id}/assign", response=DECISION)
@api_policy(CLIENT_DATA)
def assign_referral(request: HttpRequest, payload: AssignIn, referral_id: int = ReferralId) -> Any:
    """The line's screener or coordinator gives the referral to a coach of the line's organisation."""
    return referral_decision(
        request,
        referral_id,
        form=lambda referral: AssignForm(
            {"coach": payload.coach_id, "note": payload.note}, coaches=actions.coaches_for(referral.line)
        ),
        api_names={"coach": "coach_id"},
        action=actions.assign_referral,
    )


@router.post("/{referral_id}/redirect", response=DECISION)
@api_policy(CLIENT_DATA)
def redirect_referral(request: HttpRequest, payload: RedirectIn, referral_id: int = ReferralId) -> Any:
    """Send the referral to another line; the client's consent to share with that line's
    organisation is recorded with it (evidence)."""
    form = RedirectForm(
        {
            "line": payload.line_id,
            "note": payload.note,
            "consent": True,
            "evidence": payload.evidence.kind,
            "evidence_note": payload.evidence.note,
        }
    )
    return referral_decision(
        request,
        referral_id,
        form=form,
        api_names={"line": "line_id", "evidence_note": "evidence.note"},
        action=lambda actor, referral, **data: actions.redirect_referral(
            actor, referral, line=data["line"], note=data["note"], evidence=evidence(data)
        ),
    )


@router.post("/{referral_id}/waitlist", response=DECISION)
@api_policy(CLIENT_DATA)
def waitlist_referral(request: HttpRequest, payload: WaitlistIn, referral_id: int = ReferralId) -> Any:
    """Put the referral on the line's waiting list, with the expected start if known."""
    form = WaitlistForm({"expected_start": payload.expected_start, "note": payload.note})
    return referral_decision(request, referral_id, form=form, action=actions.waitlist_referral)


@router.post("/{referral_id}/case-team", response=DECISION)
@api_policy(CLIENT_DATA)
def send_to_case_team(request: HttpRequest, payload: RequiredNoteIn, referral_id: int = ReferralId) -> Any:
    """Ask the case team who should lead (a note is required)."""
    form = RequiredNoteForm({"note": payload.note})
    return referral_decision(request, referral_id, form=form, action=actions.send_to_case_team)


@router.post("/{referral_id}/decline", response=DECISION)
@api_policy(CLIENT_DATA)
def decline_referral(request: HttpRequest, payload: DeclineIn, referral_id: int = ReferralId) -> Any:
    """Decline the referral with a reason (and a note for the reason `other`)."""
    form = DeclineForm({"reason": payload.reason, "note": payload.note})
    return referral_decision(request, referral_id, form=form, action=actions.decline_referral)


@router.post("/{referral_id}/return", response=DECISION)
@api_policy(CLIENT_DATA)
def return_referral(request: HttpRequest, payload: RequiredNoteIn, referral_id: int = ReferralId) -> Any:
    """The assigned coach hands the referral back to the screener, saying why."""
    form = RequiredNoteForm({"note": payload.note})
    return referral_decision(request, referral_id, form=form, action=actions.return_referral)


@router.post("/{referral_id}/accept", response={201: TrajectoryOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def accept_referral(request: HttpRequest, payload: AcceptReferralIn, referral_id: int = ReferralId) -> Any:
    """The assigned coach accepts: the trajectory starts (on `started_on`, default today) at the
    line's organisation and is returned."""

    def form(referral: Referral) -> AcceptForm:
        bound = AcceptForm(
            {"trajectory_type": payload.trajectory_type or referral.line.default_trajectory_type}
        )
        # The page's field, keyed by the type's code (the API's name for a type) instead of its id.
        bound.fields["trajectory_type"].to_field_name = "code"  # type: ignore[attr-defined]
        return bound

    return referral_decision(
        request,
        referral_id,
        form=form,
        action=functools.partial(trajectory_actions.accept_referral, started_on=payload.started_on),
        status=201,
    )
