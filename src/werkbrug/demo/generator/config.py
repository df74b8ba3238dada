"""The generator's settings: the scales, the mix of organisations and coaches, and the names, texts
and weighted choices the rows draw from."""

from __future__ import annotations

import json
from dataclasses import dataclass

from werkbrug.clients.models import CONSENT_CATEGORY_VALUES, DataCategory
from werkbrug.demo import names
from werkbrug.demo.network import GTB_INDICATIONS, SARA_INDICATIONS
from werkbrug.network.models import OrganisationKind, OrganisationType

GENERATED_PASSWORD = "werkbrug-bench-2026"  # noqa: S105 - synthetic benchmark users only
YEARS = 5


@dataclass(frozen=True)
class Scale:
    orgs: int
    users: int
    clients: int
    trajectories: int
    contacts: int
    batch: int  # clients written per transaction


SCALES = {
    "tiny": Scale(orgs=12, users=40, clients=150, trajectories=220, contacts=2_200, batch=100),
    "small": Scale(orgs=10, users=50, clients=2_000, trajectories=3_000, contacts=30_000, batch=1_000),
    "full": Scale(
        orgs=1_000, users=5_000, clients=200_000, trajectories=300_000, contacts=3_000_000, batch=2_500
    ),
}

# Share of trajectories that are open (active or paused) today; with ~35 dossiers per FTE this sets
# how many coaches the network needs.
OPEN_SHARE = 0.2
OCCUPANCY = 0.9
# Open trajectories are seen more often than the long tail of a closed one (every 1-3 weeks), so
# they get this many times the contact density.
OPEN_CONTACT_DENSITY = 2.5

T = OrganisationType
# type, kind, count in the full network, always at least one
ORG_MIX: list[tuple[str, str, int, bool]] = [
    (T.PZ, OrganisationKind.CARE, 30, True),
    (T.AZ, OrganisationKind.CARE, 40, False),
    (T.PAAZ, OrganisationKind.CARE, 20, False),
    (T.CGG, OrganisationKind.CARE, 60, True),
    (T.IBW, OrganisationKind.CARE, 60, True),
    (T.CPR, OrganisationKind.CARE, 20, False),
    (T.WGC, OrganisationKind.CARE, 40, False),
    (T.GP, OrganisationKind.CARE, 200, True),
    (T.CAW, OrganisationKind.CARE, 40, False),
    (T.VAPH, OrganisationKind.CARE, 50, False),
    (T.VDAB, OrganisationKind.WORK, 40, True),
    (T.GTB, OrganisationKind.WORK, 30, True),
    (T.GOB, OrganisationKind.WORK, 40, True),
    (T.IPS, OrganisationKind.WORK, 40, False),
    (T.ARBEIDSCOACH, OrganisationKind.WORK, 40, True),
    (T.ARBEIDSZORG, OrganisationKind.WORK, 80, False),
    (T.MAATWERK, OrganisationKind.WORK, 70, False),
    (T.MUTUALITEIT, OrganisationKind.INSURER, 30, True),
    (T.OCMW, OrganisationKind.OTHER, 50, False),
    (T.FUNDER, OrganisationKind.OTHER, 5, True),
    (T.OTHER, OrganisationKind.OTHER, 15, True),
]
TRAJECTORY_TYPE: dict[str, str] = {
    T.ARBEIDSCOACH: "arbeidscoach",
    T.GTB: "gtb",
    T.IPS: "ips",
    T.GOB: "gob",
    T.VDAB: "vdab",
    T.ARBEIDSZORG: "arbeidszorg",
    T.MAATWERK: "arbeidszorg",
}
# Coaches per work organisation, relative.
WORK_WEIGHT: dict[str, float] = {T.VDAB: 3.0, T.GTB: 2.0, T.ARBEIDSCOACH: 1.2, T.IPS: 1.0, T.GOB: 1.0}
# The arbeidscoach and GTB lines take the indications of the demo's SaRA and GTB lines.
LINE_INDICATIONS: dict[str, list[str]] = {
    T.ARBEIDSCOACH: SARA_INDICATIONS,
    T.GTB: GTB_INDICATIONS,
    T.IPS: ["psychiatric_expertise", "whole_trajectory", "shared_focus"],
}
HANDOVER_TARGETS = (T.GTB, T.GOB, T.VDAB)

SUBREGIONS = [
    "Antwerpen", "Mechelen", "Turnhout", "Leuven", "Halle-Vilvoorde", "Brugge", "Oostende", "Veurne",
    "Diksmuide", "Ieper", "Kortrijk", "Roeselare", "Tielt", "Gent", "Aalst", "Dendermonde",
    "Sint-Niklaas", "Oudenaarde", "Eeklo", "Hasselt", "Genk", "Tongeren",
]  # fmt: skip
# The demo's names and a few more.
FIRST_NAMES = [
    *names.FIRST_NAMES_F,
    *(name for name in names.FIRST_NAMES_M if name != "Pieter-Jan"),
    "Mohamed",
]
LAST_NAMES = [
    *names.LAST_NAMES,
    "Claes", "Maes", "Jacobs", "Mertens", "Willems", "Peeters", "Janssens", "Wouters", "Vermeulen",
    "El Idrissi", "Yilmaz", "Nowak", "Dubois",
]  # fmt: skip
QUESTIONS = [
    "Wil graag opnieuw aan het werk, stap voor stap.",
    "Zoekt zinvolle dagbesteding met het oog op werk.",
    "Wil uitzoeken welk werk haalbaar is naast de behandeling.",
    "Zoekt een opleiding en begeleiding naar werk.",
    "Wil terug naar de vroegere job, met aanpassingen.",
]
NOTES = [
    "", "", "", "Gesprek over wensen en sterktes.", "Arbeidsprofiel aangevuld.", "Vacatures bekeken.",
    "Trio-gesprek met de zorgpartner.", "Opvolging op het werk.", "Werkgever bezocht.",
    "Dagstructuur besproken.", "Kort telefoontje, gaat goed.", "Afspraak verzet.",
]  # fmt: skip
GOALS = [
    "Dagstructuur opbouwen", "Cv opmaken", "Inschrijven bij VDAB", "Vrijwilligerswerk verkennen",
    "Gesprek met de werkgever voorbereiden", "Opleiding kiezen", "Arbeidsattitudes oefenen",
    "Inkomensplan bespreken", "Netwerkplan opstellen",
]  # fmt: skip
# Contact kinds with their weights; outreach attempts do not count as contact.
CONTACT_KINDS = (
    ["face_to_face"] * 45 + ["phone"] * 24 + ["email"] * 10 + ["home_visit"] * 5 + ["employer"] * 7
    + ["three_way"] * 6 + ["outreach_attempt"] * 3
)  # fmt: skip
CLOSE_REASONS = (
    ["goal_reached"] * 40 + ["client_choice"] * 15 + ["care_first"] * 15 + ["lost_contact"] * 10
    + ["handed_on"] * 10 + ["moved"] * 5 + ["other"] * 5
)  # fmt: skip
PHASES = ["intake", "engagement", "assessment", "search", "coaching", "follow_along"]
ALL_CATEGORIES = json.dumps(sorted(CONSENT_CATEGORY_VALUES))
SHARE_CATEGORIES = json.dumps(sorted([DataCategory.IDENTITY, DataCategory.REFERRAL, DataCategory.TRAJECTORY]))
