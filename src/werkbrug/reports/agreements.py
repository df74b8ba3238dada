"""Data-access agreements for the research export: recorded and ended by the network admin, looked up
for the researcher who downloads (docs/reports.md, "Research export").

The writes follow the action pattern: atomic, the row re-read locked first, rules as DomainError,
every change audited (client_id=None: an agreement holds no client data).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock, stamp_once
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Membership, Role
from werkbrug.reports.forms import FIRST_YEAR
from werkbrug.reports.models import DataAccessAgreement

# Years an agreement may cover: the first year of the reports up to a few years ahead, so that a
# project agreed now can cover the years it will follow.
LAST_YEAR_AHEAD = 10


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can record or end a data-access agreement."))


def researchers() -> list[Membership]:
    """The active researcher memberships an agreement can be for."""
    return list(
        Membership.objects.filter(role=Role.RESEARCHER, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@transaction.atomic
def record_agreement(
    actor: Actor,
    *,
    researcher: Membership,
    project: str,
    purpose: str,
    from_year: int,
    to_year: int,
    approved_on: datetime.date,
    expires_on: datetime.date,
) -> DataAccessAgreement:
    _require_admin(actor)
    researcher = relock(researcher)
    if researcher.role != Role.RESEARCHER or not researcher.is_active:
        raise DomainError(_("An agreement is for an active researcher."), field="researcher")
    today = timezone.localdate()
    if not project.strip():
        raise DomainError(_("Name the project."), field="project")
    if not purpose.strip():
        raise DomainError(_("Describe the purpose."), field="purpose")
    last = today.year + LAST_YEAR_AHEAD
    if not FIRST_YEAR <= from_year <= last or not FIRST_YEAR <= to_year <= last:
        raise DomainError(
            _("The years run from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last},
            field="from_year",
        )
    if from_year > to_year:
        raise DomainError(_("The first year comes before the last year."), field="to_year")
    if approved_on > today:
        raise DomainError(_("Record an agreement once it is approved."), field="approved_on")
    if expires_on < approved_on:
        raise DomainError(_("An agreement expires after its approval."), field="expires_on")
    if expires_on < today:
        raise DomainError(_("This agreement has already expired."), field="expires_on")
    agreement = DataAccessAgreement.objects.create(
        researcher=researcher,
        project=project.strip(),
        purpose=purpose.strip(),
        from_year=from_year,
        to_year=to_year,
        approved_on=approved_on,
        expires_on=expires_on,
        recorded_by=actor.user,
        recorded_by_organisation=actor.org,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        agreement,
        client_id=None,
        summary=_("data-access agreement %(number)s for %(user)s: %(project)s, %(first)s-%(last)s")
        % {
            "number": agreement.pk,
            "user": researcher.user.username,
            "project": agreement.project,
            "first": from_year,
            "last": to_year,
        },
    )
    return agreement


@transaction.atomic
def end_agreement(actor: Actor, agreement: DataAccessAgreement) -> DataAccessAgreement:
    """From now on the researcher can no longer download under this agreement."""
    _require_admin(actor)
    agreement = relock(agreement)
    stamp_once(
        agreement,
        actor.user,
        at="revoked_at",
        by="revoked_by",
        refusal=_("%(who)s already ended this agreement (%(when)s)."),
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        agreement,
        client_id=None,
        summary=_("data-access agreement %(number)s ended") % {"number": agreement.pk},
    )
    return agreement


def active_agreements(actor: Actor) -> list[DataAccessAgreement]:
    """The acting researcher's agreements that are in force today (none for any other role)."""
    if not actor.has_role(Role.RESEARCHER) or actor.membership is None:
        return []
    return list(
        DataAccessAgreement.objects.active(timezone.localdate())
        .filter(researcher=actor.membership)
        .order_by("-expires_on", "-pk")
    )


def agreement_for(actor: Actor, year: int) -> DataAccessAgreement | None:
    """The agreement under which the acting researcher may download `year`, or None."""
    return next((a for a in active_agreements(actor) if a.covers(year)), None)
