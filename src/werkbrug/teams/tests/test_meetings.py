"""Meetings: planning, the agenda, guests who see their item only, attendance, minutes, the decision
that starts the handover or the referral, and action items. Anyone without a seat or an invitation
gets 404; an anonymous case shows no identifying field anywhere."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import User
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import ReferralStatus
from werkbrug.teams import actions, decision_actions, followup_actions, meeting_actions
from werkbrug.teams.models import (
    MAX_TEXT,
    ActionItem,
    AgendaItem,
    Attendance,
    ItemGuest,
    Meeting,
)
from werkbrug.teams.tests.test_teams_support import IDENTITY, build_world, in_a_week, leaks
from werkbrug.testing import actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import ContactKind, Handover, HandoverStatus

OTHER = {"first_name": "Bartholomeus", "last_name": "Zwijsen"}


def has_label(page: str, label: str) -> bool:
    return re.search(rf"{re.escape(label)}(?!\d)", page) is not None


def invite(world, item, user=None):
    return meeting_actions.invite_guest(actor_for(world.net.coach), item, user=user or world.net.gtb_coach)


def add_action(world, item, owner=None, due=None, description="Call the GP"):
    return followup_actions.create_action(
        actor_for(world.net.coach),
        item,
        description=description,
        owner=owner or world.net.care,
        due_on=due or timezone.localdate() + datetime.timedelta(days=3),
    )


@pytest.fixture
def two_cases(world):
    """A meeting with case A (anonymous, the world's client) and case B (another client, named)."""
    other = world.net.new_client(**OTHER)
    case_a = world.register()
    case_b = world.register(other, question="Second case.")
    world.consent(other)
    meeting = world.meeting()
    return meeting, world.item(meeting, case_a), world.item(meeting, case_b)


# --- planning a meeting --------------------------------------------------------------------------------


def test_a_member_plans_a_meeting_in_brussels_time_with_the_teams_place(world, login):
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = login(world.net.coach).post(
        reverse("teams:meeting_create", args=[world.team.pk]), {"starts_at": f"{day:%Y-%m-%d}T14:00"}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:meeting", args=[meeting.pk])
    local = timezone.localtime(meeting.starts_at)
    assert (local.date(), local.hour, str(local.tzinfo)) == (day, 14, "Europe/Brussels")
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(hours=2)
    assert meeting.place == "SaRA, room 2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": "2020-01-07T14:00"}, "A new meeting cannot be in the past."),
        ({"starts_at": "{day}T14:00", "ends_at": "{day}T13:00"}, "The meeting must end after it starts."),
        ({"starts_at": "{day}T14:00", "place": "x" * 201}, "at most 200 characters"),
        ({"starts_at": "{day}T14:00", "video_link": "not a link"}, "Enter a valid URL."),
        ({"starts_at": "tomorrow"}, "Enter a valid date/time."),
    ],
)
def test_bad_meeting_input_gets_a_message_and_nothing_is_written(world, login, data, message):
    day = f"{timezone.localdate() + datetime.timedelta(days=3):%Y-%m-%d}"
    posted = {key: value.format(day=day) for key, value in data.items()}
    response = login(world.net.coach).post(reverse("teams:meeting_create", args=[world.team.pk]), posted)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_earlier_today_is_in_the_past(world):
    with pytest.raises(actions.DomainError, match="cannot be in the past"):
        world.meeting(timezone.now() - datetime.timedelta(minutes=1))


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "funder", "admin"])
def test_only_members_plan_meetings(world, login, persona):
    url = reverse("teams:meeting_create", args=[world.team.pk])
    client = login(getattr(world.net, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"starts_at": f"{in_a_week():%Y-%m-%dT%H:%M}"}).status_code == 404
    assert not Meeting.objects.exists()


# --- the agenda ----------------------------------------------------------------------------------------


