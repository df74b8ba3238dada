"""The coach's .ics: hours as a weekly RRULE (interval 1 or 2, until the last day) with an EXDATE
per cancelled date, in Brussels wall-clock time; appointments without anyone's name."""

from __future__ import annotations

import datetime

from django.urls import reverse
from icalendar import Calendar

from werkbrug.outreach import actions, booking_actions
from werkbrug.outreach.tests.data import TUESDAY, at, hours, site
from werkbrug.testing import actor_for


def test_the_feed_holds_the_coachs_hours_with_their_rule_and_exceptions(net, login, frozen):
    s = site(net)
    weekly = hours(net, s)
    fortnightly = hours(net, s, weekday=3, every=2, valid_until=datetime.date(2027, 6, 30))
    actions.cancel_date(actor_for(net.coach), weekly, on=datetime.date(2026, 12, 22))
    booking_actions.book_appointment(
        actor_for(net.coach),
        weekly,
        starts_at=at(TUESDAY, 9, 30),
        first_name="Zeldzamenaam",
        phone="0470 12 34 56",
    )
    response = login(net.coach).get(reverse("outreach:calendar"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert b"Zeldzamenaam" not in response.content and b"0470" not in response.content
    calendar = Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.events}
    w = events[f"werkbrug-hours-{weekly.pk}@werkbrug"]
    assert w.decoded("DTSTART") == at(TUESDAY, 9)
    assert w["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert w["RRULE"]["FREQ"] == ["WEEKLY"] and w["RRULE"]["INTERVAL"] == [1]
    exdates = (
        [d.dt for d in w["EXDATE"].dts]
        if not isinstance(w["EXDATE"], list)
        else [d.dt for x in w["EXDATE"] for d in x.dts]
    )
    assert exdates == [at(datetime.date(2026, 12, 22), 9)]
    f = events[f"werkbrug-hours-{fortnightly.pk}@werkbrug"]
    assert f.decoded("DTSTART") == at(datetime.date(2026, 12, 10), 9)
    assert f["RRULE"]["INTERVAL"] == [2]
    assert f["RRULE"]["UNTIL"][0].date() == datetime.date(2027, 6, 30)
    appointments = [e for uid, e in events.items() if uid.startswith("werkbrug-appointment-")]
    assert [e.decoded("DTSTART") for e in appointments] == [at(TUESDAY, 9, 30)]


def test_another_coach_gets_only_their_own_hours(net, login, frozen):
    from werkbrug.network.models import Role
    from werkbrug.testing import make_user

    s = site(net)
    hours(net, s)
    colleague = make_user("coach2", net.sara, Role.COACH)
    feed = Calendar.from_ical(login(colleague).get(reverse("outreach:calendar")).content)
    assert list(feed.events) == []
