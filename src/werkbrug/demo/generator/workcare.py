"""Work-care rows (issue 14, issue 17) on the generated work-care trajectories (type "arbeidszorg", led
by ARBEIDSZORG and MAATWERK organisations): workshops, agreements and the month grid's day hours.
Written after the clients, through the ORM in bulk, with the invariants `workcare.actions` keeps:

- one to three workshops per work-care organisation;
- most trajectories have a signed agreement (some two in a row, the second after the first ended,
  in another form) at a workshop of the trajectory's lead organisation, recorded by its coach for
  that organisation while the trajectory was open, with the seven elements of the decree filled in;
- an agreement lies within its trajectory: a closed trajectory's last agreement ended by its close;
  nothing lies in the future (start, end, signing, recording, hours);
- day hours on two or three fixed weekdays a week, two to six hours, from 1 January two years ago up
  to today, at the agreement's workshop, recorded by the trajectory's coach. Not every participant's
  hours are in the grid: the participants taken (at random) until the network has about
  `HOURS_PER_TRAJECTORY` rows per trajectory (900,000 at full scale).

- the practice cycle's milestones of each signed agreement (`generate_milestones`, also run on its
  own on a database that has agreements): the intake on the start, the trial evaluation after a
  month, the guidance plan (IBP) within three months of signing, the evaluation three months after
  the trial, a yearly talk; most held within a week of their due date, some missed (the clocks then
  show them overdue), none after the agreement's end or today, recorded by the trajectory's coach.

No audit rows, benefits or documents: the work-care report needs none of them.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone

from werkbrug.network.models import Organisation, OrganisationType
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.clocks import add_months
from werkbrug.workcare.models import (
    WORKCARE_TYPE,
    Aim,
    DayHours,
    Form,
    Milestone,
    MilestoneKind,
    WorkCareAgreement,
    Workshop,
)

WORKCARE_ORGS = (OrganisationType.ARBEIDSZORG, OrganisationType.MAATWERK)
AGREEMENT_SHARE = 0.85  # of the work-care trajectories, at least one agreement
SECOND_SHARE = 0.2  # of those, a second agreement after the first
HOURS_PER_TRAJECTORY = 3.0  # day-hour rows per trajectory of the network: 900,000 at full scale
HOURS_YEARS_BACK = 2  # hours from 1 January of this many years ago
MISSED = 0.1  # share of the agreed days without hours (ill, holiday)
BATCH = 5_000
DAY = datetime.timedelta(days=1)
WORKSHOP_NAMES = [
    "Atelier Hout", "Atelier Metaal", "Groendienst", "Keuken", "Kringwinkel", "Inpakatelier",
    "Fietsatelier", "Naaiatelier", "Onderhoudsploeg", "Cafetaria", "Enclave Logistiek", "Moestuin",
]  # fmt: skip
FORMS = [Form.ATELIER, Form.ENCLAVE, Form.INDIVIDUAL, Form.HOME]
FORM_WEIGHTS = [60, 15, 17, 8]
AIMS = [Aim.FINALITY, Aim.ONWARD]
AIM_WEIGHTS = [55, 45]
WEEKDAY_NAMES = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]
ACTIVITIES = [
    "Houtbewerking en inpakwerk, in een kleine groep.",
    "Groenonderhoud en moestuin, in een ploeg van vijf.",
    "Keukenhulp en afwas in de cafetaria.",
    "Sorteren en prijzen in de kringwinkel.",
    "Fietsherstelling onder begeleiding.",
]
MILESTONE_HELD = 0.9  # share of the due milestones held (the others show overdue)
MILESTONE_NOTES = {
    MilestoneKind.INTAKE: "Rondleiding, kennismaking met de groep en de begeleider.",
    MilestoneKind.TRIAL: "Proefperiode geëvalueerd: gaat goed, we gaan verder.",
    MilestoneKind.IBP: "Begeleidingsplan opgemaakt met de verwijzer.",
    MilestoneKind.EVALUATION: "Evaluatie: ritme en taken besproken.",
    MilestoneKind.YEARLY: "Jaarlijks functioneringsgesprek.",
}
ALLOWANCES = [Decimal("4.00"), Decimal("6.50"), Decimal("8.00"), Decimal("12.00")]


@dataclass
class _Plan:
    trajectory_id: int
    coach_id: int
    org_id: int
    agreements: list[WorkCareAgreement] = field(default_factory=list)
    # Per agreement: its weekdays (0 = Monday) and usual hours, as its time commitment says.
    schedules: list[tuple[list[int], int]] = field(default_factory=list)


def generate_workcare(
    rng: random.Random, trajectories_in_network: int, say: Callable[[str], None]
) -> dict[str, int]:
    orgs = list(
        Organisation.objects.filter(org_type__in=WORKCARE_ORGS).values_list("pk", "org_type").order_by("pk")
    )
    if not orgs:
        say("no work-care organisations: work-care skipped")
        return {}
    today = timezone.localdate()
    rows = list(
        Trajectory.objects.filter(
            type__code=WORKCARE_TYPE, coach__isnull=False, lead_organisation_id__in=[pk for pk, _t in orgs]
        )
        .values_list("pk", "started_on", "closed_on", "coach_id", "lead_organisation_id")
        .order_by("pk")
    )
    first_start: dict[int, datetime.date] = {}
    for _pk, started_on, _closed, _coach, org_id in rows:
        first_start[org_id] = min(started_on, first_start.get(org_id, started_on))
    workshops: list[Workshop] = []
    for org_id, org_type in orgs:
        created = first_start.get(org_id, today) - 30 * DAY
        for name in rng.sample(WORKSHOP_NAMES, rng.randint(1, 3)):
            big = org_type == OrganisationType.MAATWERK
            workshops.append(
                Workshop(
                    name=name,
                    organisation_id=org_id,
                    target_group_fte=Decimal(rng.randint(20, 120) if big else rng.randint(8, 40)),
                    created_at=_moment(created, rng),
                )
            )
    Workshop.objects.bulk_create(workshops, batch_size=2000)
    by_org: dict[int, list[int]] = {}
    for workshop in workshops:
        by_org.setdefault(workshop.organisation_id, []).append(workshop.pk)
    plans: list[_Plan] = []
    for pk, started_on, closed_on, coach_id, org_id in rows:
        last_day = min(closed_on or today, today)
        if last_day < started_on or rng.random() >= AGREEMENT_SHARE:
            continue
        plan = _Plan(pk, coach_id, org_id)
        _agreements(rng, plan, started_on, closed_on, last_day, today, by_org[org_id])
        plans.append(plan)
    agreements = [a for plan in plans for a in plan.agreements]
    WorkCareAgreement.objects.bulk_create(agreements, batch_size=2000)
    window = datetime.date(today.year - HOURS_YEARS_BACK, 1, 1)
    # The grid is kept for the participants taken in a random order until their expected rows reach
    # the target: the total lands within one participant's rows of it.
    target = trajectories_in_network * HOURS_PER_TRAJECTORY
    kept: set[int] = set()
    expected = 0.0
    for plan in rng.sample(plans, len(plans)):
        if expected >= target:
            break
        kept.add(plan.trajectory_id)
        expected += sum(
            _days(a, window, today) * len(days) / 7 * (1 - MISSED)
            for a, (days, _h) in zip(plan.agreements, plan.schedules, strict=True)
        )
    hours = 0
    batch: list[DayHours] = []
    for plan in plans:
        if plan.trajectory_id not in kept:
            continue
        for agreement, schedule in zip(plan.agreements, plan.schedules, strict=True):
            batch.extend(_hours(rng, agreement, schedule, plan.coach_id, window, today))
        hours += _flush(DayHours, batch)
    hours += _flush(DayHours, batch, last=True)
    counts = {"Workshop": len(workshops), "WorkCareAgreement": len(agreements), "DayHours": hours}
    say(
        f"work-care: {len(workshops):,} workshops, {len(agreements):,} agreements on {len(plans):,} "
        f"trajectories, {hours:,} day hours (grid kept for {len(kept):,} participants)"
    )
    counts.update(generate_milestones(rng, say))
    return counts


def generate_milestones(rng: random.Random, say: Callable[[str], None]) -> dict[str, int]:
    """The practice cycle's milestones held on the signed agreements in the database."""
    today = timezone.localdate()
    rows = (
        WorkCareAgreement.objects.filter(signed_on__isnull=False)
        .values_list("pk", "starts_on", "ends_on", "signed_on", "trajectory__coach_id")
        .order_by("pk")
    )
    batch: list[Milestone] = []
    written = 0
    for pk, start, ends_on, signed_on, coach_id in rows:
        last = min(ends_on or today, today)
        trial = add_months(start, 1)
        dues = [
            (MilestoneKind.INTAKE, start),
            (MilestoneKind.TRIAL, trial),
            (MilestoneKind.IBP, (signed_on or start) + rng.randint(20, 80) * DAY),
            (MilestoneKind.EVALUATION, add_months(trial, 3)),
            *((MilestoneKind.YEARLY, add_months(start, 12 * year)) for year in range(1, 6)),
        ]
        for kind, due in dues:
            on = due if kind == MilestoneKind.INTAKE else max(start, due + rng.randint(-7, 7) * DAY)
            if on > last or rng.random() >= MILESTONE_HELD:
                continue
            batch.append(
                Milestone(
                    agreement_id=pk,
                    kind=kind,
                    on=on,
                    note=MILESTONE_NOTES[kind],
                    by_id=coach_id,
                    recorded_at=_moment(on, rng),
                )
            )
        written += _flush(Milestone, batch)
    written += _flush(Milestone, batch, last=True)
    say(f"work-care: {written:,} milestones")
    return {"Milestone": written}