def test_the_agenda_holds_the_undecided_cases_the_open_actions_and_the_changed_trajectories(world):
    net = world.net
    trajectory = net.trajectory(net.new_client(first_name="Traject", last_name="Klant"))
    first = world.register()
    with_trajectory = world.register(
        trajectory.client, "Relapse?", by=net.coach, reason="relapse", trajectory=trajectory
    )
    closed = world.register(net.new_client(first_name="Closed", last_name="Case"))
    actions.close_case(actor_for(net.coach), closed)
    previous = world.meeting()
    assert [i.case for i in previous.items.order_by("position")] == [first, with_trajectory]
    decision_actions.decide_case(
        actor_for(net.coach), world.item(previous, with_trajectory), lead_organisation=net.sara
    )
    add_action(world, world.item(previous, first))

    with time_machine.travel(previous.starts_at + datetime.timedelta(days=1)):
        trajectory_actions.record_contact(
            actor_for(net.coach), trajectory, on=timezone.localdate(), kind=ContactKind.PHONE
        )
        meeting = world.meeting(timezone.now() + datetime.timedelta(days=27))
    items = list(meeting.items.order_by("position"))
    assert [(i.case, i.title) for i in items] == [
        (first, ""),
        (None, meeting_actions.OPEN_ACTIONS_TITLE),
        (with_trajectory, meeting_actions.TRAJECTORY_UPDATE_TITLE),
    ]


def test_an_unchanged_trajectory_of_a_decided_case_stays_off_the_agenda(world):
    net = world.net
    trajectory = net.trajectory(net.new_client(first_name="Traject", last_name="Klant"))
    case = world.register(trajectory.client, "?", by=net.coach, reason="relapse", trajectory=trajectory)
    previous = world.meeting()
    decision_actions.decide_case(actor_for(net.coach), world.item(previous, case), lead_organisation=net.sara)
    with time_machine.travel(previous.starts_at + datetime.timedelta(days=1)):
        meeting = world.meeting(timezone.now() + datetime.timedelta(days=27))
    assert not meeting.items.exists()


def test_agenda_titles_never_hold_a_client_name(world, two_cases):
    add_action(world, two_cases[1])
    meeting_actions.refresh_agenda(actor_for(world.net.coach), two_cases[0])
    titles = set(AgendaItem.objects.values_list("title", flat=True))
    assert titles <= {"", meeting_actions.OPEN_ACTIONS_TITLE, meeting_actions.TRAJECTORY_UPDATE_TITLE}


def test_updating_the_agenda_adds_what_is_new_once(world, login):
    meeting = world.meeting()
    later = world.meeting(in_a_week() + datetime.timedelta(days=28))
    case = world.register()  # joins the next meeting only
    client = login(world.net.coach)
    assert client.post(reverse("teams:agenda_refresh", args=[later.pk])).status_code == 302
    assert later.items.filter(case=case).count() == 1
    client.post(reverse("teams:agenda_refresh", args=[later.pk]))
    assert later.items.filter(case=case).count() == 1
    assert meeting.items.filter(case=case).count() == 1


