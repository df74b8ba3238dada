"""Shared set-up for the team tests (no tests here): a ZoWeZo team hosted by SaRA with a care
partner, the SaRA coach and the SaRA screener as fixed members, and a client whose every identifying
field is distinctive, so that "absent from the page" means something."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass

from django.utils import timezone

from werkbrug.clients.actions import grant_consent, withdraw_consent
from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.network.models import User
from werkbrug.referrals.models import Referral
from werkbrug.teams import actions, meeting_actions
from werkbrug.teams.models import AgendaItem, Case, Meeting, Team, TeamKind
from werkbrug.testing import SIGNED, Network, actor_for, valid_insz
from werkbrug.trajectories.models import Trajectory

BIRTH = datetime.date(1987, 3, 14)


IDENTITY = {
    "first_name": "Zenobia",
    "last_name": "Quackenbusch",
    "birth_date": BIRTH,
    "municipality": "Zoersel",
    "phone": "0470 12 34 56",
    "email": "zenobia.q@example.net",
    "address": "Kwikstraat 17",
    "insz": valid_insz(BIRTH),
}

# Every way an identifying field could show on a page.
IDENTIFYING = [
    "Zenobia",
    "Quackenbusch",
    "14/03/1987",
    "14-03-1987",
    "1987-03-14",
    "14.03.1987",
    "March 14, 1987",
    IDENTITY["insz"],
    "Kwikstraat",
    "0470 12 34 56",
    "0470123456",
    "zenobia.q@example.net",
    "Zoersel",
]


def leaks(page: str) -> list[str]:
    """The identifying values found in a page (case-insensitive, entities decoded)."""
    text = html.unescape(page).lower()
    return [value for value in IDENTIFYING if value.lower() in text]


def in_a_week(hours: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, 0)))


@dataclass
class World:
    net: Network
    team: Team
    client: Client

    def register(
        self,
        client: Client | None = None,
        question: str = "Who should lead: SaRA or GTB?",
        *,
        by: User | None = None,
        reason: str = "unclear_lead",
        **link: Referral | Trajectory,
    ) -> Case:
        """A case in the team, registered by the care professional unless `by` is given; `link` is
        the referral or the trajectory it is linked to."""
        return actions.register_case(
            actor_for(by or self.net.care),
            self.team,
            client or self.client,
            reason=reason,
            question=question,
            **link,
        )

    def meeting(self, starts_at: datetime.datetime | None = None) -> Meeting:
        return meeting_actions.schedule_meeting(
            actor_for(self.net.coach), self.team, starts_at=starts_at or in_a_week()
        )

    def item(self, meeting: Meeting, case: Case) -> AgendaItem:
        return meeting.items.get(case=case, title="")

    def consent(self, client: Client | None = None) -> Consent:
        """The client consents to discussion in the team (the host organisation is the recipient)."""
        return grant_consent(
            actor_for(self.net.care),
            client or self.client,
            purpose=ConsentPurpose.CASE_TEAM,
            recipient=self.team.organisation,
            categories=["identity"],
            evidence=SIGNED,
        )

    def withdraw(self, consent: Consent) -> None:
        withdraw_consent(actor_for(self.net.care), consent)

    def new_client(self, **fields: object) -> Client:
        return self.net.new_client(**{**IDENTITY, **fields})


def build_world(net: Network) -> World:
    admin = actor_for(net.admin)
    team = actions.create_team(
        admin,
        name="ZoWeZo Antwerpen",
        kind=TeamKind.CASE_TEAM,
        organisation=net.sara,
        cadence="monthly, 2nd Tuesday",
        default_place="SaRA, room 2",
    )
    for user in (net.care, net.coach, net.screener):
        actions.add_member(admin, team, user=user)
    return World(net=net, team=team, client=net.new_client(**IDENTITY))
