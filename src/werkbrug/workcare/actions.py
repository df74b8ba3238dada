"""Work-care writes: atomic, validated, audited (DESIGN §4.1). An agreement is client data: its audit
rows carry the trajectory's client id. A workshop is no client data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.actions import signed_form_problem
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, relock, who
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.core.privatefiles import kept_uploads
from werkbrug.network.models import Organisation
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.access import keeps_workcare, on_team
from werkbrug.workcare.models import ELEMENTS, Aim, Form, WorkCareAgreement, Workshop

WORKSHOP_FIELDS = ("name", "target_group_fte")
AGREEMENT_FIELDS = (
    "workshop",
    "form",
    "aim",
    "starts_on",
    "ends_on",
    *(name for name, _label in ELEMENTS),
    "liability_insurance",
    "accident_insurance",
    "allowance_per_day",
)


def require_keeper(actor: Actor, workshop: Workshop | None = None) -> Organisation:
    if not keeps_workcare(actor) or actor.organisation is None:
        raise DomainError(_("Only coaches and coordinators keep work-care workshops."))
    if workshop is not None and workshop.organisation_id != actor.organisation.pk:
        raise DomainError(_("This workshop belongs to another organisation."))
    return actor.organisation


def _check_workshop(workshop: Workshop) -> None:
    if not workshop.name.strip():
        raise DomainError(_("Give the workshop a name."), field="name")
    if workshop.target_group_fte < 0:
        raise DomainError(_("The number cannot be negative."), field="target_group_fte")


@transaction.atomic
def create_workshop(actor: Actor, *, name: str, target_group_fte: Decimal) -> Workshop:
    workshop = Workshop(
        organisation=require_keeper(actor), name=name.strip(), target_group_fte=target_group_fte
    )
    _check_workshop(workshop)
    workshop.save()
    audit.record(actor, AuditAction.CREATE, workshop, client_id=None, summary="work-care workshop")
    return workshop


@transaction.atomic
def update_workshop(actor: Actor, workshop: Workshop, *, name: str, target_group_fte: Decimal) -> Workshop:
    relock(workshop)
    require_keeper(actor, workshop)
    workshop.name, workshop.target_group_fte = name.strip(), target_group_fte
    _check_workshop(workshop)
    workshop.save()
    audit.record(actor, AuditAction.UPDATE, workshop, client_id=None, summary="work-care workshop")
    return workshop


def _require_team(actor: Actor, trajectory: Trajectory) -> None:
    if not on_team(actor, trajectory):
        raise DomainError(_("Only the work-care team of the lead organisation records agreements."))


def _check_agreement(actor: Actor, agreement: WorkCareAgreement) -> None:
    if agreement.workshop.organisation_id != agreement.trajectory.lead_organisation_id:
        raise DomainError(_("Choose a workshop of your organisation."), field="workshop")
    if agreement.form not in Form.values:
        raise DomainError(_("Choose the form of work-care."), field="form")
    if agreement.aim not in Aim.values:
        raise DomainError(_("Choose the aim."), field="aim")
    if agreement.ends_on is not None and agreement.ends_on < agreement.starts_on:
        raise DomainError(_("The end date lies before the start date."), field="ends_on")
    if agreement.allowance_per_day is not None and agreement.allowance_per_day < 0:
        raise DomainError(_("The amount cannot be negative."), field="allowance_per_day")


@transaction.atomic
def record_agreement(actor: Actor, trajectory: Trajectory, **fields: Any) -> WorkCareAgreement:
    """A draft agreement; the seven elements may still be empty (signing needs them all)."""
    relock(trajectory)
    _require_team(actor, trajectory)
    if not trajectory.is_open:
        raise DomainError(_("The trajectory is closed."))
    agreement = WorkCareAgreement(
        trajectory=trajectory,
        organisation=trajectory.lead_organisation,
        recorded_by=actor.user,
        **{name: value for name, value in fields.items() if name in AGREEMENT_FIELDS},
    )
    _strip(agreement)
    _check_agreement(actor, agreement)
    agreement.save()
    audit.record(
        actor, AuditAction.CREATE, agreement, client_id=trajectory.client_id, summary="work-care agreement"
    )
    return agreement


def _strip(agreement: WorkCareAgreement) -> None:
    for name, _label in ELEMENTS:
        setattr(agreement, name, (getattr(agreement, name) or "").strip())


def _signed_refusal(agreement: WorkCareAgreement) -> InvalidTransition:
    """Two people at once: the second learns who signed first, and when."""
    return InvalidTransition(
        _("This agreement was already signed: %(who)s recorded it at %(when)s.")
        % {"who": who(agreement.signed_by), "when": moment(agreement.signed_at or timezone.now())}
    )


@transaction.atomic
def update_agreement(actor: Actor, agreement: WorkCareAgreement, **fields: Any) -> WorkCareAgreement:
    """A draft changes; a signed agreement stays as signed (a new one replaces it)."""
    relock(agreement)
    _require_team(actor, agreement.trajectory)
    if agreement.is_signed:
        raise _signed_refusal(agreement)
    for name, value in fields.items():
        if name in AGREEMENT_FIELDS:
            setattr(agreement, name, value)
    _strip(agreement)
    _check_agreement(actor, agreement)
    agreement.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        agreement,
        client_id=agreement.trajectory.client_id,
        summary="work-care agreement",
    )
    return agreement


def sign_agreement(
    actor: Actor,
    agreement: WorkCareAgreement,
    *,
    signed_on: datetime.date,
    signed_document: UploadedFile | None = None,
) -> WorkCareAgreement:
    """Signing needs all seven elements of the decree; the signed copy is kept as a signed consent
    form is (core.privatefiles)."""
    with kept_uploads(durable=signed_document is not None) as kept:
        relock(agreement)
        _require_team(actor, agreement.trajectory)
        if agreement.is_signed:
            raise _signed_refusal(agreement)
        missing = agreement.missing
        if missing:
            raise DomainError(
                _("The agreement cannot be signed yet: fill in %(missing)s.")
                % {"missing": ", ".join(missing)}
            )
        require_not_future(signed_on, field="signed_on")
        if signed_document is not None:
            problem = signed_form_problem(signed_document)
            if problem:
                raise DomainError(problem, field="signed_document")
            kept.save_pdf(agreement.signed_document, signed_document)
        agreement.signed_on = signed_on
        agreement.signed_by = actor.user
        agreement.signed_at = timezone.now()
        agreement.save(update_fields=["signed_on", "signed_by", "signed_at", "signed_document"])
        audit.record(
            actor,
            AuditAction.UPDATE,
            agreement,
            client_id=agreement.trajectory.client_id,
            summary="work-care agreement signed" + (" (signed copy uploaded)" if signed_document else ""),
        )
        return agreement
