"""IPS in the demo (issue 15): a client of coach.sara1 in a job with its follow-along (one weekly
slot missed, the next one open today), a client whose job ended two days ago (the job-loss contact
is due and the vocational profile asks for an update), and a DCM client with a return-to-work plan.

Employers come from the employers area's demo when it ran first; otherwise the few named here are
added (an employer is network data, not a story step).
"""

from __future__ import annotations

from decimal import Decimal

from werkbrug.demo.clock import fresh
from werkbrug.demo.steps import Steps
from werkbrug.employers.models import ContactPlace, ContactPurpose, Employer, EmployerContact, JobType, Sector
from werkbrug.ips import actions as ips_actions
from werkbrug.ips.models import DisclosureDecision, EndReason
from werkbrug.trajectories.models import ContactKind, Economy, Phase, Trajectory

COACH = "coach.sara1"
EMPLOYERS = [
    ("Tuincentrum De Linde", Sector.G, "Schoten"),
    ("Logistiek Noord bv", Sector.H, "Antwerpen"),
    ("Bakkerij Van Dyck", Sector.C, "Brasschaat"),
]


def _employer(demo: Steps, name: str, sector: str, municipality: str) -> Employer:
    employer = Employer.objects.filter(name=name).first()
    if employer is None:
        employer = Employer.objects.create(
            name=name, sector=sector, municipality=municipality, created_by=demo.users[COACH]
        )
    return employer


def _trajectory(demo: Steps, code: str, start_ago: int, contacts: list[int]) -> Trajectory:
    client = demo.register("zorg.pz", start_ago + 30)
    referral = demo.refer(client, "zorg.pz", start_ago + 25)
    trajectory = demo.start(referral, COACH, start_ago, type_code=code)
    demo.phase(trajectory, COACH, start_ago - 14, Phase.ENGAGEMENT)
    fresh(trajectory)
    for ago in sorted(contacts, reverse=True):
        demo.contact(trajectory, COACH, ago, ContactKind.FACE_TO_FACE, "Gesprek over werk")
    return fresh(trajectory)


def ips_stories(demo: Steps) -> None:
    coach = demo.actors[COACH]
    garden, logistics, bakery = (_employer(demo, *row) for row in EMPLOYERS)

    # In a job since 25 days ago: contacts before the start, after it and in week 2; week 3 was
    # missed (overdue) and week 4 is open today.
    t = _trajectory(demo, "ips", 140, [140, 120, 100, 60, 28, 24, 17])
    with demo.clock.at(110) as day:
        ips_actions.add_disclosure(
            coach,
            t,
            on=day,
            decision=DisclosureDecision.PARTIAL,
            what_to_tell="Dat ik soms een pauze extra nodig heb.",
        )
    with demo.clock.at(35) as day:
        ips_actions.add_income_plan(
            coach,
            fresh(t),
            made_on=day,
            benefit_today="Invaliditeitsuitkering (RIZIV), € 1.480 per maand",
            expected_income="Loon voor 19 uur + deel van de uitkering",
            hours_limits="Toelating van de adviserend arts: tot 50%",
            forms_to_file="Aangifte werkhervatting bij het ziekenfonds",
        )
    with demo.clock.at(25) as day:
        ips_actions.start_placement(
            coach,
            fresh(t),
            employer=garden,
            job_title="Medewerker plantenafdeling",
            job_type=JobType.SERVICE_SALES,
            started_on=day,
            hours_per_week=Decimal("19"),
            minimum_wage=True,
            competitive=True,
            economy=Economy.NEC,
        )
    EmployerContact.objects.create(
        employer=garden,
        on=demo.clock.day(15),
        coach=demo.users[COACH],
        organisation=coach.org,
        purpose=ContactPurpose.SUPPORT,
        place=ContactPlace.COMMUNITY,
        trajectory=t,
        note="Afspraken over de pauzes met de afdelingsverantwoordelijke",
    )

    # A job that ended two days ago: the contact within three days is due.
    t = _trajectory(demo, "ips", 200, [200, 170, 130, 92, 88, 80, 60])
    with demo.clock.at(180) as day:
        ips_actions.add_disclosure(coach, t, on=day, decision=DisclosureDecision.NONE)
    with demo.clock.at(95) as day:
        placement = ips_actions.start_placement(
            coach,
            fresh(t),
            employer=logistics,
            job_title="Orderpicker",
            job_type=JobType.ELEMENTARY,
            started_on=day,
            hours_per_week=Decimal("24"),
            minimum_wage=True,
            competitive=True,
            economy=Economy.NEC,
        )
    with demo.clock.at(2) as day:
        ips_actions.end_placement(
            coach,
            fresh(placement),
            ended_on=day,
            end_reason=EndReason.CONTRACT_ENDED,
            end_note="Interim niet verlengd",
        )

    # DCM: still employed, on sick leave, back step by step.
    t = _trajectory(demo, "dcm", 60, [60, 45, 30, 12])
    with demo.clock.at(55):
        case = ips_actions.save_dcm_case(
            coach,
            fresh(t),
            employer=bakery,
            sick_since=demo.clock.day(240),
            advising_physician="dr. Claes",
            insurer="Christelijke Mutualiteit",
        )
    with demo.clock.at(40):
        for ago, hours in ((30, "8"), (10, "16"), (-20, "24")):
            ips_actions.add_return_step(
                coach, case, from_on=demo.clock.day(ago), hours_per_week=Decimal(hours)
            )
