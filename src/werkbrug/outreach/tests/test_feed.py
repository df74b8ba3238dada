"""The coach's calendar by subscription: a secret token per coach (only its digest stored),
revocable, a feed that names no one ("Spreekuur <site>", "Afspraak")."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from icalendar import Calendar

from werkbrug.outreach import booking_actions
from werkbrug.outreach.models import CalendarFeed
from werkbrug.outreach.tests.data import TUESDAY, at, hours, site
from werkbrug.testing import actor_for


def seen_on(page, url):
    return page.get(url).content.decode().split('name="seen" value="')[1].split('"')[0]


def make_link(page):
    url = reverse("outreach:feed_create")
    response = page.post(url, {"seen": seen_on(page, url)})
    assert response.status_code == 200
    return response.content.decode().split("data-feed-url")[0].split('value="')[-1].split('"')[0]


@pytest.fixture
def coach_hours(net, frozen):
    s = site(net, name="PZ Bethanië, afdeling B")
    h = hours(net, s)
    booking_actions.book_appointment(
        actor_for(net.coach),
        h,
        starts_at=at(TUESDAY, 9, 30),
        first_name="Zeldzamenaam",
        phone="0470 12 34 56",
    )
    return s


def test_the_token_opens_the_feed_without_a_login_and_it_names_no_one(net, login, coach_hours):
    link = make_link(login(net.coach))
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_digest=token).exists()  # only the digest is kept
    assert len(CalendarFeed.objects.get().token_digest) == 64
    response = HttpClient().get(link)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"].startswith("private") and "no-store" in response["Cache-Control"]
    assert b"Zeldzamenaam" not in response.content and b"0470" not in response.content
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).events)
    # In the site's language (settings.LANGUAGE_CODE, "en" in the tests; "Spreekuur: …" and
    # "Afspraak" in nl-BE): the calendar app sends no one's.
    assert summaries == ["Appointment", "Consultation hours: PZ Bethanië, afdeling B"]


def test_a_revoked_or_replaced_or_made_up_token_gets_404(net, login, coach_hours):
    page = login(net.coach)
    first = make_link(page)
    second = make_link(page)  # a new link stops the old one
    anonymous = HttpClient()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    url = reverse("outreach:feed_revoke")
    assert page.post(url, {"seen": seen_on(page, url)}).status_code == 302
    assert anonymous.get(second).status_code == 404
    assert anonymous.get(reverse("outreach:feed", args=["x" * 43])).status_code == 404
    assert anonymous.get("/outreach/feed/%00.ics").status_code == 404


def test_a_double_submitted_link_makes_one_feed(net, login, coach_hours):
    page = login(net.coach)
    url = reverse("outreach:feed_create")
    seen = seen_on(page, url)
    assert page.post(url, {"seen": seen}).status_code == 200
    assert page.post(url, {"seen": seen}).status_code in (400, 200)
    assert CalendarFeed.objects.count() == 1


def test_the_feed_speaks_the_sites_language_not_the_requests(net, login, coach_hours, settings):
    link = make_link(login(net.coach))
    settings.LANGUAGE_CODE = "nl-be"
    response = HttpClient().get(link, HTTP_ACCEPT_LANGUAGE="fr")
    assert b"Spreekuur" in response.content and b"Consultation hours" not in response.content


def test_a_feed_stops_with_the_membership(net, login, coach_hours):
    link = make_link(login(net.coach))
    membership = net.coach.memberships.get()
    membership.is_active = False
    membership.save()
    assert HttpClient().get(link).status_code == 404


@pytest.mark.parametrize("who", ["funder", "care", "admin", "outsider"])
def test_outsiders_get_404_on_the_feed_pages(net, login, who):
    page = login(getattr(net, who))
    for name in ("feed_page", "feed_create", "feed_revoke"):
        assert page.get(reverse(f"outreach:{name}")).status_code == 404
