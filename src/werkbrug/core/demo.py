"""The demo network: a fictional SaRA-like network in the Antwerp region (seed 000), built through
the real actions so that involvements, consents, events and the audit trail are what the
application itself writes.

Actions date what they write "today". To give the demo a history, every step runs inside
`Clock.at(day)`, which afterwards moves the timestamps of the rows that step wrote (and of the
rows it changed) back to that day with queryset `.update()` — no frozen time is needed. Dates the
actions accept as arguments (contact, ladder, outcome and closing dates) are passed directly.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import override_settings
from django.utils import timezone

from werkbrug.clients import actions as client_actions
from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import (
    VOCATIONAL_SECTIONS,
    BenefitStatus,
    Client,
    Consent,
    ConsentPurpose,
    DataCategory,
    EvidenceKind,
    Involvement,
    ProfileSection,
)
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditEvent
from werkbrug.exchange import actions as exchange_actions
from werkbrug.exchange.models import Feedback, SectionVersion
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
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import DeclineReason, Referral, ReferralEvent
from werkbrug.teams import actions as team_actions
from werkbrug.teams.models import CaseReason, TeamKind
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.defaults import ensure_default_types
from werkbrug.trajectories.models import (
    CloseReason,
    Contact,
    ContactKind,
    Economy,
    Handover,
    OutcomeKind,
    Phase,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
    TrajectoryType,
)

# One well-known password for every demo login. The demo is for laptops and trainings, never for
# a server that holds real data.
DEMO_PASSWORD = "werkbrug-demo-2026"  # noqa: S105 - public on purpose: demo data only
DEMO_URL = "http://127.0.0.1:8000"
# The login whose presence says the demo is loaded.
MARKER_USERNAME = "coach.sara1"

SIGNED = Evidence(EvidenceKind.SIGNED_FORM)
VERBAL = Evidence(EvidenceKind.VERBAL_WITNESS, "collega op de afdeling")

NETWORK_NAME = "Netwerk SaRA (demo)"


# The profile of one demo client (fictional).
COMPETENCY_TEXTS = {
    ProfileSection.WORK_HISTORY: "Tien jaar magazijnmedewerker; opleiding logistiek (BSO).",
    ProfileSection.SKILLS: "Nauwkeurig, kan met een heftruck rijden, werkt graag met de handen.",
    ProfileSection.STRENGTHS: "Betrouwbaar en stipt; collega's waarderen zijn rust.",
    ProfileSection.WORK_ATTITUDES: "Komt afspraken na; vraagt niet snel hulp.",
    ProfileSection.CONDITIONS: "Start met 2 halve dagen per week; geen nachtwerk; fiets of bus.",
    ProfileSection.SUPPORT_NEEDS: "Vaste contactpersoon op het werk; duidelijke taakomschrijving.",
    ProfileSection.WHAT_HELPS: "Een korte wandeling bij stress; vooraf weten wat er komt.",
    ProfileSection.CARE_CONTEXT: "Opname na een depressieve episode; nu ambulant opgevolgd door het PZ.",
}
SHARED_WITH_WORK = [
    ProfileSection.WORK_HISTORY,
    ProfileSection.SKILLS,
    ProfileSection.STRENGTHS,
    ProfileSection.CONDITIONS,
]
VOCATIONAL_TEXTS = {
    ProfileSection.IPS_PREFERENCES: "Werk in een magazijn of in het groen, dicht bij huis.",
    ProfileSection.IPS_EXPERIENCE: "Magazijn, orderpicking; kort als seizoenshelper in een tuincentrum.",
    ProfileSection.IPS_PITFALLS: "Te veel hooi op de vork nemen in de eerste weken.",
}


def ensure_trajectory_types() -> None:
    """The trajectory types come from a data migration; `flush` removes them, so put them back."""
    ensure_default_types(TrajectoryType)


M = TypeVar("M", bound=Model)


def fresh(obj: M) -> M:
    """Re-read a row after a step re-dated it: actions that save() the whole row would otherwise write
    the stale "today" values back."""
    obj.refresh_from_db()
    return obj


def is_loaded() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


# ---------------------------------------------------------------------------------------------
# Back-dating


# Rows an action creates with a "now"/"today" default: after the step they get the step's day.
_NEW_ROWS: list[tuple[type[Model], dict[str, str]]] = [
    (Client, {"created_at": "dt"}),
    (Consent, {"recorded_at": "dt", "given_on": "d"}),
    (Involvement, {"since": "dt"}),
    (Referral, {"created_at": "dt"}),
    (ReferralEvent, {"at": "dt"}),
    (Trajectory, {"started_on": "d"}),
    (TrajectoryPartner, {"since": "d"}),
    (TrajectoryEvent, {"at": "dt"}),
    (Contact, {"recorded_at": "dt"}),
    (PlanGoal, {"created_at": "dt"}),
    (Handover, {"proposed_at": "dt"}),
    (SectionVersion, {"created_at": "dt"}),
    (Feedback, {"created_at": "dt"}),
    (AuditEvent, {"at": "dt"}),
]
# Timestamps an action sets on rows that already exist.
_TOUCHED: list[tuple[type[Model], list[str]]] = [
    (Referral, ["decided_at", "waiting_since"]),
    (Handover, ["decided_at"]),
    (Consent, ["withdrawn_at"]),
]


class Clock:
    """Runs a step of the story on a past day: rows the step writes are re-dated afterwards."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self._minutes: dict[datetime.date, int] = {}

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    @contextmanager
    def at(self, days_ago: int) -> Iterator[datetime.date]:
        day = self.day(days_ago)
        if days_ago <= 0:
            yield day
            return
        # Steps on one day follow each other from 8:00 on, so the timelines keep their order.
        minute = self._minutes.get(day, 0)
        self._minutes[day] = minute + 3
        when = datetime.datetime.combine(
            day, datetime.time(8 + minute // 60 % 10, minute % 60), tzinfo=timezone.get_current_timezone()
        )
        marks, _ = _snapshot(None)
        started = timezone.now()
        yield day
        after, touched = _snapshot(started)
        for model, fields in _NEW_ROWS:
            if after[model] > marks[model]:
                values = {name: when if kind == "dt" else day for name, kind in fields.items()}
                model._default_manager.filter(pk__gt=marks[model]).update(**values)
        for model, name in touched:
            model._default_manager.filter(**{f"{name}__gte": started}).update(**{name: when})


def _snapshot(
    started: datetime.datetime | None,
) -> tuple[dict[type[Model], int], list[tuple[type[Model], str]]]:
    """In one query: the highest primary key of each table a step may add to and, after the step,
    which timestamps it set on existing rows."""
    qn = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({qn(m._meta.pk.column)}) FROM {qn(m._meta.db_table)})"  # noqa: S608 - model names
        for m, _ in _NEW_ROWS
    ]
    params: list[Any] = []
    candidates = [(m, name) for m, names in _TOUCHED for name in names] if started is not None else []
    for model, name in candidates:
        column = str(model._meta.get_field(name).column)  # type: ignore[union-attr]
        parts.append(
            f"(SELECT 1 FROM {qn(model._meta.db_table)} WHERE {qn(column)} >= %s LIMIT 1)"  # noqa: S608
        )
        params.append(connection.ops.adapt_datetimefield_value(started))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    maxima = {m: row[i] or 0 for i, (m, _) in enumerate(_NEW_ROWS)}
    touched = [c for i, c in enumerate(candidates) if row[len(_NEW_ROWS) + i]]
    return maxima, touched


