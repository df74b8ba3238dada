"""The fidelity figures computed from the registration (issue 15, point 7).

Every figure is computed for a *scope* (an organisation's IPS coaches, or the coaches of one of its
IPS teams) and a period, with aggregate queries: the number of queries does not depend on the
number of trajectories, placements or contacts. A figure carries its value (None: no data in the
period), the counts behind it, and the trajectories it counted (the evidence's rows).

What counts (docs/ips.md, "Fidelity review"):
- IPS trajectories: type "ips", led by the organisation, with a coach in the scope;
- active in the period: started on or before its end and not closed before its start.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Lower

from werkbrug.employers.models import ContactMode, ContactPlace, EmployerContact, WeeklyReview
from werkbrug.ips import followalong
from werkbrug.ips.models import JOB_LOSS_CONTACT_DAYS, Placement
from werkbrug.ips.status import meeting_contacts  # one truth with the caseload: what meets a slot
from werkbrug.network.models import Membership, Organisation, Role
from werkbrug.trajectories.models import (
    OUTREACH_ATTEMPTS_REQUIRED,
    CloseReason,
    Contact,
    ContactKind,
    Outcome,
    OutcomeKind,
    Trajectory,
)

IPS_TYPE = "ips"
OUTREACH_WINDOW_DAYS = 60  # as closing for lost contact asks (trajectories.actions.close_trajectory)
MAX_IDS = 5000  # rows kept as evidence per figure; the counts stay exact beyond it

# The employment rate of IPS caseloads in the literature, as issue 15 quotes it (docs/ips.md).
BENCHMARK = (("minimum", 31), ("average", 41), ("excellent", 50))


@dataclass(frozen=True)
class Scope:
    organisation: Organisation
    coach_ids: tuple[int, ...]
    period_from: datetime.date
    period_to: datetime.date

    @property
    def days(self) -> int:
        return (self.period_to - self.period_from).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7


@dataclass
class Figure:
    value: float | None
    counts: dict[str, Any] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "counts": self.counts, "ids": self.ids[:MAX_IDS]}


def scope_coach_ids(
    organisation: Organisation,
    team_user_ids: list[int] | None,
    period_from: datetime.date,
    period_to: datetime.date,
) -> tuple[int, ...]:
    """The coaches a review counts: the members of the IPS team who coach at the organisation, or
    else the organisation's IPS coaches, i.e. its active coaches with an IPS trajectory of the
    organisation active in the period (a coach of other trajectory types only is not counted)."""
    coaches = Membership.objects.filter(organisation=organisation, role=Role.COACH, is_active=True)
    if team_user_ids is not None:
        coaches = coaches.filter(user_id__in=team_user_ids)
    else:
        carrying = (
            Trajectory.objects.filter(
                type__code=IPS_TYPE, lead_organisation=organisation, started_on__lte=period_to
            )
            .exclude(closed_on__lt=period_from)
            .values("coach_id")
        )
        coaches = coaches.filter(user_id__in=carrying)
    return tuple(sorted(coaches.values_list("user_id", flat=True)))


def ips_trajectories(scope: Scope) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(
        type__code=IPS_TYPE, lead_organisation=scope.organisation, coach_id__in=scope.coach_ids
    )


def active_in_period(scope: Scope) -> QuerySet[Trajectory]:
    return (
        ips_trajectories(scope)
        .filter(started_on__lte=scope.period_to)
        .exclude(closed_on__lt=scope.period_from)
    )


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def caseload(scope: Scope) -> Figure:
    """IPS trajectories active on the period's last day, per full-time coach (FTE of the coaches
    in scope)."""
    day = scope.period_to
    active = ips_trajectories(scope).filter(started_on__lte=day).exclude(closed_on__lte=day)
    per_coach = dict(
        active.values("coach_id").annotate(n=Count("pk")).values_list("coach_id", "n").order_by()
    )
    fte = Membership.objects.filter(
        organisation=scope.organisation, role=Role.COACH, is_active=True, user_id__in=scope.coach_ids
    ).aggregate(total=Coalesce(Sum("fte"), Decimal(0)))["total"]
    total = sum(per_coach.values())
    value = round(total / float(fte), 1) if fte else None
    return Figure(
        value,
        {"trajectories": total, "coaches": len(scope.coach_ids), "fte": float(fte), "on": day.isoformat()},
        list(active.values_list("pk", flat=True)[:MAX_IDS]),
    )


def first_employer_contact(scope: Scope) -> Figure:
    """For IPS trajectories that started in the period: days from the start to the first employer
    contact about the client. One still without contact counts the days up to the period's end."""
    first = (
        EmployerContact.objects.filter(trajectory=OuterRef("pk"))
        .order_by()
        .values("trajectory")
        .annotate(first=Min("on"))
        .values("first")
    )
    rows = list(
        ips_trajectories(scope)
        .filter(started_on__gte=scope.period_from, started_on__lte=scope.period_to)
        .annotate(first_contact=Subquery(first))
        .values_list("pk", "started_on", "first_contact")
    )
    days = []
    waiting = 0
    for _pk, started, contact in rows:
        if contact is None:
            waiting += 1
            days.append((scope.period_to - started).days)
        else:
            days.append(max(0, (contact - started).days))
    value = round(sum(days) / len(days), 1) if days else None
    within = sum(d <= 30 for d in days)
    return Figure(
        value,
        {"trajectories": len(rows), "within_30_days": within, "without_contact": waiting},
        [row[0] for row in rows],
    )


