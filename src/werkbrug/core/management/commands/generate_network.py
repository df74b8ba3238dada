"""`manage.py generate_network --scale {tiny,small,full}`: a synthetic network for the benchmarks.

Full scale is DESIGN §6's Flanders-sized network: 1,000 organisations, 5,000 users, 200,000
clients, 300,000 trajectories, about 3,000,000 contacts. Going through the actions would take
hours, so the rows are written directly in batches (executemany of one INSERT on SQLite, COPY on
PostgreSQL), but with exactly the invariants the actions produce:

- registering a client: Involvement(registered) + an active `record` consent for that organisation;
- a referral: Involvement(referrer) and Involvement(line), an active `collaboration` consent for
  the line's organisation (only if none is active yet, like `ensure_consent`), ReferralEvents for
  every triage step (submitted, redirected, waitlisted, to the case team, assigned, accepted,
  declined) with the status fields `move_to()` sets;
- accepting a referral: a trajectory led by the line's organisation with the assigned coach,
  Involvement(lead), the referring organisation as partner (care partner in the background) with
  Involvement(partner), a `started` event;
- contacts: `first_contact_on`/`last_contact_on` are the min/max contact date, outreach attempts
  and care notes excluded, as `record_contact()` keeps them; care notes only by care partners; closing for lost
  contact only after three outreach attempts in the 60 days before;
- handovers: proposed (Involvement(handover) + consent) or accepted (new lead, coach and type,
  Involvement(lead), the former lead as partner);
- coaches with a membership, FTE and capacity; most carry 20-40 active dossiers.

Everything is dated within the last five years. Users share one password (printed at the end).
"""

from __future__ import annotations

import bisect
import datetime
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from werkbrug.clients.models import (
    CONSENT_CATEGORY_VALUES,
    Client,
    Consent,
    ConsentPurpose,
    DataCategory,
    Involvement,
    InvolvementReason,
)
from werkbrug.core.demo import ensure_trajectory_types
from werkbrug.core.models import AuditEvent
from werkbrug.network.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReferralLine,
    Role,
    SubRegion,
    User,
)
from werkbrug.referrals.models import Referral, ReferralEvent
from werkbrug.trajectories.models import (
    OUTREACH_ATTEMPTS_REQUIRED,
    PAID_WORK_VERIFY_AFTER_DAYS,
    Contact,
    Handover,
    LadderPosition,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
    TrajectoryType,
)

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
LINE_INDICATIONS: dict[str, list[str]] = {
    T.ARBEIDSCOACH: [
        "low_threshold",
        "intensive_vulnerability",
        "psychiatric_expertise",
        "work_attitudes",
        "whole_trajectory",
        "shared_focus",
    ],
    T.GTB: ["vulnerability_background", "disability_expertise", "intensive_work"],
    T.IPS: ["psychiatric_expertise", "whole_trajectory", "shared_focus"],
}
HANDOVER_TARGETS = (T.GTB, T.GOB, T.VDAB)

