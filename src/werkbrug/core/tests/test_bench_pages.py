"""Every page of the bench list (core.benchpages, issue 14) runs as many queries with a lot of data
as with a little: each page is opened as its persona on a small network, the network grows around
the same personas (trajectories, contacts, goals, outcomes, referrals, waiting lists, handovers both
ways, cases on the meeting, profile versions, feedback, organisations, coaches), and each page is
counted again. Everything is built through the actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import grant_consent
from werkbrug.clients.models import ConsentPurpose, DataCategory, ProfileSection
from werkbrug.core.benchpages import ARGUMENT_KINDS, PAGES, PERSONAS, BenchPage, pages_by_key
from werkbrug.core.paging import PAGE_SIZE
from werkbrug.employers import actions as employer_actions
from werkbrug.employers.models import ContactPerson, Employer, Opening
from werkbrug.employers.tests.helpers import employer_consent
from werkbrug.exchange import actions as exchange_actions
from werkbrug.network.models import (
    Organisation,
    OrganisationKind,
    OrganisationType,
    Role,
    TrajectoryType,
    User,
)
from werkbrug.referrals import actions as referral_actions
from werkbrug.teams import actions as team_actions
from werkbrug.teams import followup_actions, meeting_actions
from werkbrug.teams.models import AgendaItem, Meeting, TeamKind
from werkbrug.testing import SIGNED, Network, actor_for, client_of, days_ago, make_user, propose_to_gtb
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import ContactKind, Economy, OutcomeKind, Trajectory

# Rows added per kind: dozens, so that a query per row shows up as dozens of queries.
MORE = PAGE_SIZE - 10

# The known, constant steps between a list that is short and one that is full. They come once,
# when a list fills up, and never grow after that:
# - a short list at the top of a start page (trajectories.list_views.START_PAGE_HANDOVERS rows)
#   counts its rows with one COUNT(*) once it is full (the capacity page: incoming handovers and the
#   triage queue; the caseload: incoming handovers);
# - paginate() (core/paging.py) skips the COUNT(*) while the first page holds every row; past one
#   page it runs the COUNT (the screener's inbox: open and waiting referrals together pass one page
#   here).
STEPS = {"caseload": 1, "capacity": 2, "inbox": 1}


@dataclass
class Personas:
    users: dict[str, User | None]
    picks: dict[str, int]


def open_items(net: Network) -> tuple[Meeting, AgendaItem]:
    """A case team of the coach and the care professional, its next meeting, a case on it."""
    admin = actor_for(net.admin)
    team = team_actions.create_team(
        admin, name="ZoWeZo Noord", kind=TeamKind.CASE_TEAM, organisation=net.sara
    )
    team_actions.add_member(admin, team, user=net.care)
    team_actions.add_member(admin, team, user=net.coach)
    meeting = meeting_actions.schedule_meeting(
        actor_for(net.coach), team, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    add_case(net, meeting)
    item = meeting.items.filter(case__isnull=False).order_by("pk").first()
    assert item is not None
    return meeting, item


def add_case(net: Network, meeting: Meeting) -> None:
    client = net.new_client(first_name="Casus")
    grant_consent(
        actor_for(net.care),
        client,
        purpose=ConsentPurpose.CASE_TEAM,
        recipient=net.sara,
        categories=[DataCategory.TRAJECTORY],
        evidence=SIGNED,
    )
    team_actions.register_case(
        actor_for(net.care), meeting.team, client, reason="unclear_lead", question="Wie neemt de lead?"
    )


def share_profile(net: Network, client_pk: int) -> None:
    trajectory = Trajectory.objects.get(client_id=client_pk)
    care = actor_for(net.care)
    exchange_actions.save_section(care, trajectory.client, ProfileSection.SKILLS, "Nauwkeurig.")
    grant_consent(
        care,
        trajectory.client,
        purpose=ConsentPurpose.PROFILE,
        recipient=net.sara,
        categories=[ProfileSection.SKILLS, ProfileSection.STRENGTHS, ProfileSection.WORK_HISTORY],
        evidence=SIGNED,
    )


def feedback_on(net: Network, trajectory: Trajectory) -> None:
    net.follows_outcome(trajectory.client)
    exchange_actions.send_feedback(actor_for(net.coach), trajectory, discussed="Werkt aan dagstructuur.")


def incoming_handover(net: Network) -> None:
    """A GTB trajectory that GTB proposes to hand over to SaRA (the coordinator's incoming list)."""
    referral = net.refer(net.new_client(first_name="Overdracht"), line=net.gtb_line)
    referral_actions.assign_referral(actor_for(net.gtb_screener), referral, coach=net.gtb_coach)
    trajectory = trajectory_actions.accept_referral(
        actor_for(net.gtb_coach), referral, trajectory_type=TrajectoryType.objects.get(code="gtb")
    )
    trajectory_actions.propose_handover(
        actor_for(net.gtb_coach),
        trajectory,
        to_organisation=net.sara,
        new_type=TrajectoryType.objects.get(code="arbeidscoach"),
        note="Meer nood aan intensieve begeleiding.",
        evidence=SIGNED,
    )


def employer_with_contacts(net: Network, trajectory: Trajectory) -> Employer:
    """An employer with a contact person, an opening and a contact naming the picked client."""
    employer = employer_actions.create_employer(actor_for(net.coach), Employer(name="Bakkerij", sector="I"))
    employer_actions.add_contact_person(actor_for(net.coach), employer, ContactPerson(name="An"))
    employer_actions.add_opening(actor_for(net.coach), employer, Opening(title="Hulp", job_type="9"))
    employer_consent(net, trajectory.client)
    add_employer_contact(net, employer, trajectory, 0)
    return employer


def add_employer_contact(net: Network, employer: Employer, trajectory: Trajectory | None, i: int) -> None:
    employer_actions.log_contact(
        actor_for(net.coach),
        employer,
        on=days_ago(i % 5),
        mode="face_to_face",
        purpose="vacancy",
        place="community",
        trajectory=trajectory,
        note=f"contact {i}",
    )


def personas(net: Network) -> Personas:
    """The small network: each persona with one row of everything its pages list."""
    trajectory = net.trajectory(net.new_client(first_name="Dossier"))
    coach = actor_for(net.coach)
    trajectory_actions.record_contact(coach, trajectory, on=days_ago(3), kind=ContactKind.PHONE, note="Bel")
    trajectory_actions.add_goal(coach, trajectory, goal="cv", due_on=days_ago(-10))
    share_profile(net, trajectory.client_id)
    feedback_on(net, trajectory)
    net.refer(net.new_client(first_name="Inbox"))
    waiting = net.refer(net.new_client(first_name="Wacht"))
    referral_actions.waitlist_referral(actor_for(net.screener), waiting, expected_start=None)
    incoming_handover(net)
    propose_to_gtb(net, net.trajectory())
    meeting, item = open_items(net)
    return Personas(
        users={
            "coach": net.coach,
            "screener": net.screener,
            "coordinator": net.coordinator,
            "care": net.care,
            "team_member": net.coach,
            "work_partner": net.coach,
            "funder": net.funder,
            "anonymous": None,
        },
        picks={
            "caseload_client": trajectory.client_id,
            "led_trajectory": trajectory.pk,
            "referable_client": net.new_client(first_name="Nieuw").pk,
            "meeting": meeting.pk,
            "agenda_item": item.pk,
            "profile_client": trajectory.client_id,
            "employer": employer_with_contacts(net, trajectory).pk,
        },
    )


def grow(net: Network, picks: dict[str, int], rows: int) -> None:
    """Much more of everything around the same personas and the same picked objects."""
    coach, screener = actor_for(net.coach), actor_for(net.screener)
    picked = Trajectory.objects.get(pk=picks["led_trajectory"])
    meeting = Meeting.objects.get(pk=picks["meeting"])
    item = AgendaItem.objects.get(pk=picks["agenda_item"])
    region = net.region
    for i in range(rows):
        organisation = Organisation.objects.create(
            name=f"Partner {i:03}",
            kind=OrganisationKind.CARE,
            org_type=OrganisationType.CGG,
            subregion=region,
        )
        make_user(f"zorg{i:03}", organisation, Role.CARE_PROFESSIONAL)
        if i < 5:
            make_user(f"coach{i:03}", net.sara, Role.COACH, capacity=30)
        trajectory = net.trajectory()
        trajectory_actions.record_contact(coach, trajectory, on=days_ago(i % 60), kind=ContactKind.PHONE)
        trajectory_actions.add_goal(coach, trajectory, goal="cv", due_on=days_ago(i % 9 - 4))
        trajectory_actions.record_outcome(
            coach, trajectory, kind=OutcomeKind.PAID_WORK, economy=Economy.NEC, on=days_ago(100)
        )
        trajectory_actions.record_contact(
            coach, picked, on=days_ago(i % 30), kind=ContactKind.PHONE, note="Nog"
        )
        trajectory_actions.add_goal(coach, picked, goal=f"doel {i}", due_on=days_ago(i % 9 - 4))
        feedback_on(net, trajectory)
        net.refer(net.new_client())
        waiting = net.refer(net.new_client())
        referral_actions.waitlist_referral(screener, waiting, expected_start=None)
        if i % 3 == 0:
            propose_to_gtb(net, trajectory)
            incoming_handover(net)
        if i % 5 == 0:
            add_case(net, meeting)
            followup_actions.create_action(
                coach, item, description=f"Actie {i}", owner=net.coach, due_on=days_ago(-14)
            )
        exchange_actions.save_section(
            actor_for(net.care), picked.client, ProfileSection.SKILLS, f"Nauwkeurig, versie {i}."
        )
        employer = Employer.objects.get(pk=picks["employer"])
        Employer.objects.create(name=f"Werkgever {i:03}", created_by=net.coach)
        employer_actions.add_contact_person(
            actor_for(net.coach), employer, ContactPerson(name=f"Persoon {i}")
        )
        add_employer_contact(net, employer, picked if i % 2 else None, i + 1)


def count_queries(client: WebClient, page: BenchPage, picks: dict[str, int]) -> tuple[int, int]:
    url = reverse(page.url_name, args=page.url_args(picks))
    client.get(url)  # the second request is counted: one-off caches do not count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured)


def walk(personas: Personas) -> dict[str, tuple[int, int]]:
    """(status, queries) per page key, each page opened by its persona's own logged-in client."""
    clients: dict[str, WebClient] = {}
    counts = {}
    for page in PAGES:
        if page.persona not in clients:
            user = personas.users[page.persona]
            clients[page.persona] = client_of(user) if user is not None else WebClient()
        counts[page.key] = count_queries(clients[page.persona], page, personas.picks)
    return counts


def test_the_bench_list_names_known_personas_and_argument_kinds_only():
    assert len({page.key for page in PAGES}) == len(PAGES)
    for page in PAGES:
        assert page.persona in PERSONAS, page.key
        assert set(page.argument_kinds) <= set(ARGUMENT_KINDS), page.key
    assert [p.key for p in pages_by_key("trajectory,inbox")] == ["healthz", "trajectory", "inbox"]
    assert [p.key for p in pages_by_key("report-funnel")] == [
        "healthz",
        "report-funnel-coordinator",
        "report-funnel-funder",
    ]
    with pytest.raises(ValueError, match="unknown"):
        pages_by_key("trajectory,nonsense")


def test_no_page_of_the_bench_list_runs_more_queries_as_the_network_grows(net):
    people = personas(net)
    small = walk(people)
    assert {key: status for key, (status, _) in small.items()} == {page.key: 200 for page in PAGES}

    grow(net, people.picks, MORE)
    large = walk(people)
    assert {key: status for key, (status, _) in large.items()} == {page.key: 200 for page in PAGES}
    grown = {
        key: (small[key][1], large[key][1])
        for key in small
        if large[key][1] - small[key][1] != STEPS.get(key, 0)
    }
    assert grown == {}, (
        f"queries (small, large) of the pages whose count changed by other than its known step: {grown}"
    )