def face_to_face_per_week(scope: Scope) -> Figure:
    """Face-to-face employer contacts per coach per week: the average over the coaches in scope
    (a coach without any counts as 0)."""
    contacts = EmployerContact.objects.filter(
        organisation=scope.organisation,
        coach_id__in=scope.coach_ids,
        mode=ContactMode.FACE_TO_FACE,
        on__gte=scope.period_from,
        on__lte=scope.period_to,
    )
    per_coach = dict(
        contacts.values("coach_id").annotate(n=Count("pk")).values_list("coach_id", "n").order_by()
    )
    coaches = len(scope.coach_ids)
    total = sum(per_coach.values())
    value = round(total / coaches / scope.weeks, 1) if coaches else None
    return Figure(
        value,
        {
            "contacts": total,
            "coaches": coaches,
            "weeks": round(scope.weeks, 1),
            "coaches_with_6_a_week": sum(n / scope.weeks >= 6 for n in per_coach.values()),
        },
    )


def weekly_review(scope: Scope) -> Figure:
    """The coordinator's weekly review of the coaches' employer contacts (employers.WeeklyReview):
    of the coach-weeks that lie wholly in the period (Monday to Sunday), the share ticked off."""
    first = scope.period_from + datetime.timedelta(days=(7 - scope.period_from.weekday()) % 7)
    mondays = []
    while first + datetime.timedelta(days=6) <= scope.period_to:
        mondays.append(first)
        first += datetime.timedelta(days=7)
    due = len(mondays) * len(scope.coach_ids)
    reviewed = (
        WeeklyReview.objects.filter(coach_id__in=scope.coach_ids, week_start__in=mondays).count()
        if due
        else 0
    )
    return Figure(_share(reviewed, due), {"weeks_due": due, "reviewed": reviewed})


def _jobs(scope: Scope) -> QuerySet[Placement]:
    """Placements of IPS trajectories in scope held at some time in the period."""
    return Placement.objects.filter(
        trajectory__in=ips_trajectories(scope), started_on__lte=scope.period_to
    ).exclude(ended_on__lt=scope.period_from)


