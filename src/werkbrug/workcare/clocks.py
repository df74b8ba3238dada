"""The clocks of work-care (issue 17): the individual guidance plan (IBP) due within 3 months of the
agreement (art. 20bis §4, 4°; seed 004 L5634-5637), the practice cycle as dated milestones (seed 004
L4587-4640: intake, tour and welcome talk at the start; the trial period evaluated after 1 month; an
evaluation 3 months later; then a yearly performance talk), and participants without hours or
contact for a number of weeks. Pure dates here; the caseload panel reads the rows in a fixed number
of queries."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from werkbrug.clients.access import scope
from werkbrug.core import audit, statements
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.core.rows import url_maker
from werkbrug.network.models import Role
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.access import on_team
from werkbrug.workcare.models import (
    WORKCARE_TYPE,
    DayHours,
    Milestone,
    MilestoneKind,
    WorkCareAgreement,
    Workshop,
)

# A milestone shows as due this many days before its date (a reminder), overdue after it.
REMINDER_DAYS = 14
# Participants without registered hours or a contact for this many weeks are flagged.
DEFAULT_SILENCE_WEEKS = 4


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Clock:
    kind: str
    due: datetime.date
    done_on: datetime.date | None
    state: str  # "done", "due", "overdue" or "later"

    @property
    def label(self) -> str:
        """The step's name, translated when shown (a caseload reads five clocks a participant and
        shows one or two)."""
        return str(MilestoneKind(self.kind).label)


def _state(due: datetime.date, done_on: datetime.date | None, today: datetime.date) -> str:
    if done_on is not None:
        return "done"
    if today > due:
        return "overdue"
    if today >= due - datetime.timedelta(days=REMINDER_DAYS):
        return "due"
    return "later"


class Dates(Protocol):
    """What the clocks of an agreement count from: a WorkCareAgreement, or its `AgreementDates`."""

    @property
    def starts_on(self) -> datetime.date: ...
    @property
    def signed_on(self) -> datetime.date | None: ...


class Step(Protocol):
    """A step held: a Milestone, or its `Held` row."""

    @property
    def pk(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def on(self) -> datetime.date: ...


class AgreementDates(NamedTuple):
    pk: int
    trajectory_id: int
    starts_on: datetime.date
    signed_on: datetime.date | None


class Held(NamedTuple):
    pk: int
    kind: str
    on: datetime.date


def schedule(agreement: Dates, done: Sequence[Step], today: datetime.date) -> list[Clock]:
    """The milestones of one agreement with their due dates and states. The IBP counts from the
    signing (the start while unsigned); the cycle from the start."""
    start = agreement.starts_on
    first: dict[str, datetime.date] = {}
    yearly = 0
    for milestone in sorted(done, key=lambda m: (m.on, m.pk)):
        first.setdefault(milestone.kind, milestone.on)
        yearly += milestone.kind == MilestoneKind.YEARLY
    trial = add_months(start, 1)
    dues = [
        (MilestoneKind.INTAKE, start),
        (MilestoneKind.TRIAL, trial),
        (MilestoneKind.IBP, add_months(agreement.signed_on or start, 3)),
        (MilestoneKind.EVALUATION, add_months(trial, 3)),
    ]
    clocks = [Clock(kind, due, first.get(kind), _state(due, first.get(kind), today)) for kind, due in dues]
    # The next yearly talk: a year after the start, then a year after each one held.
    next_yearly = add_months(start, 12 * (yearly + 1))
    clocks.append(
        Clock(
            MilestoneKind.YEARLY,
            next_yearly,
            None,
            _state(next_yearly, None, today),
        )
    )
    return sorted(clocks, key=lambda c: c.due)


def silence_weeks() -> int:
    return int(getattr(settings, "WORKCARE_SILENCE_WEEKS", DEFAULT_SILENCE_WEEKS))


def clock_rows(
    actor: Actor, trajectories: QuerySet[Trajectory], today: datetime.date
) -> list[dict[str, Any]]:
    """Of these open work-care trajectories (read through clients.access here), those with a
    milestone due or overdue, or without hours or contact for some weeks: two queries. The coach's
    caseload and the coordinator's workshop page show them."""
    return _rows_of(list(_clocked(actor, trajectories)), today)


