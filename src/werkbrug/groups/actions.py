"""Writing group modules: templates and their phases, runs, sessions, enrolments with the waiting
list, attendance, placements and outcomes (docs/conventions.md, "Writing: actions"). Every action
is atomic and re-reads the rows it changes locked; enrolling locks the run, so two coaches at once
cannot fill a seat twice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.actions import involve
from werkbrug.clients.models import FILE_PURPOSES, Consent, InvolvementReason
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.employers.models import Employer
from werkbrug.groups.access import GROUP_ROLES, is_staff
from werkbrug.groups.models import (
    SEATED,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    ModulePhase,
    ModuleTemplate,
    Outcome,
    Presence,
    Run,
    Session,
)
from werkbrug.network.models import Role, User
from werkbrug.trajectories.access import open_team_trajectories, team_trajectories
from werkbrug.trajectories.models import Trajectory

# --- templates (network admin) -------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.NETWORK_ADMIN:
        raise DomainError(_("Only the network admin manages module templates."))


@transaction.atomic
def create_template(actor: Actor, template: ModuleTemplate) -> ModuleTemplate:
    _require_admin(actor)
    template.name = template.name.strip()
    if ModuleTemplate.objects.filter(name__iexact=template.name).exists():
        raise DomainError(_("A module with this name already exists."), field="name")
    template.full_clean(validate_unique=False, validate_constraints=False)
    template.save()
    audit.record(actor, AuditAction.CREATE, template, client_id=None)
    return template


@transaction.atomic
def add_phase(actor: Actor, template: ModuleTemplate, phase: ModulePhase) -> ModulePhase:
    _require_admin(actor)
    relock(template)
    if phase.first_week > phase.last_week:
        raise DomainError(_("The last week comes before the first week."), field="last_week")
    if phase.last_week > template.weeks:
        raise DomainError(
            _("This module has %(weeks)s weeks.") % {"weeks": template.weeks}, field="last_week"
        )
    overlap = template.phases.filter(first_week__lte=phase.last_week, last_week__gte=phase.first_week).first()
    if overlap is not None:
        raise DomainError(
            _("These weeks overlap with the phase “%(name)s”.") % {"name": overlap.name},
            field="first_week",
        )
    phase.template = template
    phase.full_clean(exclude=["template"], validate_unique=False, validate_constraints=False)
    phase.save()
    audit.record(actor, AuditAction.CREATE, phase, client_id=None)
    return phase


# --- runs and sessions ---------------------------------------------------------------------------


def _require_staff(actor: Actor, run: Run) -> None:
    if not is_staff(actor, run):
        raise DomainError(_("Only the organisation that runs this module plans it."))


def organisation_coaches(actor: Actor) -> Iterable[User]:
    """The coaches who may lead a run of the actor's organisation (a small fixed list: a select)."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=actor.organisation,
        memberships__role=Role.COACH,
    ).distinct()


@transaction.atomic
def create_run(
    actor: Actor, template: ModuleTemplate, *, starts_on: datetime.date, place: str, coaches: Iterable[User]
) -> Run:
    if actor.role not in GROUP_ROLES:
        raise DomainError(_("Only coaches and coordinators plan a group module."))
    organisation = actor.org
    if not template.is_active:
        raise DomainError(_("This module is no longer offered."), field="template")
    chosen = list(coaches)
    allowed = {u.pk for u in organisation_coaches(actor)}
    if not chosen or any(c.pk not in allowed for c in chosen):
        raise DomainError(_("Choose one or more coaches of your organisation."), field="coaches")
    run = Run.objects.create(
        template=template,
        organisation=organisation,
        starts_on=starts_on,
        place=place.strip(),
        created_by=actor.user,
    )
    run.coaches.set(chosen)
    audit.record(actor, AuditAction.CREATE, run, client_id=None)
    return run