def jobs(scope: Scope) -> tuple[Figure, Figure, Figure]:
    """Competitive share, diversity of job kinds and of employers, over the jobs held in the period.
    A job's kind is its title (case ignored) within its ISCO group."""
    held = _jobs(scope)
    totals = held.aggregate(
        jobs=Count("pk"),
        competitive=Count("pk", filter=Q(competitive=True)),
        employers=Count("employer_id", distinct=True),
    )
    kinds = held.annotate(kind=Lower("job_title")).values("job_type", "kind").distinct().count()
    ids = list(held.values_list("trajectory_id", flat=True).distinct()[:MAX_IDS])
    n = totals["jobs"]
    return (
        Figure(_share(totals["competitive"], n), {"jobs": n, "competitive": totals["competitive"]}, ids),
        Figure(_share(kinds, n), {"jobs": n, "kinds": kinds}, ids),
        Figure(_share(totals["employers"], n), {"jobs": n, "employers": totals["employers"]}, ids),
    )


def job_loss_contact(scope: Scope) -> Figure:
    """Of the jobs that ended in the period: the share with a contact with the client (not an
    unanswered attempt) on the end day or within the 3 days after."""
    due = ExpressionWrapper(
        F("ended_on") + datetime.timedelta(days=JOB_LOSS_CONTACT_DAYS),
        output_field=Placement._meta.get_field("ended_on"),
    )
    contact = meeting_contacts(Contact.objects.all()).filter(
        trajectory=OuterRef("trajectory"),
        on__gte=OuterRef("ended_on"),
        on__lte=OuterRef("due"),
    )
    ended = Placement.objects.filter(
        trajectory__in=ips_trajectories(scope),
        ended_on__gte=scope.period_from,
        ended_on__lte=scope.period_to,
    ).annotate(due=due)
    totals = {"ended": ended.count(), "met": ended.filter(Exists(contact)).count()}
    ids = list(ended.values_list("trajectory_id", flat=True).distinct()[:MAX_IDS])
    return Figure(
        _share(totals["met"], totals["ended"]), {"ended": totals["ended"], "met": totals["met"]}, ids
    )


def follow_along(scope: Scope, today: datetime.date) -> Figure:
    """Of the follow-along moments (ips.followalong) whose window closed in the period: the share
    met by a contact with the client. Two queries: the jobs, and the contact days of their
    trajectories around the period."""
    last = min(scope.period_to, today)
    held = list(
        _jobs(scope)
        .filter(started_on__gte=scope.period_from - datetime.timedelta(days=366))
        .values_list("trajectory_id", "started_on", "ended_on", "monthly_follow_along")
    )
    trajectory_ids = {row[0] for row in held}
    days: dict[int, list[datetime.date]] = defaultdict(list)
    for trajectory_id, on in (
        meeting_contacts(Contact.objects.all())
        .filter(
            trajectory_id__in=trajectory_ids,
            # A moment that closes in the period opened at most a month (31 days) before it.
            on__gte=scope.period_from - datetime.timedelta(days=32),
            on__lte=last,
        )
        .values_list("trajectory_id", "on")
    ):
        days[trajectory_id].append(on)
    due = met = 0
    for trajectory_id, started, ended, monthly in held:
        schedule = [
            s
            for s in followalong.slots(started, ended_on=ended, monthly=monthly)
            if scope.period_from <= s.closes <= last
        ]
        states = followalong.states(schedule, days[trajectory_id])
        due += len(states)
        met += sum(state.met_on is not None for state in states)
    return Figure(_share(met, due), {"moments": due, "met": met, "jobs": len(held)}, sorted(trajectory_ids))


def community(scope: Scope) -> Figure:
    """The share of the coaches' employer contacts in the period that took place in the community
    (the registration knows the place of employer contacts only)."""
    totals = EmployerContact.objects.filter(
        organisation=scope.organisation,
        coach_id__in=scope.coach_ids,
        on__gte=scope.period_from,
        on__lte=scope.period_to,
    ).aggregate(all=Count("pk"), community=Count("pk", filter=Q(place=ContactPlace.COMMUNITY)))
    return Figure(_share(totals["community"], totals["all"]), totals)