# --- who sees a meeting ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "funder", "admin"])
def test_anyone_without_a_seat_or_an_invitation_gets_404_everywhere(world, two_cases, login, persona):
    meeting, item, _other = two_cases
    client = login(getattr(world.net, persona))
    gets = [
        reverse("teams:meeting", args=[meeting.pk]),
        reverse("teams:item_minutes", args=[item.pk]),
        reverse("teams:decide", args=[item.pk]),
        reverse("teams:invite", args=[item.pk]),
        reverse("teams:action_create", args=[item.pk]),
        reverse("teams:attendance", args=[meeting.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        reverse("teams:item_minutes", args=[item.pk]): {"minutes": "x"},
        reverse("teams:decide", args=[item.pk]): {
            "lead_organisation": world.net.gtb.pk,
            "evidence": "verbal",
        },
        reverse("teams:invite", args=[item.pk]): {"user": world.net.outsider.pk},
        reverse("teams:action_create", args=[item.pk]): {
            "description": "x",
            "owner": world.net.care.pk,
            "due_on": f"{in_a_week():%Y-%m-%d}",
        },
        reverse("teams:attendance", args=[meeting.pk]): {"present": [world.net.coach.pk]},
        reverse("teams:agenda_refresh", args=[meeting.pk]): {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    item.refresh_from_db()
    assert (item.minutes, item.decided_at) == ("", None)
    assert (
        not ItemGuest.objects.exists() and not ActionItem.objects.exists() and not Attendance.objects.exists()
    )


def test_an_unknown_item_or_meeting_is_404(world, login):
    client = login(world.net.coach)
    assert client.get(reverse("teams:meeting", args=[99999])).status_code == 404
    assert client.get(reverse("teams:item_minutes", args=[99999])).status_code == 404


def test_a_member_sees_every_item(world, two_cases, login):
    meeting, item_a, _item_b = two_cases
    page = login(world.net.care).get(reverse("teams:meeting", args=[meeting.pk])).content.decode()
    assert has_label(page, item_a.case.anonymous_label)
    assert "Bartholomeus Zwijsen" in page


def test_a_guest_sees_their_item_only(world, two_cases, login):
    meeting, item_a, item_b = two_cases
    add_action(world, item_b, description="Ask the employer")
    meeting_actions.refresh_agenda(actor_for(world.net.coach), meeting)  # an "Open action items" item now
    invite(world, item_a)
    client = login(world.net.gtb_coach)
    page = client.get(reverse("teams:meeting", args=[meeting.pk])).content.decode()
    assert has_label(page, item_a.case.anonymous_label)
    assert not has_label(page, item_b.case.anonymous_label)
    for hidden in (
        "Bartholomeus",
        "Zwijsen",
        "Second case.",
        "Ask the employer",
        "Open action items",
        'name="present"',
    ):
        assert hidden not in page
    assert reverse("teams:item_minutes", args=[item_b.pk]) not in page
    assert reverse("teams:detail", args=[world.team.pk]) not in page
    assert leaks(page) == []


def test_a_guest_reads_their_items_minutes_and_nothing_else(world, two_cases, login):
    _meeting, item_a, item_b = two_cases
    meeting_actions.record_minutes(actor_for(world.net.coach), item_a, minutes="GTB will look at it.")
    invite(world, item_a)
    client = login(world.net.gtb_coach)
    page = client.get(reverse("teams:item_minutes", args=[item_a.pk])).content.decode()
    assert "GTB will look at it." in page
    assert 'name="minutes"' not in page and 'name="lead_organisation"' not in page
    assert client.get(reverse("teams:item_minutes", args=[item_b.pk])).status_code == 404
    assert (
        client.post(reverse("teams:item_minutes", args=[item_a.pk]), {"minutes": "mine"}).status_code == 404
    )
    for name in ("decide", "invite", "action_create"):
        assert client.get(reverse(f"teams:{name}", args=[item_a.pk])).status_code == 404
    item_a.refresh_from_db()
    assert item_a.minutes == "GTB will look at it."


def test_a_guest_sees_the_meeting_in_their_teams_list_without_case_labels(world, two_cases, login):
    meeting, item_a, _item_b = two_cases
    invite(world, item_a)
    page = login(world.net.gtb_coach).get(reverse("teams:list")).content.decode()
    assert reverse("teams:meeting", args=[meeting.pk]) in page
    assert not has_label(page, item_a.case.anonymous_label) and leaks(page) == []


def test_withdrawing_an_invitation_ends_the_guests_access(world, two_cases, login):
    meeting, item_a, _item_b = two_cases
    guest = invite(world, item_a)
    response = login(world.net.coach).post(reverse("teams:uninvite", args=[item_a.pk, guest.pk]))
    assert response.status_code == 302
    assert login(world.net.gtb_coach).get(reverse("teams:meeting", args=[meeting.pk])).status_code == 404


# --- invitations ---------------------------------------------------------------------------------------


def test_a_member_invites_a_network_partner_for_one_item(world, two_cases, login):
    _meeting, item_a, _item_b = two_cases
    response = login(world.net.coach).post(
        reverse("teams:invite", args=[item_a.pk]), {"user": world.net.gtb_coach.pk}
    )
    assert response.status_code == 302
    guest = ItemGuest.objects.get()
    assert (guest.item, guest.user, guest.organisation) == (item_a, world.net.gtb_coach, world.net.gtb)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("stranger", "outside the network"),
        ("funder", "no role that works with client files"),
        ("care", "is a member of the team"),
        ("nobody", "Choose a person."),
    ],
)
def test_invitations_that_cannot_be_get_a_clear_message(world, two_cases, login, who, message):
    _meeting, item_a, _item_b = two_cases
    if who == "stranger":
        user_pk = User.objects.create_user(username="stranger", password="x" * 12).pk
    elif who == "nobody":
        user_pk = ""
    else:
        user_pk = getattr(world.net, who).pk
    response = login(world.net.coach).post(reverse("teams:invite", args=[item_a.pk]), {"user": user_pk})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ItemGuest.objects.exists()


def test_a_guest_is_invited_once(world, two_cases, login):
    _meeting, item_a, _item_b = two_cases
    invite(world, item_a)
    response = login(world.net.coach).post(
        reverse("teams:invite", args=[item_a.pk]), {"user": world.net.gtb_coach.pk}
    )
    assert "already invited" in response.content.decode()
    assert ItemGuest.objects.count() == 1


def test_no_guest_for_the_open_actions_item(world, two_cases):
    meeting, item_a, _item_b = two_cases
    add_action(world, item_a)
    meeting_actions.refresh_agenda(actor_for(world.net.coach), meeting)
    general = meeting.items.get(case__isnull=True)
    with pytest.raises(actions.DomainError):
        invite(world, general)


# --- anonymity -------------------------------------------------------------------------------------------


def pages_of(world, meeting, item, user, login):
    client = login(user)
    urls = [reverse("teams:meeting", args=[meeting.pk]), reverse("teams:item_minutes", args=[item.pk])]
    if user != world.net.gtb_coach:
        urls += [
            reverse("teams:detail", args=[world.team.pk]),
            reverse("teams:decide", args=[item.pk]),
            reverse("teams:action_create", args=[item.pk]),
        ]
    return {url: client.get(url).content.decode() for url in urls}


def test_an_anonymous_case_shows_no_identifying_field_anywhere(world, login):
    case = world.register(question="Works best in the morning; panic in crowds.")
    meeting = world.meeting()
    item = world.item(meeting, case)
    coach = actor_for(world.net.coach)
    meeting_actions.record_minutes(coach, item, minutes="Discussed; GTB to take a look.")
    decision_actions.decide_case(coach, item, lead_organisation=world.net.gtb, next_steps="Intake at GTB.")
    add_action(world, item, description="Send the profile to GTB")
    meeting_actions.refresh_agenda(coach, meeting)  # the open actions item lists the case too
    invite(world, item)
    for user in (world.net.coach, world.net.care, world.net.screener, world.net.gtb_coach):
        for url, page in pages_of(world, meeting, item, user, login).items():
            assert has_label(page, case.anonymous_label), (user, url)
            assert leaks(page) == [], (user, url)


def test_with_consent_everyone_at_the_item_sees_the_name_until_it_is_withdrawn(world, login):
    case = world.register()
    meeting = world.meeting()
    item = world.item(meeting, case)
    invite(world, item)
    consent = world.consent()
    for user in (world.net.coach, world.net.gtb_coach):
        for page in pages_of(world, meeting, item, user, login).values():
            assert "Zenobia Quackenbusch" in page
    world.withdraw(consent)
    for user in (world.net.coach, world.net.gtb_coach):
        for url, page in pages_of(world, meeting, item, user, login).items():
            assert leaks(page) == [], (user, url)


def test_texts_written_under_consent_are_redacted_once_it_is_withdrawn(world, login):
    consent = world.consent()
    case = world.register(question="Zenobia Quackenbusch (born 14/03/1987) wants to work.")
    meeting = world.meeting()
    item = world.item(meeting, case)
    coach = actor_for(world.net.coach)
    meeting_actions.record_minutes(
        coach, item, minutes="Zenobia told us about Kwikstraat 17; call 0470 12 34 56."
    )
    decision_actions.decide_case(
        coach, item, lead_organisation=world.net.gtb, next_steps="Zenobia meets GTB."
    )
    add_action(world, item, description="Mail zenobia.q@example.net the date")
    world.withdraw(consent)
    for url, page in pages_of(world, meeting, item, world.net.coach, login).items():
        assert leaks(page) == [], url
        if url.endswith("/minutes/"):
            assert "told us about" in page


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("minutes", "Quackenbusch is doing better."),
        ("minutes", "Her number is 0470/12.34.56."),
        ("minutes", f"INSZ {IDENTITY['insz'][:6]}-{IDENTITY['insz'][6:9]}.{IDENTITY['insz'][9:]}"),
        ("minutes", "x" * (MAX_TEXT + 1)),
    ],
)
def test_minutes_that_identify_an_anonymous_client_or_are_too_long_are_refused(world, login, field, text):
    case = world.register()
    item = world.item(world.meeting(), case)
    response = login(world.net.coach).post(reverse("teams:item_minutes", args=[item.pk]), {field: text})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.minutes == ""


