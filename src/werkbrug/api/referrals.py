"""Referrals your organisation made or receives; submitting one goes through referrals.actions."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router
from ninja.responses import Status

from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.pagination import page
from werkbrug.api.schemas import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    Page,
    Paging,
    ReferralIn,
    ReferralListOut,
    ReferralOut,
)
from werkbrug.clients.access import get_visible, scope
from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import Client
from werkbrug.core.actor import Actor
from werkbrug.network.models import ReferralLine
from werkbrug.referrals import actions
from werkbrug.referrals.models import Referral
from werkbrug.referrals.status import as_received, outcome_shared, with_outcome_flag

router = Router(tags=["referrals"])


def referrals_of(actor: Actor) -> QuerySet[Referral]:
    """Narrowed to the actor's organisation, as on the pages; pass through scope() or get_visible()."""
    return Referral.objects.for_organisation(actor.organisation).select_related(
        "client", "line", "line__organisation", "referring_organisation", "referred_by", "assigned_coach"
    )


@router.get("", response={200: Page[ReferralListOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_referrals(request: HttpRequest, paging: Query[Paging], client_id: Id | None = None) -> Any:
    """Referrals your organisation made or receives on one of its lines, newest first."""
    actor = actor_of(request)
    referrals = scope(actor, referrals_of(actor))
    if client_id is not None:
        referrals = referrals.filter(client_id=client_id)
    listed = page(with_outcome_flag(referrals, actor.organisation).order_by("-created_at", "-pk"), paging)
    listed["items"] = [r if r.outcome_shared else as_received(r) for r in listed["items"]]
    return listed


@router.post("", response={201: ReferralOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    """Refer a client you can see to a line; the client's consent to share with the line's
    organisation is recorded with it (evidence)."""
    actor = actor_of(request)
    client = get_visible(actor, Client.objects.all(), payload.client_id, client_path="")
    line = ReferralLine.objects.select_related("organisation").filter(pk=payload.line_id).first()
    if line is None:
        raise Http404
    referral = actions.submit_referral(
        actor,
        client,
        line=line,
        question=payload.question,
        indications=list(payload.indications),
        urgency=payload.urgency,
        channel=payload.channel,
        evidence=Evidence(payload.evidence.kind, payload.evidence.note),
        follow_outcome=payload.follow_outcome,
        share=payload.share,
    )
    return Status(201, shown_to(actor, referral))


@router.get("/{referral_id}", response={200: ReferralOut, **READ_ERRORS})
@api_policy(CLIENT_DATA)
def get_referral(request: HttpRequest, referral_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    actor = actor_of(request)
    return shown_to(actor, get_visible(actor, referrals_of(actor), referral_id))


def shown_to(actor: Actor, referral: Referral) -> Referral:
    """The referral as the actor may see it: "received" only for a referrer without the client's
    consent to follow the outcome (referrals.status)."""
    return referral if outcome_shared(referral, actor.organisation) else as_received(referral)
