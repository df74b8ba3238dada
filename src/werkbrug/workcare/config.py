"""The yearly settings of work-care, kept by the network admin (docs/workcare.md, "Settings"): the
subsidy amount per support FTE (`SubsidyRate`), the hours ceilings per benefit regime
(`BenefitCeiling`) and the volunteer allowance ceilings per day and per year (`AllowanceCeiling`).
Each is one row per year (per regime): saving a year again replaces its values, so the same form
posted twice stores one row. A year without a row uses the defaults.

The allowance check: a participant's agreement may give an expense allowance per day of activity
(`WorkCareAgreement.allowance_per_day`). It is above the ceiling when that amount passes the day's
ceiling, or when the allowances of the year (the amount of the agreement running on each day with
hours on the month grid) pass the year's ceiling."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Role
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.models import (
    DEFAULT_ALLOWANCE_PER_DAY,
    DEFAULT_ALLOWANCE_PER_YEAR,
    AllowanceCeiling,
    BenefitCeiling,
    DayHours,
    Regime,
    SubsidyRate,
    WorkCareAgreement,
)

# The regimes with an hours ceiling (the mutualiteit needs an approval instead).
CEILING_REGIMES = (Regime.RVA, Regime.OCMW)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.NETWORK_ADMIN:
        raise DomainError(_("Only a network administrator changes these settings."))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(_("Give a year from 2000 to 2100."), field="year")


@transaction.atomic
def set_subsidy_rate(actor: Actor, *, year: int, amount_per_fte: Decimal) -> SubsidyRate:
    _require_admin(actor)
    _check_year(year)
    if not Decimal(0) < amount_per_fte < Decimal(10_000_000):
        raise DomainError(_("Give an amount above 0."), field="amount_per_fte")
    rate, _created = SubsidyRate.objects.update_or_create(
        year=year, defaults={"amount_per_fte": amount_per_fte}
    )
    audit.record(actor, AuditAction.UPDATE, rate, client_id=None, summary=f"work-care subsidy rate {year}")
    return rate


@transaction.atomic
def set_benefit_ceiling(actor: Actor, *, year: int, regime: str, hours_per_week: Decimal) -> BenefitCeiling:
    _require_admin(actor)
    _check_year(year)
    if regime not in CEILING_REGIMES:
        raise DomainError(_("Choose a benefit with an hours ceiling."), field="regime")
    if not Decimal(0) < hours_per_week <= Decimal(168):
        raise DomainError(_("Give a number of hours above 0 and at most 168."), field="hours_per_week")
    ceiling, _created = BenefitCeiling.objects.update_or_create(
        year=year, regime=regime, defaults={"hours_per_week": hours_per_week}
    )
    audit.record(
        actor, AuditAction.UPDATE, ceiling, client_id=None, summary=f"work-care hours ceiling {year}"
    )
    return ceiling


@transaction.atomic
def set_allowance_ceiling(
    actor: Actor, *, year: int, per_day: Decimal, per_year: Decimal
) -> AllowanceCeiling:
    _require_admin(actor)
    _check_year(year)
    if not Decimal(0) < per_day < Decimal(100_000):
        raise DomainError(_("Give an amount above 0."), field="per_day")
    if not Decimal(0) < per_year < Decimal(10_000_000):
        raise DomainError(_("Give an amount above 0."), field="per_year")
    if per_year < per_day:
        raise DomainError(_("The ceiling per year cannot be below the ceiling per day."), field="per_year")
    ceiling, _created = AllowanceCeiling.objects.update_or_create(
        year=year, defaults={"per_day": per_day, "per_year": per_year}
    )
    audit.record(
        actor, AuditAction.UPDATE, ceiling, client_id=None, summary=f"work-care allowance ceiling {year}"
    )
    return ceiling


def allowance_ceiling(year: int) -> tuple[Decimal, Decimal]:
    """(per day, per year) of the year, else the defaults."""
    row = AllowanceCeiling.objects.filter(year=year).first()
    if row is None:
        return DEFAULT_ALLOWANCE_PER_DAY, DEFAULT_ALLOWANCE_PER_YEAR
    return row.per_day, row.per_year


@dataclass(frozen=True)
class AllowanceCheck:
    year: int
    per_day: Decimal | None  # the agreement's amount
    day_ceiling: Decimal
    days: int  # days with hours in the year
    year_total: Decimal  # the allowances of those days
    year_ceiling: Decimal

    @property
    def above_day(self) -> bool:
        return self.per_day is not None and self.per_day > self.day_ceiling

    @property
    def above_year(self) -> bool:
        return self.year_total > self.year_ceiling


def year_allowances(trajectory: Trajectory, year: int) -> tuple[int, Decimal]:
    """The days with hours in the year and the sum of the allowance of the agreement running on each
    (one query)."""
    running = WorkCareAgreement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("day")),
        trajectory_id=OuterRef("trajectory_id"),
        starts_on__lte=OuterRef("day"),
    ).order_by("-starts_on", "-pk")
    amounts = (
        DayHours.objects.filter(
            trajectory=trajectory,
            day__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            hours__gt=0,
        )
        .annotate(amount=Subquery(running.values("allowance_per_day")[:1]))
        .values_list("day", "amount")
    )
    days: set[datetime.date] = set()
    total = Decimal(0)
    for day, amount in amounts:
        if day not in days:  # hours at two workshops on one day: one day of allowance
            days.add(day)
            total += Decimal(str(amount)) if amount is not None else Decimal(0)
    return len(days), total.quantize(Decimal("0.01"))


def check_allowance(agreement: WorkCareAgreement, year: int) -> AllowanceCheck:
    per_day, per_year = allowance_ceiling(year)
    days, total = year_allowances(agreement.trajectory, year)
    return AllowanceCheck(year, agreement.allowance_per_day, per_day, days, total, per_year)
