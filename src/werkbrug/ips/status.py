"""What is due on a trajectory's jobs, and across a coach's caseload: the follow-along slots
(`ips.followalong`), the job-loss contact, the income plan after a start or a change of hours or
wage, the disclosure talk and its revisit, and the vocational profile update after a job end.

Computed in Python from a few rows read in a constant number of queries, so the trajectory page,
the ips page and the caseload say the same thing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.access import scope
from werkbrug.clients.models import VOCATIONAL_SECTIONS
from werkbrug.core.actor import Actor
from werkbrug.core.dbdates import local_midnight
from werkbrug.employers.models import ContactPurpose, EmployerContact
from werkbrug.exchange.models import SectionVersion
from werkbrug.ips import followalong
from werkbrug.ips.models import IncomePlan, Placement, PlacementChange
from werkbrug.trajectories.models import Contact, Trajectory, TrajectoryStatus

# The disclosure decision is revisited after two months without a job (seed 003).
DISCLOSURE_REVISIT_MONTHS = 2
# The caseload keeps a job loss in view this long after the job ended.
JOB_LOSS_SHOWN_DAYS = 30
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class JobLoss:
    """The contact within JOB_LOSS_CONTACT_DAYS after a job ended."""

    ended_on: datetime.date
    due: datetime.date
    met_on: datetime.date | None  # the first contact on or after the end

    def status(self, today: datetime.date) -> str:
        """ "met", "late" (met after the due day), "due" or "overdue"."""
        if self.met_on is not None:
            return "met" if self.met_on <= self.due else "late"
        return "overdue" if today > self.due else "due"


STATUS_LABELS = {
    "met": _("met"),
    "late": _("met late"),
    "open": _("open"),
    "due": _("due"),
    "overdue": _("overdue"),
    "later": _("later"),
}


@dataclass
class JobView:
    placement: Placement
    slots: list[tuple[followalong.SlotState, str]] = field(default_factory=list)
    job_loss: JobLoss | None = None
    job_loss_status: str = ""


def meeting_contacts(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts that meet a follow-along slot or the job-loss contact: with the client (not an
    unanswered attempt), and no care note (a work coach never sees those)."""
    return queryset.filter(kind__in=followalong.MEETING_KINDS, care_only=False)


def job_loss_of(placement: Placement, days: list[datetime.date]) -> JobLoss | None:
    due = placement.job_loss_contact_due
    if placement.ended_on is None or due is None:
        return None
    met = next((d for d in days if d >= placement.ended_on), None)
    return JobLoss(placement.ended_on, due, met)


def job_view(placement: Placement, days: list[datetime.date], today: datetime.date) -> JobView:
    """`days`: the sorted contact days of its trajectory."""
    schedule = followalong.slots(
        placement.started_on, ended_on=placement.ended_on, monthly=placement.monthly_follow_along
    )
    view = JobView(placement, [(s, s.status(today)) for s in followalong.states(schedule, days)])
    view.job_loss = job_loss_of(placement, days)
    if view.job_loss is not None:
        view.job_loss_status = view.job_loss.status(today)
    return view


@dataclass
class TrajectoryStatusView:
    jobs: list[JobView]
    income_plan_due_since: datetime.date | None
    latest_plan: IncomePlan | None
    disclosure_missing: bool  # nothing recorded yet: discuss it before the first employer contact
    contacted_before_disclosure: datetime.date | None  # an employer contact came first
    disclosure_revisit_on: datetime.date | None
    disclosure_revisit_due: bool
    profile_update_since: datetime.date | None
    support_contacts: list[EmployerContact]

    @property
    def open_jobs(self) -> list[JobView]:
        return [j for j in self.jobs if j.placement.is_open]


def trajectory_status(trajectory: Trajectory, today: datetime.date) -> TrajectoryStatusView:
    """Everything due on one trajectory (already read through clients.access), in seven queries."""
    placements = list(
        trajectory.placements.select_related("employer", "outcome").order_by("-started_on", "-pk")
    )
    days: list[datetime.date] = []
    if placements:
        first = min(p.started_on for p in placements) - followalong.BEFORE_START_DAYS * DAY
        days = sorted(
            set(meeting_contacts(trajectory.contacts.filter(on__gte=first)).values_list("on", flat=True))
        )
    jobs = [job_view(p, days, today) for p in placements]
    plans = list(trajectory.income_plans.select_related("recorded_by")[:1])
    latest_plan = plans[0] if plans else None
    last_change = (
        PlacementChange.objects.filter(placement__trajectory=trajectory).order_by("-on").first()
        if placements
        else None
    )
    due_since = income_plan_due(placements, last_change, latest_plan)
    entries = list(trajectory.disclosures.order_by("on").values_list("on", flat=True))
    first_employer_contact = trajectory.employer_contacts.order_by("on").values_list("on", flat=True).first()
    contacted_first = (
        first_employer_contact
        if first_employer_contact is not None and not any(e <= first_employer_contact for e in entries)
        else None
    )
    revisit = disclosure_revisit(entries, placements)
    ended = [p for p in placements if p.ended_on is not None]
    profile_since = None
    if ended:
        last = max(ended, key=lambda p: (p.ended_on, p.end_recorded_at or _start_of(p.ended_on)))
        updated = SectionVersion.objects.filter(
            client_id=trajectory.client_id,
            section__in=list(VOCATIONAL_SECTIONS),
            created_at__gt=last.end_recorded_at or _start_of(last.ended_on),
        ).exists()
        profile_since = None if updated else last.ended_on
    support = list(
        trajectory.employer_contacts.filter(purpose=ContactPurpose.SUPPORT).select_related(
            "employer", "coach"
        )[:20]
    )
    return TrajectoryStatusView(
        jobs=jobs,
        income_plan_due_since=due_since,
        latest_plan=latest_plan,
        disclosure_missing=not entries,
        contacted_before_disclosure=contacted_first,
        disclosure_revisit_on=revisit,
        disclosure_revisit_due=revisit is not None and revisit <= today,
        profile_update_since=profile_since,
        support_contacts=support,
    )


