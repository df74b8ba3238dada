"""Info sessions and the individual path: conversations, the informed decision, onward referrals
(presumed, verified keeping the first date), the work incapacity, waiting for an outside service;
the pages' outsiders, bad input and double submits."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from werkbrug.clients import actions as clients_actions
from werkbrug.clients.models import BenefitStatus, Consent
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.outreach import booking_actions, path_actions
from werkbrug.outreach.models import (
    AppointmentState,
    Destination,
    InfoSession,
    OnwardReferral,
    Path,
    PathChannel,
)
from werkbrug.outreach.tests.data import MONDAY, TUESDAY, at
from werkbrug.testing import actor_for

LATER = datetime.datetime(2026, 12, 15, 12, 0, tzinfo=MONDAY.tzinfo)


def new_path(net, s, **extra):
    fields = {"first_name": "Mira", "channel": PathChannel.HOURS, "started_on": MONDAY.date()}
    fields.update(extra)
    return path_actions.start_path(actor_for(net.coach), s, **fields)


# --- info sessions -------------------------------------------------------------------------------


def test_coach_records_an_info_session_with_the_number_reached(net, login, setup):
    s, _h = setup
    response = login(net.coach).post(
        reverse("outreach:session_new", args=[s.pk]),
        {"held_on": "2026-12-04", "kind": "webinar", "audience": "professionals", "reached": "23"},
    )
    assert response.status_code == 302
    session = InfoSession.objects.get()
    assert (session.site, session.kind, session.audience, session.reached) == (
        s,
        "webinar",
        "professionals",
        23,
    )
    page = login(net.coach).get(reverse("outreach:site", args=[s.pk]))
    assert "23" in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"held_on": "2026-12-31", "kind": "webinar", "audience": "clients", "reached": "5"},  # future
        {"held_on": "2026-12-04", "kind": "party", "audience": "clients", "reached": "5"},
        {"held_on": "2026-12-04", "kind": "webinar", "audience": "clients", "reached": "-1"},
    ],
)
def test_a_bad_info_session_is_refused_and_writes_nothing(net, login, setup, data):
    s, _h = setup
    response = login(net.coach).post(reverse("outreach:session_new", args=[s.pk]), data)
    assert response.status_code == 400
    assert not InfoSession.objects.exists()


@pytest.mark.parametrize("who", ["gtb_coach", "funder", "care", "admin"])
def test_outsiders_get_404_on_the_session_and_path_pages(net, login, setup, who):
    s, _h = setup
    p = new_path(net, s)
    referral = path_actions.refer_onward(
        actor_for(net.coach), p, destination=Destination.VDAB, referred_on=MONDAY.date()
    )
    user = login(getattr(net, who))
    for url in (
        reverse("outreach:session_new", args=[s.pk]),
        reverse("outreach:path_new", args=[s.pk]),
        reverse("outreach:path", args=[p.pk]),
        reverse("outreach:conversation_new", args=[p.pk]),
        reverse("outreach:decision", args=[p.pk]),
        reverse("outreach:referral_new", args=[p.pk]),
        reverse("outreach:referral_verify", args=[referral.pk]),
        reverse("outreach:waiting", args=[p.pk]),
        reverse("outreach:path_close", args=[p.pk]),
    ):
        assert user.get(url).status_code == 404, url
        if url != reverse("outreach:path", args=[p.pk]):  # the path page itself is read-only (405)
            assert user.post(url, {"on": "2026-12-07"}).status_code == 404, url
    paths_page = user.get(reverse("outreach:paths"))
    assert paths_page.status_code == 404 or "Mira" not in paths_page.content.decode()


# --- the path ------------------------------------------------------------------------------------


def test_conversations_count_attended_appointments_and_contacts_not_no_shows(net, setup, frozen):
    _s, h = setup
    coach = actor_for(net.coach)
    first = booking_actions.book_appointment(
        coach, h, starts_at=at(TUESDAY, 9), first_name="Mira", phone="0470", email=""
    )
    missed = booking_actions.book_appointment(
        coach, h, starts_at=at(TUESDAY, 10), first_name="Mira", phone="0470", email=""
    )
    frozen.move_to(LATER)
    booking_actions.set_appointment_state(coach, first, state=AppointmentState.ATTENDED)
    booking_actions.set_appointment_state(coach, missed, state=AppointmentState.NO_SHOW)
    p = path_actions.start_path_from_appointment(coach, first)
    missed.path = p
    missed.save()
    path_actions.add_conversation(coach, p, on=LATER.date(), note="by phone")
    assert (p.first_name, p.channel, p.started_on) == ("Mira", PathChannel.HOURS, TUESDAY)
    assert path_actions.conversation_count(p) == 2  # the attended appointment + the call; not the no-show
    with pytest.raises(InvalidTransition):
        path_actions.start_path_from_appointment(coach, first)


def test_the_informed_decision_is_recorded_once(net, login, setup):
    s, _h = setup
    p = new_path(net, s)
    page = login(net.coach)
    url = reverse("outreach:decision", args=[p.pk])
    form = page.get(url).content.decode()
    seen = form.split('name="seen" value="')[1].split('"')[0]
    first = page.post(url, {"on": "2026-12-07", "note": "VDAB", "seen": seen})
    assert first.status_code == 302
    again = page.post(url, {"on": "2026-12-07", "note": "VDAB", "seen": seen})  # a double click
    assert again.status_code == 400
    p.refresh_from_db()
    assert (p.decided_on, p.decision_note) == (MONDAY.date(), "VDAB")


def test_a_double_submitted_onward_referral_is_recorded_once(net, login, setup):
    s, _h = setup
    p = new_path(net, s)
    page = login(net.coach)
    url = reverse("outreach:referral_new", args=[p.pk])
    seen = page.get(url).content.decode().split('name="seen" value="')[1].split('"')[0]
    data = {"destination": "vdab", "referred_on": "2026-12-07", "seen": seen}
    assert page.post(url, data).status_code == 302
    assert page.post(url, data).status_code == 400
    assert OnwardReferral.objects.filter(path=p).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"destination": "moon", "referred_on": "2026-12-07"},
        {"destination": "maatwerk", "referred_on": "2026-12-07"},  # individual or collective?
        {"destination": "vdab", "referred_on": "2026-12-08"},  # future
        {"destination": "vdab", "referred_on": "2026-12-01"},  # before the path began
    ],
)
def test_a_bad_onward_referral_is_refused_and_writes_nothing(net, login, setup, data):
    s, _h = setup
    p = new_path(net, s, started_on=datetime.date(2026, 12, 3))
    response = login(net.coach).post(reverse("outreach:referral_new", args=[p.pk]), data)
    assert response.status_code == 400
    assert not OnwardReferral.objects.exists()


def test_verifying_keeps_the_first_date_and_happens_once(net, setup, frozen):
    s, _h = setup
    p = new_path(net, s)
    coach = actor_for(net.coach)
    referral = path_actions.refer_onward(
        coach, p, destination=Destination.TRAINING, referred_on=MONDAY.date()
    )
    assert referral.certainty == "presumed"
    frozen.move_to(LATER)
    path_actions.verify_referral(coach, referral, on=LATER.date())
    referral.refresh_from_db()
    assert (referral.referred_on, referral.verified_on, referral.certainty) == (
        MONDAY.date(),
        LATER.date(),
        "verified",
    )
    with pytest.raises(InvalidTransition):
        path_actions.verify_referral(coach, referral, on=LATER.date())


def test_work_incapacity_comes_from_the_client_benefit_status_at_the_referral(net, setup):
    s, _h = setup
    coach = actor_for(net.coach)
    client = net.new_client(by=net.coach, benefit_status=BenefitStatus.INCAPACITY)
    with_file = new_path(net, s, client=client)
    # The coach's tick does not override the file: the file says incapacity.
    r1 = path_actions.refer_onward(coach, with_file, destination="vdab", referred_on=MONDAY.date())
    client.benefit_status = BenefitStatus.NONE
    client.save()
    r2 = path_actions.refer_onward(
        coach, with_file, destination="vdab", referred_on=MONDAY.date(), work_incapacity=True
    )
    without_file = new_path(net, s, first_name="Ali")
    r3 = path_actions.refer_onward(
        coach, without_file, destination="vdab", referred_on=MONDAY.date(), work_incapacity=True
    )
    r1.refresh_from_db()
    assert (r1.work_incapacity, r2.work_incapacity, r3.work_incapacity) == (True, False, True)


def test_a_path_of_a_client_is_read_through_clients_access(net, login, setup):
    s, _h = setup
    hidden = net.new_client()  # registered by the hospital: SaRA is not involved
    with pytest.raises(DomainError):
        new_path(net, s, client=hidden)  # a coach cannot hang a path on a file they may not see
    client = net.new_client(by=net.coach, first_name="Mira")
    p = new_path(net, s, client=client)
    page = login(net.coach)
    assert page.get(reverse("outreach:path", args=[p.pk])).status_code == 200
    for consent in Consent.objects.filter(client=client, recipient=net.coach.memberships.get().organisation):
        clients_actions.withdraw_consent(actor_for(net.coach), consent)
    assert page.get(reverse("outreach:path", args=[p.pk])).status_code == 404
    assert "Mira" not in page.get(reverse("outreach:paths")).content.decode()


def test_waiting_for_an_outside_service_keeps_the_path_open_with_a_reminder(net, login, setup):
    s, _h = setup
    p = new_path(net, s)
    coach = actor_for(net.coach)
    path_actions.set_waiting(
        coach, p, waiting_for="an appointment at the GTB", remind_on=datetime.date(2026, 12, 21)
    )
    with pytest.raises(DomainError):
        path_actions.close_path(coach, p, on=MONDAY.date())
    with time_machine.travel(datetime.datetime(2026, 12, 21, 9, tzinfo=MONDAY.tzinfo), tick=False):
        page = login(net.coach).get(reverse("outreach:paths")).content.decode()
    assert "reminder due" in page and "an appointment at the GTB" in page
    path_actions.set_waiting(coach, p, waiting_for="", remind_on=None)
    path_actions.close_path(coach, p, on=MONDAY.date())
    assert Path.objects.get().closed_on == MONDAY.date()


def test_path_list_queries_do_not_grow_with_rows(net, login, setup, django_assert_max_num_queries):
    s, _h = setup
    page = login(net.coach)
    new_path(net, s)
    with django_assert_max_num_queries(14) as one:
        page.get(reverse("outreach:paths"))
    for i in range(8):
        p = new_path(net, s, first_name=f"P{i}")
        path_actions.add_conversation(actor_for(net.coach), p, on=MONDAY.date())
    with django_assert_max_num_queries(len(one.captured_queries)):
        page.get(reverse("outreach:paths"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("session_new", {"held_on": "2026-12-04", "kind": "webinar", "audience": "clients", "reached": "9"}),
        ("path_new", {"first_name": "Mira", "channel": "hours", "started_on": "2026-12-07"}),
    ],
)
def test_a_double_submitted_session_or_path_is_recorded_once(net, login, setup, name, data):
    s, _h = setup
    page = login(net.coach)
    url = reverse(f"outreach:{name}", args=[s.pk])
    seen = page.get(url).content.decode().split('name="seen" value="')[1].split('"')[0]
    assert page.post(url, {**data, "seen": seen}).status_code == 302
    assert page.post(url, {**data, "seen": seen}).status_code == 400
    assert InfoSession.objects.count() + Path.objects.count() == 1


def test_the_coach_starts_a_path_from_an_attended_appointment_through_its_page(net, login, setup, frozen):
    _s, h = setup
    coach = actor_for(net.coach)
    a = booking_actions.book_appointment(
        coach, h, starts_at=at(TUESDAY, 9), first_name="Mira", phone="1", email=""
    )
    frozen.move_to(LATER)
    booking_actions.set_appointment_state(coach, a, state=AppointmentState.ATTENDED)
    page = login(net.coach)
    url = reverse("outreach:path_from_appointment", args=[a.pk])
    assert page.get(url).status_code == 200
    assert page.post(url, {}).status_code == 302
    assert page.post(url, {}).status_code == 400  # a double submit: the appointment has its path
    assert Path.objects.get().appointments.get() == a
    assert login(net.gtb_coach).get(url).status_code == 404
