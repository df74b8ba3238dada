"""Writing employers, contact persons, job development contacts, openings, introductions and the
weekly review (docs/conventions.md, "Writing: actions"). Every action is atomic, re-reads the rows it
changes locked, and audits what names a client."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.employers.access import has_employer_consent, may_write
from werkbrug.employers.models import (
    ContactPerson,
    Employer,
    EmployerContact,
    Introduction,
    IntroductionOutcome,
    Opening,
    WeeklyReview,
    normalise_enterprise_number,
)
from werkbrug.network.models import Role, User
from werkbrug.trajectories.access import team_trajectories
from werkbrug.trajectories.models import Trajectory

# A second identical contact within this time is the same contact posted twice.
DOUBLE_POST_WINDOW = timedelta(minutes=10)


def _require_writer(actor: Actor) -> None:
    if not may_write(actor):
        raise DomainError(_("Only coaches and coordinators record employer work."))


def _duplicate_number(employer: Employer) -> None:
    if not employer.enterprise_number:
        return
    other = (
        Employer.objects.filter(enterprise_number=employer.enterprise_number).exclude(pk=employer.pk).first()
    )
    if other is not None:
        raise DomainError(
            _("%(name)s already has this enterprise number: open that employer instead.")
            % {"name": other.name},
            field="enterprise_number",
        )


@transaction.atomic
def create_employer(actor: Actor, employer: Employer) -> Employer:
    _require_writer(actor)
    employer.enterprise_number = normalise_enterprise_number(employer.enterprise_number)
    employer.created_by = actor.user
    employer.full_clean(validate_unique=False, validate_constraints=False)
    _duplicate_number(employer)
    if not employer.enterprise_number:
        twin = Employer.objects.filter(
            name__iexact=employer.name.strip(), municipality__iexact=employer.municipality.strip()
        ).first()
        if twin is not None:
            raise DomainError(
                _("An employer with this name in this municipality is already registered: %(name)s.")
                % {"name": twin.name},
                field="name",
            )
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:  # registered by someone else a moment ago
        raise DomainError(
            _("Another employer already has this enterprise number."), field="enterprise_number"
        ) from exc
    audit.record(actor, AuditAction.CREATE, employer, client_id=None)
    return employer


@transaction.atomic
def update_employer(actor: Actor, employer: Employer, changed: list[str]) -> Employer:
    """`employer` carries the form's values; the stored row is locked first (the version check of
    the view has run on it)."""
    _require_writer(actor)
    values = {f.attname: getattr(employer, f.attname) for f in Employer._meta.concrete_fields}
    relock(Employer.objects.get(pk=employer.pk))
    for name, value in values.items():
        setattr(employer, name, value)
    employer.enterprise_number = normalise_enterprise_number(employer.enterprise_number)
    employer.full_clean(validate_unique=False, validate_constraints=False)
    _duplicate_number(employer)
    employer.save()
    audit.record(actor, AuditAction.UPDATE, employer, client_id=None, summary=", ".join(changed))
    return employer


# --- contact persons ---------------------------------------------------------------------------


@transaction.atomic
def add_contact_person(actor: Actor, employer: Employer, person: ContactPerson) -> ContactPerson:
    _require_writer(actor)
    relock(employer)
    if employer.people.filter(name__iexact=person.name.strip()).exists():
        raise DomainError(_("This contact person is already listed."), field="name")
    person.employer = employer
    person.name = person.name.strip()
    person.full_clean()
    person.save()
    audit.record(actor, AuditAction.CREATE, person, client_id=None)
    return person


@transaction.atomic
def update_contact_person(actor: Actor, person: ContactPerson, changed: list[str]) -> ContactPerson:
    _require_writer(actor)
    if not ContactPerson.objects.select_for_update().filter(pk=person.pk).exists():
        raise InvalidTransition(_("This contact person was removed in the meantime."))
    person.full_clean()
    person.save()
    audit.record(actor, AuditAction.UPDATE, person, client_id=None, summary=", ".join(changed))
    return person


@transaction.atomic
def remove_contact_person(actor: Actor, person: ContactPerson) -> None:
    """Removing twice removes once: the second finds nothing and says so."""
    _require_writer(actor)
    deleted, _rows = ContactPerson.objects.filter(pk=person.pk).delete()
    if not deleted:
        raise InvalidTransition(_("This contact person was already removed."))
    audit.record(
        actor, AuditAction.DELETE, None, client_id=None, object_type="contactperson", object_id=person.pk
    )


# --- job development contacts ------------------------------------------------------------------


def check_named_client(actor: Actor, trajectory: Trajectory | None, field: str = "trajectory") -> None:
    """Naming a client to an employer: the actor is on the trajectory's team and the client consents
    to employer contact by the actor's organisation."""
    if trajectory is None:
        return
    if not trajectory.is_open:
        raise DomainError(
            _("This trajectory is closed: a client is named to employers only while it runs."), field=field
        )
    if not team_trajectories(actor).filter(pk=trajectory.pk).exists():
        raise DomainError(_("You can only name a client of a trajectory your team works on."), field=field)
    if not has_employer_consent(actor, trajectory):
        raise DomainError(
            _(
                "%(client)s has no active consent for contact with an employer by your organisation: "
                "record that consent first, or log the contact without naming the client."
            )
            % {"client": trajectory.client},
            field=field,
        )