def _flush(model: type[Model], batch: list[Any], *, last: bool = False) -> int:
    """Write the batch once it is full (or the last one), emptying it: the number of rows written."""
    if not batch or (len(batch) < BATCH and not last):
        return 0
    model._default_manager.bulk_create(batch, batch_size=BATCH)
    written = len(batch)
    batch.clear()
    return written


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in office hours of that day (never after now)."""
    at = datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
    return min(timezone.make_aware(at), timezone.now())


def _agreements(
    rng: random.Random,
    plan: _Plan,
    started_on: datetime.date,
    closed_on: datetime.date | None,
    last_day: datetime.date,
    today: datetime.date,
    workshops: list[int],
) -> None:
    """One agreement, or two in a row; the last ends by the close of a closed trajectory."""
    span = (last_day - started_on).days
    start = started_on + rng.randint(0, min(60, span // 3)) * DAY
    second = rng.random() < SECOND_SHARE and (last_day - start).days >= 60
    form = rng.choices(FORMS, FORM_WEIGHTS)[0]
    if second:
        first_end = start + rng.randint(20, (last_day - start).days - 30) * DAY
        _agreement(rng, plan, start, first_end, form, workshops)
        start = min(last_day, first_end + rng.randint(1, 30) * DAY)
        form = rng.choice([f for f in FORMS if f != form])
    ends_on: datetime.date | None = None
    if closed_on is not None:
        ends_on = max(start, closed_on - rng.randint(0, 20) * DAY)
    elif rng.random() < 0.15:
        ends_on = start + rng.randint(0, (today - start).days) * DAY
    _agreement(rng, plan, start, ends_on, form, workshops)


def _agreement(
    rng: random.Random,
    plan: _Plan,
    start: datetime.date,
    ends_on: datetime.date | None,
    form: str,
    workshops: list[int],
) -> None:
    """Recorded on its start (the trajectory is open then), signed within two weeks but not after its
    end or today, by the trajectory's coach for the lead organisation; added to the plan."""
    days = sorted(rng.sample(range(5), rng.randint(2, 3)))
    hours = rng.randint(2, 6)
    allowance = rng.choice(ALLOWANCES)
    signed_on = min(start + rng.randint(0, 14) * DAY, ends_on or start + 14 * DAY, timezone.localdate())
    when = ", ".join(WEEKDAY_NAMES[d] for d in days)
    recorded_at = _moment(start, rng)
    agreement = WorkCareAgreement(
        trajectory_id=plan.trajectory_id,
        workshop_id=rng.choice(workshops),
        form=form,
        aim=rng.choices(AIMS, AIM_WEIGHTS)[0],
        starts_on=start,
        ends_on=ends_on,
        time_commitment=f"{when.capitalize()}, telkens {hours} uur.",
        activities=rng.choice(ACTIVITIES),
        place="In het atelier van de organisatie." if form == Form.ATELIER else "Op de afgesproken werkplek.",
        expense_allowance=f"Vrijwilligersvergoeding van € {allowance} per dag, maandelijks betaald.",
        arrangements="Verzekerd door de organisatie; werkkledij en veiligheidsschoenen voorzien.",
        guidance="Vaste begeleider; evaluatie na een maand, dan na drie maanden, dan jaarlijks.",
        ending="Beide partijen kunnen stoppen na een gesprek; een week op voorhand verwittigen.",
        allowance_per_day=allowance,
        liability_insurance="Ethias, polis 45.120.001",
        accident_insurance="Ethias, polis 45.120.002",
        signed_on=signed_on,
        signed_by_id=plan.coach_id,
        signed_at=max(recorded_at, _moment(signed_on, rng)),
        recorded_by_id=plan.coach_id,
        recorded_at=recorded_at,
        organisation_id=plan.org_id,
    )
    plan.agreements.append(agreement)
    plan.schedules.append((days, hours))


def _days(agreement: WorkCareAgreement, window: datetime.date, today: datetime.date) -> int:
    """The agreement's days from `window` up to today."""
    first, last = max(agreement.starts_on, window), min(agreement.ends_on or today, today)
    return max(0, (last - first).days + 1)


def _hours(
    rng: random.Random,
    agreement: WorkCareAgreement,
    schedule: tuple[list[int], int],
    coach_id: int,
    window: datetime.date,
    today: datetime.date,
) -> list[DayHours]:
    """The agreement's weekdays and usual hours; now and then a day missed or other hours (2-6)."""
    weekdays, usual = set(schedule[0]), schedule[1]
    first = max(agreement.starts_on, window)
    result: list[DayHours] = []
    for offset in range(_days(agreement, window, today)):
        day = first + offset * DAY
        if day.weekday() not in weekdays or rng.random() < MISSED:
            continue
        hours = usual if rng.random() < 0.85 else rng.randint(2, 6)
        result.append(
            DayHours(
                workshop_id=agreement.workshop_id,
                trajectory_id=agreement.trajectory_id,
                day=day,
                hours=Decimal(hours),
                recorded_by_id=coach_id,
            )
        )
    return result
