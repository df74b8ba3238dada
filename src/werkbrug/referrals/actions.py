"""Referral intake and triage: every write atomic, validated and audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.access import can_see_client
from werkbrug.clients.actions import Evidence, ensure_consent, involve
from werkbrug.clients.models import Client, ConsentPurpose, InvolvementReason
from werkbrug.clients.provenance import check_past, file_categories
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import changed_by, relock
from werkbrug.core.dbdates import local_midnight
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.network.indications import published
from werkbrug.network.models import Membership, ReferralLine, Role, User
from werkbrug.referrals.models import (
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralStatus,
)

MAX_QUESTION = 4000


def _event(
    actor: Actor, referral: Referral, kind: str, note: str = "", from_line: ReferralLine | None = None
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        by=actor.user,
        organisation=actor.org,
        from_line=from_line,
        to_line=referral.line,
        note=note[:1000],
    )
    audit.record(
        actor,
        AuditAction.UPDATE if kind != "submitted" else AuditAction.CREATE,
        referral,
        client_id=referral.client_id,
        summary=f"referral {kind}",
    )


def already_handled(referral: Referral) -> str:
    """The refusal when another decision came first: who took it, when, and what it was."""
    return changed_by(
        _("%(who)s already handled this referral at %(when)s: %(what)s. Your decision was not saved."),
        referral.events.order_by("-at", "-pk").select_related("by").first(),
    )


def move(referral: Referral, status: str) -> None:
    """`referral.move_to(status)` on the fresh row; a refused step names the decision that came first."""
    try:
        referral.move_to(status)
    except InvalidTransition:
        raise InvalidTransition(already_handled(referral)) from None


def can_triage(actor: Actor, line: ReferralLine) -> bool:
    """The line's fixed screener(s), or a coordinator of the line's organisation."""
    if actor.organisation is None or actor.organisation.pk != line.organisation_id:
        return False
    if actor.has_role(Role.COORDINATOR):
        return True
    return actor.has_role(Role.SCREENER) and line.screeners.filter(pk=actor.user.pk).exists()


def _require_triage(actor: Actor, referral: Referral) -> None:
    if not can_triage(actor, referral.line):
        raise DomainError(_("Only the line's screener or coordinator can triage this referral."))


def coaches_for(line: ReferralLine) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=line.organisation_id, role=Role.COACH, is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def submit_referral(
    actor: Actor,
    client: Client,
    *,
    line: ReferralLine,
    question: str,
    indications: list[str],
    urgency: str,
    channel: str,
    evidence: Evidence,
    on: datetime.date | None = None,
    follow_outcome: bool = False,
    share: Iterable[str] = (),
) -> Referral:
    """Refer a person to a line. The client's consent to share with the line is recorded with it.
    `on`: the day the referral came in, when it is recorded later (a caseload import); never ahead.
    `follow_outcome`: the client agrees that the referring organisation follows the outcome, recorded
    as a feedback consent naming it (same evidence); without one it sees only "received by the line"
    (referrals.status). `share`: what about the past the client agreed to pass on to the line
    (`history`, `notes`; clients.provenance), recorded with the consent for the line."""
    if actor.organisation is None or not can_see_client(actor, client.pk):
        raise DomainError(_("You cannot refer this client."))
    require_not_future(on, field="on")
    if not line.is_active or not line.organisation.is_active:
        raise DomainError(_("This referral line is not active."), field="line")
    if not question.strip():
        raise DomainError(_("Describe the question."), field="question")
    if len(question) > MAX_QUESTION:
        raise DomainError(
            _("The question is too long (at most %(n)s characters).") % {"n": MAX_QUESTION}, field="question"
        )
    past = check_past(share)
    draaiboek = published()  # new referrals are triaged under the published draaiboek
    if not set(indications) <= set(draaiboek.codes):
        raise DomainError(_("Unknown indication."), field="indications")
    ensure_consent(
        actor,
        client,
        purpose=ConsentPurpose.COLLABORATION,
        recipient=line.organisation,
        evidence=evidence,
        categories=file_categories(past),
    )
    if follow_outcome and line.organisation_id != actor.org.pk:
        ensure_consent(actor, client, purpose=ConsentPurpose.FEEDBACK, recipient=actor.org, evidence=evidence)
    referral = Referral(
        client=client,
        line=line,
        referring_organisation=actor.org,
        referred_by=actor.user,
        question=question.strip(),
        indications=draaiboek.clean(indications),
        draaiboek=draaiboek.version,
        urgency=urgency,
        channel=channel,
    )
    if on is not None:
        referral.created_at = local_midnight(on)
    referral.full_clean()
    referral.save()
    involve(client, actor.organisation, InvolvementReason.REFERRER)
    involve(client, line.organisation, InvolvementReason.LINE)
    _event(actor, referral, ReferralEventKind.SUBMITTED)
    return referral


@transaction.atomic
def redirect_referral(
    actor: Actor, referral: Referral, *, line: ReferralLine, note: str, evidence: Evidence
) -> Referral:
    """Send the referral to another line; the history keeps where it was."""
    relock(referral)
    _require_triage(actor, referral)
    if not line.is_active or not line.organisation.is_active:
        raise DomainError(_("This referral line is not active."), field="line")
    previous = referral.line
    if not referral.is_open:
        raise InvalidTransition(already_handled(referral))
    referral.redirect_to(line)
    ensure_consent(
        actor,
        referral.client,
        purpose=ConsentPurpose.COLLABORATION,
        recipient=line.organisation,
        evidence=evidence,
    )
    referral.save()
    involve(referral.client, line.organisation, InvolvementReason.LINE)
    _event(actor, referral, ReferralEventKind.REDIRECTED, note, from_line=previous)
    return referral


@transaction.atomic
def waitlist_referral(
    actor: Actor, referral: Referral, *, expected_start: datetime.date | None, note: str = ""
) -> Referral:
    relock(referral)
    _require_triage(actor, referral)
    if expected_start is not None and expected_start < timezone.localdate():
        raise DomainError(_("The expected start cannot lie in the past."), field="expected_start")
    move(referral, ReferralStatus.WAITING)
    referral.expected_start = expected_start
    referral.save()
    _event(actor, referral, ReferralEventKind.WAITLISTED, note)
    return referral


@transaction.atomic
def send_to_case_team(actor: Actor, referral: Referral, *, note: str) -> Referral:
    relock(referral)
    _require_triage(actor, referral)
    move(referral, ReferralStatus.CASE_TEAM)
    referral.save()
    _event(actor, referral, ReferralEventKind.TO_CASE_TEAM, note)
    return referral


@transaction.atomic
def decline_referral(actor: Actor, referral: Referral, *, reason: str, note: str) -> Referral:
    relock(referral)
    _require_triage(actor, referral)
    if reason not in DeclineReason.values:
        raise DomainError(_("Choose a reason for declining."), field="reason")
    if reason == DeclineReason.OTHER and not note.strip():
        raise DomainError(_("Explain why the referral is declined."), field="note")
    move(referral, ReferralStatus.DECLINED)
    referral.decline_reason = reason
    referral.decision_note = note.strip()
    referral.save()
    _event(actor, referral, ReferralEventKind.DECLINED, note)
    return referral


@transaction.atomic
def assign_referral(actor: Actor, referral: Referral, *, coach: User, note: str = "") -> Referral:
    """Triage to a coach of the line's organisation; the coach accepts and the trajectory starts."""
    relock(referral)
    _require_triage(actor, referral)
    if coach.pk not in {c.pk for c in coaches_for(referral.line)}:
        raise DomainError(
            _("Choose a coach of %(org)s.") % {"org": referral.line.organisation}, field="coach"
        )
    move(referral, ReferralStatus.ASSIGNED)
    referral.assigned_coach = coach
    referral.save()
    _event(actor, referral, ReferralEventKind.ASSIGNED, note or str(coach))
    return referral


@transaction.atomic
def return_referral(actor: Actor, referral: Referral, *, note: str) -> Referral:
    """The assigned coach hands the referral back to the screener."""
    relock(referral)
    if referral.status != ReferralStatus.ASSIGNED:
        raise InvalidTransition(already_handled(referral))
    if referral.assigned_coach_id != actor.user.pk:
        raise DomainError(_("Only the assigned coach can return this referral."))
    if not note.strip():
        raise DomainError(_("Say why you return the referral."), field="note")
    move(referral, ReferralStatus.SUBMITTED)
    referral.save()
    _event(actor, referral, ReferralEventKind.RETURNED, note)
    return referral