# ---------------------------------------------------------------------------------------------
# The network


@dataclass
class Login:
    username: str
    role: str
    organisation: str
    user: User


@dataclass
class DemoNetwork:
    logins: list[Login] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)


ORGS = {
    # key: (name, kind, type, sub-region)
    "pz": ("PZ Scheldeborg", OrganisationKind.CARE, OrganisationType.PZ, "Antwerpen-Zuid"),
    "cgg": ("CGG Vlietland", OrganisationKind.CARE, OrganisationType.CGG, "Antwerpen-Stad"),
    "ibw": ("IBW De Brug", OrganisationKind.CARE, OrganisationType.IBW, "Antwerpen-Noord (Kapellen)"),
    "sara": ("SaRA Arbeidscoaching", OrganisationKind.WORK, OrganisationType.ARBEIDSCOACH, "Antwerpen-Stad"),
    "gtb": ("GTB Antwerpen", OrganisationKind.WORK, OrganisationType.GTB, "Antwerpen-Stad"),
    "gob": ("GOB Werkwinkel", OrganisationKind.WORK, OrganisationType.GOB, "Antwerpen-Oost (Zoersel)"),
    "vdab": ("VDAB Antwerpen", OrganisationKind.WORK, OrganisationType.VDAB, "Antwerpen-Stad"),
    "network": (NETWORK_NAME, OrganisationKind.OTHER, OrganisationType.OTHER, None),
    "funder": ("Departement WEWIS (demo)", OrganisationKind.OTHER, OrganisationType.FUNDER, None),
}

SUBREGIONS = ["Antwerpen-Stad", "Antwerpen-Noord (Kapellen)", "Antwerpen-Oost (Zoersel)", "Antwerpen-Zuid"]

# username, first name, last name, organisation key, role, extra membership fields
USERS: list[tuple[str, str, str, str, Role, dict[str, object]]] = [
    ("zorg.pz", "Lien", "Verhaegen", "pz", Role.CARE_PROFESSIONAL, {}),
    ("zorg.cgg", "Pieter", "Claessens", "cgg", Role.CARE_PROFESSIONAL, {}),
    ("zorg.ibw", "Nadia", "El Amrani", "ibw", Role.CARE_PROFESSIONAL, {}),
    ("screener.sara", "Karen", "Wouters", "sara", Role.SCREENER, {}),
    ("screener.gtb", "Koen", "Desmet", "gtb", Role.SCREENER, {}),
    ("coach.sara1", "Sofie", "Jacobs", "sara", Role.COACH, {"capacity": 20, "fte": "0.50"}),
    ("coach.sara2", "Tom", "Vandenberghe", "sara", Role.COACH, {"capacity": 18, "fte": "0.50"}),
    ("coach.gtb", "Ilse", "Maes", "gtb", Role.COACH, {"capacity": 40, "fte": "1.00"}),
    ("coordinator.sara", "Marc", "Vermeiren", "sara", Role.COORDINATOR, {}),
    ("admin", "Els", "Mertens", "network", Role.NETWORK_ADMIN, {}),
    ("funder", "Jan", "Willaert", "funder", Role.FUNDER, {}),
]

