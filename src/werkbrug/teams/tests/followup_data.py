"""Test data for the follow-up, calendar, dashboard and API tests of the case teams.

Built directly with the models (the team actions are written elsewhere): a ZoWeZo team hosted by
SaRA with three fixed members (the SaRA coach, the hospital's care professional, the GTB coach),
cases of a client with every identifying field filled in, meetings in Brussels time, agenda items
and action items. The outsider (CGG Elders) and the GTB screener sit in no team.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from werkbrug.clients.actions import ensure_consent, withdraw_consent
from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.network.models import User
from werkbrug.teams.models import (
    ActionItem,
    AgendaItem,
    Case,
    CaseReason,
    ItemGuest,
    Meeting,
    Team,
    TeamKind,
    TeamMember,
)
from werkbrug.testing import SIGNED, Network, actor_for
from werkbrug.trajectories.models import Trajectory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# Every identifying field of the test client: none may appear where the case is anonymous, and none
# in an .ics, a mail or the API at all.
IDENTITY = {
    "first_name": "Griet",
    "last_name": "Vermeulen",
    "birth_date": datetime.date(1985, 3, 9),
    "insz": "85030912355",
    "phone": "0470 12 34 56",
    "email": "griet.vermeulen@example.net",
    "address": "Kerkstraat 12",
    "municipality": "Zandhoven",
}
SECRETS = [
    "Griet",
    "Vermeulen",
    "85030912355",
    "85.03.09",
    "0470 12 34 56",
    "griet.vermeulen",
    "Kerkstraat",
    "Zandhoven",
    "1985-03-09",
    "09/03/1985",
]


def identified_client(net: Network, **fields: object) -> Client:
    return net.new_client(**{**IDENTITY, **fields})


def assert_no_identity(text: str | bytes, secrets: list[str] = SECRETS) -> None:
    body = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    # Folded iCalendar lines continue after CRLF + space: unfold before looking.
    body = body.replace("\r\n ", "").replace("\\n", "\n")
    leaks = [s for s in secrets if s.lower() in body.lower()]
    assert leaks == [], leaks


def zowezo(net: Network, name: str = "ZoWeZo Antwerpen") -> Team:
    team = Team.objects.create(
        name=name,
        kind=TeamKind.CASE_TEAM,
        organisation=net.sara,
        cadence="monthly, 2nd Tuesday",
        default_place="SaRA, zaal 2",
        video_link="https://meet.example.org/zowezo",
    )
    for user, organisation in ((net.coach, net.sara), (net.care, net.hospital), (net.gtb_coach, net.gtb)):
        TeamMember.objects.create(team=team, user=user, organisation=organisation)
    return team


def register_case(
    net: Network,
    team: Team,
    client: Client | None = None,
    *,
    named: bool = False,
    trajectory: Trajectory | None = None,
    created_at: datetime.datetime | None = None,
    status: str = "open",
) -> Case:
    if trajectory is not None:
        client = trajectory.client
    client = client or identified_client(net)
    case = Case.objects.create(
        team=team,
        client=client,
        trajectory=trajectory,
        reason=CaseReason.UNCLEAR_LEAD,
        question="Welke dienst neemt de lead?",
        registered_by=net.care,
        registered_by_organisation=net.hospital,
        created_at=created_at or timezone.now(),
        status=status,
    )
    if named:
        name_case(net, case)
    return case


def name_case(net: Network, case: Case) -> Consent:
    """The client consents to discussion of their case in the team (the host organisation)."""
    return ensure_consent(
        actor_for(net.care),
        case.client,
        purpose=ConsentPurpose.CASE_TEAM,
        recipient=case.team.organisation,
        evidence=SIGNED,
    )


def unname_case(net: Network, case: Case) -> None:
    for consent in Consent.objects.active().filter(client=case.client, purpose=ConsentPurpose.CASE_TEAM):
        withdraw_consent(actor_for(net.care), consent)


def local(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


# A meeting on a Tuesday in winter (UTC+1), the invitation tests' default.
WINTER = local(2027, 1, 12, 14, 0)


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    """The date n days from today (n < 0: in the past)."""
    return today() + datetime.timedelta(days=n)


def meeting(
    net: Network,
    team: Team,
    starts_at: datetime.datetime | None = None,
    *,
    hours: int = 2,
    place: str = "SaRA, zaal 2",
    video_link: str = "",
) -> Meeting:
    start = starts_at or timezone.now() + datetime.timedelta(days=7)
    return Meeting.objects.create(
        team=team,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        place=place,
        video_link=video_link,
        created_by=net.coach,
    )


def item(meeting: Meeting, case: Case | None = None, *, title: str = "", position: int = 0) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, case=case, title=title, position=position)


def decide(
    net: Network, agenda_item: AgendaItem, *, lead: object = None, next_steps: str = "Trio-gesprek plannen."
) -> AgendaItem:
    agenda_item.lead_organisation = lead or net.gtb  # type: ignore[assignment]
    agenda_item.next_steps = next_steps
    agenda_item.decided_at = agenda_item.meeting.starts_at + datetime.timedelta(minutes=30)
    agenda_item.decided_by = net.coach
    agenda_item.save()
    return agenda_item


def invite(net: Network, agenda_item: AgendaItem, user: User, organisation: object) -> ItemGuest:
    return ItemGuest.objects.create(
        item=agenda_item,
        user=user,
        organisation=organisation,  # type: ignore[misc]
        invited_by=net.coach,
    )


def action(
    net: Network,
    team: Team,
    owner: User,
    due_on: datetime.date,
    *,
    case: Case | None = None,
    agenda_item: AgendaItem | None = None,
    description: str = "Bel de GTB-consulent over de start.",
    done_on: datetime.date | None = None,
) -> ActionItem:
    return ActionItem.objects.create(
        team=team,
        case=case if case is not None else (agenda_item.case if agenda_item is not None else None),
        item=agenda_item,
        description=description,
        owner=owner,
        due_on=due_on,
        done_on=done_on,
        created_by=net.coach,
    )