@transaction.atomic
def add_session(actor: Actor, run: Run, *, on: datetime.date, topic: str = "") -> Session:
    relock(run)
    _require_staff(actor, run)
    if not run.starts_on <= on <= run.ends_on:
        raise DomainError(
            _("A session falls within the module: %(start)s to %(end)s.")
            % {"start": f"{run.starts_on:%d/%m/%Y}", "end": f"{run.ends_on:%d/%m/%Y}"},
            field="on",
        )
    if run.sessions.filter(on=on).exists():
        raise DomainError(_("There is already a session on this day."), field="on")
    session = Session.objects.create(run=run, on=on, topic=topic.strip())
    audit.record(actor, AuditAction.CREATE, session, client_id=None)
    return session


# --- enrolment and the waiting list --------------------------------------------------------------


def _has_file_consent(client_id: int, organisation_id: int) -> bool:
    return (
        Consent.objects.active(timezone.localdate())
        .filter(client_id=client_id, recipient_id=organisation_id, purpose__in=FILE_PURPOSES)
        .exists()
    )


@transaction.atomic
def enrol(actor: Actor, run: Run, trajectory: Trajectory) -> Enrolment:
    """Enrol a client of the actor's team: a seat while the run has one, else the waiting list. The
    run is locked first, so the seats are counted once at a time."""
    relock(run)
    if actor.role not in GROUP_ROLES:
        raise DomainError(_("Only coaches and coordinators enrol clients."))
    if not open_team_trajectories(actor).filter(pk=trajectory.pk).exists():
        raise DomainError(_("Choose an open trajectory of your team."), field="trajectory")
    if run.ends_on < timezone.localdate():
        raise DomainError(_("This module has ended."))
    earlier = Enrolment.objects.filter(run=run, trajectory=trajectory).first()
    if earlier is not None:
        raise InvalidTransition(
            _("This client is already on this module (%(status)s).")
            % {"status": earlier.get_status_display()}
        )
    if not _has_file_consent(trajectory.client_id, run.organisation_id):
        raise DomainError(
            _(
                "The client has no active consent to share the file with %(organisation)s, which runs "
                "this module. Record the consent first."
            )
            % {"organisation": run.organisation},
            field="trajectory",
        )
    seated = Enrolment.objects.filter(run=run, status__in=SEATED).count()
    status = EnrolmentStatus.ENROLLED if seated < run.template.cap else EnrolmentStatus.WAITING
    enrolment = Enrolment.objects.create(
        run=run, trajectory=trajectory, status=status, enrolled_by=actor.user
    )
    involve(trajectory.client, run.organisation, InvolvementReason.PARTNER)
    audit.record(
        actor, AuditAction.CREATE, enrolment, client_id=trajectory.client_id, summary=f"enrolment {status}"
    )
    return enrolment


def _may_change(actor: Actor, enrolment: Enrolment) -> bool:
    """The run's organisation, or the organisation whose trajectory it is."""
    return (
        is_staff(actor, enrolment.run) or team_trajectories(actor).filter(pk=enrolment.trajectory_id).exists()
    )


def offer_next_seat(run: Run) -> Enrolment | None:
    """A freed seat goes to the first on the waiting list (inside the caller's transaction, run locked)."""
    seated = Enrolment.objects.filter(run=run, status__in=SEATED).count()
    if seated >= run.template.cap:
        return None
    first = (
        Enrolment.objects.filter(run=run, status=EnrolmentStatus.WAITING)
        .order_by("enrolled_at", "pk")
        .first()
    )
    if first is not None:
        first.status = EnrolmentStatus.OFFERED
        first.save(update_fields=["status"])
    return first