def _clocked(actor: Actor, trajectories: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    """The trajectories the actor may see, with the day of their last hours, the oldest first: only
    the fields a row shows (a caseload reads them for every participant)."""
    latest_day = (
        DayHours.objects.filter(trajectory=OuterRef("pk")).values("trajectory").annotate(m=Max("day"))
    )
    return (
        scope(actor, trajectories.annotate(last_hours=Subquery(latest_day.values("m"))), "client")
        .select_related("client")
        .only(*ROW_FIELDS)
        .order_by("started_on", "pk")[:200]
    )


# What a row shows and its clocks are computed from.
ROW_FIELDS = (
    "client_id",
    "started_on",
    "last_contact_on",
    "client__first_name",
    "client__last_name",
    "client__erased_at",
)


def _rows_of(found: list[Trajectory], today: datetime.date) -> list[dict[str, Any]]:
    """`clock_rows` of the trajectories read (`_clocked`): one query more, of plain values."""
    if not found:
        return []
    # The agreements with their steps held, in one query of plain values (a row per step, one
    # without steps for an agreement that has none); the newest agreement of a trajectory counts.
    agreements: dict[int, AgreementDates] = {}
    done: dict[int, list[Step]] = defaultdict(list)
    for pk, trajectory_id, starts_on, signed_on, step, kind, on in (
        WorkCareAgreement.objects.filter(trajectory__in=[t.pk for t in found])
        .order_by("trajectory_id", "-starts_on", "-pk")
        .values_list(
            "pk",
            "trajectory_id",
            "starts_on",
            "signed_on",
            "milestones__pk",
            "milestones__kind",
            "milestones__on",
        )
    ):
        agreements.setdefault(trajectory_id, AgreementDates(pk, trajectory_id, starts_on, signed_on))
        if step is not None:
            done[pk].append(Held(step, kind, on))
    quiet_since = today - datetime.timedelta(weeks=silence_weeks())
    detail = url_maker("trajectories:detail")
    rows = []
    for trajectory in found:
        current = agreements.get(trajectory.pk)
        clocks = (
            [c for c in schedule(current, done[current.pk], today) if c.state in ("due", "overdue")]
            if current is not None
            else []
        )
        last_hours: datetime.date | None = getattr(trajectory, "last_hours", None)  # annotated above
        latest = max(
            (d for d in (last_hours, trajectory.last_contact_on, trajectory.started_on) if d),
            default=None,
        )
        quiet = latest is not None and latest < quiet_since
        if clocks or quiet:
            rows.append(
                {
                    "trajectory": trajectory,
                    "url": detail(trajectory.pk),
                    "client": str(trajectory.client),
                    "clocks": clocks,
                    "quiet": quiet,
                    "latest": latest,
                }
            )
    return rows


def caseload_panel(actor: Actor, subject: Any, today: datetime.date) -> dict[str, Any] | None:
    """The coach's open work-care trajectories with a clock due or overdue, or gone quiet."""
    if actor.organisation is None or not actor.has_role(Role.COACH):
        return None
    organisation = actor.organisation

    def mine() -> QuerySet[Trajectory]:
        return _clocked(
            actor,
            Trajectory.objects.for_organisation(organisation)
            .open()
            .filter(coach=actor.user, type__code=WORKCARE_TYPE, lead_organisation=organisation),
        )

    # The statement is built once per membership and day, run on every caseload (core.statements).
    rows = _rows_of(statements.objects(statements.actor_key("workcare caseload", actor), mine), today)
    return {"rows": rows, "weeks": silence_weeks()} if rows else None


def workshop_clocks(actor: Actor, workshop: Workshop, today: datetime.date) -> list[dict[str, Any]]:
    """The coordinator's overview: the workshop's open work-care trajectories with a clock due or
    overdue (the IBP within three months, the practice cycle), or gone quiet, whoever coaches them."""
    if actor.organisation is None:
        return []
    at_workshop = (
        Trajectory.objects.for_organisation(actor.organisation)
        .open()
        .filter(
            type__code=WORKCARE_TYPE,
            lead_organisation=actor.organisation,
            pk__in=WorkCareAgreement.objects.filter(workshop=workshop).values("trajectory_id"),
        )
    )
    return clock_rows(actor, at_workshop, today)


@transaction.atomic
def record_milestone(
    actor: Actor, agreement: WorkCareAgreement, *, kind: str, on: datetime.date, note: str = ""
) -> Milestone:
    relock(agreement)
    if not on_team(actor, agreement.trajectory):
        raise DomainError(_("Only the work-care team of the lead organisation records this."))
    if kind not in MilestoneKind.values:
        raise DomainError(_("Choose the step."), field="kind")
    require_not_future(on, field="on")
    if on < agreement.starts_on and kind != MilestoneKind.INTAKE:
        raise DomainError(_("The step lies before the start of the agreement."), field="on")
    milestone = Milestone.objects.create(
        agreement=agreement, kind=kind, on=on, note=note.strip(), by=actor.user
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        agreement,
        client_id=agreement.trajectory.client_id,
        summary=f"work-care milestone {kind}",
    )
    return milestone
