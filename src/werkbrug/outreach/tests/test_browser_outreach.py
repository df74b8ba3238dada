"""In a real browser (Debian's Chromium): the coach prints the poster; a person opens its short link on
a phone (390 px, no login), books a free slot and gives consent; the coach confirms the booking and
the appointment is made."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from werkbrug.outreach.models import Appointment, Booking, BookingStatus, Channel
from werkbrug.outreach.tests.data import hours, site
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_person_books_from_the_posters_link_on_a_phone_and_the_coach_confirms(
    net, browse, browser, live_server
):
    s = site(net)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    h = hours(net, s, weekday=tomorrow.weekday(), valid_from=timezone.localdate())

    coach = browse(net.coach)
    coach.goto(f"/outreach/{s.pk}/poster/")
    link = coach.locator(".poster-link strong").inner_text().strip()
    assert link.endswith(f"/b/{s.booking_code}/")
    assert coach.locator("img.poster-qr").get_attribute("src").startswith("data:image/svg+xml")

    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    person = context.new_page()
    try:
        person.goto(link)
        assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        first_slot = person.locator(f"input[name=slot][value^='{h.pk}@']").first
        chosen = first_slot.get_attribute("value")
        first_slot.check()
        person.fill("input[name=first_name]", "Mira")
        person.fill("input[name=phone]", "0470 12 34 56")
        person.check("input[name=consent]")
        click_through(person, "main form button[type=submit]")
        assert re.search(rf"/b/{s.booking_code}/thanks/$", person.url)
    finally:
        context.close()
    booking = Booking.objects.get()
    assert (booking.status, booking.channel, booking.first_name) == (
        BookingStatus.PENDING,
        Channel.SELF_BOOKING,
        "Mira",
    )
    assert booking.consent_language == "nl-be" and booking.consent_text

    coach.goto("/outreach/bookings/")
    click_through(coach, f"a[href='/outreach/bookings/{booking.pk}/confirm/']")
    click_through(coach, "main form button[type=submit]")
    assert coach.url.endswith("/outreach/bookings/")
    appointment = Appointment.objects.get()
    assert appointment.hours_id == h.pk and appointment.first_name == "Mira"
    assert chosen is not None and chosen.startswith(f"{h.pk}@")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.appointment_id == appointment.pk
