"""Employers and job development (issue 15) for the generated network: employers of every
sub-region (one per ten clients: 20,000 at full scale), a few contact persons and openings, and
a year of job development contacts by the coaches of the work organisations (six per employer:
120,000 at full scale). Written after the clients through the ORM in bulk, with the invariants the
actions keep (employers.actions):

- an enterprise number has valid check digits (97 minus the first eight digits modulo 97) and is
  unique;
- a contact is recorded by a coach for the organisation of that coach's membership;
- a contact names a client only for an open IPS trajectory the coach carries, and only with an
  active consent for employer contact that names the coach's organisation (written here with it);
  most IPS clients have one, so the caseload's "no employer contact yet" list stays short.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose, EvidenceKind
from werkbrug.demo.generator.config import Scale
from werkbrug.employers.models import (
    ContactMode,
    ContactPerson,
    ContactPlace,
    ContactPurpose,
    Employer,
    EmployerContact,
    EmployerSize,
    JobType,
    Opening,
    Sector,
)
from werkbrug.network.models import Membership, OrganisationKind, Role, SubRegion
from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

CLIENTS_PER_EMPLOYER = 10
CONTACTS_PER_EMPLOYER = 6
NAMED_SHARE = 0.8  # of the open IPS trajectories: a consent and one to three contacts naming them
BATCH = 5_000
KINDS = ["Bakkerij", "Garage", "Logistiek", "Groendienst", "Kringwinkel", "Horeca", "Schoonmaak", "Drukkerij"]
PLACES = ["Noord", "Zuid", "Centrum", "Haven", "Markt", "Dorp", "Veld", "Brug"]
NOTES = ["", "", "Kennismaking.", "Vacature besproken.", "Proefdag afgesproken.", "Jobcarving verkend."]
MODES = [ContactMode.FACE_TO_FACE] * 6 + [ContactMode.PHONE] * 3 + [ContactMode.EMAIL]
PURPOSES = ContactPurpose.values
SIZES = EmployerSize.values
SECTORS = Sector.values


def enterprise_number(first_eight: int) -> str:
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


def generate_employers(config: Scale, rng: random.Random) -> dict[str, int]:
    """Returns the rows written per model name."""
    now = timezone.now()
    today = timezone.localdate()
    regions = list(SubRegion.objects.values_list("pk", "name"))
    coaches = list(
        Membership.objects.filter(
            is_active=True, role=Role.COACH, organisation__kind=OrganisationKind.WORK
        ).values_list("user_id", "organisation_id")
    )
    if not coaches or not regions:
        return {}
    n_employers = max(10, config.clients // CLIENTS_PER_EMPLOYER)
    first = (Employer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    employer_ids: list[int] = []
    counts = {"Employer": 0, "ContactPerson": 0, "Opening": 0, "EmployerContact": 0, "EmployerConsent": 0}
    for start in range(0, n_employers, BATCH):
        size = min(BATCH, n_employers - start)
        with transaction.atomic():
            employers = []
            for i in range(start, start + size):
                region_id, region = regions[i % len(regions)]
                employers.append(
                    Employer(
                        name=f"{rng.choice(KINDS)} {rng.choice(PLACES)} {first + i}",
                        enterprise_number=enterprise_number(1_000_000 + first + i),
                        sector=rng.choice(SECTORS),
                        size=rng.choice(SIZES),
                        municipality=region,
                        subregion_id=region_id,
                        created_by_id=coaches[i % len(coaches)][0],
                        created_at=now - datetime.timedelta(days=rng.randint(1, 900)),
                    )
                )
            made = Employer.objects.bulk_create(employers, batch_size=1000)
            employer_ids += [e.pk for e in made]
            people = [
                ContactPerson(employer=e, name=f"Contact {e.pk}-{k}", role="HR")
                for e in made
                for k in range(rng.randint(0, 2))
            ]
            ContactPerson.objects.bulk_create(people, batch_size=2000)
            openings = [
                Opening(
                    employer=e,
                    title="Medewerker",
                    job_type=rng.choice(JobType.values),
                    hours_per_week=rng.choice([12, 19, 24, 30, 38]),
                    opened_on=today - datetime.timedelta(days=rng.randint(0, 120)),
                    created_by_id=e.created_by_id,
                )
                for e in made
                if rng.random() < 0.1
            ]
            Opening.objects.bulk_create(openings, batch_size=2000)
            contacts = [
                _contact(rng, today, now, e.pk, rng.choice(coaches))
                for e in made
                for _k in range(CONTACTS_PER_EMPLOYER)
            ]
            EmployerContact.objects.bulk_create(contacts, batch_size=2000)
        counts["Employer"] += len(made)
        counts["ContactPerson"] += len(people)
        counts["Opening"] += len(openings)
        counts["EmployerContact"] += len(contacts)
    named, consents = _named(rng, today, now, employer_ids)
    counts["EmployerContact"] += named
    counts["EmployerConsent"] += consents
    return counts


def _contact(
    rng: random.Random,
    today: datetime.date,
    now: datetime.datetime,
    employer_id: int,
    coach: tuple[int, int],
    trajectory_id: int | None = None,
    on: datetime.date | None = None,
) -> EmployerContact:
    day = on or today - datetime.timedelta(days=int(rng.random() ** 1.5 * 365))
    return EmployerContact(
        employer_id=employer_id,
        on=day,
        coach_id=coach[0],
        organisation_id=coach[1],
        mode=rng.choice(MODES),
        purpose=rng.choice(PURPOSES),
        place=ContactPlace.COMMUNITY if rng.random() < 0.7 else ContactPlace.OFFICE,
        trajectory_id=trajectory_id,
        note=rng.choice(NOTES),
        recorded_at=now,
    )


def _named(
    rng: random.Random, today: datetime.date, now: datetime.datetime, employer_ids: list[int]
) -> tuple[int, int]:
    """Contacts naming the client of an open IPS trajectory, by its coach, with the consent."""
    rows = list(
        Trajectory.objects.filter(
            status=TrajectoryStatus.ACTIVE, type__code="ips", coach__isnull=False
        ).values_list("pk", "client_id", "lead_organisation_id", "coach_id", "started_on")
    )
    consents, contacts = [], []
    for pk, client_id, org_id, coach_id, started_on in rows:
        if rng.random() >= NAMED_SHARE:
            continue
        consents.append(
            Consent(
                client_id=client_id,
                purpose=ConsentPurpose.EMPLOYER_CONTACT,
                recipient_id=org_id,
                categories=[],
                given_on=started_on,
                evidence=EvidenceKind.SIGNED_FORM,
                recorded_by_id=coach_id,
                recorded_by_organisation_id=org_id,
                recorded_at=now,
            )
        )
        span = max(0, (today - started_on).days)
        for _k in range(rng.randint(1, 3)):
            on = started_on + datetime.timedelta(days=rng.randint(0, span))
            contacts.append(_contact(rng, today, now, rng.choice(employer_ids), (coach_id, org_id), pk, on))
    with transaction.atomic():
        Consent.objects.bulk_create(consents, batch_size=2000)
        EmployerContact.objects.bulk_create(contacts, batch_size=2000)
    return len(contacts), len(consents)
