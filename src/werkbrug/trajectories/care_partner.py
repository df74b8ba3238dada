"""The care partner on call (seed 000): a care organisation that stays in the background of a
trajectory, ready to catch the client at a relapse. The referring care organisation becomes one when
a referral is accepted (trajectories.actions.accept_referral); the lead coach can add (or activate)
one at any time, but only an organisation the client consented to share the file with
(a collaboration or record consent naming it: consent is data, clients.models.Consent).

A trajectory of a type that asks for one (CarePartnerType) and has none is flagged on the caseload.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from werkbrug.clients.actions import involve
from werkbrug.clients.models import FILE_PURPOSES, Consent, InvolvementReason
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.choosers import register
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.network.choosers import organisation_chooser
from werkbrug.network.models import Organisation, OrganisationKind, Role, TrajectoryType
from werkbrug.trajectories.actions import is_lead
from werkbrug.trajectories.models import CarePartnerType, PartnerRole, Trajectory, TrajectoryPartner


def care_organisations(actor: Actor) -> QuerySet[Any]:
    """What the chooser offers: active care organisations other than the actor's own."""
    organisations = Organisation.objects.filter(is_active=True, kind=OrganisationKind.CARE)
    return organisations.exclude(pk=actor.organisation.pk) if actor.organisation else organisations


register(organisation_chooser("care_partner_organisations", care_organisations))


def has_consent(trajectory: Trajectory, organisation: Organisation) -> bool:
    return (
        Consent.objects.active()
        .filter(client_id=trajectory.client_id, recipient=organisation, purpose__in=FILE_PURPOSES)
        .exists()
    )


def lacks_care_partner() -> Q:
    """For a Trajectory queryset: of a type that asks a care partner on call, and without one."""
    return Q(
        Exists(CarePartnerType.objects.filter(type_id=OuterRef("type_id"))),
        ~Exists(
            TrajectoryPartner.objects.filter(trajectory=OuterRef("pk"), role=PartnerRole.CARE_BACKGROUND)
        ),
    )


@transaction.atomic
def add_care_partner(
    actor: Actor, trajectory: Trajectory, *, organisation: Organisation | None
) -> TrajectoryPartner:
    """The lead adds a care partner on call, with the client's consent for that organisation."""
    relock(trajectory)
    if not is_lead(actor, trajectory):
        raise DomainError(_("Only the lead coach can add a care partner."))
    if not trajectory.is_open:
        raise DomainError(_("This trajectory is closed."))
    if organisation is None or not organisation.is_active or organisation.kind != OrganisationKind.CARE:
        raise DomainError(_("Choose an active care organisation."), field="organisation")
    if TrajectoryPartner.objects.filter(
        trajectory=trajectory, organisation=organisation, role=PartnerRole.CARE_BACKGROUND
    ).exists():
        raise InvalidTransition(
            _("%(org)s is already the care partner on call.") % {"org": organisation}, field="organisation"
        )
    if not has_consent(trajectory, organisation):
        raise DomainError(
            _(
                "The client has not consented to sharing the file with %(org)s. Record the client's "
                "consent (sharing with this partner) on the client's page first."
            )
            % {"org": organisation},
            field="organisation",
        )
    partner = TrajectoryPartner.objects.create(
        trajectory=trajectory, organisation=organisation, role=PartnerRole.CARE_BACKGROUND
    )
    involve(trajectory.client, organisation, InvolvementReason.PARTNER)
    audit.record(
        actor,
        AuditAction.CREATE,
        partner,
        client_id=trajectory.client_id,
        summary=f"care partner on call: {organisation}",
    )
    return partner


# --- which trajectory types ask for one (the network admin's setting) ------------------------------


def asks_care_partner(trajectory_type: TrajectoryType) -> bool:
    return CarePartnerType.objects.filter(type=trajectory_type).exists()


@transaction.atomic
def set_care_partner_required(actor: Actor, trajectory_type: TrajectoryType, *, required: bool) -> bool:
    """Mark whether trajectories of this type ask for a care partner on call (the caseload flags
    those without one). The type's row is locked, so two admins deciding at once take turns; the
    change is audited on the type, as the network's other settings are. Returns whether it changed."""
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can change the network."))
    relock(trajectory_type)
    rule = CarePartnerType.objects.filter(type=trajectory_type)
    if rule.exists() == required:
        return False
    if required:
        CarePartnerType.objects.create(type=trajectory_type)
    else:
        rule.delete()
    what = "required" if required else "not required"
    summary = f"care partner on call {what}: {trajectory_type.code}"
    audit.record(actor, AuditAction.UPDATE, trajectory_type, client_id=None, summary=summary)
    return True