def test_a_member_writes_the_minutes(world, login):
    item = world.item(world.meeting(), world.register())
    response = login(world.net.care).post(
        reverse("teams:item_minutes", args=[item.pk]), {"minutes": "Agreed: GTB."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Agreed: GTB."


# --- attendance ------------------------------------------------------------------------------------------


def test_members_record_who_was_present_among_members_and_guests(world, two_cases, login):
    meeting, item_a, _item_b = two_cases
    invite(world, item_a)
    response = login(world.net.coach).post(
        reverse("teams:attendance", args=[meeting.pk]),
        {"present": [world.net.coach.pk, world.net.gtb_coach.pk]},
    )
    assert response.status_code == 302
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("user__username", "present"))
    assert rows == {"coach": True, "gtbcoach": True, "care": False, "screener": False}


def test_attendance_of_someone_not_expected_is_refused(world, two_cases, login):
    meeting, _a, _b = two_cases
    response = login(world.net.coach).post(
        reverse("teams:attendance", args=[meeting.pk]), {"present": [world.net.outsider.pk]}
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()


# --- decisions ---------------------------------------------------------------------------------------------


def decide_url(item) -> str:
    return reverse("teams:decide", args=[item.pk])


@pytest.fixture
def trajectory_case(world):
    """An anonymous case linked to the trajectory the SaRA coach (a member) leads."""
    trajectory = world.net.trajectory(world.client)
    case = world.register(question="GTB?", by=world.net.coach, trajectory=trajectory)
    return world.item(world.meeting(), case), trajectory


def test_the_team_decides_gtb_leads_and_the_handover_is_proposed_to_gtb(world, trajectory_case, login):
    item, trajectory = trajectory_case
    response = login(world.net.coach).post(
        decide_url(item),
        {
            "lead_organisation": world.net.gtb.pk,
            "next_steps": "Warm handover in a trio talk.",
            "start": "on",
            "evidence": "verbal",
        },
        follow=True,
    )
    assert "The handover to GTB Antwerpen was proposed" in response.content.decode()
    item.refresh_from_db()
    assert (item.lead_organisation, item.decided_by, item.next_steps) == (
        world.net.gtb,
        world.net.coach,
        "Warm handover in a trio talk.",
    )
    handover = Handover.objects.get(trajectory=trajectory)
    assert (handover.to_organisation, handover.new_type.code, handover.status) == (
        world.net.gtb,
        "gtb",
        HandoverStatus.PROPOSED,
    )
    consent = Consent.objects.active().get(
        client=world.client, recipient=world.net.gtb, purpose=ConsentPurpose.COLLABORATION
    )
    assert consent.evidence_note == "decided in case team ZoWeZo Antwerpen"
    gtb_inbox = login(world.net.gtb_coach).get(reverse("trajectories:handovers")).content.decode()
    assert reverse("trajectories:detail", args=[trajectory.pk]) in gtb_inbox


def test_a_member_who_is_not_the_lead_coach_cannot_start_the_handover_and_nothing_is_saved(
    world, trajectory_case, login
):
    item, _trajectory = trajectory_case
    response = login(world.net.care).post(
        decide_url(item),
        {"lead_organisation": world.net.gtb.pk, "next_steps": "GTB.", "start": "on", "evidence": "verbal"},
    )
    assert response.status_code == 400
    assert "The handover is proposed by the lead coach: ask Coach SaRA" in response.content.decode()
    item.refresh_from_db()
    assert (item.decided_at, item.lead_organisation, item.next_steps) == (None, None, "")
    assert not Handover.objects.exists()


def test_a_decision_without_start_is_saved_alone(world, trajectory_case, login):
    item, _trajectory = trajectory_case
    response = login(world.net.care).post(
        decide_url(item), {"lead_organisation": world.net.gtb.pk, "evidence": "verbal"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lead_organisation == world.net.gtb and item.decided_at is not None
    assert not Handover.objects.exists()


def test_starting_when_the_chosen_service_already_leads_starts_nothing(world, trajectory_case, login):
    item, _trajectory = trajectory_case
    response = login(world.net.coach).post(
        decide_url(item),
        {"lead_organisation": world.net.sara.pk, "start": "on", "evidence": "verbal"},
        follow=True,
    )
    assert (
        "Nothing was started: SaRA Arbeidscoaching already leads the trajectory." in response.content.decode()
    )
    assert not Handover.objects.exists()


@pytest.fixture
def referral_case(world):
    referral = world.net.refer(world.client)
    referral_actions.send_to_case_team(actor_for(world.net.screener), referral, note="Unclear who leads.")
    case = world.register(question="?", by=world.net.screener, referral=referral)
    return world.item(world.meeting(), case), referral


def test_the_screener_starts_the_redirect_of_a_referral_waiting_for_the_team(world, referral_case, login):
    item, referral = referral_case
    response = login(world.net.screener).post(
        decide_url(item),
        {"lead_organisation": world.net.gtb.pk, "start": "on", "evidence": "signed_form"},
        follow=True,
    )
    assert "The referral was redirected to the line “GTB trajectbegeleiding”" in response.content.decode()
    referral.refresh_from_db()
    assert (referral.line, referral.status) == (world.net.gtb_line, ReferralStatus.SUBMITTED)


def test_someone_who_may_not_triage_is_told_who_can_and_nothing_is_saved(world, referral_case, login):
    item, referral = referral_case
    response = login(world.net.coach).post(
        decide_url(item), {"lead_organisation": world.net.gtb.pk, "start": "on", "evidence": "verbal"}
    )
    assert response.status_code == 400
    assert "ask Screener SaRA, a coordinator of SaRA Arbeidscoaching" in response.content.decode()
    item.refresh_from_db()
    referral.refresh_from_db()
    assert item.decided_at is None and referral.status == ReferralStatus.CASE_TEAM


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"lead_organisation": "network"}, "Select a valid choice."),
        ({"lead_organisation": "gtb", "next_steps": "Zenobia starts at GTB."}, "Leave out the client"),
        ({"lead_organisation": "gtb", "next_steps": "x" * (MAX_TEXT + 1)}, f"at most {MAX_TEXT} characters"),
        ({"lead_organisation": "gtb", "evidence": "verbal_witness", "start": "on"}, "Name the witness"),
    ],
)
def test_bad_decisions_get_a_message_and_nothing_is_saved(world, trajectory_case, login, data, message):
    item, _trajectory = trajectory_case
    orgs = {"gtb": world.net.gtb.pk, "network": world.net.network_org.pk}
    posted = {"evidence": "verbal", **data}
    if "lead_organisation" in posted:
        posted["lead_organisation"] = orgs[posted["lead_organisation"]]
    response = login(world.net.coach).post(decide_url(item), posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.decided_at is None and not Handover.objects.exists()


# --- action items -------------------------------------------------------------------------------------------


def action_url(item) -> str:
    return reverse("teams:action_create", args=[item.pk])


def test_a_member_adds_an_action_and_it_appears_in_its_owners_list(world, login):
    item = world.item(world.meeting(), world.register())
    due = timezone.localdate() + datetime.timedelta(days=5)
    response = login(world.net.coach).post(
        action_url(item),
        {"description": "Plan the trio talk", "owner": world.net.care.pk, "due_on": f"{due:%Y-%m-%d}"},
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.owner, action.due_on, action.case, action.team) == (
        world.net.care,
        due,
        item.case,
        world.team,
    )
    mine = login(world.net.care).get(reverse("teamfollowup:my_actions")).content.decode()
    assert "Plan the trio talk" in mine


def test_an_invited_guest_may_own_an_action(world, login):
    item = world.item(world.meeting(), world.register())
    invite(world, item)
    assert add_action(world, item, owner=world.net.gtb_coach).owner == world.net.gtb_coach


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"owner": ""}, "Choose who owns this action."),
        ({"owner": "outsider"}, "The owner must be a member of the team or a guest invited for this item."),
        ({"owner": "gtb_coach"}, "The owner must be a member of the team or a guest invited for this item."),
        ({"description": ""}, "This field is required."),
        ({"description": "x" * 501}, "at most 500 characters"),
        ({"description": "Phone Quackenbusch"}, "Leave out the client"),
        ({"due_on": ""}, "This field is required."),
        ({"due_on": "2020-01-01"}, "The due date lies in the past."),
    ],
)
def test_bad_actions_get_a_message_and_nothing_is_written(world, login, data, message):
    item = world.item(world.meeting(), world.register())
    posted = {"description": "Call the GP", "owner": "care", "due_on": f"{in_a_week():%Y-%m-%d}", **data}
    if posted["owner"]:
        posted["owner"] = getattr(world.net, posted["owner"]).pk
    response = login(world.net.coach).post(action_url(item), posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_action_turns_overdue_after_its_date(world, login):
    item = world.item(world.meeting(), world.register())
    due = timezone.localdate() + datetime.timedelta(days=2)
    action = add_action(world, item, due=due)
    url = reverse("teams:item_minutes", args=[item.pk])
    assert 'data-overdue="true"' not in login(world.net.coach).get(url).content.decode()
    with time_machine.travel(due + datetime.timedelta(days=1)):
        assert (
            f'data-action="{action.pk}" data-overdue="true"'
            in login(world.net.coach).get(url).content.decode()
        )


def test_a_member_marks_an_action_done(world, login):
    item = world.item(world.meeting(), world.register())
    action = add_action(world, item)
    response = login(world.net.screener).post(reverse("teams:action_done", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()


def test_someone_else_cannot_mark_an_action_done(world, login):
    action = add_action(world, world.item(world.meeting(), world.register()))
    assert login(world.net.gtb_coach).post(reverse("teams:action_done", args=[action.pk])).status_code == 404
    action.refresh_from_db()
    assert action.done_on is None


# --- queries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 20])
def test_the_meeting_page_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    world = build_world(net)
    cases = []
    for i in range(rows):
        client = world.new_client(first_name=f"Zenobia{i}")
        cases.append(world.register(client))
        if i % 2:
            world.consent(client)
    meeting = world.meeting()
    for case in cases:
        item = world.item(meeting, case)
        meeting_actions.record_minutes(actor_for(net.coach), item, minutes="Discussed.")
        add_action(world, item)
        invite(world, item)
    meeting_actions.refresh_agenda(actor_for(net.coach), meeting)
    browser = login(net.coach)
    with django_assert_max_num_queries(
        15
    ):  # +1 since issue 13: the session is read from the database, so that logout ends it on every worker
        response = browser.get(reverse("teams:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-item="') == rows + 1


def test_the_people_of_a_meeting_and_the_owners_of_an_item_are_each_listed_once(world):
    """Members and the item's guests, each person once (also a member who is invited as a guest),
    nobody else, sorted by name; the owners of an action are the active ones among them."""
    world.consent()
    meeting = world.meeting()
    item = world.item(meeting, world.register())
    members = set(world.team.members.values_list("user_id", flat=True))
    member = User.objects.get(pk=sorted(members)[0])
    for guest, organisation in ((world.net.gtb_coach, world.net.gtb), (member, world.net.gtb)):
        ItemGuest.objects.create(item=item, user=guest, organisation=organisation, invited_by=world.net.coach)
    expected = members | {world.net.gtb_coach.pk}
    people = meeting_actions.expected_people(meeting)
    assert sorted(p.pk for p in people) == sorted(expected)
    assert [(p.last_name, p.first_name, p.pk) for p in people] == sorted(
        (p.last_name, p.first_name, p.pk) for p in people
    )
    assert world.net.outsider.pk not in {p.pk for p in people}
    owners = followup_actions.possible_owners(item)
    assert sorted(o.pk for o in owners) == sorted(expected)
    User.objects.filter(pk=world.net.gtb_coach.pk).update(is_active=False)
    assert sorted(o.pk for o in followup_actions.possible_owners(item)) == sorted(members)
