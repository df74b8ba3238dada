"""The .ics invitations: they parse with icalendar, carry the wall-clock time in Europe/Brussels in
winter and in summer, and never name a client — neither for an anonymous nor for a named case."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from werkbrug.teams.ics import meeting_ics, meeting_uid
from werkbrug.teams.tests.followup_data import (
    WINTER,
    assert_no_identity,
    identified_client,
    invite,
    item,
    local,
    meeting,
    register_case,
    zowezo,
)

SUMMER = local(2027, 7, 13, 14, 0)


def parse(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    events = calendar.events
    assert len(events) == 1
    return calendar, events[0]


def ics_url(m) -> str:
    return reverse("teamfollowup:meeting_ics", args=[m.pk])


@pytest.mark.parametrize(
    ("starts_at", "utc_hour", "raw_start", "raw_end"),
    [
        (
            WINTER,
            13,
            "DTSTART;TZID=Europe/Brussels:20270112T140000",
            "DTEND;TZID=Europe/Brussels:20270112T160000",
        ),
        (
            SUMMER,
            12,
            "DTSTART;TZID=Europe/Brussels:20270713T140000",
            "DTEND;TZID=Europe/Brussels:20270713T160000",
        ),
    ],
    ids=["winter", "summer"],
)
def test_the_ics_parses_and_carries_the_local_time_in_brussels(net, starts_at, utc_hour, raw_start, raw_end):
    team = zowezo(net)
    m = meeting(net, team, starts_at)
    data = meeting_ics(m, net.coach)
    calendar, event = parse(data)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert str(start.tzinfo) == "Europe/Brussels"
    assert (start.hour, start.minute, start.date()) == (14, 0, starts_at.date())
    assert (end.hour, end.minute) == (16, 0)
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert start == m.starts_at and end == m.ends_at
    text = data.decode()
    assert raw_start in text and raw_end in text
    # The calendar defines the zone it uses, for the clients that do not know it by name.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert calendar.get_missing_tzids() == set()


def test_the_ics_describes_the_meeting(net):
    team = zowezo(net)
    m = meeting(net, team, WINTER, place="", video_link="https://meet.example.org/m1")
    item(m, title="Afspraken intervisie", position=1)
    case = register_case(net, team)
    item(m, case, position=0)
    calendar, event = parse(meeting_ics(m, net.coach))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["SUMMARY"]) == "ZoWeZo Antwerpen meeting"
    assert str(event["LOCATION"]) == "SaRA, zaal 2"  # the team's default place when none is given
    assert str(event["URL"]) == "https://meet.example.org/m1"
    description = str(event["DESCRIPTION"])
    assert description.splitlines()[1:] == [f"1. {case.anonymous_label}", "2. Afspraken intervisie"]


def test_the_uid_is_stable_per_meeting(net):
    team = zowezo(net)
    first, second = meeting(net, team, WINTER), meeting(net, team, SUMMER)
    uid = str(parse(meeting_ics(first, net.coach))[1]["UID"])
    assert uid == meeting_uid(first) == str(parse(meeting_ics(first, net.care))[1]["UID"])
    first.starts_at = SUMMER + datetime.timedelta(days=7)
    first.ends_at = first.starts_at + datetime.timedelta(hours=1)
    first.save()
    assert str(parse(meeting_ics(first, net.coach))[1]["UID"]) == uid
    assert str(parse(meeting_ics(second, net.coach))[1]["UID"]) != uid


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_the_ics_names_no_client_even_for_a_named_case(net, named):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    case = register_case(net, team, named=named)
    item(m, case)
    data = meeting_ics(m, net.coach)
    assert case.anonymous_label in str(parse(data)[1]["DESCRIPTION"])
    assert_no_identity(data)


def test_a_guest_gets_only_the_items_they_are_invited_for(net):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    mine = item(m, register_case(net, team), position=0)
    other = item(m, register_case(net, team, identified_client(net, first_name="Piet")), position=1)
    invite(net, mine, net.gtb_screener, net.gtb)
    description = str(parse(meeting_ics(m, net.gtb_screener))[1]["DESCRIPTION"])
    assert mine.case.anonymous_label in description
    assert other.case.anonymous_label not in description


# --- the download --------------------------------------------------------------------------------


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_a_member_downloads_the_ics(net, login, named):
    team = zowezo(net)
    m = meeting(net, team, SUMMER)
    case = register_case(net, team, named=named)
    item(m, case)
    response = login(net.care).get(ics_url(m))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{m.pk}.ics"'
    assert "no-store" in response["Cache-Control"]
    _calendar, event = parse(response.content)
    assert event.decoded("dtstart").hour == 14
    assert case.anonymous_label in str(event["DESCRIPTION"])
    assert_no_identity(response.content)


def test_a_guest_downloads_the_ics_with_their_items_only(net, login):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    mine = item(m, register_case(net, team), position=0)
    other = item(m, register_case(net, team, identified_client(net, first_name="Piet")), position=1)
    invite(net, mine, net.gtb_screener, net.gtb)
    response = login(net.gtb_screener).get(ics_url(m))
    assert response.status_code == 200
    description = str(parse(response.content)[1]["DESCRIPTION"])
    assert mine.case.anonymous_label in description and other.case.anonymous_label not in description


@pytest.mark.parametrize(
    "persona", ["outsider", "gtb_screener", "screener", "coordinator", "admin", "funder"]
)
def test_a_non_member_gets_404_on_the_ics(net, login, persona):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    item(m, register_case(net, team))
    assert login(getattr(net, persona)).get(ics_url(m)).status_code == 404


def test_an_unknown_meeting_is_404(net, login):
    assert login(net.coach).get(reverse("teamfollowup:meeting_ics", args=[999999])).status_code == 404