SARA_INDICATIONS = [
    "low_threshold",
    "intensive_vulnerability",
    "psychiatric_expertise",
    "work_attitudes",
    "whole_trajectory",
    "shared_focus",
]
GTB_INDICATIONS = ["vulnerability_background", "disability_expertise", "intensive_work"]

FIRST_NAMES_F = [
    "Amber", "Bieke", "Charlotte", "Dorien", "Eline", "Fien", "Greet", "Hanne", "Ines", "Joke",
    "Katrien", "Lotte", "Marieke", "Nele", "Sara", "Tine", "Veerle", "Yasmina", "Zoë", "Leen",
]  # fmt: skip
FIRST_NAMES_M = [
    "Arne", "Bart", "Cedric", "Dries", "Emiel", "Frederik", "Gert", "Hamza", "Jonas", "Kristof",
    "Lander", "Mathias", "Nico", "Olivier", "Pieter-Jan", "Ruben", "Stijn", "Thijs", "Wout", "Yannick",
]  # fmt: skip
LAST_NAMES = [
    "Aerts", "Baeten", "Cools", "De Backer", "De Wilde", "Dierckx", "Engelen", "Geens", "Goossens",
    "Hendrickx", "Huybrechts", "Lambrechts", "Leysen", "Michiels", "Moens", "Nijs", "Op de Beeck",
    "Roels", "Segers", "Smolders", "Stevens", "Thys", "Van Dyck", "Van Hove", "Verbist", "Verlinden",
    "Wuyts", "Van Looy", "Schoofs", "Bosmans",
]  # fmt: skip
MUNICIPALITIES = {
    "Antwerpen-Stad": ["Antwerpen", "Borgerhout", "Deurne", "Berchem", "Merksem"],
    "Antwerpen-Noord (Kapellen)": ["Kapellen", "Brasschaat", "Stabroek", "Kalmthout"],
    "Antwerpen-Oost (Zoersel)": ["Zoersel", "Schilde", "Malle", "Ranst"],
    "Antwerpen-Zuid": ["Boechout", "Edegem", "Kontich", "Mortsel", "Hove"],
}


