"""Writes of the ips area: placements (start, change, end), income plans, the disclosure log and the
DCM case with its return-to-work plan. Atomic, validated, audited (docs/conventions.md, "Writing").

Who may write: the lead organisation's coach or coordinator (`trajectories.actions.is_lead`, the rule
for who records outcomes). Who may read: the trajectory team (`on_team`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.access import can_see_client
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, relock, who
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.employers.models import Employer
from werkbrug.ips.models import (
    DcmCase,
    DisclosureEntry,
    EndReason,
    IncomePlan,
    Placement,
    PlacementChange,
    ReturnToWorkStep,
)
from werkbrug.network.models import Role
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Economy, OutcomeKind, PartnerRole, Trajectory

# The trajectory types whose lead records jobs (network/defaults.py).
JOB_TYPES = ("ips", "dcm")
DCM = "dcm"


def on_team(actor: Actor, trajectory: Trajectory) -> bool:
    """The trajectory team: a coach or coordinator of the lead organisation or of a contributing
    partner, who may see the client. A care partner in the background, a referrer following the
    outcome, a funder or anyone else is not on it (placements, income plans and the disclosure log
    are theirs to see only)."""
    if actor.organisation is None or not actor.has_role(Role.COACH, Role.COORDINATOR):
        return False
    org = actor.organisation.pk
    if org != trajectory.lead_organisation_id and not any(
        p.organisation_id == org and p.role == PartnerRole.CONTRIBUTING for p in trajectory.partners.all()
    ):
        return False
    return can_see_client(actor, trajectory.client_id)


def _require_lead(actor: Actor, trajectory: Trajectory) -> None:
    if not trajectory_actions.is_lead(actor, trajectory):
        raise DomainError(_("Only the coach or coordinator of the lead organisation can do this."))


def _audit(actor: Actor, action: str, obj: Model, trajectory: Trajectory, summary: str) -> None:
    audit.record(actor, action, obj, client_id=trajectory.client_id, summary=summary)


# --- placements ----------------------------------------------------------------------------------


@transaction.atomic
def start_placement(
    actor: Actor,
    trajectory: Trajectory,
    *,
    employer: Employer,
    job_title: str,
    job_type: str,
    started_on: datetime.date,
    hours_per_week: Decimal,
    minimum_wage: bool,
    competitive: bool,
    economy: str,
    monthly_follow_along: bool = True,
) -> Placement:
    """A job starts: the trajectory's paid-work outcome is recorded through the trajectories action
    (so it is verified after three months as any other), and the placement points at it."""
    relock(trajectory)  # two "start job" posts at once: the second waits, then sees the first
    _require_lead(actor, trajectory)
    if trajectory.type.code not in JOB_TYPES:
        raise DomainError(_("Jobs are recorded on an IPS or DCM trajectory."))
    if not trajectory.is_open:
        raise DomainError(_("The trajectory is closed: re-open it to record a job."))
    if not employer.is_active:
        raise DomainError(_("This employer is no longer active."), field="employer")
    title = job_title.strip()
    if not title:
        raise DomainError(_("Give the job title."), field="job_title")
    if competitive and economy != Economy.NEC:
        # A competitive job is open to anyone in the regular economy (the fidelity scale's item on
        # competitive jobs counts these): a job in the social economy is not one.
        raise DomainError(_("A job in the social economy is not a competitive job."), field="competitive")
    same = trajectory.placements.filter(employer=employer, started_on=started_on, job_title__iexact=title)
    first = same.select_related("recorded_by").first()
    if first is not None:
        raise InvalidTransition(
            _("This job was already recorded by %(who)s at %(when)s.")
            % {"who": who(first.recorded_by), "when": moment(first.recorded_at)}
        )
    outcome = trajectory_actions.record_outcome(
        actor,
        trajectory,
        kind=OutcomeKind.PAID_WORK,
        on=started_on,
        economy=economy,
        # No job title or employer in the outcome's note: whoever follows the outcome (a referrer
        # with the client's feedback consent) reads outcomes, but the job is the team's to see.
    )
    placement = Placement(
        trajectory=trajectory,
        employer=employer,
        job_title=title,
        job_type=job_type,
        started_on=started_on,
        hours_per_week=hours_per_week,
        minimum_wage=minimum_wage,
        competitive=competitive,
        outcome=outcome,
        monthly_follow_along=monthly_follow_along,
        recorded_by=actor.user,
        organisation=actor.org,
    )
    placement.full_clean()
    placement.save()
    _audit(actor, AuditAction.CREATE, placement, trajectory, "placement started")
    return placement


@transaction.atomic
def change_placement(
    actor: Actor,
    placement: Placement,
    *,
    on: datetime.date,
    hours_per_week: Decimal,
    minimum_wage: bool,
) -> PlacementChange:
    """Hours or wage change: recorded with what they were, and a new income plan is due."""
    relock(placement)
    trajectory = placement.trajectory
    _require_lead(actor, trajectory)
    if not placement.is_open:
        raise InvalidTransition(_("This job has ended."))
    if hours_per_week == placement.hours_per_week and minimum_wage == placement.minimum_wage:
        raise InvalidTransition(
            _("Nothing changed: the job already has these hours and this wage."), field="hours_per_week"
        )
    require_not_future(on, field="on")
    if on < placement.started_on:
        raise DomainError(_("A change cannot lie before the job started."), field="on")
    change = PlacementChange(
        placement=placement,
        on=on,
        hours_before=placement.hours_per_week,
        hours_per_week=hours_per_week,
        minimum_wage_before=placement.minimum_wage,
        minimum_wage=minimum_wage,
        recorded_by=actor.user,
    )
    change.full_clean()
    change.save()
    placement.hours_per_week = hours_per_week
    placement.minimum_wage = minimum_wage
    placement.full_clean()
    placement.save(update_fields=["hours_per_week", "minimum_wage"])
    _audit(actor, AuditAction.UPDATE, placement, trajectory, "placement changed")
    return change


@transaction.atomic
def end_placement(
    actor: Actor, placement: Placement, *, ended_on: datetime.date, end_reason: str, end_note: str = ""
) -> Placement:
    """A job ends: with its reason. The job-loss clock starts (a contact within
    JOB_LOSS_CONTACT_DAYS) and the vocational profile asks for an update (ips.status)."""
    relock(placement)
    trajectory = placement.trajectory
    _require_lead(actor, trajectory)
    if not placement.is_open:
        raise InvalidTransition(
            _("This job already ended on %(date)s.") % {"date": placement.ended_on.strftime("%d/%m/%Y")}  # type: ignore[union-attr]
        )
    if end_reason not in EndReason.values:
        raise DomainError(_("Choose the reason the job ended."), field="end_reason")
    if end_reason == EndReason.OTHER and not end_note.strip():
        raise DomainError(_("Explain why the job ended."), field="end_note")
    require_not_future(ended_on, field="ended_on")
    if ended_on < placement.started_on:
        raise DomainError(_("A job cannot end before it started."), field="ended_on")
    placement.ended_on = ended_on
    placement.end_reason = end_reason
    placement.end_note = end_note.strip()
    placement.end_recorded_at = timezone.now()
    placement.save(update_fields=["ended_on", "end_reason", "end_note", "end_recorded_at"])
    _audit(actor, AuditAction.UPDATE, placement, trajectory, f"placement ended {end_reason}")
    return placement


# --- income plan and disclosure ------------------------------------------------------------------


@transaction.atomic
def add_income_plan(
    actor: Actor,
    trajectory: Trajectory,
    *,
    made_on: datetime.date,
    benefit_today: str,
    expected_income: str,
    hours_limits: str = "",
    forms_to_file: str = "",
    note: str = "",
) -> IncomePlan:
    relock(trajectory)
    _require_lead(actor, trajectory)
    require_not_future(made_on, field="made_on")
    values = {
        "benefit_today": benefit_today.strip(),
        "expected_income": expected_income.strip(),
        "hours_limits": hours_limits.strip(),
        "forms_to_file": forms_to_file.strip(),
        "note": note.strip(),
    }
    if trajectory.income_plans.filter(made_on=made_on, **values).exists():
        raise InvalidTransition(_("This income plan was already saved."))
    plan = IncomePlan(
        trajectory=trajectory, made_on=made_on, recorded_by=actor.user, organisation=actor.org, **values
    )
    plan.full_clean()
    plan.save()
    _audit(actor, AuditAction.CREATE, plan, trajectory, "income plan")
    return plan


@transaction.atomic
def add_disclosure(
    actor: Actor, trajectory: Trajectory, *, on: datetime.date, decision: str, what_to_tell: str = ""
) -> DisclosureEntry:
    relock(trajectory)
    _require_lead(actor, trajectory)
    require_not_future(on, field="on")
    text = what_to_tell.strip()
    if decision == "partial" and not text:
        raise DomainError(_("Write down what the employer may know."), field="what_to_tell")
    if trajectory.disclosures.filter(on=on, decision=decision, what_to_tell=text).exists():
        raise InvalidTransition(_("This decision was already recorded."))
    entry = DisclosureEntry(
        trajectory=trajectory,
        on=on,
        decision=decision,
        what_to_tell=text,
        recorded_by=actor.user,
        organisation=actor.org,
    )
    entry.full_clean()
    entry.save()
    _audit(actor, AuditAction.CREATE, entry, trajectory, f"disclosure {decision}")
    return entry


# --- DCM -----------------------------------------------------------------------------------------


@transaction.atomic
def save_dcm_case(
    actor: Actor,
    trajectory: Trajectory,
    *,
    employer: Employer,
    sick_since: datetime.date,
    advising_physician: str,
    insurer: str = "",
) -> DcmCase:
    """The DCM facts of a trajectory: created the first time, corrected after."""
    relock(trajectory)
    _require_lead(actor, trajectory)
    if trajectory.type.code != DCM:
        raise DomainError(_("Only a DCM trajectory has a DCM case."))
    require_not_future(sick_since, field="sick_since")
    case = DcmCase.objects.select_for_update().filter(trajectory=trajectory).first()
    created = case is None
    if case is None:
        case = DcmCase(trajectory=trajectory, recorded_by=actor.user, organisation=actor.org)
    case.employer = employer
    case.sick_since = sick_since
    case.advising_physician = advising_physician.strip()
    case.insurer = insurer.strip()
    case.full_clean()
    case.save()
    _audit(actor, AuditAction.CREATE if created else AuditAction.UPDATE, case, trajectory, "dcm case")
    return case


@transaction.atomic
def add_return_step(
    actor: Actor, case: DcmCase, *, from_on: datetime.date, hours_per_week: Decimal, note: str = ""
) -> ReturnToWorkStep:
    relock(case)
    trajectory = case.trajectory
    _require_lead(actor, trajectory)
    if from_on < case.sick_since:
        raise DomainError(_("A step cannot lie before the sick leave began."), field="from_on")
    if case.steps.filter(from_on=from_on).exists():
        raise InvalidTransition(_("The plan already has a step from this date."), field="from_on")
    step = ReturnToWorkStep(
        case=case, from_on=from_on, hours_per_week=hours_per_week, note=note.strip(), recorded_by=actor.user
    )
    step.full_clean()
    step.save()
    _audit(actor, AuditAction.CREATE, step, trajectory, "return-to-work step")
    return step
