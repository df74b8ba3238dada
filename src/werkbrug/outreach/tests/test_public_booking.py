"""The public booking page: no login, a pending booking (never a client file) with the consent and
the channel, and its abuse protection: throttling per address and per site, the honeypot, the limit
on open bookings per contact; bad input writes nothing; nobody else's booking shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.clients.models import Client
from werkbrug.outreach.models import Booking, BookingStatus, Channel
from werkbrug.outreach.public_forms import CONSENT_TEXT
from werkbrug.outreach.tests.data import TUESDAY, at, booking, slot_value


def url(s) -> str:
    return reverse("outreach_public:book", args=[s.booking_code])


def post(client, s, h, *, start=None, address="198.51.100.7", **fields):
    data = {
        "slot": slot_value(h, start or at(TUESDAY, 9)),
        "first_name": "Mira",
        "phone": "0470 12 34 56",
        "email": "",
        "consent": "on",
        "website": "",
    }
    data.update(fields)
    return client.post(url(s), data, REMOTE_ADDR=address)


def test_the_short_link_is_the_public_page_and_needs_no_login(client, setup):
    s, _h = setup
    page = client.get(url(s))
    assert page.status_code == 200
    text = page.content.decode()
    assert s.name in text
    assert str(CONSENT_TEXT) in text
    assert "09:00" in text and "11:30" in text


def test_a_booking_is_a_pending_registration_with_consent_and_channel_never_a_client(client, setup):
    s, h = setup
    clients_before = Client.objects.count()
    response = post(client, s, h)
    assert response.status_code == 302
    b = Booking.objects.get()
    assert (b.status, b.channel, b.first_name, b.starts_at) == (
        BookingStatus.PENDING,
        Channel.SELF_BOOKING,
        "Mira",
        at(TUESDAY, 9),
    )
    assert b.consent_text == str(CONSENT_TEXT) and b.consent_language == "en"
    assert Client.objects.count() == clients_before
    # The slot is no longer offered.
    assert "09:00" not in client.get(url(s)).content.decode().split("09:30")[0]


def test_asking_to_be_called_books_no_slot(client, setup):
    s, h = setup
    response = post(client, s, h, slot="call", email="mira@example.org", phone="")
    assert response.status_code == 302 and response["Location"].endswith("?call=1")
    assert Booking.objects.get().starts_at is None


@pytest.mark.parametrize(
    "fields",
    [
        {"first_name": ""},
        {"phone": "", "email": ""},
        {"phone": "12"},
        {"email": "not-an-address", "phone": ""},
        {"consent": ""},
        {"slot": "999@20261208T0800"},
        {"slot": "garbage"},
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(client, setup, fields):
    s, h = setup
    response = post(client, s, h, **fields)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode() or "field-error" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_filled_honeypot_is_refused_and_nothing_is_written(client, setup):
    s, h = setup
    response = post(client, s, h, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be taken" in response.content.decode()
    assert not Booking.objects.exists()


def test_fifty_bookings_from_one_address_are_throttled(client, setup, settings):
    s, h = setup
    settings.OUTREACH_OPEN_BOOKINGS_PER_CONTACT = 1000  # only the address throttle is under test
    statuses = [
        post(client, s, h, slot="call", phone=f"0470 00 00 {i:02}", address="203.0.113.9").status_code
        for i in range(50)
    ]
    limit = 5
    assert statuses[:limit] == [302] * limit
    assert set(statuses[limit:]) == {429}
    assert Booking.objects.count() == limit
    # Another address still gets through.
    assert post(client, s, h, slot="call", phone="0470 99 99 99", address="203.0.113.10").status_code == 302


def test_a_site_is_throttled_whatever_the_address(client, setup, settings):
    s, h = setup
    settings.OUTREACH_BOOKINGS_PER_SITE_PER_HOUR = 3
    statuses = [
        post(client, s, h, slot="call", phone=f"0470 00 00 {i:02}", address=f"198.51.100.{i}").status_code
        for i in range(6)
    ]
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert Booking.objects.count() == 3


def test_one_contact_has_at_most_two_open_bookings(client, setup):
    s, h = setup
    assert post(client, s, h, start=at(TUESDAY, 9), address="192.0.2.1").status_code == 302
    assert (
        post(client, s, h, start=at(TUESDAY, 9, 30), phone="0470/12.34.56", address="192.0.2.2").status_code
        == 302
    )
    third = post(
        client, s, h, start=at(TUESDAY, 10), phone="+32470123456".replace("+32", "0"), address="192.0.2.3"
    )
    assert third.status_code == 400
    assert Booking.objects.count() == 2


def test_a_slot_already_booked_is_refused_to_the_second_person(client, setup):
    s, h = setup
    assert post(client, s, h, address="192.0.2.1").status_code == 302
    second = post(client, s, h, first_name="Karel", phone="0480 11 22 33", address="192.0.2.2")
    assert second.status_code == 400
    assert list(Booking.objects.values_list("first_name", flat=True)) == ["Mira"]


def test_the_public_pages_never_show_another_persons_booking_or_name(client, setup):
    s, h = setup
    booking(s, h, at(TUESDAY, 9), name="Geheimnaam", phone="0499 88 77 66")
    booking(s, None, None, name="Andereperson", phone="0499 11 11 11")
    pages = [
        client.get(url(s)),
        post(client, s, h, start=at(TUESDAY, 9), first_name="Derde", phone="0470 55 55 55"),  # refused: taken
        client.get(reverse("outreach_public:thanks", args=[s.booking_code])),
    ]
    for page in pages:
        text = page.content.decode()
        for secret in ("Geheimnaam", "Andereperson", "0499"):
            assert secret not in text


def test_an_unknown_or_closed_code_is_404(client, setup, net):
    s, _h = setup
    assert client.get(reverse("outreach_public:book", args=["nosuchcode"])).status_code == 404
    s.booking_open = False
    s.save()
    assert client.get(url(s)).status_code == 404


@pytest.mark.parametrize("language", ["nl-be", "fr", "en"])
def test_the_page_opens_in_dutch_french_and_english(client, setup, language, settings):
    s, _h = setup
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url(s))
    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode()