SUBREGIONS = [
    "Antwerpen", "Mechelen", "Turnhout", "Leuven", "Halle-Vilvoorde", "Brugge", "Oostende", "Veurne",
    "Diksmuide", "Ieper", "Kortrijk", "Roeselare", "Tielt", "Gent", "Aalst", "Dendermonde",
    "Sint-Niklaas", "Oudenaarde", "Eeklo", "Hasselt", "Genk", "Tongeren",
]  # fmt: skip
FIRST_NAMES = [
    "Amber", "Bieke", "Charlotte", "Dorien", "Eline", "Fien", "Greet", "Hanne", "Ines", "Joke",
    "Katrien", "Lotte", "Marieke", "Nele", "Sara", "Tine", "Veerle", "Yasmina", "Zoë", "Leen",
    "Arne", "Bart", "Cedric", "Dries", "Emiel", "Frederik", "Gert", "Hamza", "Jonas", "Kristof",
    "Lander", "Mathias", "Nico", "Olivier", "Ruben", "Stijn", "Thijs", "Wout", "Yannick", "Mohamed",
]  # fmt: skip
LAST_NAMES = [
    "Aerts", "Baeten", "Cools", "De Backer", "De Wilde", "Dierckx", "Engelen", "Geens", "Goossens",
    "Hendrickx", "Huybrechts", "Lambrechts", "Leysen", "Michiels", "Moens", "Nijs", "Op de Beeck",
    "Roels", "Segers", "Smolders", "Stevens", "Thys", "Van Dyck", "Van Hove", "Verbist", "Verlinden",
    "Wuyts", "Van Looy", "Schoofs", "Bosmans", "Claes", "Maes", "Jacobs", "Mertens", "Willems",
    "Peeters", "Janssens", "Wouters", "Vermeulen", "El Idrissi", "Yilmaz", "Nowak", "Dubois",
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


# ---------------------------------------------------------------------------------------------
# Writing rows


class Writer:
    """Writes tuples in the model's concrete-field order (id included): COPY on PostgreSQL,
    executemany on SQLite. Values are already in a text form both databases parse."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows_written = 0

    def write(self, model: type[models.Model], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = [f.column for f in model._meta.concrete_fields]
        if len(rows[0]) != len(columns):
            raise CommandError(f"{model.__name__}: {len(rows[0])} values for {len(columns)} columns")
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        names = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                raw = cursor.cursor
                marks = ", ".join("?" * len(columns))
                # Plain sqlite3 executemany: Django's wrapper would re-format every statement.
                # Table and column names come from the models' metadata, never from input.
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                for start in range(0, len(rows), 50_000):
                    raw.executemany(sql, rows[start : start + 50_000])
        self.rows_written += len(rows)


class Ids:
    """Primary keys handed out here, from the table's current maximum on."""

    def __init__(self, *models_: type[models.Model]) -> None:
        self.next = {m: (m._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in models_}

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


# ---------------------------------------------------------------------------------------------
# The network (organisations, users, lines): small, through the ORM


@dataclass
class Org:
    pk: int
    kind: str
    org_type: str
    subregion_id: int | None
    weight: float
    line_id: int = 0  # set once the lines exist
    type_id: int = 0
    coaches: list[int] = field(default_factory=list)
    coach_weights: list[float] = field(default_factory=list)
    screeners: list[int] = field(default_factory=list)
    client_users: list[int] = field(default_factory=list)


class NetworkBuilder:
    def __init__(self, scale: Scale, rng: random.Random) -> None:
        self.scale = scale
        self.rng = rng

    def build(self) -> dict[str, Any]:
        rng, scale = self.rng, self.scale
        factor = scale.orgs / 1000
        n_sub = max(2, min(len(SUBREGIONS), scale.orgs // 10))
        regions = [SubRegion.objects.get_or_create(name=name)[0] for name in SUBREGIONS[:n_sub]]
        base = (Organisation.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        org_rows: list[Organisation] = []
        for org_type, kind, full, essential in ORG_MIX:
            count = round(full * factor)
            if essential:
                count = max(1, count)
            for _ in range(count):
                region = rng.choice(regions)
                org_rows.append(
                    Organisation(
                        name=f"{org_type} {region.name} {base + len(org_rows)}",
                        kind=kind,
                        org_type=org_type,
                        subregion=region,
                    )
                )
        created = Organisation.objects.bulk_create(org_rows)
        if created[0].pk is None:  # SQLite before RETURNING support: read them back
            created = list(Organisation.objects.filter(name__in=[o.name for o in org_rows]))
        orgs = [Org(o.pk, o.kind, o.org_type, o.subregion_id, rng.lognormvariate(0, 0.6)) for o in created]
        types = {t.code: t for t in TrajectoryType.objects.all()}
        work = [o for o in orgs if o.kind == OrganisationKind.WORK]
        registering = [
            o
            for o in orgs
            if o.kind in (OrganisationKind.CARE, OrganisationKind.INSURER) or o.org_type == T.OCMW
        ]
        for o in work:
            o.weight *= WORK_WEIGHT.get(o.org_type, 0.7)
            code = TRAJECTORY_TYPE[o.org_type]
            if o.org_type == T.IPS and rng.random() < 0.25:
                code = "dcm"
            o.type_id = types[code].pk

        # Coaches until the network's capacity covers the open trajectories at ~90% occupancy.
        open_target = scale.trajectories * OPEN_SHARE
        capacity_of = {t.pk: t.capacity_per_fte for t in types.values()}
        plans: list[tuple[Org, str, dict[str, Any]]] = []  # (org, role, membership extras)
        coach_capacity = 0.0
        work_cum = _cumulative([o.weight for o in work])
        coach_orgs = list(work)  # one coach at every work organisation first
        while coach_capacity < open_target / OCCUPANCY or coach_orgs:
            o = coach_orgs.pop() if coach_orgs else work[bisect.bisect(work_cum, rng.random() * work_cum[-1])]
            fte = rng.choice([1.0] * 15 + [0.8] * 3 + [0.5] * 2)
            capacity = round(capacity_of[o.type_id] * fte)
            coach_capacity += capacity
            plans.append((o, Role.COACH, {"fte": f"{fte:.2f}", "capacity": capacity}))
        for o in work:
            for _ in range(1 if rng.random() < 0.7 else 2):
                plans.append((o, Role.SCREENER, {}))
            plans.append((o, Role.COORDINATOR, {}))
        others = [o for o in orgs if o.org_type == T.OTHER]
        funders = [o for o in orgs if o.org_type == T.FUNDER]
        for i in range(max(1, scale.users // 150)):
            plans.append((others[i % len(others)], Role.NETWORK_ADMIN, {}))
        for i in range(max(1, scale.users // 70)):
            plans.append((funders[i % len(funders)], Role.FUNDER, {}))
        care_budget = max(len(registering), scale.users - len(plans))
        for o in registering:  # at least one at each
            plans.append((o, Role.CARE_PROFESSIONAL, {}))
        reg_cum = _cumulative([o.weight for o in registering])
        for _ in range(care_budget - len(registering)):
            o = registering[bisect.bisect(reg_cum, rng.random() * reg_cum[-1])]
            plans.append((o, Role.CARE_PROFESSIONAL, {}))

        password = make_password(GENERATED_PASSWORD)
        first_user = (User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        users = [
            User(
                username=f"{role.replace('_', '')}{first_user + i}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"{role}{first_user + i}@bench.werkbrug.invalid",
                password=password,
            )
            for i, (_o, role, _e) in enumerate(plans)
        ]
        users = User.objects.bulk_create(users, batch_size=1000)
        if users[0].pk is None:
            by_name = dict(
                User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
            )
            for u in users:
                u.pk = by_name[u.username]
        Membership.objects.bulk_create(
            [
                Membership(user_id=u.pk, organisation_id=o.pk, role=role, **extra)
                for u, (o, role, extra) in zip(users, plans, strict=True)
            ],
            batch_size=1000,
        )
        for u, (o, role, extra) in zip(users, plans, strict=True):
            if role == Role.COACH:
                o.coaches.append(u.pk)
                o.coach_weights.append(float(extra["capacity"]))
                o.client_users.append(u.pk)
            elif role == Role.SCREENER:
                o.screeners.append(u.pk)
                o.client_users.append(u.pk)
            elif role in (Role.COORDINATOR, Role.CARE_PROFESSIONAL):
                o.client_users.append(u.pk)

        lines = ReferralLine.objects.bulk_create(
            [
                ReferralLine(
                    name=f"Lijn {o.org_type} {o.pk}",
                    organisation_id=o.pk,
                    description="Synthetic referral line.",
                    indications=LINE_INDICATIONS.get(o.org_type, ["intensive_work", "whole_trajectory"]),
                    default_trajectory_type=TRAJECTORY_TYPE[o.org_type],
                )
                for o in work
            ]
        )
        if lines[0].pk is None:
            lines = list(ReferralLine.objects.filter(organisation_id__in=[o.pk for o in work]))
        by_org = {line.organisation_id: line.pk for line in lines}
        through = ReferralLine.screeners.through
        links: list[Any] = []
        for o in work:
            o.line_id = by_org[o.pk]
            links.extend(through(referralline_id=o.line_id, user_id=s) for s in o.screeners)
        through.objects.bulk_create(links)
        return {
            "orgs": orgs,
            "work": work,
            "registering": registering,
            "users": len(users),
            "coaches": sum(len(o.coaches) for o in work),
            "types": types,
        }


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------------------------------------
# Planning: who gets how many trajectories, and when


@dataclass
class Episode:
    """One referral and (if accepted) its trajectory, in days since the window start."""

    kind: str  # "trajectory", "declined", "open_referral"
    referral_day: int
    start: int = 0
    end: int | None = None  # None: still open (or no trajectory)
    open_status: str = ""  # for open referrals: submitted / waiting / case_team / assigned


class Planner:
    def __init__(self, scale: Scale, rng: random.Random, horizon: int) -> None:
        self.scale, self.rng, self.today = scale, rng, horizon

    def counts(self) -> list[tuple[int, bool, str]]:
        """Per client: (number of trajectories, last one open?, extra: '', 'declined', 'open_referral')."""
        rng, n = self.rng, self.scale.clients
        plan: list[list[Any]] = []
        for _ in range(n):
            r = rng.random()
            if r < 0.03:
                plan.append([0, False, ""])  # registered only
            elif r < 0.07:
                plan.append([1 if rng.random() < 0.3 else 0, False, "open_referral"])
            elif r < 0.12:
                plan.append([0, False, "declined"])
            else:
                k = rng.choices([1, 2, 3, 4, 5], [55, 27, 12, 4, 2])[0]
                plan.append([k, False, "declined" if rng.random() < 0.08 else ""])
        # Adjust to the exact number of trajectories.
        target = self.scale.trajectories
        holders = [p for p in plan if p[0] > 0 and p[2] != "open_referral"]
        total = sum(p[0] for p in plan)
        while total != target:
            p = rng.choice(holders)
            if total < target:
                p[0] += 1
                total += 1
            elif p[0] > 1:
                p[0] -= 1
                total -= 1
        # Which clients' last trajectory is still open.
        open_needed = round(target * OPEN_SHARE)
        rng.shuffle(holders)
        for p in holders[:open_needed]:
            p[1] = True
        return [(p[0], p[1], p[2]) for p in plan]

    def timeline(self, n_traj: int, last_open: bool, extra: str) -> tuple[int, list[Episode]]:
        """Registration day and episodes, all within [0, today]."""
        rng, today = self.rng, self.today
        kinds = ["trajectory"] * n_traj
        if extra == "declined":
            # Never after an open trajectory: it stays the last episode.
            kinds.insert(rng.randrange(len(kinds) + (0 if last_open else 1)) if kinds else 0, "declined")
        if extra == "open_referral":
            kinds.append("open_referral")
        if not kinds:
            return rng.randrange(today + 1), []
        # Durations in days: wait before the decision, trajectory length, gap to the next referral.
        segments = []
        for i, kind in enumerate(kinds):
            last = i == len(kinds) - 1
            wait = rng.randint(3, 75) if kind == "trajectory" else rng.randint(2, 30)
            if kind == "trajectory" and not (last and last_open):
                length = int(rng.lognormvariate(5.6, 0.6)) + 30  # median ~300 days
            else:
                length = 0
            gap = 0 if last else rng.randint(14, 240)
            segments.append([wait, length, gap])
        span = sum(sum(s) for s in segments)
        # Where the last episode sits: open things are recent.
        if kinds[-1] == "open_referral":
            tail = rng.randint(0, 90)
            end = today - tail
            span -= segments[-1][0]  # the open referral has no decision yet
        elif last_open:
            end = today - min(int(rng.expovariate(1 / 260)), today // 2)
        else:
            end = today - 1 - rng.randrange(max(1, today - span - 30)) if span + 30 < today else today - 1
        available = end - 30
        if span > available:
            factor = available / span
            for s in segments:
                s[0] = max(1, int(s[0] * factor))
                s[1] = int(s[1] * factor)
                s[2] = int(s[2] * factor)
            span = sum(sum(s) for s in segments) - (segments[-1][0] if kinds[-1] == "open_referral" else 0)
        day = max(0, end - span)
        episodes = []
        for kind, (wait, length, gap) in zip(kinds, segments, strict=True):
            episode = Episode(kind, referral_day=day)
            if kind == "trajectory":
                episode.start = min(day + wait, today)
                episode.end = episode.start + length
                day = (episode.end if episode.end is not None else episode.start) + gap
            elif kind == "declined":
                episode.end = min(day + wait, today)
                day = episode.end + gap
            else:
                episode.open_status = rng.choices(
                    ["submitted", "waiting", "case_team", "assigned"], [30, 45, 10, 15]
                )[0]
            episodes.append(episode)
        # The last trajectory of a client whose history is open has no end.
        if last_open and episodes and episodes[-1].kind == "trajectory":
            episodes[-1].end = None
        registration = max(0, episodes[0].referral_day - rng.randint(0, 30))
        return registration, episodes


# ---------------------------------------------------------------------------------------------
# Generating the rows


class RowFactory:
    """Turns planned clients into rows, keeping the invariants of the actions."""

    def __init__(self, net: dict[str, Any], rng: random.Random, today: datetime.date, postgres: bool) -> None:
        self.rng = rng
        self.net = net
        self.horizon = YEARS * 365
        self.start_date = today - datetime.timedelta(days=self.horizon)
        self.days = [
            (self.start_date + datetime.timedelta(days=d)).isoformat() for d in range(self.horizon + 400)
        ]
        suffix = "+00" if postgres else ""
        self.times = [f" {h:02d}:{m:02d}:00{suffix}" for h in range(7, 19) for m in range(0, 60, 5)]
        self.ids = Ids(*WRITE_ORDER)
        work = net["work"]
        self.work = work
        self.coach_pool: list[tuple[Org, int]] = [(o, c) for o in work for c in o.coaches]
        self.coach_cum = _cumulative([w for o in work for w in o.coach_weights])
        self.registering = net["registering"]
        self.reg_cum = _cumulative([o.weight for o in self.registering])
        self.handover_targets = [o for o in work if o.org_type in HANDOVER_TARGETS] or work
        self.reset()
        self.contact_rate = 0.0

    def reset(self) -> None:
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {m: [] for m in self.ids.next}

    # -- helpers -----------------------------------------------------------------------------

    def dt(self, day: int) -> str:
        return self.days[day] + self.times[int(self.rng.random() * len(self.times))]

    def coach(self) -> tuple[Org, int]:
        return self.coach_pool[bisect.bisect(self.coach_cum, self.rng.random() * self.coach_cum[-1])]

    def registering_org(self) -> Org:
        if self.rng.random() < 0.12:
            return self.rng.choice(self.work)
        return self.registering[bisect.bisect(self.reg_cum, self.rng.random() * self.reg_cum[-1])]

    def audit(
        self, day: int, user: int, org: int, client: int, action: str, obj: str, obj_id: int, summary: str
    ) -> None:
        self.rows[AuditEvent].append(
            (self.ids.take(AuditEvent), self.dt(day), user, org, client, action, obj, obj_id, summary, False)
        )

    # -- one client --------------------------------------------------------------------------

    def client(self, registration: int, episodes: list[Episode]) -> None:
        rng, rows, ids = self.rng, self.rows, self.ids
        reg_org = self.registering_org()
        reg_user = rng.choice(reg_org.client_users)
        client_id = ids.take(Client)
        gender = "F" if rng.random() < 0.55 else ("M" if rng.random() < 0.97 else "X")
        birth = datetime.date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        rows[Client].append(
            (
                client_id,
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                birth,
                gender,
                "",
                reg_org.subregion_id,
                "",
                "",
                "",
                rng.choice(["incapacity", "incapacity", "unemployment", "living_wage", "unknown"]),
                rng.random() < 0.95,
                "",
                reg_org.pk,
                self.dt(registration),
            )
        )
        involved: set[tuple[int, str]] = set()
        consented: set[int] = set()  # organisations with an active collaboration consent

        def involve(org: int, reason: str, day: int) -> None:
            if (org, reason) not in involved:
                involved.add((org, reason))
                rows[Involvement].append((ids.take(Involvement), client_id, org, reason, self.dt(day)))

        def consent(purpose: str, recipient: int, day: int, user: int, org: int) -> None:
            if purpose == ConsentPurpose.COLLABORATION:
                if recipient in consented:
                    return
                consented.add(recipient)
            evidence = "signed_form" if rng.random() < 0.85 else "verbal"
            rows[Consent].append(
                (
                    ids.take(Consent),
                    client_id,
                    purpose,
                    recipient,
                    ALL_CATEGORIES if purpose == ConsentPurpose.RECORD else SHARE_CATEGORIES,
                    self.days[day],
                    None,
                    evidence,
                    "",
                    "",  # evidence_file: no uploaded form
                    user,
                    org,
                    self.dt(day),
                    None,
                    None,
                )
            )

        involve(reg_org.pk, InvolvementReason.REGISTERED, registration)
        consent(ConsentPurpose.RECORD, reg_org.pk, registration, reg_user, reg_org.pk)
        self.audit(
            registration, reg_user, reg_org.pk, client_id, "create", "client", client_id, "client registered"
        )

        previous_lead: tuple[Org, int] | None = None
        for episode in episodes:
            # Who refers: the registering organisation, or the last lead onward to another line.
            if previous_lead is not None and rng.random() < 0.3:
                ref_org, ref_user = previous_lead[0], previous_lead[1]
                channel = "work_partner"
            else:
                ref_org, ref_user = reg_org, reg_user
                channel = self.channel(reg_org)
            lead, coach = self.coach()
            previous_lead = (
                self.referral_and_trajectory(
                    client_id, episode, ref_org, ref_user, channel, lead, coach, involve, consent
                )
                or previous_lead
            )

    def channel(self, org: Org) -> str:
        if org.kind == OrganisationKind.WORK:
            return self.rng.choice(["self", "info_session", "ward", "work_partner"])
        if org.org_type == T.GP:
            return "gp"
        if org.kind == OrganisationKind.INSURER:
            return "insurer"
        if org.org_type == T.OCMW:
            return "other"
        return "care_professional" if self.rng.random() < 0.9 else "ward"

    def referral_and_trajectory(
        self,
        client_id: int,
        ep: Episode,
        ref_org: Org,
        ref_user: int,
        channel: str,
        lead: Org,
        coach: int,
        involve: Any,
        consent: Any,
    ) -> tuple[Org, int] | None:
        rng, rows, ids = self.rng, self.rows, self.ids
        referral_id = ids.take(Referral)
        day = ep.referral_day
        events: list[tuple[Any, ...]] = []

        def event(
            kind: str, at: int, by: int, org: int, from_line: int | None, to_line: int, note: str = ""
        ) -> None:
            events.append(
                (ids.take(ReferralEvent), referral_id, kind, self.dt(at), by, org, from_line, to_line, note)
            )

        # Submitted (perhaps first on another line, then redirected by that line's screener).
        line_org = lead
        first_org = line_org
        redirect_day = None
        if rng.random() < 0.05 and len(self.work) > 1:
            first_org = rng.choice(self.work)
            if first_org.pk == line_org.pk:
                first_org = line_org
            else:
                redirect_day = day + rng.randint(1, 5)
        consent(ConsentPurpose.COLLABORATION, first_org.pk, day, ref_user, ref_org.pk)
        involve(ref_org.pk, InvolvementReason.REFERRER, day)
        involve(first_org.pk, InvolvementReason.LINE, day)
        event("submitted", day, ref_user, ref_org.pk, None, first_org.line_id)
        self.audit(
            day, ref_user, ref_org.pk, client_id, "create", "referral", referral_id, "referral submitted"
        )
        if ep.kind == "trajectory":
            decision = ep.start
        elif ep.kind == "declined" and ep.end is not None:
            decision = ep.end
        else:
            decision = self.horizon
        if redirect_day is not None:
            redirect_day = min(redirect_day, decision)
            screener = rng.choice(first_org.screeners)
            consent(ConsentPurpose.COLLABORATION, line_org.pk, redirect_day, screener, first_org.pk)
            involve(line_org.pk, InvolvementReason.LINE, redirect_day)
            event("redirected", redirect_day, screener, first_org.pk, first_org.line_id, line_org.line_id)
        screener = rng.choice(line_org.screeners)
        status, decided_at, waiting_since, expected_start, assigned, decline_reason = (
            "submitted", None, None, None, None, ""
        )  # fmt: skip
        if ep.kind == "trajectory":
            triage = min(decision, day + rng.randint(1, 10))
            if rng.random() < 0.3:
                waiting_since = self.dt(triage)
                event("waitlisted", triage, screener, line_org.pk, None, line_org.line_id)
            elif rng.random() < 0.05:
                event("to_case_team", triage, screener, line_org.pk, None, line_org.line_id)
            assign_day = max(triage, decision - rng.randint(0, 3))
            event("assigned", assign_day, screener, line_org.pk, None, line_org.line_id)
            event("accepted", decision, coach, line_org.pk, None, line_org.line_id)
            status, decided_at, assigned = "accepted", self.dt(decision), coach
        elif ep.kind == "declined":
            event("declined", decision, screener, line_org.pk, None, line_org.line_id)
            status, decided_at = "declined", self.dt(decision)
            decline_reason = rng.choice(
                ["not_target_group", "no_work_question", "client_withdrew", "other_service"]
            )
        else:
            triage = min(self.horizon, day + rng.randint(0, 7))
            status = ep.open_status
            if status == "waiting":
                waiting_since = self.dt(triage)
                if rng.random() < 0.5:
                    expected_start = self.days[self.horizon + rng.randint(7, 120)]
                event("waitlisted", triage, screener, line_org.pk, None, line_org.line_id)
            elif status == "case_team":
                event("to_case_team", triage, screener, line_org.pk, None, line_org.line_id)
            elif status == "assigned":
                assigned = coach
                event("assigned", triage, screener, line_org.pk, None, line_org.line_id)
        rows[Referral].append(
            (
                referral_id,
                client_id,
                line_org.line_id,
                ref_org.pk,
                ref_user,
                rng.choice(QUESTIONS),
                json.dumps(LINE_INDICATIONS.get(line_org.org_type, ["intensive_work"])[:2]),
                "urgent" if rng.random() < 0.08 else "normal",
                channel,
                status,
                self.dt(day),
                decided_at,
                waiting_since,
                expected_start,
                assigned,
                decline_reason,
                "" if not decline_reason else "Besproken met de verwijzer.",
            )
        )
        rows[ReferralEvent].extend(events)
        if ep.kind != "trajectory":
            return None
        return self.trajectory(
            client_id, referral_id, ep, ref_org, ref_user, line_org, coach, involve, consent
        )

    def trajectory(
        self,
        client_id: int,
        referral_id: int,
        ep: Episode,
        ref_org: Org,
        ref_user: int,
        lead: Org,
        coach: int,
        involve: Any,
        consent: Any,
    ) -> tuple[Org, int]:
        rng, rows, ids = self.rng, self.rows, self.ids
        today = self.horizon
        tid = ids.take(Trajectory)
        start, end = ep.start, ep.end
        last_day = end if end is not None else today
        involve(lead.pk, InvolvementReason.LEAD, start)
        self.audit(
            start, coach, lead.pk, client_id, "create", "trajectory", tid, "trajectory started from referral"
        )
        t_events = [(ids.take(TrajectoryEvent), tid, "started", self.dt(start), coach, lead.pk, "")]
        care_partner = None
        if ref_org.pk != lead.pk:
            role = "care_background" if ref_org.kind == OrganisationKind.CARE else "contributing"
            rows[TrajectoryPartner].append(
                (ids.take(TrajectoryPartner), tid, ref_org.pk, role, ref_user, self.days[start])
            )
            involve(ref_org.pk, InvolvementReason.PARTNER, start)
            if ref_org.kind == OrganisationKind.CARE:
                care_partner = (ref_org.pk, ref_user)

        # Handover: accepted (lead changes) or, for open trajectories, proposed and waiting.
        type_id = lead.type_id
        segments = [(start, last_day, lead, coach)]
        r = rng.random()
        if r < 0.04 and last_day - start > 30:
            target, new_coach = self.handover_target(lead)
            proposed = start + rng.randint(15, last_day - start - 10)
            decided = min(last_day, proposed + rng.randint(1, 10))
            consent(ConsentPurpose.COLLABORATION, target.pk, proposed, coach, lead.pk)
            involve(target.pk, InvolvementReason.HANDOVER, proposed)
            involve(target.pk, InvolvementReason.LEAD, decided)
            rows[TrajectoryPartner].append(
                (ids.take(TrajectoryPartner), tid, lead.pk, "former_lead", None, self.days[decided])
            )
            rows[Handover].append(
                (ids.take(Handover), tid, lead.pk, target.pk, target.type_id, "Warme overdracht.", "accepted",
                 coach, self.dt(proposed), new_coach, self.dt(decided), "")
            )  # fmt: skip
            t_events.append(
                (ids.take(TrajectoryEvent), tid, "handover_proposed", self.dt(proposed), coach, lead.pk, "")
            )
            t_events.append(
                (
                    ids.take(TrajectoryEvent),
                    tid,
                    "handover_accepted",
                    self.dt(decided),
                    new_coach,
                    target.pk,
                    "",
                )
            )
            segments = [(start, decided, lead, coach), (decided, last_day, target, new_coach)]
            lead, coach, type_id = target, new_coach, target.type_id
        elif r < 0.045 and end is None and today - start > 20:
            target, _ = self.handover_target(lead)
            proposed = today - rng.randint(0, 14)
            consent(ConsentPurpose.COLLABORATION, target.pk, proposed, coach, lead.pk)
            involve(target.pk, InvolvementReason.HANDOVER, proposed)
            rows[Handover].append(
                (ids.take(Handover), tid, lead.pk, target.pk, target.type_id, "Klaar voor een regulier traject.",
                 "proposed", coach, self.dt(proposed), None, None, "")
            )  # fmt: skip
            t_events.append(
                (ids.take(TrajectoryEvent), tid, "handover_proposed", self.dt(proposed), coach, lead.pk, "")
            )

        # Status.
        status, close_reason, pause_reason, closed_on = "active", "", "", None
        if end is None:
            if rng.random() < 0.1:
                status, pause_reason = "paused", "Pauze op vraag van de cliënt."
                pause_day = rng.randint(start, today)
                t_events.append(
                    (
                        ids.take(TrajectoryEvent),
                        tid,
                        "paused",
                        self.dt(pause_day),
                        coach,
                        lead.pk,
                        pause_reason,
                    )
                )
            age = today - start
            phase = PHASES[sum(age > limit for limit in (30, 90, 180, 300, 500))]
        else:
            status, closed_on = "closed", end
            close_reason = CLOSE_REASONS[int(rng.random() * len(CLOSE_REASONS))]
            phase = rng.choice(PHASES[1:])
        if phase != "intake":
            phase_day = min(last_day, start + rng.randint(7, 60))
            t_events.append(
                (
                    ids.take(TrajectoryEvent),
                    tid,
                    "phase",
                    self.dt(phase_day),
                    coach,
                    lead.pk,
                    f"intake → {phase}",
                )
            )

        # Contacts: about `contact_rate` per active day; some open ones not seen for 6+ weeks.
        first = last = None
        contact_rows = rows[Contact]
        rnd = rng.random
        for seg_start, seg_end, seg_lead, seg_coach in segments:
            stop = seg_end
            if end is None and seg_end == today and rnd() < 0.08:
                stop = max(seg_start, today - rng.randint(43, 120))  # not seen for a while
            span = stop - seg_start
            density = self.contact_rate * (OPEN_CONTACT_DENSITY if end is None else 1.0)
            n = int(span * density * (0.5 + rnd()) + rnd())
            for _ in range(n):
                day = seg_start + int(rnd() * (span + 1))
                kind = CONTACT_KINDS[int(rnd() * len(CONTACT_KINDS))]
                care_only = care_partner is not None and rnd() < 0.04 and kind != "outreach_attempt"
                informal = not care_only and kind in ("phone", "email") and rnd() < 0.4
                if care_only and care_partner is not None:
                    by, org = care_partner[1], care_partner[0]
                else:
                    by, org = seg_coach, seg_lead.pk
                contact_rows.append(
                    (
                        ids.take(Contact),
                        tid,
                        self.days[day],
                        kind,
                        None if informal else (30, 45, 60, 60, 90)[int(rnd() * 5)],
                        NOTES[int(rnd() * len(NOTES))],
                        informal,
                        care_only,
                        by,
                        org,
                        self.days[day] + self.times[int(rnd() * len(self.times))],
                    )
                )
                if kind != "outreach_attempt" and not care_only:
                    if first is None or day < first:
                        first = day
                    if last is None or day > last:
                        last = day
        if close_reason == "lost_contact" and end is not None:
            # Never closed for missed appointments alone: three documented attempts first.
            for i in range(OUTREACH_ATTEMPTS_REQUIRED):
                day = max(start, end - 10 - 15 * i)
                contact_rows.append(
                    (ids.take(Contact), tid, self.days[day], "outreach_attempt", None, "Gebeld, geen antwoord.",
                     False, False, coach, lead.pk, self.dt(day))
                )  # fmt: skip
        if end is not None:
            note = "Toelichting bij de afsluiting." if close_reason == "other" else ""
            t_events.append(
                (ids.take(TrajectoryEvent), tid, "closed", self.dt(end), coach, lead.pk, close_reason)
            )
        else:
            note = ""
        rows[Trajectory].append(
            (
                tid,
                client_id,
                referral_id,
                type_id,
                lead.pk,
                coach,
                phase,
                status,
                self.days[start],
                self.days[closed_on] if closed_on is not None else None,
                close_reason,
                note,
                pause_reason,
                self.days[last] if last is not None else None,
                self.days[first] if first is not None else None,
            )
        )
        rows[TrajectoryEvent].extend(t_events)
        self.extras(tid, start, end, close_reason, lead, coach)
        return lead, coach

    def handover_target(self, lead: Org) -> tuple[Org, int]:
        for _ in range(10):
            target = self.rng.choice(self.handover_targets)
            if target.pk != lead.pk:
                break
        else:
            target = next(o for o in self.work if o.pk != lead.pk)
        return target, self.rng.choice(target.coaches)

    def extras(self, tid: int, start: int, end: int | None, close_reason: str, lead: Org, coach: int) -> None:
        """Ladder positions, plan goals and outcomes."""
        rng, rows, ids, today = self.rng, self.rows, self.ids, self.horizon
        last_day = end if end is not None else today
        span = last_day - start
        rung = rng.choice([1, 2, 2, 3, 3, 4])
        for i in range(rng.choice([1, 1, 2, 2, 3])):
            day = start + (span * i) // 3
            rows[LadderPosition].append((ids.take(LadderPosition), tid, self.days[day], rung, coach))
            rung = min(6, rung + rng.choice([0, 1, 1]))
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4]) if end is None else rng.choice([0, 1, 2])):
            created = start + int(rng.random() * (span + 1))
            due = created + rng.randint(14, 90)
            done = None
            if due <= today and rng.random() < (0.5 if end is None else 0.9):
                done = min(last_day, created + rng.randint(3, due - created + 20))
            rows[PlanGoal].append(
                (ids.take(PlanGoal), tid, rng.choice(GOALS), self.days[due], self.days[done] if done else None, coach, self.dt(created))
            )  # fmt: skip
        outcomes: list[tuple[str, int]] = []
        if end is not None:
            kind = {
                "goal_reached": rng.choice(
                    ["paid_work"] * 6 + ["training"] * 2 + ["volunteering", "work_care"]
                ),
                "client_choice": "no_further_steps",
                "care_first": "relapse_to_care",
                "lost_contact": "drop_out",
                "handed_on": "onward_referral",
            }.get(close_reason)
            if kind:
                outcomes.append((kind, end))
        elif rng.random() < 0.2:
            outcomes.append(
                (
                    rng.choice(["vdab_registration", "training", "volunteering", "paid_work"]),
                    start + span // 2,
                )
            )
        if rng.random() < 0.25 and span > 20:
            outcomes.append(("vdab_registration", start + rng.randint(0, span)))
        for kind, day in outcomes:
            economy, certainty, verified_on, verify_due = "", "estimated", None, None
            if kind == "paid_work":
                economy = "nec" if rng.random() < 0.67 else "social"
                verify_due = day + PAID_WORK_VERIFY_AFTER_DAYS
                if verify_due <= today and rng.random() < 0.75:
                    certainty, verified_on = "verified", min(today, verify_due + rng.randint(0, 30))
            rows[Outcome].append(
                (
                    ids.take(Outcome),
                    tid,
                    kind,
                    self.days[day],
                    economy,
                    certainty,
                    self.days[verified_on] if verified_on is not None else None,
                    self.days[verify_due] if verify_due is not None else None,
                    "",
                    coach,
                    lead.pk,
                )
            )


# Order of writing: parents before children (PostgreSQL checks the foreign keys at commit anyway).
WRITE_ORDER: list[type[models.Model]] = [
    Client,
    Consent,
    Involvement,
    Referral,
    ReferralEvent,
    Trajectory,
    TrajectoryPartner,
    Handover,
    TrajectoryEvent,
    Contact,
    LadderPosition,
    PlanGoal,
    Outcome,
    AuditEvent,
]


class Command(BaseCommand):
    help = "Generate a synthetic network (tiny, small or full = DESIGN §6) directly in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="Run even if the database has clients.")
        parser.add_argument("--batch", type=int, default=0, help="Clients per transaction.")

    def handle(self, *args: Any, scale: str, seed: int, force: bool, batch: int, **options: Any) -> None:
        config = SCALES[scale]
        if Client.objects.exists() and not force:
            raise CommandError("This database already has clients; use --force to add a network anyway.")
        began = time.monotonic()
        rng = random.Random(seed)
        verbosity = int(options.get("verbosity", 1))
        ensure_trajectory_types()
        with transaction.atomic():
            net = NetworkBuilder(config, rng).build()
        self.say(
            f"{len(net['orgs'])} organisations, {net['users']} users ({net['coaches']} coaches), "
            f"{len(net['work'])} referral lines on {connection.vendor}",
            began,
            verbosity,
        )
        today = timezone.localdate()
        factory = RowFactory(net, rng, today, connection.vendor == "postgresql")
        planner = Planner(config, rng, factory.horizon)
        plan = [(n, last_open, extra) for n, last_open, extra in planner.counts()]
        timelines = [planner.timeline(n, last_open, extra) for n, last_open, extra in plan]
        active_days = sum(
            (ep.end - ep.start) if ep.end is not None else (factory.horizon - ep.start) * OPEN_CONTACT_DENSITY
            for _registration, episodes in timelines
            for ep in episodes
            if ep.kind == "trajectory"
        )
        factory.contact_rate = config.contacts / max(1, active_days)
        writer = Writer()
        if writer.postgres is False:
            with connection.cursor() as cursor:
                # A bigger page cache for this connection only (nothing stays changed).
                cursor.execute("PRAGMA cache_size=-1000000")
        step = batch or config.batch
        totals: dict[str, int] = {}
        for first in range(0, len(timelines), step):
            for registration, episodes in timelines[first : first + step]:
                factory.client(registration, episodes)
            with transaction.atomic():
                for model in WRITE_ORDER:
                    rows = factory.rows[model]
                    writer.write(model, rows)
                    totals[model.__name__] = totals.get(model.__name__, 0) + len(rows)
            factory.reset()
            done = min(first + step, len(timelines))
            self.say(
                f"clients {done:,}/{len(timelines):,} · trajectories {totals.get('Trajectory', 0):,}/"
                f"{config.trajectories:,} · contacts {totals.get('Contact', 0):,} · rows {writer.rows_written:,}",
                began,
                verbosity,
            )
        if writer.postgres:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), WRITE_ORDER):
                    cursor.execute(sql)
        self.say("analysing the tables for the query planner", began, verbosity)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary = ", ".join(f"{name} {count:,}" for name, count in totals.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - began:.0f} s: {summary}."))
        self.stdout.write(f"Every generated user has the password {GENERATED_PASSWORD!r}.")

    def say(self, message: str, began: float, verbosity: int) -> None:
        if verbosity >= 1:
            self.stdout.write(f"[{time.monotonic() - began:7.1f} s] {message}")
            self.stdout.flush()
