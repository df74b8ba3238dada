"""The steps of the demo's stories: each one action, run on a past day through the `Clock`
(registering a client, referring, triage, accepting, contacts, ladder, goals, outcomes, closing),
with the fictional people and texts they draw from a seeded random generator.
"""

from __future__ import annotations

import datetime
import random

from werkbrug.clients import actions as client_actions
from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import BenefitStatus, Client, EvidenceKind
from werkbrug.demo.clock import Clock, fresh
from werkbrug.demo.names import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES
from werkbrug.demo.network import GTB_INDICATIONS, SUBREGIONS, Network
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import ContactKind, Handover, Phase, Trajectory

SIGNED = Evidence(EvidenceKind.SIGNED_FORM)
VERBAL = Evidence(EvidenceKind.VERBAL_WITNESS, "collega op de afdeling")

MUNICIPALITIES = {
    "Antwerpen-Stad": ["Antwerpen", "Borgerhout", "Deurne", "Berchem", "Merksem"],
    "Antwerpen-Noord (Kapellen)": ["Kapellen", "Brasschaat", "Stabroek", "Kalmthout"],
    "Antwerpen-Oost (Zoersel)": ["Zoersel", "Schilde", "Malle", "Ranst"],
    "Antwerpen-Zuid": ["Boechout", "Edegem", "Kontich", "Mortsel", "Hove"],
}
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


class Steps:
    """The demo network and the steps of its stories. Users are named by username."""

    def __init__(self, network: Network, today: datetime.date) -> None:
        self.today = today
        self.clock = Clock(today)
        self.rng = random.Random(2026)  # noqa: S311 - fictional data, not security
        self.clients: list[Client] = []
        self._names: set[tuple[str, str]] = set()
        self.regions = network.regions
        self.orgs = network.orgs
        self.users = network.users
        self.actors = network.actors
        self.types = network.types
        self.sara_line = network.lines["sara"]
        self.gtb_line = network.lines["gtb"]

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
        self.clients.append(client)
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

    def contact(
        self,
        trajectory: Trajectory,
        by: str,
        days_ago: int,
        kind: str,
        note: str,
        *,
        duration: int | None = None,
        informal: bool = False,
        care_only: bool = False,
    ) -> None:
        """One contact on a past day (the trajectory already re-read)."""
        with self.clock.at(days_ago) as day:
            trajectory_actions.record_contact(
                self.actors[by],
                trajectory,
                on=day,
                kind=kind,
                duration_minutes=duration,
                note=note,
                informal=informal,
                care_only=care_only,
            )

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
            duration = None if informal else self.rng.choice([30, 45, 60, 60, 90])
            self.contact(trajectory, by, ago, kind, note, duration=duration, informal=informal)

    def outreach(self, trajectory: Trajectory, by: str, days_ago: list[int]) -> None:
        fresh(trajectory)
        for ago in sorted(days_ago, reverse=True):
            note = self.rng.choice(
                ["Gebeld, geen antwoord.", "Sms gestuurd, geen reactie.", "Brief gestuurd."]
            )
            self.contact(trajectory, by, ago, ContactKind.OUTREACH_ATTEMPT, note)

    def care_note(self, trajectory: Trajectory, by: str, days_ago: int, note: str) -> None:
        fresh(trajectory)
        self.contact(trajectory, by, days_ago, ContactKind.FACE_TO_FACE, note, duration=45, care_only=True)

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

    def propose_handover_to_gtb(
        self, trajectory: Trajectory, by: str, days_ago: int, note: str, share: tuple[str, ...] = ()
    ) -> Handover:
        """`share`: what about the past the client agreed to pass on (clients.provenance)."""
        with self.clock.at(days_ago):
            return trajectory_actions.propose_handover(
                self.actors[by],
                trajectory,
                to_organisation=self.orgs["gtb"],
                new_type=self.types["gtb"],
                note=note,
                evidence=SIGNED,
                share=share,
            )

    def spaced(self, first_ago: int, last_ago: int, every: int) -> list[int]:
        """Contact days from `first_ago` to `last_ago` days ago, roughly every `every` days."""
        days, ago = [], first_ago
        while ago > last_ago:
            days.append(ago)
            ago -= max(1, every + self.rng.randint(-2, 3))
        days.append(last_ago)
        return days

    def sara_trajectory(
        self, coach: str, referrer: str, start_ago: int, last_ago: int, every: int = 10, **refer: object
    ) -> Trajectory:
        """A client registered, referred and taken on, with the contacts of the trajectory so far."""
        client = self.register(referrer, start_ago + 30)
        referral = self.refer(client, referrer, start_ago + 25, **refer)  # type: ignore[arg-type]
        trajectory = self.start(referral, coach, start_ago)
        self.phase(trajectory, coach, max(start_ago - 14, last_ago), Phase.ENGAGEMENT)
        self.contacts(trajectory, coach, self.spaced(start_ago, last_ago, every))
        return trajectory
