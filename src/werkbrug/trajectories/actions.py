"""Writes on trajectories: atomic, validated, audited (DESIGN §4.1)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.access import can_see_client
from werkbrug.clients.actions import Evidence, ensure_consent, involve
from werkbrug.clients.models import ConsentPurpose, Involvement, InvolvementReason
from werkbrug.clients.provenance import check_past, file_categories
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import changed_by, moment, relock, who
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Membership, Organisation, OrganisationKind, Role, TrajectoryType, User
from werkbrug.referrals.actions import already_handled
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralEventKind, ReferralStatus
from werkbrug.trajectories.models import (
    PAID_WORK_VERIFY_AFTER_DAYS,
    Certainty,
    Contact,
    ContactKind,
    Economy,
    Handover,
    HandoverStatus,
    LadderPosition,
    Outcome,
    OutcomeKind,
    PartnerRole,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryEventKind,
    TrajectoryPartner,
    TrajectoryStatus,
)


def _audit(actor: Actor, action: str, obj: Model, trajectory: Trajectory, summary: str) -> None:
    audit.record(actor, action, obj, client_id=trajectory.client_id, summary=summary)


def _event(actor: Actor, trajectory: Trajectory, kind: str, detail: str = "") -> None:
    TrajectoryEvent.objects.create(
        trajectory=trajectory, kind=kind, by=actor.user, organisation=actor.org, detail=detail[:1000]
    )
    _audit(actor, AuditAction.UPDATE, trajectory, trajectory, f"trajectory {kind}")


def decision_version(trajectory: Trajectory) -> str:
    """The trajectory as a page showed it: its latest event (every decision writes one). The
    decision forms carry it (hidden `seen`), so a decision on an outdated page is refused."""
    latest = trajectory.events.order_by("-at", "-pk").values_list("pk", flat=True).first()
    return str(latest or 0)


def last_change(trajectory: Trajectory) -> str:
    """Who changed the trajectory last, and when: said with a refused step, since another person's
    decision may just have come first (docs/conventions.md, "Two people at once")."""
    return changed_by(
        _("Last change: %(what)s by %(who)s at %(when)s."),
        trajectory.events.order_by("-at", "-pk").select_related("by").first(),
    )


@contextmanager
def _first_wins(trajectory: Trajectory) -> Iterator[None]:
    """A state change the fresh row refuses says what changed it last."""
    try:
        yield
    except InvalidTransition as exc:
        raise InvalidTransition(f"{exc.message} {last_change(trajectory)}", field=exc.field) from None


def is_lead(actor: Actor, trajectory: Trajectory, *, client_visible: bool = False) -> bool:
    """`client_visible`: the caller read the trajectory through clients.access in this request
    (trajectories.views.get_trajectory), so the client's access is not asked again."""
    return (
        actor.organisation is not None
        and actor.organisation.pk == trajectory.lead_organisation_id
        and actor.has_role(Role.COACH, Role.COORDINATOR)
        and (client_visible or can_see_client(actor, trajectory.client_id))
    )


def is_contributor(actor: Actor, trajectory: Trajectory, *, client_visible: bool = False) -> bool:
    """Lead or partner organisation, with access to the client (`client_visible`: see is_lead)."""
    if actor.organisation is None or not (client_visible or can_see_client(actor, trajectory.client_id)):
        return False
    if actor.organisation.pk == trajectory.lead_organisation_id:
        return True
    return trajectory.partners.filter(organisation=actor.org).exists()


def _require_lead(actor: Actor, trajectory: Trajectory) -> None:
    if not is_lead(actor, trajectory):
        raise DomainError(_("Only the coach or coordinator of the lead organisation can do this."))


def _require_contributor(actor: Actor, trajectory: Trajectory) -> None:
    if not is_contributor(actor, trajectory):
        raise DomainError(_("Your organisation does not take part in this trajectory."))


def _coach_of(organisation: Organisation, coach: User | None) -> User | None:
    if coach is None:
        return None
    if not Membership.objects.filter(
        user=coach, organisation=organisation, role=Role.COACH, is_active=True
    ).exists():
        raise DomainError(_("Choose a coach of %(org)s.") % {"org": organisation}, field="coach")
    return coach


