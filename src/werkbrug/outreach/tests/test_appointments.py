"""Appointments and the coach's side of a booking: the state machine, confirming (with and without
registering the client), rejecting, two people at once, the pages' outsiders and query counts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from werkbrug.clients.models import Client, ConsentPurpose
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.outreach import booking_actions
from werkbrug.outreach.models import Appointment, AppointmentState, Booking, BookingStatus, Channel
from werkbrug.outreach.tests.data import MONDAY, TUESDAY, at, booking, hours, site, slot_value
from werkbrug.testing import actor_for, client_of, one_done_one_refused, race


def test_confirming_a_booking_makes_the_appointment_in_its_slot(net, login, setup):
    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    response = login(net.coach).post(reverse("outreach:booking_confirm", args=[b.pk]), {"slot": ""})
    assert response.status_code == 302
    b.refresh_from_db()
    a = b.appointment
    assert (b.status, a.starts_at, a.ends_at, a.channel, a.first_name, a.state, a.client_id) == (
        BookingStatus.CONFIRMED,
        at(TUESDAY, 10),
        at(TUESDAY, 10, 30),
        Channel.SELF_BOOKING,
        "Mira",
        AppointmentState.BOOKED,
        None,
    )


def test_confirming_can_register_the_client_through_the_clients_actions(net, login, setup):
    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    response = login(net.coach).post(
        reverse("outreach:booking_confirm", args=[b.pk]),
        {
            "register": "on",
            "last_name": "Claes",
            "birth_date": "1988-03-02",
            "gender": "F",
            "evidence": "verbal",
        },
    )
    assert response.status_code == 302
    client = Client.objects.get(last_name="Claes")
    assert (client.first_name, client.phone, client.registered_by_organisation) == (
        "Mira",
        "0470 12 34 56",
        net.sara,
    )
    assert client.consents.filter(purpose=ConsentPurpose.RECORD, recipient=net.sara).exists()
    assert Appointment.objects.get().client == client


def test_registering_without_the_needed_fields_writes_nothing(net, login, setup):
    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    clients = Client.objects.count()
    response = login(net.coach).post(reverse("outreach:booking_confirm", args=[b.pk]), {"register": "on"})
    assert response.status_code == 400
    b.refresh_from_db()
    assert b.status == BookingStatus.PENDING
    assert not Appointment.objects.exists() and Client.objects.count() == clients


def test_a_call_back_needs_a_time_chosen_by_the_coach(net, login, setup):
    s, h = setup
    b = booking(s, None, None)
    page = login(net.coach)
    refused = page.post(reverse("outreach:booking_confirm", args=[b.pk]), {"slot": ""})
    assert refused.status_code == 400
    assert not Appointment.objects.exists()
    done = page.post(
        reverse("outreach:booking_confirm", args=[b.pk]), {"slot": slot_value(h, at(TUESDAY, 11))}
    )
    assert done.status_code == 302
    assert Appointment.objects.get().starts_at == at(TUESDAY, 11)


def test_a_second_confirm_is_refused_and_makes_no_second_appointment(net, login, setup):
    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    page = login(net.coach)
    url = reverse("outreach:booking_confirm", args=[b.pk])
    assert page.post(url, {"slot": ""}).status_code == 302
    again = page.post(url, {"slot": ""})
    assert again.status_code == 400
    assert "already handled" in again.content.decode()
    assert Appointment.objects.count() == 1


def test_rejecting_frees_the_slot(net, login, setup):
    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    assert login(net.coach).post(reverse("outreach:booking_reject", args=[b.pk])).status_code == 302
    b.refresh_from_db()
    assert b.status == BookingStatus.REJECTED
    assert (b.first_name, b.phone, b.email, b.contact_key) == ("", "", "", "")
    assert booking(s, h, at(TUESDAY, 10), name="Karel", phone="0480 11 22 33").status == BookingStatus.PENDING


def test_the_appointment_state_machine(net, setup):
    _s, h = setup
    coach = actor_for(net.coach)
    a = booking_actions.book_appointment(coach, h, starts_at=at(TUESDAY, 9), first_name="Ali")
    with pytest.raises(InvalidTransition, match="once the slot has begun"):
        booking_actions.set_appointment_state(coach, a, state=AppointmentState.NO_SHOW)
    with time_machine.travel(at(TUESDAY, 9, 5), tick=False):
        booking_actions.set_appointment_state(coach, a, state=AppointmentState.NO_SHOW)
        with pytest.raises(InvalidTransition, match="already marked"):
            booking_actions.set_appointment_state(coach, a, state=AppointmentState.ATTENDED)
    a.refresh_from_db()
    assert a.state == AppointmentState.NO_SHOW


def test_a_no_show_closes_nothing(net, setup):
    """The client's trajectory stays as it was: a no-show is only counted."""
    _s, h = setup
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    a = booking_actions.book_appointment(coach, h, starts_at=at(TUESDAY, 9), first_name="Jan")
    Appointment.objects.filter(pk=a.pk).update(client=trajectory.client)
    with time_machine.travel(at(TUESDAY, 9, 5), tick=False):
        booking_actions.set_appointment_state(coach, a, state=AppointmentState.NO_SHOW)
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.closed_on) == ("active", None)


