"""Screening stages (seed 004): an observation stage takes 16 hours (2 half days a week for 2 weeks),
plus at most 4 hours of administration and consultation (L1966-1976); an activation stage takes at
most 160 hours, the number agreed before it starts, plus at most 8 hours of administration and
consultation when it is 160 hours, pro rata otherwise (L2050-2066). The administration hours are
registered apart. The hours on the work floor are counted from the month grid."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.access import on_team
from werkbrug.workcare.models import DayHours, ScreeningStage, StageKind

OBSERVATION_HOURS = Decimal(16)
OBSERVATION_ADMIN = Decimal(4)
ACTIVATION_MAX = Decimal(160)
ACTIVATION_ADMIN = Decimal(8)


def admin_maximum(kind: str, agreed: Decimal) -> Decimal:
    """At most 4 h for an observation stage; 8 h for an activation stage of 160 h, pro rata."""
    if kind == StageKind.OBSERVATION:
        return OBSERVATION_ADMIN
    return (ACTIVATION_ADMIN * agreed / ACTIVATION_MAX).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Progress:
    agreed: Decimal
    worked: Decimal
    left: Decimal  # never below 0
    over: bool
    admin: Decimal
    admin_max: Decimal


def progress(stage: ScreeningStage, worked: Decimal) -> Progress:
    return Progress(
        agreed=stage.agreed_hours,
        worked=worked,
        left=max(stage.agreed_hours - worked, Decimal(0)),
        over=worked > stage.agreed_hours,
        admin=stage.admin_hours,
        admin_max=admin_maximum(stage.kind, stage.agreed_hours),
    )


def worked_hours(stage: ScreeningStage) -> Decimal:
    total = DayHours.objects.filter(trajectory_id=stage.trajectory_id, day__gte=stage.starts_on).aggregate(
        s=Sum("hours")
    )["s"]
    return total or Decimal(0)


def _check(kind: str, agreed: Decimal, admin: Decimal) -> None:
    if kind == StageKind.OBSERVATION and agreed != OBSERVATION_HOURS:
        raise DomainError(_("An observation stage takes 16 hours."), field="agreed_hours")
    if kind == StageKind.ACTIVATION and not Decimal(0) < agreed <= ACTIVATION_MAX:
        raise DomainError(_("An activation stage takes at most 160 hours."), field="agreed_hours")
    maximum = admin_maximum(kind, agreed)
    if admin < 0 or admin > maximum:
        raise DomainError(
            _("At most %(hours)s hours of administration and consultation for this stage.")
            % {"hours": maximum},
            field="admin_hours",
        )


@transaction.atomic
def start_stage(
    actor: Actor, trajectory: Trajectory, *, kind: str, starts_on: datetime.date, agreed_hours: Decimal
) -> ScreeningStage:
    relock(trajectory)
    if not on_team(actor, trajectory):
        raise DomainError(_("Only the work-care team of the lead organisation records this."))
    if kind not in StageKind.values:
        raise DomainError(_("Choose the stage."), field="kind")
    _check(kind, agreed_hours, Decimal(0))
    stage = ScreeningStage.objects.create(
        trajectory=trajectory,
        kind=kind,
        starts_on=starts_on,
        agreed_hours=agreed_hours,
        recorded_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        trajectory,
        client_id=trajectory.client_id,
        summary=f"screening stage {kind}",
    )
    return stage


@transaction.atomic
def set_admin_hours(actor: Actor, stage: ScreeningStage, *, admin_hours: Decimal) -> ScreeningStage:
    relock(stage)
    if not on_team(actor, stage.trajectory):
        raise DomainError(_("Only the work-care team of the lead organisation records this."))
    _check(stage.kind, stage.agreed_hours, admin_hours)
    stage.admin_hours = admin_hours
    stage.save(update_fields=["admin_hours"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        stage.trajectory,
        client_id=stage.trajectory.client_id,
        summary="stage admin hours",
    )
    return stage