@transaction.atomic
def accept_referral(
    actor: Actor,
    referral: Referral,
    *,
    trajectory_type: TrajectoryType,
    started_on: datetime.date | None = None,
) -> Trajectory:
    """The assigned coach accepts: the trajectory starts at the line's organisation, with the
    referring care partner kept in the background. `started_on` (default today) dates a start that
    lay before the caseload was entered; it cannot lie in the future."""
    relock(referral)
    if referral.status == ReferralStatus.ACCEPTED:
        raise InvalidTransition(already_handled(referral))
    if referral.status != ReferralStatus.ASSIGNED or referral.assigned_coach_id != actor.user.pk:
        raise DomainError(_("Only the coach this referral is assigned to can accept it."))
    require_not_future(started_on, field="started_on")
    organisation = referral.line.organisation
    referral.move_to(ReferralStatus.ACCEPTED)
    referral.save()
    trajectory = Trajectory.objects.create(
        client=referral.client,
        referral=referral,
        type=trajectory_type,
        lead_organisation=organisation,
        coach=actor.user,
        started_on=started_on or timezone.localdate(),
    )
    involve(referral.client, organisation, InvolvementReason.LEAD)
    referring = referral.referring_organisation
    if referring.pk != organisation.pk:
        role = (
            PartnerRole.CARE_BACKGROUND
            if referring.kind == OrganisationKind.CARE
            else PartnerRole.CONTRIBUTING
        )
        TrajectoryPartner.objects.create(
            trajectory=trajectory, organisation=referring, role=role, contact_person=referral.referred_by
        )
        involve(referral.client, referring, InvolvementReason.PARTNER)
    ReferralEvent.objects.create(
        referral=referral,
        kind=ReferralEventKind.ACCEPTED,
        by=actor.user,
        organisation=organisation,
        to_line=referral.line,
    )
    _audit(actor, AuditAction.CREATE, trajectory, trajectory, "trajectory started from referral")
    _event(actor, trajectory, TrajectoryEventKind.STARTED, str(trajectory_type))
    return trajectory


@transaction.atomic
def record_contact(
    actor: Actor,
    trajectory: Trajectory,
    *,
    on: datetime.date,
    kind: str,
    duration_minutes: int | None = None,
    note: str = "",
    informal: bool = False,
    care_only: bool = False,
) -> Contact:
    _require_contributor(actor, trajectory)
    if not trajectory.is_open:
        raise DomainError(_("The trajectory is closed: re-open it to record a contact."))
    require_not_future(on, field="on", message=_("A contact cannot lie in the future."))
    if care_only and not actor.in_care_organisation:
        raise DomainError(_("Only care partners write care notes."), field="care_only")
    contact = Contact(
        trajectory=trajectory,
        on=on,
        kind=kind,
        duration_minutes=duration_minutes,
        note=note.strip(),
        informal=informal,
        care_only=care_only,
        recorded_by=actor.user,
        organisation=actor.org,
    )
    contact.full_clean()
    contact.save()
    # A care note's date is part of the care note: it does not move the "last contact" that work
    # partners see (and that the caseload's not-seen alert reads).
    if kind != ContactKind.OUTREACH_ATTEMPT and not care_only:
        changed = []
        if trajectory.last_contact_on is None or on > trajectory.last_contact_on:
            trajectory.last_contact_on = on
            changed.append("last_contact_on")
        if trajectory.first_contact_on is None or on < trajectory.first_contact_on:
            trajectory.first_contact_on = on
            changed.append("first_contact_on")
        if changed:
            trajectory.save(update_fields=changed)
    _audit(actor, AuditAction.CREATE, contact, trajectory, f"contact {kind}")
    return contact


@transaction.atomic
def set_phase(actor: Actor, trajectory: Trajectory, phase: str) -> Trajectory:
    relock(trajectory)
    _require_lead(actor, trajectory)
    before = trajectory.get_phase_display()
    with _first_wins(trajectory):
        trajectory.set_phase(phase)
    trajectory.save(update_fields=["phase"])
    _event(actor, trajectory, TrajectoryEventKind.PHASE, f"{before} → {trajectory.get_phase_display()}")
    return trajectory


