"""The demo's IPS fidelity: three IPS trajectories of SaRA's first coach with employer contacts and
a job, and a draft review of the last twelve months that the coordinator can finish (issue 15).

The employer contacts and the job are written straight to their tables: the employers and ips
areas bring their own forms and demo data; this module only needs rows for the figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from werkbrug.demo.steps import Steps
from werkbrug.employers.models import ContactMode, ContactPlace, ContactPurpose, Employer, EmployerContact
from werkbrug.fidelity.actions import open_review
from werkbrug.ips.models import Placement
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Economy, OutcomeKind


def fidelity_review(demo: Steps) -> None:
    coach_name = "coach.sara1"
    coach = demo.actors[coach_name]
    day = datetime.timedelta(days=1)
    employer = Employer.objects.create(
        name="Groendienst Schoten", municipality="Schoten", created_by=coach.user
    )
    bakery = Employer.objects.create(
        name="Bakkerij De Korenaar", municipality="Antwerpen", created_by=coach.user
    )
    trajectories = []
    for days_ago in (160, 90, 40):
        client = demo.register("zorg.pz", days_ago + 10)
        referral = demo.refer(client, "zorg.pz", days_ago + 7)
        trajectories.append(demo.start(referral, coach_name, days_ago, type_code="ips"))
    for trajectory, first_contact in zip(trajectories, (12, 25, 45), strict=True):
        EmployerContact.objects.create(
            employer=bakery if first_contact == 25 else employer,
            on=trajectory.started_on + first_contact * day,
            coach=coach.user,
            organisation=coach.org,
            mode=ContactMode.FACE_TO_FACE,
            purpose=ContactPurpose.VACANCY,
            place=ContactPlace.COMMUNITY,
            trajectory=trajectory,
        )
    for weeks_ago in range(1, 13):  # the coach's weekly round of employers, without a client named
        for n in range(4):
            EmployerContact.objects.create(
                employer=employer if n % 2 else bakery,
                on=demo.today - (7 * weeks_ago + n) * day,
                coach=coach.user,
                organisation=coach.org,
                mode=ContactMode.FACE_TO_FACE if n < 3 else ContactMode.PHONE,
                purpose=ContactPurpose.GETTING_TO_KNOW,
                place=ContactPlace.COMMUNITY if n < 2 else ContactPlace.OFFICE,
            )
    working = trajectories[0]
    start = working.started_on + 50 * day
    with demo.clock.at((demo.today - start).days):
        outcome = trajectory_actions.record_outcome(
            coach, working, kind=OutcomeKind.PAID_WORK, on=start, economy=Economy.NEC
        )
    Placement.objects.create(
        trajectory=working,
        employer=employer,
        job_title="Medewerker groenonderhoud",
        job_type="9",
        started_on=start,
        hours_per_week=Decimal("19"),
        competitive=True,
        outcome=outcome,
        recorded_by=coach.user,
        organisation=coach.org,
    )
    open_review(
        demo.actors["coordinator.sara"],
        scale="nl",
        period_from=demo.today - 364 * day,
        period_to=demo.today,
        reviewers=[coach.user],
        today=demo.today,
    )
