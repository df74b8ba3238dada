"""Benefit limits (issue 17): a participant's regime with its hours ceiling a week, configurable per
year (RVA exemption 28 h, OCMW / living wage 30 h; the mutualiteit sets no number but asks for the
advising doctor's approval first), the documents that go with it, and the warnings the month grid
shows before saving."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.access import on_team
from werkbrug.workcare.models import (
    DEFAULT_CEILINGS,
    Benefit,
    BenefitCeiling,
    BenefitDocument,
    Regime,
)


def ceilings(year: int) -> dict[str, Decimal]:
    """The hours a week per regime in this year: the year's own, else the defaults."""
    values = dict(DEFAULT_CEILINGS)
    values.update(dict(BenefitCeiling.objects.filter(year=year).values_list("regime", "hours_per_week")))
    return values


def current(trajectory_ids: list[int]) -> dict[int, Benefit]:
    """The latest regime of each participant: one query."""
    latest: dict[int, Benefit] = {}
    for benefit in Benefit.objects.filter(trajectory_id__in=trajectory_ids).order_by(
        "trajectory_id", "-recorded_at", "-pk"
    ):
        latest.setdefault(benefit.trajectory_id, benefit)
    return latest


@dataclass(frozen=True)
class Limit:
    regime: str
    label: str
    hours_per_week: Decimal | None  # None: no number
    approved: bool  # the mutualiteit's approval is recorded


def limits(trajectory_ids: list[int], year: int) -> dict[int, Limit]:
    year_ceilings = ceilings(year)
    return {
        t: Limit(
            b.regime, str(b.get_regime_display()), year_ceilings.get(b.regime), b.approved_on is not None
        )
        for t, b in current(trajectory_ids).items()
        if b.regime != Regime.NONE
    }


def warnings(
    cells: dict[tuple[int, datetime.date], Decimal], names: dict[int, str], people: dict[int, Limit]
) -> list[str]:
    """What passes a ceiling: per participant and calendar week (the days of this month in it), the
    hours above the regime's ceiling; any hours without the mutualiteit's approval."""
    weeks: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    first_day: dict[tuple[int, int], datetime.date] = {}
    for (trajectory_id, day), hours in cells.items():
        key = (trajectory_id, day.isocalendar()[1])
        weeks[key] += hours
        first_day[key] = min(first_day.get(key, day), day)
    found: list[str] = []
    for (trajectory_id, _week), total in sorted(
        weeks.items(), key=lambda kv: (names.get(kv[0][0], ""), kv[0][1])
    ):
        limit = people.get(trajectory_id)
        if limit is None or not total:
            continue
        where = {
            "name": names.get(trajectory_id, ""),
            "day": first_day[(trajectory_id, _week)].strftime("%d/%m"),
        }
        if limit.regime == Regime.MUTUALITEIT and not limit.approved:
            found.append(
                _("%(name)s: hours in the week of %(day)s without the mutualiteit's approval recorded.")
                % where
            )
        elif limit.hours_per_week is not None and total > limit.hours_per_week:
            found.append(
                _(
                    "%(name)s: %(hours)s h in the week of %(day)s, above the %(ceiling)s h a week of %(regime)s."
                )
                % {**where, "hours": total, "ceiling": limit.hours_per_week, "regime": limit.label}
            )
    return found


def _require_team(actor: Actor, trajectory: Trajectory) -> None:
    if not on_team(actor, trajectory):
        raise DomainError(_("Only the work-care team of the lead organisation records this."))


@transaction.atomic
def set_benefit(
    actor: Actor,
    trajectory: Trajectory,
    *,
    regime: str,
    approved_on: datetime.date | None = None,
    note: str = "",
) -> Benefit:
    relock(trajectory)
    _require_team(actor, trajectory)
    if regime not in Regime.values:
        raise DomainError(_("Choose the benefit."), field="regime")
    require_not_future(approved_on, field="approved_on")
    benefit = Benefit.objects.create(
        trajectory=trajectory,
        regime=regime,
        approved_on=approved_on,
        note=note.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        actor, AuditAction.UPDATE, trajectory, client_id=trajectory.client_id, summary="work-care benefit"
    )
    return benefit


@transaction.atomic
def add_document(
    actor: Actor,
    trajectory: Trajectory,
    *,
    kind: str,
    dated: datetime.date,
    valid_until: datetime.date | None = None,
    note: str = "",
) -> BenefitDocument:
    relock(trajectory)
    _require_team(actor, trajectory)
    if valid_until is not None and valid_until < dated:
        raise DomainError(_("The end date lies before the start date."), field="valid_until")
    document = BenefitDocument.objects.create(
        trajectory=trajectory,
        kind=kind,
        dated=dated,
        valid_until=valid_until,
        note=note.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        trajectory,
        client_id=trajectory.client_id,
        summary=f"work-care document {kind}",
    )
    return document