@transaction.atomic
def record_ladder(actor: Actor, trajectory: Trajectory, *, rung: int, on: datetime.date) -> LadderPosition:
    _require_contributor(actor, trajectory)
    require_not_future(on, field="on")
    position = LadderPosition(trajectory=trajectory, rung=rung, on=on, recorded_by=actor.user)
    position.full_clean()
    position.save()
    _audit(actor, AuditAction.CREATE, position, trajectory, f"ladder {rung}")
    return position


@transaction.atomic
def add_goal(actor: Actor, trajectory: Trajectory, *, goal: str, due_on: datetime.date | None) -> PlanGoal:
    _require_contributor(actor, trajectory)
    if not trajectory.is_open:
        raise DomainError(_("The trajectory is closed."))
    item = PlanGoal(trajectory=trajectory, goal=goal.strip(), due_on=due_on, created_by=actor.user)
    item.full_clean()
    item.save()
    _audit(actor, AuditAction.CREATE, item, trajectory, "plan goal added")
    return item


@transaction.atomic
def complete_goal(actor: Actor, goal: PlanGoal, *, on: datetime.date) -> PlanGoal:
    relock(goal)
    _require_contributor(actor, goal.trajectory)
    if goal.done_on is not None:
        raise InvalidTransition(_("This goal is already done."))
    require_not_future(on, field="on")
    goal.done_on = on
    goal.save(update_fields=["done_on"])
    _audit(actor, AuditAction.UPDATE, goal, goal.trajectory, "plan goal done")
    return goal


@transaction.atomic
def record_outcome(
    actor: Actor,
    trajectory: Trajectory,
    *,
    kind: str,
    on: datetime.date,
    economy: str = "",
    certainty: str = Certainty.ESTIMATED,
    note: str = "",
    verified_on: datetime.date | None = None,
) -> Outcome:
    """`verified_on` (default today) dates a verification recorded with the outcome; the rules of
    verify_outcome() apply to it: not in the future, paid work three months after it started."""
    _require_lead(actor, trajectory)
    require_not_future(on, field="on")
    verified_day = (verified_on or timezone.localdate()) if certainty == Certainty.VERIFIED else None
    require_not_future(verified_on, field="verified_on")
    if kind == OutcomeKind.PAID_WORK and economy not in Economy.values:
        raise DomainError(_("Say whether the job is in the regular or the social economy."), field="economy")
    if kind != OutcomeKind.PAID_WORK:
        economy = ""
    verify_due = (
        on + datetime.timedelta(days=PAID_WORK_VERIFY_AFTER_DAYS) if kind == OutcomeKind.PAID_WORK else None
    )
    if (
        kind == OutcomeKind.PAID_WORK
        and certainty == Certainty.VERIFIED
        and verify_due
        and verified_day
        and verify_due > verified_day
    ):
        raise DomainError(
            _("Paid work can only be verified after three months of employment."),
            field="verified_on" if verified_on else "certainty",
        )
    outcome = Outcome(
        trajectory=trajectory,
        kind=kind,
        on=on,
        economy=economy,
        certainty=certainty,
        verified_on=verified_day,
        verify_due_on=verify_due,
        note=note.strip(),
        recorded_by=actor.user,
        organisation=actor.org,
    )
    outcome.full_clean()
    outcome.save()
    _audit(actor, AuditAction.CREATE, outcome, trajectory, f"outcome {kind}")
    return outcome


@transaction.atomic
def verify_outcome(actor: Actor, outcome: Outcome, *, on: datetime.date) -> Outcome:
    relock(outcome)
    _require_lead(actor, outcome.trajectory)
    require_not_future(on, field="on")
    outcome.verify(on)
    outcome.save(update_fields=["certainty", "verified_on"])
    _audit(actor, AuditAction.UPDATE, outcome, outcome.trajectory, "outcome verified")
    return outcome