class DemoBuilder:
    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.clock = Clock(self.today)
        self.rng = random.Random(2026)  # noqa: S311 - fictional data, not security
        self.result = DemoNetwork()
        self._names: set[tuple[str, str]] = set()

    # -- setup ---------------------------------------------------------------------------------

    def build(self) -> DemoNetwork:
        # The demo's notifications (feedback, meeting invitations) go nowhere, not to the console.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        with quiet, transaction.atomic():
            ensure_trajectory_types()
            self._network()
            self._stories()
        return self.result

    def _network(self) -> None:
        self.regions = {name: SubRegion.objects.get_or_create(name=name)[0] for name in SUBREGIONS}
        self.orgs = {
            key: Organisation.objects.create(
                name=name, kind=kind, org_type=org_type, subregion=self.regions.get(region or "")
            )
            for key, (name, kind, org_type, region) in ORGS.items()
        }
        self.users: dict[str, User] = {}
        self.actors: dict[str, Actor] = {}
        for username, first, last, org_key, role, extra in USERS:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.werkbrug.invalid",
            )
            membership = Membership.objects.create(
                user=user, organisation=self.orgs[org_key], role=role, **extra
            )
            self.users[username] = user
            self.actors[username] = Actor(user=user, membership=membership)
            self.result.logins.append(Login(username, str(role.label), self.orgs[org_key].name, user))
        self.sara_line = ReferralLine.objects.create(
            name="SaRA arbeidscoach",
            organisation=self.orgs["sara"],
            description="Intensief, laagdrempelig voortraject op maat voor wie de psychische kwetsbaarheid "
            "op de voorgrond staat.",
            indications=SARA_INDICATIONS,
            default_trajectory_type="arbeidscoach",
        )
        self.gtb_line = ReferralLine.objects.create(
            name="GTB trajectbegeleiding",
            organisation=self.orgs["gtb"],
            description="Regulier traject: de kwetsbaarheid staat niet op de voorgrond.",
            indications=GTB_INDICATIONS,
            default_trajectory_type="gtb",
        )
        self.sara_line.screeners.add(self.users["screener.sara"])
        self.gtb_line.screeners.add(self.users["screener.gtb"])
        self.types = {t.code: t for t in TrajectoryType.objects.all()}

    # -- steps (each one action, on a past day) -------------------------------------------------

    def _person(self) -> dict[str, object]:
        while True:
            gender = self.rng.choice("FFMMX" if self.rng.random() < 0.05 else "FM")
            first = self.rng.choice(FIRST_NAMES_F if gender == "F" else FIRST_NAMES_M)
            last = self.rng.choice(LAST_NAMES)
            if (first, last) not in self._names:
                self._names.add((first, last))
                break
        region = self.rng.choice(SUBREGIONS)
        return {
            "first_name": first,
            "last_name": last,
            "gender": gender,
            "birth_date": datetime.date(
                self.rng.randint(1966, 2004), self.rng.randint(1, 12), self.rng.randint(1, 28)
            ),
            "municipality": self.rng.choice(MUNICIPALITIES[region]),
            "subregion": self.regions[region],
            "benefit_status": self.rng.choice(
                [BenefitStatus.INCAPACITY] * 3 + [BenefitStatus.UNEMPLOYMENT, BenefitStatus.LIVING_WAGE]
            ),
            "ggz_contact": True,
            "phone": f"04{self.rng.randint(70, 99)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)} "
            f"{self.rng.randint(10, 99)}",
        }

    def register(self, by: str, days_ago: int) -> Client:
        with self.clock.at(days_ago):
            client = client_actions.register_client(self.actors[by], Client(**self._person()), SIGNED)
        self.result.clients.append(client)
        return client

    def refer(
        self,
        client: Client,
        by: str,
        days_ago: int,
        *,
        line: str = "sara",
        indications: list[str] | None = None,
        question: str = "",
        urgency: str = "normal",
        channel: str = "care_professional",
    ) -> Referral:
        target = self.sara_line if line == "sara" else self.gtb_line
        default_ind = (
            ["low_threshold", "psychiatric_expertise", "shared_focus"]
            if line == "sara"
            else GTB_INDICATIONS[:2]
        )
        with self.clock.at(days_ago):
            return referral_actions.submit_referral(
                self.actors[by],
                client,
                line=target,
                question=question or self.rng.choice(QUESTIONS),
                indications=indications if indications is not None else default_ind,
                urgency=urgency,
                channel=channel,
                evidence=SIGNED if self.rng.random() < 0.8 else VERBAL,
            )

    def screener_of(self, referral: Referral) -> str:
        return "screener.sara" if referral.line_id == self.sara_line.pk else "screener.gtb"

    def assign(self, referral: Referral, coach: str, days_ago: int) -> None:
        fresh(referral)
        with self.clock.at(days_ago):
            referral_actions.assign_referral(
                self.actors[self.screener_of(referral)], referral, coach=self.users[coach]
            )

    def start(
        self, referral: Referral, coach: str, days_ago: int, *, type_code: str | None = None
    ) -> Trajectory:
        """Assign (a day before) and accept: the usual road from referral to trajectory."""
        self.assign(referral, coach, days_ago + 2)
        code = type_code or ("arbeidscoach" if referral.line_id == self.sara_line.pk else "gtb")
        fresh(referral)
        with self.clock.at(days_ago):
            trajectory = trajectory_actions.accept_referral(
                self.actors[coach], referral, trajectory_type=self.types[code]
            )
        return fresh(trajectory)

    def phase(self, trajectory: Trajectory, coach: str, days_ago: int, phase: str) -> None:
        with self.clock.at(days_ago):
            trajectory_actions.set_phase(self.actors[coach], fresh(trajectory), phase)

    def contacts(
        self,
        trajectory: Trajectory,
        by: str,
        days_ago: list[int],
        *,
        informal_share: float = 0.25,
    ) -> None:
        fresh(trajectory)
        for ago in sorted(days_ago, reverse=True):
            informal = self.rng.random() < informal_share
            kind = (
                self.rng.choice([ContactKind.PHONE, ContactKind.EMAIL])
                if informal
                else self.rng.choice(
                    [ContactKind.FACE_TO_FACE] * 4
                    + [ContactKind.PHONE, ContactKind.HOME_VISIT, ContactKind.THREE_WAY, ContactKind.EMPLOYER]
                )
            )
            note = self.rng.choice(INFORMAL_NOTES if informal else NOTES)
            with self.clock.at(ago) as day:
                trajectory_actions.record_contact(
                    self.actors[by],
                    trajectory,
                    on=day,
                    kind=kind,
                    duration_minutes=None if informal else self.rng.choice([30, 45, 60, 60, 90]),
                    note=note,
                    informal=informal,
                )

    def outreach(self, trajectory: Trajectory, by: str, days_ago: list[int]) -> None:
        fresh(trajectory)
        for ago in sorted(days_ago, reverse=True):
            with self.clock.at(ago) as day:
                trajectory_actions.record_contact(
                    self.actors[by],
                    trajectory,
                    on=day,
                    kind=ContactKind.OUTREACH_ATTEMPT,
                    note=self.rng.choice(
                        ["Gebeld, geen antwoord.", "Sms gestuurd, geen reactie.", "Brief gestuurd."]
                    ),
                )

    def care_note(self, trajectory: Trajectory, by: str, days_ago: int, note: str) -> None:
        with self.clock.at(days_ago) as day:
            trajectory_actions.record_contact(
                self.actors[by],
                fresh(trajectory),
                on=day,
                kind=ContactKind.FACE_TO_FACE,
                duration_minutes=45,
                note=note,
                care_only=True,
            )

    def ladder(self, trajectory: Trajectory, by: str, steps: list[tuple[int, int]]) -> None:
        fresh(trajectory)
        for ago, rung in steps:
            with self.clock.at(ago) as day:
                trajectory_actions.record_ladder(self.actors[by], trajectory, rung=rung, on=day)

    def goal(
        self,
        trajectory: Trajectory,
        by: str,
        days_ago: int,
        text: str,
        due_in: int,
        done_ago: int | None = None,
    ) -> None:
        """A plan goal written `days_ago`, due `due_in` days after that; done `done_ago` if given."""
        with self.clock.at(days_ago) as day:
            goal = trajectory_actions.add_goal(
                self.actors[by], fresh(trajectory), goal=text, due_on=day + datetime.timedelta(days=due_in)
            )
        if done_ago is not None:
            with self.clock.at(done_ago) as done_day:
                trajectory_actions.complete_goal(self.actors[by], goal, on=done_day)

    def outcome(
        self,
        trajectory: Trajectory,
        by: str,
        days_ago: int,
        kind: str,
        *,
        economy: str = "",
        verified_ago: int | None = None,
        note: str = "",
    ) -> None:
        with self.clock.at(days_ago) as day:
            outcome = trajectory_actions.record_outcome(
                self.actors[by], fresh(trajectory), kind=kind, on=day, economy=economy, note=note
            )
        if verified_ago is not None:
            with self.clock.at(verified_ago) as verified_day:
                trajectory_actions.verify_outcome(self.actors[by], outcome, on=verified_day)

    def close(self, trajectory: Trajectory, by: str, days_ago: int, reason: str, note: str = "") -> None:
        with self.clock.at(days_ago) as day:
            trajectory_actions.close_trajectory(
                self.actors[by], fresh(trajectory), reason=reason, note=note, on=day
            )

    def pause(self, trajectory: Trajectory, by: str, days_ago: int, reason: str) -> None:
        with self.clock.at(days_ago):
            trajectory_actions.pause_trajectory(self.actors[by], fresh(trajectory), reason=reason)

    def spaced(self, first_ago: int, last_ago: int, every: int) -> list[int]:
        """Contact days from `first_ago` to `last_ago` days ago, roughly every `every` days."""
        days, ago = [], first_ago
        while ago > last_ago:
            days.append(ago)
            ago -= max(1, every + self.rng.randint(-2, 3))
        days.append(last_ago)
        return days

    # -- the stories ---------------------------------------------------------------------------

    def _stories(self) -> None:
        self._active_sara()
        self._gtb()
        self._closed()
        self._open_referrals()
        self._case_team()
        # Known to a care partner only: no referral (yet).
        self.register("zorg.cgg", 12)
        self.register("zorg.pz", 3)

    def _exchange(self, trajectory: Trajectory, care: str, coach: str) -> None:
        """The competency profile written in care, shared in part with the work partner, the IPS
        vocational profile kept by the coach, and feedback to the referrer (issue: care-work exchange)."""
        client = trajectory.client
        sara = self.actors[coach].org
        pz = self.actors[care].org
        with self.clock.at(150):
            for section, text in COMPETENCY_TEXTS.items():
                exchange_actions.save_section(self.actors[care], client, section, text)
            client_actions.grant_consent(
                self.actors[care],
                client,
                purpose=ConsentPurpose.PROFILE,
                recipient=sara,
                categories=[*SHARED_WITH_WORK, *VOCATIONAL_SECTIONS],
                evidence=SIGNED,
            )
            client_actions.grant_consent(
                self.actors[care],
                client,
                purpose=ConsentPurpose.FEEDBACK,
                recipient=pz,
                categories=[DataCategory.TRAJECTORY],
                evidence=SIGNED,
            )
        with self.clock.at(60):
            for section, text in VOCATIONAL_TEXTS.items():
                exchange_actions.save_section(self.actors[coach], client, section, text)
        with self.clock.at(8):
            exchange_actions.send_feedback(
                self.actors[coach],
                fresh(trajectory),
                discussed="Werkt aan dagstructuur; bezocht een sociale werkplaats en wil dat verder verkennen.",
                steps="Cv samen opgemaakt; gesprek over het arbeidsprofiel gepland.",
                support_needed="Blijvende opvolging van slaap en medicatie door het PZ.",
            )

    def _case_team(self) -> None:
        """The monthly ZoWeZo team (seed 000): two care partners, the arbeidscoach and GTB as fixed
        members, next month's meeting, one case discussed by name (with consent) and one anonymous."""
        admin, coach = self.actors["admin"], self.actors["coach.sara1"]
        team = team_actions.create_team(
            admin,
            name="ZoWeZo Antwerpen",
            kind=TeamKind.CASE_TEAM,
            organisation=coach.org,
            cadence="maandelijks, tweede dinsdag",
            default_place="SaRA, zaal 2",
        )
        for username in ("zorg.pz", "zorg.cgg", "coach.sara1", "coach.gtb"):
            team_actions.add_member(admin, team, user=self.users[username])
        start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
        team_actions.schedule_meeting(coach, team, starts_at=start + datetime.timedelta(days=16))
        open_sara = list(
            Trajectory.objects.filter(
                lead_organisation=coach.org, coach=coach.user, status="active"
            ).order_by("pk")[:2]
        )
        named, anonymous = open_sara
        client_actions.grant_consent(
            coach,
            named.client,
            purpose=ConsentPurpose.CASE_TEAM,
            recipient=team.organisation,
            categories=[DataCategory.TRAJECTORY],
            evidence=SIGNED,
        )
        team_actions.register_case(
            coach,
            team,
            named.client,
            reason=CaseReason.UNCLEAR_LEAD,
            question="Blijft de arbeidscoach trekker of neemt GTB het traject over?",
            trajectory=named,
        )
        team_actions.register_case(
            coach,
            team,
            anonymous.client,
            reason=CaseReason.RELAPSE,
            question="Terugval na de opstart; hoe houden we het werkdoel warm?",
            trajectory=anonymous,
        )

    def _sara_trajectory(
        self, coach: str, referrer: str, start_ago: int, last_ago: int, every: int = 10, **refer: object
    ) -> Trajectory:
        client = self.register(referrer, start_ago + 30)
        referral = self.refer(client, referrer, start_ago + 25, **refer)  # type: ignore[arg-type]
        trajectory = self.start(referral, coach, start_ago)
        self.phase(trajectory, coach, max(start_ago - 14, last_ago), Phase.ENGAGEMENT)
        self.contacts(trajectory, coach, self.spaced(start_ago, last_ago, every))
        return trajectory

    def _active_sara(self) -> None:
        c1, c2 = "coach.sara1", "coach.sara2"

        t = self._sara_trajectory(c1, "zorg.pz", 160, 4, every=7)
        self._exchange(t, "zorg.pz", c1)
        self.phase(t, c1, 90, Phase.ASSESSMENT)
        self.phase(t, c1, 40, Phase.COACHING)
        self.ladder(t, c1, [(160, 2), (70, 3)])
        self.goal(t, c1, 90, "Dagstructuur opbouwen: drie vaste momenten per week", 30, done_ago=55)
        self.goal(t, c1, 45, "Bezoek aan een sociale werkplaats plannen", 21)  # overdue
        self.goal(t, c1, 10, "Gesprek over het arbeidsprofiel afronden", 20)

        t = self._sara_trajectory(c1, "zorg.pz", 280, 6, every=10)
        self.phase(t, c1, 200, Phase.SEARCH)
        self.phase(t, c1, 35, Phase.FOLLOW_ALONG)
        self.ladder(t, c1, [(280, 3), (150, 4), (35, 6)])
        self.outcome(
            t, c1, 35, OutcomeKind.PAID_WORK, economy=Economy.NEC, note="Halftijds magazijnmedewerker"
        )
        self.goal(t, c1, 35, "Wekelijks contact in de eerste maand op het werk", 28, done_ago=7)

        t = self._sara_trajectory(c1, "zorg.cgg", 200, 50, every=12)  # not seen for 7 weeks
        self.ladder(t, c1, [(200, 2)])
        self.outreach(t, c1, [30, 16])
        self.goal(t, c1, 120, "Opnieuw contact leggen via de begeleider van het CGG", 30)  # overdue

        t = self._sara_trajectory(c1, "zorg.pz", 120, 9, every=9)
        self.care_note(t, "zorg.pz", 60, "Medicatie aangepast; slaapt beter. Enkel voor zorgpartners.")
        self.care_note(t, "zorg.pz", 20, "Stabiel; ondersteunt de stap naar vrijwilligerswerk.")
        self.ladder(t, c1, [(120, 2), (30, 3)])
        self.goal(t, c1, 60, "Vrijwilligerswerk verkennen (twee plaatsen bezoeken)", 45)

        t = self._sara_trajectory(c1, "zorg.ibw", 240, 12, every=14)
        self.phase(t, c1, 150, Phase.SEARCH)
        self.outcome(
            t, c1, 130, OutcomeKind.VDAB_REGISTRATION, note="Ingeschreven bij VDAB met arbeidsbeperking"
        )
        self.outcome(t, c1, 60, OutcomeKind.TRAINING, note="Opleiding heftruckchauffeur gestart")
        self.ladder(t, c1, [(240, 3), (60, 4)])

        t = self._sara_trajectory(c1, "zorg.pz", 100, 10, every=8)
        self.goal(t, c1, 80, "Cv opmaken samen met de coach", 14)  # overdue
        self.goal(t, c1, 50, "Inschrijven voor Job-Radar", 21)  # overdue
        self.ladder(t, c1, [(100, 2)])

        t = self._sara_trajectory(c1, "zorg.pz", 180, 40, every=10)
        self.pause(t, c1, 35, "Opname in het PZ; de zorgpartner blijft op de achtergrond betrokken.")
        self.care_note(t, "zorg.pz", 20, "Opname verloopt goed; werk blijft een doel.")

        t = self._sara_trajectory(c1, "zorg.ibw", 150, 45, every=11)  # not seen for 6 weeks
        self.ladder(t, c1, [(150, 1), (90, 2)])
        self.outreach(t, c1, [20])

        t = self._sara_trajectory(c1, "zorg.pz", 300, 8, every=12)
        self.phase(t, c1, 100, Phase.COACHING)
        self.ladder(t, c1, [(300, 3), (100, 5)])
        with self.clock.at(5):
            trajectory_actions.propose_handover(
                self.actors[c1],
                t,
                to_organisation=self.orgs["gtb"],
                new_type=self.types["gtb"],
                note="Stabiel, klaar voor een regulier traject. Graag een trio-gesprek in de overdracht.",
                evidence=SIGNED,
            )

        t = self._sara_trajectory(c2, "zorg.cgg", 5, 0, every=5)  # intake phase: just started
        self.ladder(t, c2, [(5, 2)])

        t = self._sara_trajectory(c2, "zorg.pz", 260, 5, every=10)
        self.phase(t, c2, 60, Phase.FOLLOW_ALONG)
        self.outcome(
            t, c2, 60, OutcomeKind.PAID_WORK, economy=Economy.SOCIAL, note="Maatwerkbedrijf, 19u/week"
        )
        self.ladder(t, c2, [(260, 2), (150, 4), (60, 5)])

        t = self._sara_trajectory(c2, "zorg.ibw", 140, 3, every=9)
        self.outcome(t, c2, 50, OutcomeKind.VOLUNTEERING, note="Kringloopwinkel, twee voormiddagen")
        self.ladder(t, c2, [(140, 3), (50, 4)])
        self.goal(t, c2, 50, "Evaluatie vrijwilligerswerk na een maand", 30, done_ago=18)

        t = self._sara_trajectory(c2, "zorg.pz", 90, 30, every=8)
        self.pause(t, c2, 25, "Crisis thuis; de cliënt vraagt even pauze.")

        t = self._sara_trajectory(c2, "zorg.cgg", 170, 52, every=12)  # not seen for 7 weeks
        self.goal(t, c2, 100, "Arbeidsattitudes oefenen in een atelier", 30)  # overdue

        t = self._sara_trajectory(c2, "zorg.pz", 210, 11, every=10)
        self.outcome(t, c2, 80, OutcomeKind.WORK_CARE, note="Arbeidszorg in een atelier, 3 dagen")
        self.ladder(t, c2, [(210, 2), (80, 4)])

        t = self._sara_trajectory(c2, "zorg.ibw", 45, 2, every=6)
        self.goal(t, c2, 30, "Kennismaking met de GOB-jobcoach", 28)

    def _gtb(self) -> None:
        g = "coach.gtb"
        # Handed over from the arbeidscoach to GTB two months ago.
        t = self._sara_trajectory("coach.sara1", "zorg.pz", 330, 70, every=12)
        self.ladder(t, "coach.sara1", [(330, 2), (120, 4)])
        with self.clock.at(68):
            handover = trajectory_actions.propose_handover(
                self.actors["coach.sara1"],
                t,
                to_organisation=self.orgs["gtb"],
                new_type=self.types["gtb"],
                note="Klaar voor een regulier traject; de cliënt kent GTB al van een infosessie.",
                evidence=SIGNED,
            )
        with self.clock.at(63):
            trajectory_actions.accept_handover(self.actors[g], fresh(handover))
        self.contacts(t, g, self.spaced(60, 4, 10))
        self.phase(t, g, 40, Phase.SEARCH)

        for referrer, start, last in [("zorg.cgg", 120, 8), ("zorg.ibw", 75, 15)]:
            client = self.register(referrer, start + 20)
            referral = self.refer(client, referrer, start + 14, line="gtb")
            t = self.start(referral, g, start)
            self.phase(t, g, start - 20, Phase.ASSESSMENT)
            self.contacts(t, g, self.spaced(start, last, 12))
        self.outcome(t, g, 20, OutcomeKind.VDAB_REGISTRATION)

        # Sent to the arbeidscoach line first; the screener redirected it to GTB.
        client = self.register("zorg.pz", 100)
        referral = self.refer(client, "zorg.pz", 95)
        with self.clock.at(90):
            referral_actions.redirect_referral(
                self.actors["screener.sara"],
                fresh(referral),
                line=self.gtb_line,
                note="De kwetsbaarheid staat niet op de voorgrond: regulier traject mogelijk.",
                evidence=SIGNED,
            )
        t = self.start(referral, g, 80)
        self.contacts(t, g, self.spaced(80, 6, 14))
        self.phase(t, g, 50, Phase.SEARCH)

    def _closed(self) -> None:
        c1, c2, g = "coach.sara1", "coach.sara2", "coach.gtb"
        # Goal reached: paid work in the regular economy, verified after three months.
        t = self._sara_trajectory(c1, "zorg.pz", 700, 300, every=14)
        self.phase(t, c1, 420, Phase.SEARCH)
        self.ladder(t, c1, [(700, 2), (500, 4), (400, 6)])
        self.outcome(
            t, c1, 400, OutcomeKind.PAID_WORK, economy=Economy.NEC, verified_ago=305, note="Bediende, 4/5"
        )
        self.close(t, c1, 300, CloseReason.GOAL_REACHED)

        t = self._sara_trajectory(c2, "zorg.cgg", 500, 380, every=10)
        self.outcome(t, c2, 380, OutcomeKind.NO_FURTHER_STEPS)
        self.close(t, c2, 380, CloseReason.CLIENT_CHOICE, "Wil zich eerst op de gezinssituatie richten.")

        t = self._sara_trajectory(c1, "zorg.pz", 420, 200, every=12)
        self.outcome(t, c1, 200, OutcomeKind.RELAPSE_TO_CARE)
        self.close(t, c1, 195, CloseReason.CARE_FIRST, "Zorgpartner blijft betrokken; herinstap mogelijk.")

        # Lost contact: only after three documented outreach attempts in 60 days.
        t = self._sara_trajectory(c2, "zorg.ibw", 360, 150, every=15)
        self.outreach(t, c2, [120, 100, 80])
        self.outcome(t, c2, 75, OutcomeKind.DROP_OUT)
        self.close(t, c2, 75, CloseReason.LOST_CONTACT)

        client = self.register("zorg.cgg", 640)
        referral = self.refer(client, "zorg.cgg", 630, line="gtb")
        t = self.start(referral, g, 600)
        self.contacts(t, g, self.spaced(600, 250, 15))
        self.outcome(t, g, 420, OutcomeKind.TRAINING, verified_ago=380, note="Opleiding logistiek afgerond")
        self.outcome(t, g, 300, OutcomeKind.PAID_WORK, economy=Economy.NEC, verified_ago=200)
        self.close(t, g, 250, CloseReason.GOAL_REACHED)

        # Closed for care first, and now back: a new referral on the arbeidscoach line (re-entry).
        t = self._sara_trajectory(c1, "zorg.pz", 560, 330, every=14)
        self.close(t, c1, 320, CloseReason.CARE_FIRST, "Opname.")
        self.refer(
            t.client, "zorg.pz", 6, question="Herinstap na opname: wil opnieuw stappen naar werk zetten."
        )

    def _open_referrals(self) -> None:
        def new(referrer: str, ago: int, **kwargs: object) -> Referral:
            client = self.register(referrer, ago + self.rng.randint(1, 20))
            return self.refer(client, referrer, ago, **kwargs)  # type: ignore[arg-type]

        new("zorg.pz", 2, urgency="urgent")
        new("zorg.cgg", 5)
        new("zorg.ibw", 3, line="gtb")
        new("zorg.pz", 1, channel="self", indications=["low_threshold"])

        for referrer, ago, line, expected in [
            ("zorg.pz", 40, "sara", 20),
            ("zorg.ibw", 25, "sara", 45),
            ("zorg.cgg", 15, "gtb", 14),
        ]:
            referral = new(referrer, ago + 4, line=line)
            with self.clock.at(ago):
                referral_actions.waitlist_referral(
                    self.actors[self.screener_of(referral)],
                    fresh(referral),
                    expected_start=self.today + datetime.timedelta(days=expected),
                    note="Volzet; start verwacht zodra er een plaats vrijkomt.",
                )

        for referrer, ago, line, codes in [
            ("zorg.pz", 10, "sara", ["unclear_lead", "psychiatric_expertise"]),
            ("zorg.cgg", 20, "gtb", ["broad_support", "intensive_work"]),
        ]:
            referral = new(referrer, ago + 3, line=line, indications=codes)
            with self.clock.at(ago):
                referral_actions.send_to_case_team(
                    self.actors[self.screener_of(referral)],
                    fresh(referral),
                    note="Onduidelijk wie trekt: bespreken op het ZoWeZo-team.",
                )

        self.assign(new("zorg.pz", 6), "coach.sara2", 3)
        self.assign(new("zorg.ibw", 4, line="gtb"), "coach.gtb", 1)

        for referrer, ago, reason, note in [
            (
                "zorg.cgg",
                30,
                DeclineReason.NO_WORK_QUESTION,
                "Nog geen werkvraag; opnieuw bekijken na de zomer.",
            ),
            ("zorg.pz", 90, DeclineReason.NOT_TARGET_GROUP, "Geen psychische kwetsbaarheid op de voorgrond."),
        ]:
            referral = new(referrer, ago + 5)
            with self.clock.at(ago):
                referral_actions.decline_referral(
                    self.actors["screener.sara"], fresh(referral), reason=reason, note=note
                )


