"""The month grid of hours (prestatiestaat): one form for the whole group, bad input refused with a
clear message and nothing written, totals equal to what was entered, outsiders 404, and the speed of
a 20 x 31 grid."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.workcare.forms import cell_name
from werkbrug.workcare.hours import month_days
from werkbrug.workcare.models import DayHours
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3


def _group(net, n):
    at = workshop(net)
    people = []
    for i in range(n):
        trajectory = workcare_trajectory(net, first_name=f"Deelnemer{i:02d}", last_name="Test")
        agreement(net, trajectory, at)
        people.append(trajectory)
    return at, people


def _url(at):
    return reverse("workcare:grid", args=[at.pk, YEAR, MONTH])


def test_a_supervisor_fills_in_the_month_for_the_group_and_the_totals_are_the_sum(net, login):
    at, people = _group(net, 3)
    data = {cell_name(people[0].pk, d): "3.5" for d in month_days(YEAR, MONTH)[:10]}
    data[cell_name(people[1].pk, month_days(YEAR, MONTH)[4])] = "6,25"  # a decimal comma
    page = login(net.coach)
    assert page.post(_url(at), data).status_code == 302
    # 10 days x 3.5 = 35 and 6.25: 41.25 in all.
    assert DayHours.objects.filter(trajectory=people[0]).count() == 10
    stored = {
        t.pk: sum(DayHours.objects.filter(trajectory=t).values_list("hours", flat=True), Decimal(0))
        for t in people
    }
    assert stored == {people[0].pk: Decimal("35"), people[1].pk: Decimal("6.25"), people[2].pk: Decimal(0)}
    shown = page.get(_url(at)).content.decode()
    assert "data-grand-total>41.25<" in shown
    assert "data-total>35.00<" in shown


def test_posting_the_same_grid_twice_stores_it_once(net, login):
    at, people = _group(net, 2)
    data = {cell_name(t.pk, d): "2" for t in people for d in month_days(YEAR, MONTH)[:3]}
    page = login(net.coach)
    assert page.post(_url(at), data).status_code == 302
    assert page.post(_url(at), data).status_code == 302
    # 2 people x 3 days, once: 6 rows, 12 h.
    assert DayHours.objects.count() == 6
    assert sum(DayHours.objects.values_list("hours", flat=True)) == Decimal(12)


def _seen(page, at) -> str:
    """The version the grid carries when opened (hidden `seen`)."""
    html = page.get(_url(at)).content.decode()
    return re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)


def test_two_supervisors_on_one_month_the_second_is_refused_and_nothing_of_the_first_is_lost(net, login):
    at, people = _group(net, 2)
    days = month_days(YEAR, MONTH)
    first, second = login(net.coach), login(net.coordinator)
    first_seen, second_seen = _seen(first, at), _seen(second, at)
    mine = {cell_name(people[0].pk, d): "4" for d in days[:5]}
    theirs = {cell_name(people[1].pk, d): "2" for d in days[:3]}
    assert first.post(_url(at), {**mine, "seen": first_seen}).status_code == 302
    refused = second.post(_url(at), {**theirs, "seen": second_seen})
    assert refused.status_code == 400
    assert "after you opened the grid. Your hours are not saved" in refused.content.decode()
    # The first supervisor's 5 x 4 h stay; none of the second's was written.
    assert sorted(DayHours.objects.values_list("trajectory_id", "hours")) == [(people[0].pk, Decimal(4))] * 5
    # Opened again, the grid shows the first's hours and a new version: now the second can save.
    assert second.post(_url(at), {**mine, **theirs, "seen": _seen(second, at)}).status_code == 302
    assert DayHours.objects.count() == 8


def test_the_same_grid_posted_twice_from_one_opened_page_is_stored_once(net, login):
    at, people = _group(net, 1)
    page = login(net.coach)
    data = {cell_name(people[0].pk, d): "3" for d in month_days(YEAR, MONTH)[:4]}
    data["seen"] = _seen(page, at)
    assert page.post(_url(at), data).status_code == 302
    assert page.post(_url(at), data).status_code == 302  # a double click: the same hours, once
    assert DayHours.objects.count() == 4


def test_saving_again_replaces_the_month(net, login):
    at, people = _group(net, 1)
    page = login(net.coach)
    first = month_days(YEAR, MONTH)[0]
    page.post(_url(at), {cell_name(people[0].pk, first): "4"})
    page.post(_url(at), {cell_name(people[0].pk, first): ""})
    assert not DayHours.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "hours cannot be negative"),
        ("24.5", "a day has at most 24 hours"),
        ("drie", "not a number of hours"),
        ("NaN", "not a number of hours"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message_and_nothing_is_written(net, login, value, message):
    at, people = _group(net, 2)
    days = month_days(YEAR, MONTH)
    data = {cell_name(people[0].pk, days[0]): "4", cell_name(people[1].pk, days[2]): value}
    response = login(net.coach).post(_url(at), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Deelnemer01 Test, 03/03: {message}." in page
    assert f'value="{value}"' in page  # what was typed stays
    assert not DayHours.objects.exists()


def test_a_cell_for_someone_outside_the_workshop_is_ignored(net, login):
    at, _people = _group(net, 1)
    stranger = workcare_trajectory(net, first_name="Vreemd")
    login(net.coach).post(_url(at), {cell_name(stranger.pk, month_days(YEAR, MONTH)[0]): "4"})
    assert not DayHours.objects.filter(trajectory=stranger).exists()


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_on_the_grid_and_write_nothing(net, client, who):
    at, people = _group(net, 1)
    client.force_login(getattr(net, who))
    assert client.get(_url(at)).status_code == 404
    response = client.post(_url(at), {cell_name(people[0].pk, month_days(YEAR, MONTH)[0]): "4"})
    assert response.status_code == 404
    assert not DayHours.objects.exists()


def test_a_month_outside_the_calendar_is_404(net, login):
    at, _people = _group(net, 1)
    assert login(net.coach).get(reverse("workcare:grid", args=[at.pk, YEAR, 13])).status_code == 404


def test_the_grid_of_20_participants_and_31_days_saves_in_under_a_second(net, login):
    at, people = _group(net, 20)
    days = month_days(YEAR, MONTH)
    assert len(days) == 31
    data = {cell_name(t.pk, d): "3.5" for t in people for d in days}
    page = login(net.coach)
    page.get(_url(at))  # warm up (templates, the session)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = page.post(_url(at), data)
        elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert DayHours.objects.count() == 620
    print(f"\n20 x 31 grid saved in {elapsed * 1000:.0f} ms, {len(queries)} queries")
    assert elapsed < 1.0
    assert len(queries) < 80  # bulk: not one query per cell