@transaction.atomic
def propose_handover(
    actor: Actor,
    trajectory: Trajectory,
    *,
    to_organisation: Organisation,
    new_type: TrajectoryType,
    note: str,
    evidence: Evidence,
    share: Iterable[str] = (),
) -> Handover:
    """Warm handover: the receiving organisation sees the file (with the client's consent) to decide.
    `share`: what about the past the client agreed to pass on (`history`, `notes`), recorded with
    that consent; without them the receiver sees only the current trajectory and its own contacts
    (trajectories.provenance)."""
    _require_lead(actor, trajectory)
    if trajectory.status == TrajectoryStatus.CLOSED:
        raise DomainError(_("The trajectory is closed."))
    if to_organisation.pk == trajectory.lead_organisation_id:
        raise DomainError(_("Choose another organisation than the current lead."), field="to_organisation")
    if (
        to_organisation.kind not in (OrganisationKind.WORK, OrganisationKind.CARE)
        or not to_organisation.is_active
    ):
        raise DomainError(_("Choose an active care or work partner."), field="to_organisation")
    if not note.strip():
        raise DomainError(_("Write a handover note for the receiving coach."), field="note")
    if trajectory.handovers.filter(status=HandoverStatus.PROPOSED).exists():
        raise DomainError(_("A handover is already waiting for an answer."))
    past = check_past(share)
    ensure_consent(
        actor,
        trajectory.client,
        purpose=ConsentPurpose.COLLABORATION,
        recipient=to_organisation,
        evidence=evidence,
        categories=file_categories(past),
    )
    handover = Handover(
        trajectory=trajectory,
        from_organisation=trajectory.lead_organisation,
        to_organisation=to_organisation,
        new_type=new_type,
        from_type=trajectory.type,
        note=note.strip(),
        proposed_by=actor.user,
    )
    handover.full_clean()
    handover.save()
    involve(trajectory.client, to_organisation, InvolvementReason.HANDOVER)
    _event(actor, trajectory, TrajectoryEventKind.HANDOVER_PROPOSED, f"→ {to_organisation}")
    return handover


def _end_handover_involvement(handover: Handover) -> None:
    """A declined or withdrawn proposal ends the receiver's reason to see the client: without it the
    consent given for the handover would keep the client file open to an organisation that does not
    take part. Other reasons (and other pending proposals to it) keep theirs."""
    client_id = handover.trajectory.client_id
    if Handover.objects.filter(
        trajectory__client_id=client_id,
        to_organisation=handover.to_organisation,
        status=HandoverStatus.PROPOSED,
    ).exists():
        return
    Involvement.objects.filter(
        client_id=client_id, organisation=handover.to_organisation, reason=InvolvementReason.HANDOVER
    ).delete()


def _require_receiver(actor: Actor, handover: Handover) -> None:
    if (
        actor.organisation is None
        or actor.organisation.pk != handover.to_organisation_id
        or not actor.has_role(Role.COACH, Role.COORDINATOR, Role.SCREENER)
    ):
        raise DomainError(_("Only the receiving organisation can answer this handover."))


def _decide(actor: Actor, handover: Handover, status: str) -> None:
    """Answer or withdraw a proposal: its status, who decided and when (saved by the caller)."""
    if handover.status != HandoverStatus.PROPOSED and handover.decided_at is not None:
        raise InvalidTransition(
            _("%(who)s already answered this handover at %(when)s: %(what)s.")
            % {
                "who": who(handover.decided_by),
                "when": moment(handover.decided_at),
                "what": handover.get_status_display(),
            }
        )
    handover.decide(status)
    handover.decided_by = actor.user
    handover.decided_at = timezone.now()