QUESTIONS = [
    "Wil graag opnieuw aan het werk, stap voor stap.",
    "Zoekt zinvolle dagbesteding met het oog op werk.",
    "Wil uitzoeken welk werk haalbaar is naast de behandeling.",
    "Had vroeger een job in de logistiek en wil daar opnieuw naartoe.",
    "Twijfelt tussen opleiding en werk; zoekt begeleiding.",
]
NOTES = [
    "Gesprek over wensen en sterktes.",
    "Arbeidsprofiel verder aangevuld.",
    "Samen vacatures bekeken.",
    "Trio-gesprek met de begeleider van de zorgpartner.",
    "Opvolging na de eerste werkweek.",
    "Bezoek aan een werkgever voorbereid.",
    "Dagstructuur en energie besproken.",
]
INFORMAL_NOTES = [
    "Kort telefoontje, gaat goed.",
    "Sms: afspraak bevestigd.",
    "Even binnengelopen op de afdeling.",
    "Bericht: vraagt uitstel van de afspraak.",
]


def demo_logins() -> list[Login]:
    """The demo's logins as stored (for printing them again when the demo is already loaded)."""
    logins = []
    for username, *_rest in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        if membership is None:
            continue
        logins.append(Login(username, str(Role(membership.role).label), membership.organisation.name, user))
    return logins


def logins_table(logins: list[Login]) -> str:
    rows = [("username", "role", "organisation", "password")] + [
        (login.username, str(login.role), login.organisation, DEMO_PASSWORD) for login in logins
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line]
    for index, row in enumerate(rows):
        out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if index == 0:
            out.append(line)
    out.append(line)
    return "\n".join(out)
