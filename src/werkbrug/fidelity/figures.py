"""The fidelity figures computed from the registration (issue 15, point 7).

Every figure is computed for a *scope* (an organisation's IPS coaches, or the coaches of one of its
IPS teams) and a period, with a fixed number of queries whatever the number of trajectories,
placements or contacts: aggregates, and for the jobs' figures one read of the jobs held and their
contact days (`held`). Their statements are kept per scope (core.statements, `_key`): building them
cost more than running them for most organisations; every call reads the rows again. A figure
carries its value (None: no data in the period), the counts behind it, and the trajectories it
counted (the evidence's rows).

What counts (docs/ips.md, "Fidelity review"):
- IPS trajectories: type "ips", led by the organisation, with a coach in the scope;
- active in the period: started on or before its end and not closed before its start.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import (
    BooleanField,
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

from werkbrug.core import replica, statements
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
    team = None if team_user_ids is None else tuple(team_user_ids)
    key = ("fidelity coaches", replica.read_alias(), organisation.pk, team, period_from, period_to)
    found = statements.values(key, lambda: _coaches(organisation, team, period_from, period_to))
    return tuple(sorted(row["user_id"] for row in found))


def _coaches(
    organisation: Organisation,
    team_user_ids: tuple[int, ...] | None,
    period_from: datetime.date,
    period_to: datetime.date,
) -> QuerySet[Any]:
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
    return coaches.order_by().values("user_id")  # sorted by scope_coach_ids: no join for the order


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


def _key(scope: Scope, name: str) -> tuple[Hashable, ...]:
    """The key under which the figure statement `name` is kept (core.statements: its SQL and
    parameters, never its rows): the database it reads and everything a figure's statement depends
    on, the organisation, the coaches and the period. Run again on every call, so the figures are as
    current as ever; built once per scope, which costs more than running them for an organisation."""
    return (
        f"fidelity {name}",
        replica.read_alias(),
        scope.organisation.pk,
        scope.coach_ids,
        scope.period_from,
        scope.period_to,
    )


def _values(scope: Scope, name: str, build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the values() query `build()` gives, its statement kept per scope (`_key`)."""
    return statements.values(_key(scope, name), build)


def _totals(scope: Scope, name: str, build: Callable[[], QuerySet[Any]], **counts: Any) -> dict[str, Any]:
    """`build().aggregate(**counts)`, its statement kept per scope: 0 each when the query cannot
    have rows (no coaches), as `aggregate` gives for counts."""
    found = _values(scope, name, lambda: statements.totals(build(), **counts))
    return found[0] if found else dict.fromkeys(counts, 0)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def caseload(scope: Scope) -> Figure:
    """IPS trajectories active on the period's last day, per full-time coach (FTE of the coaches
    in scope)."""
    day = scope.period_to
    active = statements.fetched(  # newest first: the evidence
        _key(scope, "caseload"),
        lambda: (
            ips_trajectories(scope).filter(started_on__lte=day).exclude(closed_on__lte=day).values_list("pk")
        ),
    )
    total = len(active)
    fte = _totals(
        scope,
        "caseload fte",
        lambda: Membership.objects.filter(
            organisation=scope.organisation, role=Role.COACH, is_active=True, user_id__in=scope.coach_ids
        ),
        total=Coalesce(Sum("fte"), Decimal(0)),
    )["total"]
    value = round(total / float(fte), 1) if fte else None
    return Figure(
        value,
        {"trajectories": total, "coaches": len(scope.coach_ids), "fte": float(fte), "on": day.isoformat()},
        [pk for (pk,) in active[:MAX_IDS]],
    )


def first_employer_contact(scope: Scope) -> Figure:
    """For IPS trajectories that started in the period: days from the start to the first employer
    contact about the client. One still without contact counts the days up to the period's end."""

    def started_in_period() -> QuerySet[Any]:
        first = (
            EmployerContact.objects.filter(trajectory=OuterRef("pk"))
            .order_by()
            .values("trajectory")
            .annotate(first=Min("on"))
            .values("first")
        )
        return (
            ips_trajectories(scope)
            .filter(started_on__gte=scope.period_from, started_on__lte=scope.period_to)
            .annotate(first_contact=Subquery(first))
            .values("pk", "started_on", "first_contact")
        )

    rows = _values(scope, "first employer contact", started_in_period)
    days = []
    waiting = 0
    for started, contact in ((row["started_on"], row["first_contact"]) for row in rows):
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
        [row["pk"] for row in rows],
    )


