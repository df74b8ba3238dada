"""The demo's employers (issue 15): a few employers of the region with contact persons, an opening,
this week's job development contacts of SaRA's first coach (one naming a client who agreed to
employer contact) and that client introduced to the opening."""

from __future__ import annotations

import datetime

from werkbrug.clients import actions as client_actions
from werkbrug.clients.models import ConsentPurpose
from werkbrug.demo.steps import SIGNED, Steps
from werkbrug.employers import actions
from werkbrug.employers.models import ContactPerson, Employer, Opening
from werkbrug.trajectories.models import Trajectory

# Name, first eight digits of the enterprise number (the check digits are computed), sector, size,
# street, postcode, municipality, sub-region.
EMPLOYERS = [
    (
        "Bakkerij De Gouden Korst",
        4123456,
        "I",
        "micro",
        "Kerkstraat 12",
        "2060",
        "Antwerpen",
        "Antwerpen-Stad",
    ),
    (
        "Groendienst Kapellen",
        2076543,
        "O",
        "medium",
        "Dorpsplein 1",
        "2950",
        "Kapellen",
        "Antwerpen-Noord (Kapellen)",
    ),
    (
        "Logistiek Schilde",
        8765432,
        "H",
        "small",
        "Industrieweg 40",
        "2970",
        "Schilde",
        "Antwerpen-Oost (Zoersel)",
    ),
    ("Kringwinkel Zuid", 4555123, "G", "small", "Mechelsesteenweg 210", "2640", "Mortsel", "Antwerpen-Zuid"),
]
PEOPLE = {
    "Bakkerij De Gouden Korst": [("Els Van Damme", "zaakvoerder", "03 231 45 67")],
    "Groendienst Kapellen": [("Koen Wouters", "ploegbaas", "03 664 12 34"), ("Nadia El Idrissi", "HR", "")],
    "Logistiek Schilde": [("Bart Claes", "magazijnverantwoordelijke", "03 383 98 76")],
}


def enterprise_number(first_eight: int) -> str:
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


def employers(demo: Steps) -> None:
    coach = demo.actors["coach.sara1"]
    made: dict[str, Employer] = {}
    for name, number, sector, size, street, postcode, municipality, region in EMPLOYERS:
        made[name] = actions.create_employer(
            coach,
            Employer(
                name=name,
                enterprise_number=enterprise_number(number),
                sector=sector,
                size=size,
                street=street,
                postcode=postcode,
                municipality=municipality,
                subregion=demo.regions[region],
            ),
        )
    for employer_name, people in PEOPLE.items():
        for person, role, phone in people:
            actions.add_contact_person(
                coach, made[employer_name], ContactPerson(name=person, role=role, phone=phone)
            )
    bakery = made["Bakkerij De Gouden Korst"]
    opening = actions.add_opening(
        coach,
        bakery,
        Opening(title="Hulp in de bakkerij (ochtend)", job_type="9", hours_per_week=19, opened_on=demo.today),
    )
    named = (
        Trajectory.objects.filter(lead_organisation=coach.org, coach=coach.user, status="active")
        .order_by("-pk")
        .first()
    )
    if named is not None:
        client_actions.grant_consent(
            coach,
            named.client,
            purpose=ConsentPurpose.EMPLOYER_CONTACT,
            recipient=coach.org,
            categories=[],
            evidence=SIGNED,
        )
    monday = demo.today - datetime.timedelta(days=demo.today.weekday())
    visits = [
        (bakery, "vacancy", "community", named, "Vacature besproken, proefdag mogelijk."),
        (
            made["Groendienst Kapellen"],
            "getting_to_know",
            "community",
            None,
            "Kennismaking met de ploegbaas.",
        ),
        (made["Logistiek Schilde"], "job_carving", "community", None, "Rustige taken in het magazijn."),
        (made["Kringwinkel Zuid"], "getting_to_know", "office", None, "Uitleg over IPS aan de winkel."),
    ]
    for day, (employer, purpose, place, trajectory, note) in enumerate(visits):
        on = min(monday + datetime.timedelta(days=day), demo.today)
        actions.log_contact(
            coach,
            employer,
            on=on,
            mode="face_to_face",
            purpose=purpose,
            place=place,
            trajectory=trajectory,
            note=note,
        )
    actions.log_contact(
        coach,
        made["Logistiek Schilde"],
        on=monday - datetime.timedelta(days=3),
        mode="phone",
        purpose="getting_to_know",
        place="office",
        note="Afspraak gemaakt.",
    )
    if named is not None:
        actions.introduce(coach, opening, named, on=demo.today)
