"""Placements (jobs) on the generated IPS trajectories: about one for every five trajectories of the
network (60,000 at full scale), at the employers already in the database (the employers generator
runs first; without employers this step is skipped with a message). Written after the clients,
through the ORM in bulk, with the invariants `ips.actions.start_placement` and `end_placement` keep:

- one truth: every placement points at a paid-work outcome of its own trajectory, dated on its
  start, with its economy; the paid-work outcomes the trajectories already have become placements
  first, and the outcomes of the further jobs are written here, verified after three months as
  `trajectories.actions.record_outcome` would;
- a trajectory's jobs follow each other: each ends before the next starts and within the
  trajectory (a closed trajectory has no running job); nothing lies in the future.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from werkbrug.employers.models import Employer, JobType
from werkbrug.ips.models import EndReason, Placement
from werkbrug.trajectories.models import (
    PAID_WORK_VERIFY_AFTER_DAYS,
    Certainty,
    Economy,
    Outcome,
    OutcomeKind,
    Trajectory,
)

PLACEMENTS_PER_TRAJECTORY = 0.2  # of all trajectories of the network: 60,000 at full scale
BATCH = 5_000
TITLES = {
    JobType.SERVICE_SALES: ["Verkoper", "Kassamedewerker", "Medewerker plantenafdeling"],
    JobType.ELEMENTARY: ["Orderpicker", "Schoonmaker", "Keukenhulp", "Groenarbeider"],
    JobType.CLERICAL: ["Administratief medewerker", "Onthaalmedewerker"],
    JobType.CRAFT: ["Bakkersgast", "Hulpschrijnwerker"],
    JobType.OPERATORS: ["Heftruckchauffeur", "Productieoperator"],
    JobType.TECHNICIANS: ["IT-helpdeskmedewerker"],
}
JOB_TYPES = list(TITLES)
JOB_TYPE_WEIGHTS = [4, 5, 2, 1, 2, 1]
REASONS = EndReason.values
DAY = datetime.timedelta(days=1)


def generate_placements(
    rng: random.Random, trajectories_in_network: int, say: Callable[[str], None]
) -> dict[str, int]:
    employers = list(Employer.objects.filter(is_active=True).values_list("pk", flat=True))
    if not employers:
        say("no employers in the database: placements skipped (run the employers generator first)")
        return {}
    rows = list(
        Trajectory.objects.filter(type__code="ips", coach__isnull=False)
        .values_list("pk", "started_on", "closed_on", "coach_id", "lead_organisation_id")
        .order_by("pk")
    )
    if not rows:
        say("no IPS trajectories: placements skipped")
        return {}
    existing: dict[int, list[tuple[int, datetime.date, str]]] = {}
    for outcome_id, trajectory_id, on, economy in (
        Outcome.objects.filter(
            kind=OutcomeKind.PAID_WORK, trajectory__type__code="ips", placement__isnull=True
        )
        .values_list("pk", "trajectory_id", "on", "economy")
        .order_by("pk")
    ):
        existing.setdefault(trajectory_id, []).append((outcome_id, on, economy))
    target = round(trajectories_in_network * PLACEMENTS_PER_TRAJECTORY)
    per_trajectory = target / len(rows)
    today = timezone.localdate()
    counts = {"Placement": 0, "PlacementOutcome": 0}
    for first in range(0, len(rows), BATCH):
        outcomes: list[Outcome] = []
        jobs: list[tuple[Placement, int | None, int | None]] = []  # placement, existing outcome, new index
        for pk, started_on, closed_on, coach_id, org_id in rows[first : first + BATCH]:
            last_day = min(closed_on or today, today)
            known = existing.get(pk, [])
            wanted = max(len(known), _poisson(rng, per_trajectory))
            if wanted == 0 or last_day < started_on:
                continue
            span = (last_day - started_on).days
            new_days = sorted(started_on + rng.randint(0, span) * DAY for _ in range(wanted - len(known)))
            starts: list[tuple[datetime.date, int | None, str]] = sorted(
                [(on, oid, economy) for oid, on, economy in known] + [(d, None, "") for d in new_days],
                key=lambda row: row[0],
            )
            for i, (start, known_id, economy) in enumerate(starts):
                following = starts[i + 1][0] if i + 1 < len(starts) else None
                placement = _placement(
                    rng, pk, start, following, closed_on, today, coach_id, org_id, employers
                )
                if known_id is None:
                    economy = Economy.NEC if rng.random() < 0.8 else Economy.SOCIAL
                # A job in the social economy is not competitive (ips.actions.start_placement).
                placement.competitive = placement.competitive and economy == Economy.NEC
                if known_id is not None:
                    jobs.append((placement, known_id, None))
                    continue
                due = start + PAID_WORK_VERIFY_AFTER_DAYS * DAY
                verified = due <= today and rng.random() < 0.7
                outcomes.append(
                    Outcome(
                        trajectory_id=pk,
                        kind=OutcomeKind.PAID_WORK,
                        on=start,
                        economy=economy,
                        certainty=Certainty.VERIFIED if verified else Certainty.ESTIMATED,
                        verified_on=min(due + rng.randint(0, 30) * DAY, today) if verified else None,
                        verify_due_on=due,
                        recorded_by_id=coach_id,
                        organisation_id=org_id,
                    )
                )
                jobs.append((placement, None, len(outcomes) - 1))
        created = Outcome.objects.bulk_create(outcomes, batch_size=2000)
        for placement, linked_id, index in jobs:
            chosen = linked_id if linked_id is not None else created[index or 0].pk
            placement.outcome_id = chosen
        Placement.objects.bulk_create([p for p, _o, _i in jobs], batch_size=2000)
        counts["Placement"] += len(jobs)
        counts["PlacementOutcome"] += len(outcomes)
    say(f"placements {counts['Placement']:,} ({counts['PlacementOutcome']:,} with a new paid-work outcome)")
    return counts


def _poisson(rng: random.Random, mean: float) -> int:
    """A small count around `mean` (Knuth's method; the means here are about 1 to 2)."""
    limit, k, p = pow(2.718281828459045, -mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _placement(
    rng: random.Random,
    trajectory_id: int,
    start: datetime.date,
    following: datetime.date | None,
    closed_on: datetime.date | None,
    today: datetime.date,
    coach_id: int,
    org_id: int,
    employers: list[int],
) -> Placement:
    """A job from `start`: it ends before the next one starts, by the trajectory's close, or (the
    last one of an open trajectory) it may still run."""
    ended_on: datetime.date | None = None
    if following is not None:
        ended_on = max(start, following - rng.randint(1, 30) * DAY)
    elif closed_on is not None:
        ended_on = max(start, min(closed_on, start + rng.randint(30, 400) * DAY))
    elif rng.random() < 0.4:
        ended_on = min(today, start + rng.randint(20, 300) * DAY)
    job_type = rng.choices(JOB_TYPES, JOB_TYPE_WEIGHTS)[0]
    reason = rng.choice(REASONS) if ended_on else ""
    return Placement(
        trajectory_id=trajectory_id,
        employer_id=rng.choice(employers),
        job_title=rng.choice(TITLES[job_type]),
        job_type=job_type,
        started_on=start,
        hours_per_week=Decimal(rng.choice([8, 12, 16, 19, 24, 30, 38])),
        minimum_wage=rng.random() < 0.95,
        competitive=rng.random() < 0.9,
        monthly_follow_along=rng.random() < 0.8,
        ended_on=ended_on,
        end_reason=reason,
        end_note="Tijdelijk contract, niet verlengd" if reason == EndReason.OTHER else "",
        recorded_by_id=coach_id,
        organisation_id=org_id,
    )
