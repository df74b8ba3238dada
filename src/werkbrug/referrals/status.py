"""What the referring organisation sees of a referral's outcome (BRIEF §5: "without consent nothing
is passed on, not even the fact that the person was seen").

The line's organisation sees everything about the referrals it receives. The referring organisation
follows the outcome (status, waiting place, coach, decision, trajectory) only while an active
feedback consent of the client names it; without one it sees only that the line received the
referral. The consent is read on every request, so a withdrawal takes effect at once.
"""

from __future__ import annotations

import copy
from typing import TypeVar

from django.db.models import BooleanField, Exists, ExpressionWrapper, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import Organisation
from werkbrug.referrals.models import Referral

M = TypeVar("M", bound=Model)

# The only status a referrer without the client's consent sees (the API's `status` value).
RECEIVED = "received"
RECEIVED_LABEL = _("received by the line")


def follows_outcome(organisation: Organisation, client_ref: str | OuterRef = "client_id") -> Exists:
    """An active feedback consent of the row's client names this organisation."""
    ref = OuterRef(client_ref) if isinstance(client_ref, str) else client_ref
    return Exists(
        Consent.objects.active(timezone.localdate()).filter(
            client_id=ref, recipient=organisation, purpose=ConsentPurpose.FEEDBACK
        )
    )


def with_outcome_flag(referrals: QuerySet[Referral], organisation: Organisation | None) -> QuerySet[Referral]:
    """Annotate `outcome_shared`: the organisation receives the referral on its line, or the client
    agreed that it follows the outcome."""
    if organisation is None:
        return referrals.none()
    return referrals.annotate(
        outcome_shared=ExpressionWrapper(
            Q(line__organisation=organisation) | Q(follows_outcome(organisation)), output_field=BooleanField()
        )
    )


def outcome_shared(referral: Referral, organisation: Organisation | None) -> bool:
    """The same rule for one referral that was not annotated."""
    if organisation is None:
        return False
    shared = getattr(referral, "outcome_shared", None)
    if shared is not None:
        return bool(shared)
    if referral.line.organisation_id == organisation.pk:
        return True
    return (
        Consent.objects.active()
        .filter(client_id=referral.client_id, recipient=organisation, purpose=ConsentPurpose.FEEDBACK)
        .exists()
    )


def as_received(referral: Referral) -> Referral:
    """A copy for display only (never saved) that says no more than "received by the line"."""
    shown = copy.copy(referral)
    shown.status = RECEIVED
    shown.assigned_coach = None
    shown.expected_start = None
    shown.decided_at = None
    shown.waiting_since = None
    shown.decline_reason = ""
    shown.decision_note = ""
    return shown


def hide_unshared_trajectories(trajectories: QuerySet[M], organisation: Organisation | None) -> QuerySet[M]:
    """Leave out the trajectories that started from this organisation's own referral and that another
    organisation leads, unless the client agreed that it follows the outcome. (Accepting a referral
    makes the referrer a partner of the trajectory; the file page and the export do not show that
    trajectory without the consent.)"""
    if organisation is None:
        return trajectories.none()
    return trajectories.exclude(
        Q(referral__referring_organisation=organisation)
        & ~Q(lead_organisation=organisation)
        & ~Q(follows_outcome(organisation))
    )
