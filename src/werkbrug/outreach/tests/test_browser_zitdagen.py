"""In a real browser at 390 px (a phone): the zitdagen page, the calendar subscription pages, a
contact on a zitdag from the trajectory page and the care partner form of a path fit the screen;
the feed link made works."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from werkbrug.outreach import actions, path_actions
from werkbrug.outreach.models import ContactPlace, SiteKind
from werkbrug.outreach.tests.data import site
from werkbrug.testing import actor_for, click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG = "Arbeidszorgondersteuningsbegeleidingstrajectvoorbereidingsgesprek"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_zitdagen_and_the_calendar_feed_on_a_phone(net, browse):
    today = timezone.localdate()
    point = site(net, name=f"Antennepunt {LONG}", kind=SiteKind.ANTENNA, host=None, host_name="Gemeente")
    actions.add_hours(
        actor_for(net.coach),
        point,
        coach=net.coach,
        weekday=today.weekday(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        valid_from=today - datetime.timedelta(days=14),
        place=f"{LONG} zaal 2",
    )
    trajectory = net.trajectory()
    coach = browse(net.coach, viewport=PHONE)
    coach.goto("/outreach/zitdagen/")
    assert coach.locator("[data-zitdag]").count() == 4  # four weeks, one a week
    assert fits(coach)

    coach.goto(f"/trajectories/{trajectory.pk}/")
    click_through(coach, f"a[href='/outreach/zitdagen/trajectories/{trajectory.pk}/contact/']")
    assert fits(coach)
    coach.select_option("select[name=site]", str(point.pk))
    click_through(coach, "main form button[type=submit]")
    assert ContactPlace.objects.get().site == point
    assert coach.locator("#outreach-zitdagen").inner_text().count("Antennepunt") == 1
    assert fits(coach)

    coach.goto("/outreach/calendar/")
    assert fits(coach)
    click_through(coach, "a[href='/outreach/calendar/new/']")
    click_through(coach, "main form button[type=submit]")
    assert fits(coach)
    link = coach.locator("[data-feed-url]").input_value()
    assert "/outreach/feed/" in link
    response = coach.request.get(link)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()

    # The care partner of a client's path (the feedback to the care professional), on a phone.
    path = path_actions.start_path(
        actor_for(net.coach),
        point,
        first_name=LONG,
        channel="care_professional",
        started_on=today,
        client=net.new_client(by=net.coach),
    )
    coach.goto(f"/outreach/paths/{path.pk}/")
    assert fits(coach)
    click_through(coach, f"a[href='/outreach/paths/{path.pk}/care-partner/']")
    assert fits(coach)