def closures(scope: Scope) -> tuple[Figure, Figure]:
    """IPS trajectories closed in the period for lost contact: the share with at least 3 documented
    outreach attempts in the 60 days before the close, and the share without them (closed, in
    effect, for missed appointments)."""
    attempts = (
        Contact.objects.filter(
            trajectory=OuterRef("pk"),
            kind=ContactKind.OUTREACH_ATTEMPT,
            on__lte=OuterRef("closed_on"),
            on__gte=OuterRef("window"),
        )
        .order_by()
        .values("trajectory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    closed = ips_trajectories(scope).filter(closed_on__gte=scope.period_from, closed_on__lte=scope.period_to)
    lost = (
        closed.filter(close_reason=CloseReason.LOST_CONTACT)
        .annotate(
            window=ExpressionWrapper(
                F("closed_on") - datetime.timedelta(days=OUTREACH_WINDOW_DAYS),
                output_field=Trajectory._meta.get_field("closed_on"),
            )
        )
        .annotate(attempts=Coalesce(Subquery(attempts, output_field=IntegerField()), 0))
    )
    totals = lost.aggregate(
        lost=Count("pk"), documented=Count("pk", filter=Q(attempts__gte=OUTREACH_ATTEMPTS_REQUIRED))
    )
    all_closed = closed.count()
    outreach_attempts = Contact.objects.filter(
        trajectory__in=active_in_period(scope),
        kind=ContactKind.OUTREACH_ATTEMPT,
        on__gte=scope.period_from,
        on__lte=scope.period_to,
    ).count()
    ids = list(lost.values_list("pk", flat=True)[:MAX_IDS])
    n, documented = totals["lost"], totals["documented"]
    counts = {
        "closed": all_closed,
        "lost_contact": n,
        "documented": documented,
        "attempts": outreach_attempts,
    }
    return (
        Figure(_share(documented, n), counts, ids),
        Figure(_share(n - documented, n), counts, ids),
    )


def employment(scope: Scope) -> Figure:
    """The employment rate of the caseload: of the IPS clients with a trajectory active in the
    period, the share with paid work in it (a job held in the period, or a paid-work outcome dated
    in it)."""
    worked = Q(
        Exists(
            Placement.objects.filter(
                trajectory__client=OuterRef("client"), started_on__lte=scope.period_to
            ).exclude(ended_on__lt=scope.period_from)
        )
    ) | Q(
        Exists(
            Outcome.objects.filter(
                trajectory__client=OuterRef("client"),
                kind=OutcomeKind.PAID_WORK,
                on__gte=scope.period_from,
                on__lte=scope.period_to,
            )
        )
    )
    active = active_in_period(scope)
    clients = active.values("client_id").distinct().count()
    employed = active.filter(worked).values("client_id").distinct().count()
    ids = list(active.filter(worked).values_list("pk", flat=True)[:MAX_IDS])
    return Figure(_share(employed, clients), {"clients": clients, "employed": employed}, ids)


def compute(scope: Scope, today: datetime.date) -> dict[str, Figure]:
    """Every figure of the scope and period: a fixed number of queries."""
    competitive, kinds, employers = jobs(scope)
    documented, missed = closures(scope)
    return {
        "caseload": caseload(scope),
        "first_employer_contact_days": first_employer_contact(scope),
        "face_to_face_per_week": face_to_face_per_week(scope),
        "weekly_reviewed": weekly_review(scope),
        "competitive_share": competitive,
        "job_type_diversity": kinds,
        "employer_diversity": employers,
        "follow_along_met": follow_along(scope, today),
        "job_loss_contact": job_loss_contact(scope),
        "community_share": community(scope),
        "outreach_documented": documented,
        "missed_appointment_closures": missed,
        "employment": employment(scope),
    }
