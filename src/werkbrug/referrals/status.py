"""What the referring organisation sees of a referral's outcome (BRIEF §5: "without consent nothing
is passed on, not even the fact that the person was seen").

The line's organisation sees everything about the referrals it receives. The referring organisation
follows the outcome (status, waiting place, coach, decision, trajectory) only while an active
feedback consent of the client names it; without one it sees only that the line received the
referral. The consent is read on every request, so a withdrawal takes effect at once.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import Organisation, ReferralLine
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralEventKind

QS = TypeVar("QS", bound=QuerySet[Any])

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
        ),
        # The line it was first submitted to (a redirect moves `line`; the history keeps the first).
        submitted_line_id=Subquery(
            ReferralEvent.objects.filter(referral=OuterRef("pk"), kind=ReferralEventKind.SUBMITTED)
            .order_by("at", "pk")
            .values("to_line_id")[:1]
        ),
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


def submitted_line(referral: Referral) -> ReferralLine:
    """The line the referral was submitted to, before any redirect."""
    if hasattr(referral, "submitted_line_id"):
        line_id = referral.submitted_line_id or referral.line_id
    else:
        line_id = (
            referral.events.filter(kind=ReferralEventKind.SUBMITTED)
            .order_by("at", "pk")
            .values_list("to_line_id", flat=True)
            .first()
        ) or referral.line_id
    if line_id == referral.line_id:
        return referral.line
    return ReferralLine.objects.select_related("organisation").get(pk=line_id)


def as_received(referral: Referral) -> Referral:
    """A copy for display only (never saved) that says no more than "received by the line": the line
    it was sent to, nothing about a redirect to another line."""
    shown = copy.copy(referral)
    shown.line = submitted_line(referral)
    shown.status = RECEIVED
    shown.assigned_coach = None
    shown.expected_start = None
    shown.decided_at = None
    shown.waiting_since = None
    shown.decline_reason = ""
    shown.decision_note = ""
    return shown


def hide_unshared_trajectories(trajectories: QS, organisation: Organisation | None) -> QS:
    """Leave out the trajectories that started from this organisation's own referral and that another
    organisation leads, unless the client agreed that it follows the outcome. (Accepting a referral
    makes the referrer a partner of the trajectory; the file page and the export do not show that
    trajectory without the consent.) `Trajectory.objects.for_organisation` applies it, so every page,
    list and API call of trajectories does."""
    if organisation is None:
        return trajectories.none()
    return trajectories.exclude(
        Q(referral__referring_organisation=organisation)
        & ~Q(lead_organisation=organisation)
        & ~Q(follows_outcome(organisation))
    )