@transaction.atomic
def log_contact(
    actor: Actor,
    employer: Employer,
    *,
    on: datetime.date,
    mode: str,
    purpose: str,
    place: str,
    trajectory: Trajectory | None = None,
    note: str = "",
) -> EmployerContact:
    _require_writer(actor)
    relock(employer)  # one contact at a time per employer: a double post finds the first
    require_not_future(on, field="on", message=_("A contact cannot lie in the future."))
    check_named_client(actor, trajectory)
    contact = EmployerContact(
        employer=employer,
        on=on,
        coach=actor.user,
        organisation=actor.org,
        mode=mode,
        purpose=purpose,
        place=place,
        trajectory=trajectory,
        note=note.strip(),
    )
    contact.full_clean()
    twin = EmployerContact.objects.filter(
        employer=employer,
        coach=actor.user,
        on=on,
        mode=mode,
        purpose=purpose,
        place=place,
        trajectory=trajectory,
        note=contact.note,
        recorded_at__gte=timezone.now() - DOUBLE_POST_WINDOW,
    ).exists()
    if twin:
        raise DomainError(_("This contact was just recorded: it is not added a second time."))
    contact.save()
    if trajectory is not None:
        audit.record(
            actor, AuditAction.CREATE, contact, client_id=trajectory.client_id, summary=f"employer {mode}"
        )
    return contact


# --- openings and introductions -----------------------------------------------------------------


@transaction.atomic
def add_opening(actor: Actor, employer: Employer, opening: Opening) -> Opening:
    _require_writer(actor)
    relock(employer)
    opening.title = opening.title.strip()
    if employer.openings.filter(title__iexact=opening.title, closed_on__isnull=True).exists():
        raise DomainError(_("This employer already has an open opening with this title."), field="title")
    opening.employer = employer
    opening.created_by = actor.user
    opening.full_clean()
    opening.save()
    audit.record(actor, AuditAction.CREATE, opening, client_id=None)
    return opening


@transaction.atomic
def close_opening(actor: Actor, opening: Opening, *, on: datetime.date) -> Opening:
    _require_writer(actor)
    relock(opening)
    if opening.closed_on is not None:
        raise InvalidTransition(
            _("This opening was already closed on %(date)s.") % {"date": opening.closed_on}
        )
    if on < opening.opened_on:
        raise DomainError(_("An opening cannot close before it opened."), field="on")
    opening.closed_on = on
    opening.save(update_fields=["closed_on"])
    audit.record(actor, AuditAction.UPDATE, opening, client_id=None, summary="closed")
    return opening


@transaction.atomic
def introduce(actor: Actor, opening: Opening, trajectory: Trajectory, *, on: datetime.date) -> Introduction:
    _require_writer(actor)
    relock(opening)
    if opening.closed_on is not None:
        raise DomainError(_("This opening is closed."))
    require_not_future(on, field="on", message=_("An introduction cannot lie in the future."))
    check_named_client(actor, trajectory)
    if Introduction.objects.filter(opening=opening, trajectory=trajectory).exists():
        raise DomainError(_("This client was already introduced to this opening."), field="trajectory")
    introduction = Introduction.objects.create(
        opening=opening,
        trajectory=trajectory,
        introduced_on=on,
        recorded_by=actor.user,
        organisation=actor.org,
    )
    audit.record(
        actor, AuditAction.CREATE, introduction, client_id=trajectory.client_id, summary="introduced"
    )
    return introduction


@transaction.atomic
def set_outcome(actor: Actor, introduction: Introduction, outcome: str) -> Introduction:
    _require_writer(actor)
    relock(introduction)
    if outcome not in IntroductionOutcome.values:
        raise DomainError(_("Unknown outcome."), field="outcome")
    if introduction.outcome == outcome:
        raise InvalidTransition(
            _("The outcome is already “%(outcome)s”.") % {"outcome": introduction.get_outcome_display()}
        )
    introduction.outcome = outcome
    introduction.updated_at = timezone.now()
    introduction.save(update_fields=["outcome", "updated_at"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        introduction,
        client_id=introduction.trajectory.client_id,
        summary=f"introduction {outcome}",
    )
    return introduction


# --- the weekly review -------------------------------------------------------------------------


@transaction.atomic
def tick_review(actor: Actor, coach: User, week_start: datetime.date) -> tuple[WeeklyReview, bool]:
    """The coordinator ticks off a coach's week; a second tick keeps the first (no second row)."""
    if actor.role != Role.COORDINATOR:
        raise DomainError(_("Only a coordinator reviews the week."))
    if not coach.memberships.filter(organisation=actor.organisation, role=Role.COACH).exists():
        raise DomainError(_("This coach does not work for your organisation."))
    if week_start.weekday() != 0:
        raise DomainError(_("A week starts on a Monday."))
    review, created = WeeklyReview.objects.get_or_create(
        coach=coach, week_start=week_start, defaults={"reviewed_by": actor.user}
    )
    return review, created