@transaction.atomic
def withdraw(actor: Actor, enrolment: Enrolment) -> Enrolment:
    relock(enrolment.run)
    relock(enrolment)
    if not _may_change(actor, enrolment):
        raise DomainError(_("Only the organisation of the run or of the client withdraws an enrolment."))
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise InvalidTransition(_("This enrolment was already withdrawn."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    _audit_enrolment(actor, enrolment, "enrolment withdrawn")
    offered = offer_next_seat(enrolment.run)
    if offered is not None:
        audit.record(
            actor,
            AuditAction.UPDATE,
            offered,
            client_id=offered.trajectory.client_id,
            summary="enrolment offered",
        )
    return enrolment


@transaction.atomic
def accept_seat(actor: Actor, enrolment: Enrolment) -> Enrolment:
    relock(enrolment.run)
    relock(enrolment)
    if not _may_change(actor, enrolment):
        raise DomainError(_("Only the organisation of the run or of the client accepts a seat."))
    if enrolment.status != EnrolmentStatus.OFFERED:
        raise InvalidTransition(
            _("No seat is offered to this client (%(status)s).") % {"status": enrolment.get_status_display()}
        )
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.save(update_fields=["status"])
    _audit_enrolment(actor, enrolment, "enrolment enrolled")
    return enrolment


# --- attendance, placement, outcome (the run's organisation) -------------------------------------


@transaction.atomic
def record_attendance(actor: Actor, session: Session, presences: Mapping[int, str]) -> int:
    """Presence per enrolment id for one session; saving the same again changes nothing. Returns the
    number of rows written."""
    relock(session)
    run = session.run
    _require_staff(actor, run)
    if session.on > timezone.localdate():
        raise DomainError(_("Attendance is recorded on or after the day of the session."))
    valid = {p.value for p in Presence}
    seated = {
        e.pk: e
        for e in Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED).select_related(
            "trajectory"
        )
    }
    existing = {a.enrolment_id: a for a in session.attendance.all()}
    written = 0
    for enrolment_id, presence in presences.items():
        if not presence:
            continue
        if enrolment_id not in seated or presence not in valid:
            raise DomainError(_("Attendance is recorded for enrolled participants only."))
        row = existing.get(enrolment_id)
        if row is None:
            Attendance.objects.create(session=session, enrolment_id=enrolment_id, presence=presence)
        elif row.presence != presence:
            row.presence = presence
            row.save(update_fields=["presence"])
        else:
            continue
        written += 1
        audit.record(
            actor,
            AuditAction.UPDATE,
            seated[enrolment_id],
            client_id=seated[enrolment_id].trajectory.client_id,
            summary=f"attendance {presence}",
        )
    return written


def _audit_enrolment(actor: Actor, enrolment: Enrolment, summary: str) -> None:
    audit.record(
        actor, AuditAction.UPDATE, enrolment, client_id=enrolment.trajectory.client_id, summary=summary
    )


def _seated_for_staff(actor: Actor, enrolment: Enrolment) -> None:
    relock(enrolment)
    _require_staff(actor, enrolment.run)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise InvalidTransition(
            _("This client is not enrolled (%(status)s).") % {"status": enrolment.get_status_display()}
        )


@transaction.atomic
def set_placement(
    actor: Actor, enrolment: Enrolment, *, employer: Employer | None, name: str = ""
) -> Enrolment:
    _seated_for_staff(actor, enrolment)
    name = name.strip()
    if employer is None and not name:
        raise DomainError(_("Choose an employer or type the name of the placement."), field="employer")
    enrolment.placement_employer = employer
    enrolment.placement_name = "" if employer is not None else name
    enrolment.save(update_fields=["placement_employer", "placement_name"])
    _audit_enrolment(actor, enrolment, "enrolment placement")
    return enrolment


@transaction.atomic
def set_outcome(actor: Actor, enrolment: Enrolment, *, outcome: str, note: str = "") -> Enrolment:
    """At the end of the run; "stopped before the end" at any time."""
    _seated_for_staff(actor, enrolment)
    if outcome not in Outcome.values:
        raise DomainError(_("Choose an outcome."), field="outcome")
    if outcome != Outcome.STOPPED and timezone.localdate() < enrolment.run.ends_on - datetime.timedelta(
        days=6
    ):
        raise DomainError(
            _(
                "The outcome is recorded in the last week of the module, from %(date)s; before that only “%(stopped)s”."
            )
            % {
                "date": f"{enrolment.run.ends_on - datetime.timedelta(days=6):%d/%m/%Y}",
                "stopped": Outcome.STOPPED.label,
            },
            field="outcome",
        )
    enrolment.outcome = outcome
    enrolment.outcome_note = note.strip()
    enrolment.save(update_fields=["outcome", "outcome_note"])
    _audit_enrolment(actor, enrolment, f"outcome {outcome}")
    return enrolment