@transaction.atomic
def accept_handover(actor: Actor, handover: Handover, *, coach: User | None = None) -> Trajectory:
    relock(handover)
    _require_receiver(actor, handover)
    _decide(actor, handover, HandoverStatus.ACCEPTED)
    trajectory = handover.trajectory
    new_coach = _coach_of(
        handover.to_organisation, coach or (actor.user if actor.has_role(Role.COACH) else None)
    )
    if new_coach is None:
        raise DomainError(_("Choose the coach who takes over."), field="coach")
    handover.save()
    previous = trajectory.lead_organisation
    TrajectoryPartner.objects.get_or_create(
        trajectory=trajectory, organisation=previous, role=PartnerRole.FORMER_LEAD
    )
    trajectory.lead_organisation = handover.to_organisation
    trajectory.coach = new_coach
    trajectory.type = handover.new_type
    trajectory.handed_over = True
    trajectory.save(update_fields=["lead_organisation", "coach", "type", "handed_over"])
    involve(trajectory.client, handover.to_organisation, InvolvementReason.LEAD)
    _event(
        actor, trajectory, TrajectoryEventKind.HANDOVER_ACCEPTED, f"{previous} → {handover.to_organisation}"
    )
    return trajectory


@transaction.atomic
def decline_handover(actor: Actor, handover: Handover, *, reason: str) -> Handover:
    relock(handover)
    _require_receiver(actor, handover)
    if not reason.strip():
        raise DomainError(_("Say why the handover is declined."), field="reason")
    _decide(actor, handover, HandoverStatus.DECLINED)
    handover.decision_note = reason.strip()
    handover.save()
    _end_handover_involvement(handover)
    _event(actor, handover.trajectory, TrajectoryEventKind.HANDOVER_DECLINED, reason)
    return handover


@transaction.atomic
def withdraw_handover(actor: Actor, handover: Handover) -> Handover:
    relock(handover)
    _require_lead(actor, handover.trajectory)
    _decide(actor, handover, HandoverStatus.WITHDRAWN)
    handover.save()
    _end_handover_involvement(handover)
    _audit(actor, AuditAction.UPDATE, handover, handover.trajectory, "handover withdrawn")
    return handover


@transaction.atomic
def pause_trajectory(actor: Actor, trajectory: Trajectory, *, reason: str) -> Trajectory:
    relock(trajectory)
    _require_lead(actor, trajectory)
    with _first_wins(trajectory):
        trajectory.pause(reason)
    trajectory.save(update_fields=["status", "pause_reason"])
    _event(actor, trajectory, TrajectoryEventKind.PAUSED, reason)
    return trajectory


@transaction.atomic
def resume_trajectory(actor: Actor, trajectory: Trajectory) -> Trajectory:
    relock(trajectory)
    _require_lead(actor, trajectory)
    with _first_wins(trajectory):
        trajectory.resume()
    trajectory.save(update_fields=["status", "pause_reason"])
    _event(actor, trajectory, TrajectoryEventKind.RESUMED)
    return trajectory


@transaction.atomic
def close_trajectory(
    actor: Actor, trajectory: Trajectory, *, reason: str, note: str, on: datetime.date | None = None
) -> Trajectory:
    relock(trajectory)
    _require_lead(actor, trajectory)
    day = on or timezone.localdate()
    require_not_future(day, field="on")
    attempts = trajectory.contacts.filter(
        kind=ContactKind.OUTREACH_ATTEMPT, on__gte=day - datetime.timedelta(days=60)
    ).count()
    with _first_wins(trajectory):
        trajectory.close(reason, note, day, attempts)
    trajectory.save(update_fields=["status", "close_reason", "close_note", "closed_on"])
    _event(
        actor,
        trajectory,
        TrajectoryEventKind.CLOSED,
        f"{trajectory.get_close_reason_display()} {note}".strip(),
    )
    return trajectory


@transaction.atomic
def reopen_trajectory(actor: Actor, trajectory: Trajectory, *, note: str = "") -> Trajectory:
    relock(trajectory)
    _require_lead(actor, trajectory)
    with _first_wins(trajectory):
        trajectory.reopen()
    trajectory.save(update_fields=["status", "close_reason", "close_note", "closed_on"])
    _event(actor, trajectory, TrajectoryEventKind.REOPENED, note)
    return trajectory


@transaction.atomic
def change_coach(actor: Actor, trajectory: Trajectory, *, coach: User) -> Trajectory:
    relock(trajectory)
    _require_lead(actor, trajectory)
    trajectory.coach = _coach_of(trajectory.lead_organisation, coach)
    trajectory.save(update_fields=["coach"])
    _event(actor, trajectory, TrajectoryEventKind.COACH, str(coach))
    return trajectory
