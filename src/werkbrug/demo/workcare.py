"""Work-care in the demo (issue 17): SaRA runs the workshop "Atelier De Brug" (22 recognised
target-group FTE); coach.sara2 guides three participants there on work-care trajectories, one with a
signed agreement (intake held, RVA exemption with its C94A), one with a complete draft (OCMW), one
with a draft still missing elements (mutualiteit, no approval yet), and last month's hours."""

from __future__ import annotations

import datetime
from decimal import Decimal

from werkbrug.demo.steps import Steps
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare import actions, benefits, clocks, hours

COACH = "coach.sara2"
COORDINATOR = "coordinator.sara"

SEVEN = {
    "time_commitment": "Dinsdag, woensdag en donderdag, telkens van 9 tot 12 uur.",
    "activities": "Drie halve dagen per week: houtbewerking en inpakwerk, in een kleine groep.",
    "place": "Atelier De Brug, Kanaalstraat 8, 2060 Antwerpen.",
    "expense_allowance": "Vrijwilligersvergoeding van € 4 per halve dag, maandelijks betaald.",
    "arrangements": "Verzekerd door het atelier; werkkledij en veiligheidsschoenen van het atelier; "
    "veiligheids- en hygiëne-instructies bij de rondleiding.",
    "guidance": "Vaste begeleider in het atelier; evaluatie na een maand, dan na drie maanden, dan jaarlijks.",
    "ending": "Beide partijen kunnen stoppen na een gesprek; een week op voorhand verwittigen.",
}


def _trajectory(demo: Steps, start_ago: int) -> Trajectory:
    client = demo.register("zorg.pz", start_ago + 30)
    referral = demo.refer(client, "zorg.pz", start_ago + 25)
    return demo.start(referral, COACH, start_ago, type_code="arbeidszorg")


def workcare(demo: Steps) -> None:
    coach = demo.actors[COACH]
    workshop = actions.create_workshop(
        demo.actors[COORDINATOR], name="Atelier De Brug", target_group_fte=Decimal("22")
    )
    people = [_trajectory(demo, ago) for ago in (200, 120, 70)]
    insurance = {
        "liability_insurance": "Ethias, polis 45.120.001",
        "accident_insurance": "Ethias, polis 45.120.002",
    }
    for number, trajectory in enumerate(people):
        with demo.clock.at(60 - number) as day:
            fields = dict(SEVEN) if number < 2 else {"time_commitment": SEVEN["time_commitment"]}
            agreement = actions.record_agreement(
                coach,
                trajectory,
                workshop=workshop,
                form="atelier",
                aim="onward" if number else "finality",
                starts_on=day,
                **insurance,
                **fields,
            )
            if number == 0:
                actions.sign_agreement(coach, agreement, signed_on=day)
                clocks.record_milestone(
                    coach,
                    agreement,
                    kind="intake",
                    on=day,
                    note="Rondleiding in het atelier, kennismaking met de groep.",
                )
            benefits.set_benefit(coach, trajectory, regime=("rva", "ocmw", "mutualiteit")[number])
            if number == 0:
                benefits.add_document(coach, trajectory, kind="C94A", dated=day)
    # Last month: three mornings a week of three hours for each participant.
    first_of_this_month = demo.clock.day(0).replace(day=1)
    last_month = first_of_this_month - datetime.timedelta(days=1)
    days = hours.month_days(last_month.year, last_month.month)
    cells = {(t.pk, d): Decimal(3) for t in people for d in days if d.weekday() in (1, 2, 3)}
    hours.save_month(coach, workshop, year=last_month.year, month=last_month.month, cells=cells)
