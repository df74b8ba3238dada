"""Projects and money: writes (coordinators of the running organisation; the financing rule by a
network admin) and the commitment against realisation per month (docs/outreach.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Organisation, Role, User
from werkbrug.outreach.models import (
    Commitment,
    Destination,
    FinancingRule,
    OnwardReferral,
    Project,
    Site,
)


def _require_coordinator(actor: Actor, project: Project | None = None) -> None:
    if actor.role != Role.COORDINATOR or actor.organisation is None:
        raise DomainError(_("Only a coordinator keeps the organisation's projects."))
    if project is not None and project.run_by_id != actor.organisation.pk:
        raise DomainError(_("This project is run by another organisation."))


@transaction.atomic
def create_project(actor: Actor, *, name: str, starts_on: datetime.date, ends_on: datetime.date) -> Project:
    _require_coordinator(actor)
    organisation = cast(Organisation, actor.organisation)  # checked above
    if ends_on < starts_on:
        raise DomainError(_("The end date lies before the start date."), field="ends_on")
    if Project.objects.filter(run_by=organisation, name__iexact=name.strip()).exists():
        raise DomainError(_("Your organisation already has a project with this name."), field="name")
    project = Project.objects.create(
        name=name.strip(), run_by=organisation, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(actor, AuditAction.CREATE, project, client_id=None, summary="outreach project")
    return project


@transaction.atomic
def add_site(actor: Actor, project: Project, *, site: Site) -> Project:
    relock(project)
    _require_coordinator(actor, project)
    if site.run_by_id != project.run_by_id:
        raise DomainError(_("Choose a site your organisation runs."), field="site")
    if project.sites.filter(pk=site.pk).exists():
        raise DomainError(_("This site is already in the project."), field="site")
    project.sites.add(site)
    audit.record(actor, AuditAction.UPDATE, project, client_id=None, summary=f"site {site.pk} added")
    return project


@transaction.atomic
def add_coach(actor: Actor, project: Project, *, coach: User) -> Project:
    relock(project)
    _require_coordinator(actor, project)
    if not coach.memberships.filter(
        organisation_id=project.run_by_id, role=Role.COACH, is_active=True
    ).exists():
        raise DomainError(_("Choose a coach of your organisation."), field="coach")
    if project.coaches.filter(pk=coach.pk).exists():
        raise DomainError(_("This coach is already in the project."), field="coach")
    project.coaches.add(coach)
    audit.record(actor, AuditAction.UPDATE, project, client_id=None, summary=f"coach {coach.pk} added")
    return project


@transaction.atomic
def set_commitment(actor: Actor, project: Project, *, year: int, registrations: int) -> Commitment:
    relock(project)
    _require_coordinator(actor, project)
    if not project.starts_on.year <= year <= project.ends_on.year:
        raise DomainError(_("The year lies outside the project's period."), field="year")
    if not 0 <= registrations <= 100_000:
        raise DomainError(_("Give a number from 0 to 100,000."), field="registrations")
    commitment, _created = Commitment.objects.update_or_create(
        project=project, year=year, defaults={"registrations": registrations}
    )
    audit.record(
        actor, AuditAction.UPDATE, project, client_id=None, summary=f"commitment {year}: {registrations}"
    )
    return commitment


@transaction.atomic
def set_financing_rule(actor: Actor, *, year: int, per_person: Decimal, cost_percent: int) -> FinancingRule:
    if actor.role != Role.NETWORK_ADMIN:
        raise DomainError(_("Only a network administrator sets the financing rule."))
    if not 0 < per_person <= 100_000:
        raise DomainError(_("Give an amount above 0."), field="per_person")
    if not 0 <= cost_percent <= 100:
        raise DomainError(_("Give a share from 0 to 100."), field="cost_percent")
    rule, _created = FinancingRule.objects.update_or_create(
        year=year, defaults={"per_person": per_person, "cost_percent": cost_percent}
    )
    audit.record(actor, AuditAction.UPDATE, rule, client_id=None, summary=f"financing rule {year}")
    return rule


# --- commitment against realisation ----------------------------------------------------------------


def rule_for(year: int) -> tuple[Decimal, int]:
    rule = FinancingRule.objects.filter(year=year).first()
    if rule is None:
        return FinancingRule.DEFAULT_PER_PERSON, FinancingRule.DEFAULT_COST_PERCENT
    return rule.per_person, rule.cost_percent


def project_referrals(project: Project) -> QuerySet[OnwardReferral]:
    """The project's VDAB registrations: onward referrals to VDAB, presumed or verified, of paths at
    its sites, dated within its period."""
    return OnwardReferral.objects.filter(
        destination=Destination.VDAB,
        path__site__projects=project,
        referred_on__range=(project.starts_on, project.ends_on),
    )


@dataclass
class Month:
    month: int
    committed: int  # cumulative, pro rata
    realised: int
    realised_total: int  # cumulative
    verified: int


@dataclass
class Money:
    budget: Decimal
    cost_part: Decimal
    result_part: Decimal
    result_realised: Decimal
    per_person: Decimal
    cost_percent: int


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money(committed: int, realised: int, year: int) -> Money:
    """At most `per_person` per committed person; `cost_percent` of it on costs, the rest on results,
    of which the realised share follows the realised registrations (capped at the commitment)."""
    per_person, cost_percent = rule_for(year)
    budget = per_person * committed
    cost_part = cents(budget * cost_percent / 100)
    result_part = budget - cost_part
    reached = min(realised, committed)
    result_realised = cents(result_part * reached / committed) if committed else Decimal("0.00")
    return Money(cents(budget), cost_part, cents(result_part), result_realised, per_person, cost_percent)


def months(project: Project, year: int) -> tuple[int, list[Month], int]:
    """Per month of `year`: the commitment so far (pro rata), the registrations realised that month
    and so far, the verified ones. One grouped query."""
    commitment = project.commitments.filter(year=year).values_list("registrations", flat=True).first() or 0
    counts = {
        row["m"]: row
        for row in project_referrals(project)
        .filter(referred_on__year=year)
        .annotate(m=ExtractMonth("referred_on"))
        .values("m")
        .annotate(n=Count("pk"), verified=Count("pk", filter=Q(verified_on__isnull=False)))
    }
    rows, total = [], 0
    for m in range(1, 13):
        n = counts.get(m, {}).get("n", 0)
        total += n
        rows.append(
            Month(
                month=m,
                committed=(commitment * m + 6) // 12,
                realised=n,
                realised_total=total,
                verified=counts.get(m, {}).get("verified", 0),
            )
        )
    return commitment, rows, total
