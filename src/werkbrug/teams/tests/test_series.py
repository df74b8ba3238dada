"""Recurring team meetings: the rule's dates (checked against plain calendar arithmetic, across the
DST changes), generating ahead without duplicates, exceptions, the .ics series parsed back, and the
pages (network admin only; the feed for members only)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from werkbrug.teams import series_actions
from werkbrug.teams.models import ExceptionKind, Frequency, Meeting, MeetingSeries, SeriesException
from werkbrug.teams.series import generate_ahead, series_ics, sync_series
from werkbrug.testing import actor_for

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
TUESDAY = 1
MONDAY = 0
AT = datetime.time(13, 30)
START = datetime.date(2027, 1, 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """Plain calendar arithmetic, no rrule: the n-th `weekday` of the month."""
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (n - 1))


def second_tuesdays(start: datetime.date, months: int) -> list[datetime.date]:
    days = []
    year, month = start.year, start.month
    for _ in range(months):
        day = nth_weekday(year, month, TUESDAY, 2)
        if day >= start:
            days.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return days


def monthly(world, **extra) -> MeetingSeries:
    values = {
        "frequency": Frequency.MONTHLY,
        "interval": 1,
        "weekday": TUESDAY,
        "week_of_month": 2,
        "start_time": AT,
        "duration_minutes": 90,
        "starts_on": START,
        "ends_on": None,
        **extra,
    }
    return series_actions.save_series(actor_for(world.net.admin), world.team, **values)


def local_days(team) -> list[datetime.date]:
    return [
        m.starts_at.astimezone(BRUSSELS).date()
        for m in Meeting.objects.filter(team=team).order_by("starts_at")
    ]


def test_second_tuesday_gives_the_second_tuesdays_of_a_year_across_dst(world):
    series = monthly(world)
    Meeting.objects.filter(series=series).delete()  # saving generated from the real today
    sync_series(series, START, months=12)
    expected = second_tuesdays(START, 12)
    assert len(expected) == 12
    assert all(day.weekday() == TUESDAY and 8 <= day.day <= 14 for day in expected)
    meetings = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    assert [m.starts_at.astimezone(BRUSSELS).date() for m in meetings] == expected
    # 13:30 on the wall clock in winter and in summer: the UTC hour shifts with DST.
    assert {m.starts_at.astimezone(BRUSSELS).time() for m in meetings} == {AT}
    utc = {
        m.starts_at.astimezone(BRUSSELS).date().month: m.starts_at.astimezone(datetime.UTC).hour
        for m in meetings
    }
    assert utc[1] == 12 and utc[7] == 11 and utc[12] == 12
    assert all(m.ends_at - m.starts_at == datetime.timedelta(minutes=90) for m in meetings)


def test_generating_twice_adds_no_duplicates(world):
    series = monthly(world)
    Meeting.objects.filter(series=series).delete()
    first = generate_ahead(START)
    again = generate_ahead(START)
    three_months = [d for d in second_tuesdays(START, 4) if d <= datetime.date(2027, 4, 1)]
    assert first == len(three_months) == 3
    assert again == 0
    assert local_days(world.team) == three_months


def test_weekly_on_monday_every_week_and_every_other_week(world):
    series = monthly(world, frequency=Frequency.WEEKLY, weekday=MONDAY, week_of_month=None)
    Meeting.objects.filter(series=series).delete()
    sync_series(series, START, months=1)
    first_monday = START + datetime.timedelta(days=(MONDAY - START.weekday()) % 7)
    weekly = [first_monday + datetime.timedelta(weeks=n) for n in range(5)]
    weekly = [d for d in weekly if d <= datetime.date(2027, 2, 1)]
    assert local_days(world.team) == weekly
    series = monthly(world, frequency=Frequency.WEEKLY, weekday=MONDAY, week_of_month=None, interval=2)
    sync_series(series, START, months=1)
    assert local_days(world.team) == weekly[::2]


def test_a_skipped_date_drops_its_meeting_and_a_moved_one_moves(world, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 1, 9, tzinfo=BRUSSELS))
    series = monthly(world)
    days = second_tuesdays(START, 4)[:3]
    assert local_days(world.team) == days
    admin = actor_for(world.net.admin)
    series_actions.add_exception(admin, series, on=days[0], kind=ExceptionKind.SKIP, moved_to=None)
    moved_to = datetime.datetime.combine(
        days[1] + datetime.timedelta(days=3), datetime.time(10, 0), tzinfo=BRUSSELS
    )
    series_actions.add_exception(admin, series, on=days[1], kind=ExceptionKind.MOVE, moved_to=moved_to)
    meetings = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    assert [m.occurrence for m in meetings] == days[1:]
    assert meetings[0].starts_at == moved_to
    assert generate_ahead(datetime.date(2027, 1, 1)) == 0
    # Removing the skip brings the meeting back.
    series_actions.remove_exception(admin, SeriesException.objects.get(series=series, on=days[0]))
    assert Meeting.objects.filter(series=series, occurrence=days[0]).count() == 1


def test_an_exception_on_a_date_the_rule_does_not_give_is_refused(world):
    from werkbrug.core.exceptions import DomainError

    series = monthly(world)
    with pytest.raises(DomainError):
        series_actions.add_exception(
            actor_for(world.net.admin),
            series,
            on=datetime.date(2027, 1, 13),
            kind=ExceptionKind.SKIP,
            moved_to=None,
        )


def expand_feed(data: bytes, until: datetime.date) -> list[datetime.date]:
    """Read the .ics with icalendar and expand its RRULE text (dateutil's parser of the RRULE string),
    leaving out EXDATEs and placing RECURRENCE-ID overrides at their new date."""
    events = Calendar.from_ical(data).events
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    start = master.decoded("DTSTART")
    assert start.tzinfo is not None and start.astimezone(BRUSSELS).time() == AT
    rule_text = master["RRULE"].to_ical().decode()
    dates = []
    for moment in rrulestr(rule_text, dtstart=start.astimezone(BRUSSELS)):
        if moment.date() > until:
            break
        dates.append(moment.date())
    exdates = master.get("EXDATE")
    blocks = exdates if isinstance(exdates, list) else [exdates] if exdates else []
    excluded = {d.dt.astimezone(BRUSSELS).date() for block in blocks for d in block.dts}
    moved = {
        e.decoded("RECURRENCE-ID").astimezone(BRUSSELS).date(): e.decoded("DTSTART")
        .astimezone(BRUSSELS)
        .date()
        for e in events
        if "RECURRENCE-ID" in e
    }
    return sorted(moved.get(d, d) for d in dates if d not in excluded)


def test_the_ics_carries_the_series_as_an_rrule_that_parses_back_to_the_same_dates(world):
    series = monthly(world)
    data = series_ics(series)
    text = data.decode()
    assert "RRULE:FREQ=MONTHLY;BYDAY=2TU" in text
    assert "DTSTART;TZID=Europe/Brussels:20270112T133000" in text
    assert "BEGIN:VTIMEZONE" in text
    expected = second_tuesdays(START, 12)
    assert expand_feed(data, datetime.date(2027, 12, 31)) == expected


def test_the_ics_carries_exdate_for_a_skipped_date_and_an_override_for_a_moved_one(world):
    series = monthly(world)
    days = second_tuesdays(START, 12)
    admin = actor_for(world.net.admin)
    series_actions.add_exception(admin, series, on=days[2], kind=ExceptionKind.SKIP, moved_to=None)
    moved_to = datetime.datetime(2027, 7, 15, 13, 30, tzinfo=BRUSSELS)
    series_actions.add_exception(admin, series, on=days[6], kind=ExceptionKind.MOVE, moved_to=moved_to)
    data = series_ics(series)
    assert f"EXDATE;TZID=Europe/Brussels:{days[2]:%Y%m%d}T133000" in data.decode()
    expected = [d for d in days if d != days[2]]
    expected[5] = moved_to.date()
    assert expand_feed(data, datetime.date(2027, 12, 31)) == expected


# --- pages -------------------------------------------------------------------------------------------

RULE_POST = {
    "frequency": "monthly",
    "interval": "1",
    "week_of_month": "2",
    "weekday": "1",
    "start_time": "13:30",
    "duration_minutes": "120",
    "starts_on": "2027-01-01",
    "ends_on": "",
}


def test_the_admin_saves_the_rule_and_the_meetings_are_planned(world, login, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 1, 9, tzinfo=BRUSSELS))
    url = reverse("teams:series", args=[world.team.pk])
    page = login(world.net.admin)
    assert page.get(url).status_code == 200
    response = page.post(url, RULE_POST)
    assert response.status_code == 302
    assert local_days(world.team) == second_tuesdays(START, 4)[:3]
    # The same post again (a double submit) changes nothing.
    assert page.post(url, RULE_POST).status_code == 302
    assert MeetingSeries.objects.count() == 1
    assert local_days(world.team) == second_tuesdays(START, 4)[:3]
    body = page.get(url).content.decode()
    assert "12/01/2027 13:30" in body


@pytest.mark.parametrize(
    "change",
    [
        {"week_of_month": ""},
        {"start_time": "25:00"},
        {"duration_minutes": "5"},
        {"ends_on": "2026-01-01"},
        {"weekday": "9"},
    ],
)
def test_a_bad_rule_is_refused_and_nothing_is_planned(world, login, change):
    url = reverse("teams:series", args=[world.team.pk])
    response = login(world.net.admin).post(url, {**RULE_POST, **change})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["coach", "coordinator", "outsider", "funder"])
def test_only_the_network_admin_opens_the_rule(world, login, who):
    series = monthly(world)
    exception = series_actions.add_exception(
        actor_for(world.net.admin),
        series,
        on=second_tuesdays(START, 1)[0],
        kind=ExceptionKind.SKIP,
        moved_to=None,
    )
    page = login(getattr(world.net, who))
    assert page.get(reverse("teams:series", args=[world.team.pk])).status_code == 404
    assert page.post(reverse("teams:series", args=[world.team.pk]), RULE_POST).status_code == 404
    add = reverse("teams:exception_add", args=[world.team.pk])
    assert page.post(add, {"on": "2027-02-09", "kind": "skip"}).status_code == 404
    remove = reverse("teams:exception_remove", args=[world.team.pk, exception.pk])
    assert page.post(remove).status_code == 404
    assert SeriesException.objects.count() == 1


def test_an_exception_posted_twice_is_refused_the_second_time(world, login):
    monthly(world)
    page = login(world.net.admin)
    add = reverse("teams:exception_add", args=[world.team.pk])
    post = {"on": "2027-02-09", "kind": "skip"}
    assert page.post(add, post).status_code == 302
    second = page.post(add, post)
    assert second.status_code == 200
    assert SeriesException.objects.count() == 1


def test_the_feed_is_for_the_team_members_only(world, login):
    monthly(world)
    url = reverse("teams:calendar", args=[world.team.pk])
    response = login(world.net.coach).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"RRULE:FREQ=MONTHLY;BYDAY=2TU" in response.content
    for who in ("outsider", "gtb_coach", "funder", "admin"):
        assert login(getattr(world.net, who)).get(url).status_code == 404


@pytest.mark.parametrize("exceptions", [1, 8])
def test_the_rule_page_and_the_feed_run_a_constant_number_of_queries(
    world, login, django_assert_max_num_queries, exceptions
):
    series = monthly(world)
    admin = actor_for(world.net.admin)
    for day in second_tuesdays(START, 12)[:exceptions]:
        series_actions.add_exception(admin, series, on=day, kind=ExceptionKind.SKIP, moved_to=None)
    page = login(world.net.admin)
    with django_assert_max_num_queries(12):
        assert page.get(reverse("teams:series", args=[world.team.pk])).status_code == 200
    coach = login(world.net.coach)
    with django_assert_max_num_queries(8):
        assert coach.get(reverse("teams:calendar", args=[world.team.pk])).status_code == 200


def test_the_daily_command_plans_ahead_and_adds_nothing_the_second_time(world, time_machine):
    from io import StringIO

    from django.core.management import call_command

    series = monthly(world)
    Meeting.objects.filter(series=series).delete()
    time_machine.move_to(datetime.datetime(2027, 1, 1, 6, tzinfo=BRUSSELS))
    out = StringIO()
    call_command("generate_meetings", stdout=out)
    assert "Meetings added: 3." in out.getvalue()
    call_command("generate_meetings", stdout=out)
    assert "Meetings added: 0." in out.getvalue()
    assert local_days(world.team) == second_tuesdays(START, 3)


def test_the_team_page_links_the_feed_once_the_rule_planned_meetings(world, login):
    page = login(world.net.coach)
    url = reverse("teams:detail", args=[world.team.pk])
    feed = reverse("teams:calendar", args=[world.team.pk])
    assert feed not in page.get(url).content.decode()
    monthly(world, starts_on=datetime.date.today())
    assert feed in page.get(url).content.decode()