def _start_of(day: datetime.date | None) -> datetime.datetime:
    """The first moment of a day (for an end recorded before the ips area kept the moment)."""
    day = day or datetime.date.min
    return local_midnight(day)


def income_plan_due(
    placements: Iterable[Placement], last_change: PlacementChange | None, latest_plan: IncomePlan | None
) -> datetime.date | None:
    """Since when a new income plan is due: a job started with no plan at all, or hours or wage
    changed after the latest plan. None: nothing due."""
    if last_change is not None and (latest_plan is None or latest_plan.made_on < last_change.on):
        return last_change.on
    running = [p.started_on for p in placements if p.is_open]
    if running and latest_plan is None:
        return min(running)
    return None


def disclosure_revisit(entries: list[datetime.date], placements: Iterable[Placement]) -> datetime.date | None:
    """The day the disclosure decision is to be revisited: two months after the latest decision or
    the latest job end, whichever came last, while the client has no job. None with a job running or
    no decision yet."""
    placements = list(placements)
    if not entries or any(p.is_open for p in placements):
        return None
    ends = [p.ended_on for p in placements if p.ended_on is not None]
    base = max([entries[-1], *ends])
    return followalong.add_months(base, DISCLOSURE_REVISIT_MONTHS)


# --- the caseload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    placement: Placement
    what: str
    opens: datetime.date
    closes: datetime.date
    status: str


def caseload_placements(actor: Actor, today: datetime.date) -> QuerySet[Placement]:
    """The coach's jobs with something to follow: open ones still in their first year of
    follow-along, and those ended in the last JOB_LOSS_SHOWN_DAYS (the job-loss contact)."""
    if actor.organisation is None:
        return Placement.objects.none()
    year_ago = followalong.add_months(today, -followalong.MONTHLY_UNTIL_MONTHS) - DAY
    queryset = Placement.objects.filter(
        trajectory__coach=actor.user,
        trajectory__lead_organisation=actor.organisation,
        trajectory__status__in=(TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED),
    ).filter(
        Q(ended_on__isnull=True, started_on__gte=year_ago)
        | Q(ended_on__gte=today - JOB_LOSS_SHOWN_DAYS * DAY)
    )
    return scope(actor, queryset, "trajectory__client").select_related("trajectory__client", "employer")


def contact_days(trajectory_ids: Iterable[int], since: datetime.date) -> Mapping[int, list[datetime.date]]:
    """The sorted contact days per trajectory from `since` on, in one query."""
    days: dict[int, set[datetime.date]] = defaultdict(set)
    rows = (
        meeting_contacts(Contact.objects.filter(trajectory_id__in=list(trajectory_ids), on__gte=since))
        .values_list("trajectory_id", "on")
        .distinct()
    )
    for trajectory_id, on in rows:
        days[trajectory_id].add(on)
    return {k: sorted(v) for k, v in days.items()}


def caseload_due(
    actor: Actor, today: datetime.date, placements: list[Placement] | None = None
) -> list[DueRow]:
    """Follow-along slots open or overdue, and job-loss contacts due or overdue, across the coach's
    jobs: two queries (the placements, the contact days in their windows). A caller that read
    `caseload_placements` already passes them."""
    if placements is None:
        placements = list(caseload_placements(actor, today))
    if not placements:
        return []
    since = min(p.started_on for p in placements) - followalong.BEFORE_START_DAYS * DAY
    days = contact_days({p.trajectory_id for p in placements}, since)
    rows: list[DueRow] = []
    for placement in placements:
        view = job_view(placement, days.get(placement.trajectory_id, []), today)
        if placement.is_open:
            for slot, status in view.slots:
                if status in ("open", "overdue"):
                    rows.append(DueRow(placement, slot.slot.label, slot.slot.opens, slot.slot.closes, status))
        elif view.job_loss is not None and view.job_loss_status in ("due", "overdue"):
            rows.append(
                DueRow(
                    placement,
                    str(_("contact after the job ended")),
                    view.job_loss.ended_on,
                    view.job_loss.due,
                    view.job_loss_status,
                )
            )
    rows.sort(key=lambda r: (r.status != "overdue", r.closes, r.placement.pk))
    return rows