def test_a_taken_or_cancelled_slot_cannot_be_booked_by_the_coach(net, setup):
    _s, h = setup
    coach = actor_for(net.coach)
    booking_actions.book_appointment(coach, h, starts_at=at(TUESDAY, 9), first_name="Ali")
    with pytest.raises(DomainError, match="taken"):
        booking_actions.book_appointment(coach, h, starts_at=at(TUESDAY, 9), first_name="Bo")
    with pytest.raises(DomainError, match="no consultation"):
        booking_actions.book_appointment(coach, h, starts_at=at(TUESDAY, 9, 10), first_name="Bo")
    with pytest.raises(DomainError, match="no consultation"):
        booking_actions.book_appointment(
            coach, h, starts_at=at(TUESDAY + datetime.timedelta(days=1), 9), first_name="Bo"
        )


def test_a_bad_appointment_form_writes_nothing(net, login, setup):
    s, _h = setup
    response = login(net.coach).post(
        reverse("outreach:appointment_new", args=[s.pk]), {"slot": "nonsense", "first_name": ""}
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("who", ["gtb_coach", "funder", "outsider"])
def test_outsiders_get_404_on_the_booking_and_appointment_pages(net, login, setup, who):
    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    a = booking_actions.book_appointment(actor_for(net.coach), h, starts_at=at(TUESDAY, 9), first_name="Ali")
    page = login(getattr(net, who))
    for url in (
        reverse("outreach:booking_confirm", args=[b.pk]),
        reverse("outreach:appointment_state", args=[a.pk]),
    ):
        assert page.get(url).status_code == 404
        assert page.post(url, {"state": "cancelled", "slot": ""}).status_code == 404
    assert page.post(reverse("outreach:booking_reject", args=[b.pk])).status_code == 404
    b.refresh_from_db()
    a.refresh_from_db()
    assert (b.status, a.state) == (BookingStatus.PENDING, AppointmentState.BOOKED)
    if who == "gtb_coach":
        assert "Mira" not in page.get(reverse("outreach:bookings")).content.decode()


@pytest.mark.parametrize("n", [1, 25])
def test_the_bookings_and_week_pages_run_a_constant_number_of_queries(
    net, login, setup, django_assert_max_num_queries, n
):
    s, h = setup
    for i in range(n):
        booking(s, None, None, name=f"P{i}", phone=f"0470 00 00 {i:02}")
    coach = actor_for(net.coach)
    for i in range(min(n, 6)):
        booking_actions.book_appointment(
            coach, h, starts_at=at(TUESDAY, 9 + i // 2, 30 * (i % 2)), first_name=f"A{i}"
        )
    page = login(net.coach)
    with django_assert_max_num_queries(12):
        response = page.get(reverse("outreach:bookings"))
    assert len(response.context["page"].object_list) == n
    with django_assert_max_num_queries(14):
        week = page.get(reverse("outreach:week"))
    assert len(week.context["page"].object_list) == min(n, 6)


@pytest.mark.django_db(transaction=True)
def test_two_coaches_confirming_one_booking_at_once_make_one_appointment(tnet):
    from werkbrug.network.models import Role
    from werkbrug.testing import make_user

    with time_machine.travel(MONDAY, tick=False):
        s = site(tnet)
        h = hours(tnet, s)
        b = booking(s, h, at(TUESDAY, 10))
        second = make_user("coach2", tnet.sara, Role.COACH)
        url = reverse("outreach:booking_confirm", args=[b.pk])
        pages = [client_of(tnet.coach), client_of(second)]
        responses = race(*(lambda p=p: p.post(url, {"slot": ""}) for p in pages))
    one_done_one_refused(responses)
    assert Appointment.objects.count() == 1
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_the_registered_clients_access_log_reads_the_outreach_rows(net, login, setup):
    from werkbrug.core.audit import describe
    from werkbrug.core.models import AuditEvent

    s, h = setup
    b = booking(s, h, at(TUESDAY, 10))
    login(net.coach).post(
        reverse("outreach:booking_confirm", args=[b.pk]),
        {
            "register": "on",
            "last_name": "Claes",
            "birth_date": "1988-03-02",
            "gender": "F",
            "evidence": "verbal",
        },
    )
    client = Client.objects.get(last_name="Claes")
    rows = AuditEvent.objects.filter(client_id=client.pk, object_type__in=["appointment", "booking"])
    assert sorted(str(describe(e)) for e in rows) == ["Outreach appointment made", "Self-booking confirmed"]
