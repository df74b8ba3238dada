"""In a real browser: the coach confirms a booking, starts the person's path, holds two
conversations, records the informed decision and a presumed VDAB registration; the project's
commitment page moves by one; the funder sees the annex table with small counts suppressed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from werkbrug.outreach import project_actions
from werkbrug.outreach.models import Booking, OnwardReferral, Path
from werkbrug.outreach.tests.data import booking, hours, site
from werkbrug.testing import actor_for, click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def realised(page) -> int:
    return int(page.locator("[data-realised]").get_attribute("data-realised"))


def test_the_coach_records_a_path_and_the_commitment_and_the_annex_follow(net, browse):
    s = site(net)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    h = hours(net, s, weekday=tomorrow.weekday(), valid_from=today)
    start = datetime.datetime.combine(tomorrow, datetime.time(9, 0), tzinfo=timezone.get_current_timezone())
    b = booking(s, h, start)
    boss = actor_for(net.coordinator)
    project = project_actions.create_project(
        boss,
        name="Vindplaats",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )
    project_actions.add_site(boss, project, site=s)
    project_actions.set_commitment(boss, project, year=today.year, registrations=12)

    coordinator = browse(net.coordinator)
    coordinator.goto(f"/outreach/projects/{project.pk}/")
    before = realised(coordinator)

    coach = browse(net.coach)
    coach.goto("/outreach/bookings/")
    click_through(coach, f"a[href='/outreach/bookings/{b.pk}/confirm/']")
    click_through(coach, "main form button[type=submit]")
    assert Booking.objects.get().status == "confirmed"

    coach.goto(f"/outreach/{s.pk}/")
    click_through(coach, f"a[href='/outreach/{s.pk}/paths/new/']")
    coach.fill("input[name=first_name]", "Mira")
    coach.select_option("select[name=channel]", "self_booking")
    click_through(coach, "main form button[type=submit]")
    path = Path.objects.get()
    assert coach.url.endswith(f"/outreach/paths/{path.pk}/")
    for _ in range(2):
        click_through(coach, f"a[href='/outreach/paths/{path.pk}/conversations/new/']")
        click_through(coach, "main form button[type=submit]")
    assert coach.locator("[data-conversations]").get_attribute("data-conversations") == "2"
    click_through(coach, f"a[href='/outreach/paths/{path.pk}/decision/']")
    coach.fill("input[name=note]", "Inschrijven bij VDAB")
    click_through(coach, "main form button[type=submit]")
    click_through(coach, f"a[href='/outreach/paths/{path.pk}/referrals/new/']")
    coach.select_option("select[name=destination]", "vdab")
    click_through(coach, "main form button[type=submit]")
    path.refresh_from_db()
    referral = OnwardReferral.objects.get()
    assert path.decided_on == today and (referral.destination, referral.verified_on) == ("vdab", None)

    coordinator.goto(f"/outreach/projects/{project.pk}/")
    assert realised(coordinator) == before + 1

    funder = browse(net.funder)
    funder.goto(f"/reports/annex/?year={today.year}")
    table = funder.locator("main").inner_text()
    assert "<5" in table
    assert "Mira" not in table