def face_to_face_per_week(scope: Scope) -> Figure:
    """Face-to-face employer contacts per coach per week: the average over the coaches in scope
    (a coach without any counts as 0)."""
    rows = _values(
        scope,
        "face to face",
        lambda: (
            EmployerContact.objects.filter(
                organisation=scope.organisation,
                coach_id__in=scope.coach_ids,
                mode=ContactMode.FACE_TO_FACE,
                on__gte=scope.period_from,
                on__lte=scope.period_to,
            )
            .values("coach_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    per_coach = {row["coach_id"]: row["n"] for row in rows}
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
        _totals(
            scope,
            "weekly reviews",
            lambda: WeeklyReview.objects.filter(coach_id__in=scope.coach_ids, week_start__in=mondays),
            n=Count("*"),
        )["n"]
        if due
        else 0
    )
    return Figure(_share(reviewed, due), {"weeks_due": due, "reviewed": reviewed})


def _jobs(scope: Scope) -> QuerySet[Placement]:
    """Placements of IPS trajectories in scope held at some time in the period."""
    return Placement.objects.filter(
        trajectory__in=ips_trajectories(scope), started_on__lte=scope.period_to
    ).exclude(ended_on__lt=scope.period_from)


class Job(NamedTuple):
    """A job held in the period, as the database gives it (statements.fetched: `monthly` and
    `competitive` are 0 or 1 on SQLite)."""

    trajectory_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    monthly: bool
    competitive: bool
    employer_id: int | None
    job_type: str
    kind: str  # the title, lowered by the database


@dataclass(frozen=True)
class Held:
    """What the figures on jobs, follow-along and job loss count, read once (two queries, a large
    organisation's thousands of rows as the database gives them): the jobs held in the period
    (`_jobs`), newest first as placements are ordered, and the days of the contacts that meet a slot
    or a job loss (ips.status.meeting_contacts) on their trajectories, from a month before the period
    (the earliest a slot closing in it opens) to the job-loss contact's days after it, sorted per
    trajectory."""

    jobs: list[Job]
    days: dict[int, list[datetime.date]]


def held(scope: Scope) -> Held:
    jobs = [
        Job._make(row)
        for row in statements.fetched(
            _key(scope, "jobs held"),
            lambda: (
                _jobs(scope)
                .annotate(kind=Lower("job_title"))
                .values_list(
                    "trajectory_id",
                    "started_on",
                    "ended_on",
                    "monthly_follow_along",
                    "competitive",
                    "employer_id",
                    "job_type",
                    "kind",
                )
            ),
        )
    ]
    days: dict[int, list[datetime.date]] = defaultdict(list)
    for trajectory_id, on in statements.fetched(
        _key(scope, "contact days"),
        lambda: (
            meeting_contacts(Contact.objects.all())
            .filter(
                trajectory_id__in=_jobs(scope).values("trajectory_id"),
                # A slot that closes in the period opened at most a month (31 days) before it.
                on__gte=scope.period_from - datetime.timedelta(days=32),
                on__lte=scope.period_to + datetime.timedelta(days=JOB_LOSS_CONTACT_DAYS),
            )
            .order_by()
            .values_list("trajectory_id", "on")
        ),
    ):
        days[trajectory_id].append(on)
    for found in days.values():
        found.sort()
    return Held(jobs, dict(days))


def jobs(held: Held) -> tuple[Figure, Figure, Figure]:
    """Competitive share, diversity of job kinds and of employers, over the jobs held in the period.
    A job's kind is its title (case ignored, as the database lowers it) within its ISCO group. The
    evidence: the trajectories of the jobs, each once, that of the newest job first."""
    n = len(held.jobs)
    competitive = sum(1 for job in held.jobs if job.competitive)
    kinds = len({(job.job_type, job.kind) for job in held.jobs})
    employers = len({job.employer_id for job in held.jobs if job.employer_id is not None})
    ids = list(dict.fromkeys(job.trajectory_id for job in held.jobs))[:MAX_IDS]
    return (
        Figure(_share(competitive, n), {"jobs": n, "competitive": competitive}, ids),
        Figure(_share(kinds, n), {"jobs": n, "kinds": kinds}, ids),
        Figure(_share(employers, n), {"jobs": n, "employers": employers}, ids),
    )


def job_loss_contact(scope: Scope, held: Held) -> Figure:
    """Of the jobs that ended in the period: the share with a contact with the client (not an
    unanswered attempt) on the end day or within the 3 days after. (A job that ended in the period
    was held in it: it ends on or after its start.)"""
    ended = [
        (job.trajectory_id, job.ended_on)
        for job in held.jobs
        if job.ended_on is not None and scope.period_from <= job.ended_on <= scope.period_to
    ]
    met = 0
    for trajectory_id, ended_on in ended:
        days = held.days.get(trajectory_id, [])
        i = bisect.bisect_left(days, ended_on)
        met += i < len(days) and days[i] <= ended_on + datetime.timedelta(days=JOB_LOSS_CONTACT_DAYS)
    ids = list(dict.fromkeys(trajectory_id for trajectory_id, _ended_on in ended))[:MAX_IDS]
    return Figure(_share(met, len(ended)), {"ended": len(ended), "met": met}, ids)


def follow_along(scope: Scope, today: datetime.date, held: Held) -> Figure:
    """Of the follow-along moments (ips.followalong) whose window closed in the period: the share
    met by a contact with the client, over the jobs started at most a year before the period."""
    last = min(scope.period_to, today)
    since = scope.period_from - datetime.timedelta(days=366)
    due = met = jobs = 0
    trajectory_ids = set()
    for job in held.jobs:
        if job.started_on < since:
            continue
        jobs += 1
        trajectory_ids.add(job.trajectory_id)
        moments, kept = followalong.tally(
            job.started_on,
            scope.period_from,
            last,
            held.days.get(job.trajectory_id, []),
            ended_on=job.ended_on,
            monthly=job.monthly,
        )
        due += moments
        met += kept
    return Figure(_share(met, due), {"moments": due, "met": met, "jobs": jobs}, sorted(trajectory_ids))


def community(scope: Scope) -> Figure:
    """The share of the coaches' employer contacts in the period that took place in the community
    (the registration knows the place of employer contacts only)."""
    totals = _totals(
        scope,
        "community",
        lambda: EmployerContact.objects.filter(
            organisation=scope.organisation,
            coach_id__in=scope.coach_ids,
            on__gte=scope.period_from,
            on__lte=scope.period_to,
        ),
        all=Count("pk"),
        community=Count("pk", filter=Q(place=ContactPlace.COMMUNITY)),
    )
    return Figure(_share(totals["community"], totals["all"]), totals)


def closures(scope: Scope) -> tuple[Figure, Figure]:
    """IPS trajectories closed in the period for lost contact: the share with at least 3 documented
    outreach attempts in the 60 days before the close, and the share without them (closed, in
    effect, for missed appointments)."""

    def closed() -> QuerySet[Trajectory]:
        return ips_trajectories(scope).filter(
            closed_on__gte=scope.period_from, closed_on__lte=scope.period_to
        )

    def lost() -> QuerySet[Trajectory]:
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
        return (
            closed()
            .filter(close_reason=CloseReason.LOST_CONTACT)
            .annotate(
                window=ExpressionWrapper(
                    F("closed_on") - datetime.timedelta(days=OUTREACH_WINDOW_DAYS),
                    output_field=Trajectory._meta.get_field("closed_on"),
                )
            )
            .annotate(attempts=Coalesce(Subquery(attempts, output_field=IntegerField()), 0))
        )

    totals = _totals(
        scope,
        "lost contact",
        lost,
        lost=Count("pk"),
        documented=Count("pk", filter=Q(attempts__gte=OUTREACH_ATTEMPTS_REQUIRED)),
    )
    all_closed = _totals(scope, "closed", closed, n=Count("*"))["n"]
    outreach_attempts = _totals(
        scope,
        "outreach attempts",
        lambda: Contact.objects.filter(
            trajectory__in=active_in_period(scope),
            kind=ContactKind.OUTREACH_ATTEMPT,
            on__gte=scope.period_from,
            on__lte=scope.period_to,
        ),
        n=Count("*"),
    )["n"]
    ids = [row["pk"] for row in _values(scope, "lost contact ids", lambda: lost().values("pk")[:MAX_IDS])]
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
    # One row per active trajectory, newest first: whether its client worked (0 or 1 on SQLite).
    rows = statements.fetched(
        _key(scope, "employment"),
        lambda: (
            active_in_period(scope)
            .annotate(worked=ExpressionWrapper(_worked(scope), output_field=BooleanField()))
            .values_list("pk", "client_id", "worked")
        ),
    )
    clients = len({client_id for _pk, client_id, _flag in rows})
    employed = len({client_id for _pk, client_id, worked in rows if worked})
    ids = [pk for pk, _client_id, worked in rows if worked][:MAX_IDS]
    return Figure(_share(employed, clients), {"clients": clients, "employed": employed}, ids)


def _worked(scope: Scope) -> Q:
    """A trajectory whose client had paid work in the period."""
    return Q(
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


def compute(scope: Scope, today: datetime.date) -> dict[str, Figure]:
    """Every figure of the scope and period: a fixed number of queries."""
    jobs_held = held(scope)
    competitive, kinds, employers = jobs(jobs_held)
    documented, missed = closures(scope)
    return {
        "caseload": caseload(scope),
        "first_employer_contact_days": first_employer_contact(scope),
        "face_to_face_per_week": face_to_face_per_week(scope),
        "weekly_reviewed": weekly_review(scope),
        "competitive_share": competitive,
        "job_type_diversity": kinds,
        "employer_diversity": employers,
        "follow_along_met": follow_along(scope, today, jobs_held),
        "job_loss_contact": job_loss_contact(scope, jobs_held),
        "community_share": community(scope),
        "outreach_documented": documented,
        "missed_appointment_closures": missed,
        "employment": employment(scope),
    }
