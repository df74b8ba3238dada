"""The follow-along slots on the trajectory page and the ips page, and across the coach's caseload,
worked out by hand from a known set of contact days; the caseload panel runs a constant number of
queries whatever the number of jobs."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.employers.models import ContactPurpose, EmployerContact
from werkbrug.ips.followalong import add_months
from werkbrug.ips.tests.conftest import make_employer, start_job, typed_trajectory
from werkbrug.testing import actor_for, days_ago
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import ContactKind

D = datetime.timedelta(days=1)


def slot_statuses(page: str) -> list[tuple[str, str]]:
    """(opens, status) of each follow-along row, in page order."""
    rows = []
    for chunk in page.split('data-slot="')[1:]:
        opens = chunk.split('"', 1)[0]
        status = chunk.split('data-slot-status="', 1)[1].split('"', 1)[0]
        rows.append((opens, status))
    return rows


def test_each_slot_is_met_open_overdue_or_later_as_worked_out_by_hand(net, login, ips, employer):
    start = days_ago(20)
    placement = start_job(net, ips, employer, start)
    coach = actor_for(net.coach)
    for day, kind in [
        (start - 3 * D, ContactKind.PHONE),  # in the week before: met
        (start + 8 * D, ContactKind.FACE_TO_FACE),  # week 2: met
        (start + 15 * D, ContactKind.OUTREACH_ATTEMPT),  # no answer: meets nothing
    ]:
        trajectory_actions.record_contact(coach, ips, on=day, kind=kind)
    # Support to the employer is shown apart and meets no client slot (week 3 stays open).
    EmployerContact.objects.create(
        employer=employer,
        on=start + 16 * D,
        coach=net.coach,
        organisation=net.sara,
        purpose=ContactPurpose.SUPPORT,
        trajectory=ips,
        note="Gesprek met de ploegbaas",
    )
    expected = [
        ((start - 7 * D).isoformat(), "met"),
        (start.isoformat(), "overdue"),  # nothing from the start to 3 days after
        ((start + 7 * D).isoformat(), "met"),
        ((start + 14 * D).isoformat(), "open"),  # today is day 20 of [14, 20]
        ((start + 21 * D).isoformat(), "later"),
    ] + [(add_months(start, m).isoformat(), "later") for m in range(1, 12)]
    client = login(net.coach)
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert slot_statuses(page) == expected
    assert "Gesprek met de ploegbaas" in page.split('id="support"', 1)[1]
    # The trajectory panel shows the slots that need doing: open and overdue.
    panel = client.get(reverse("trajectories:detail", args=[ips.pk])).content.decode()
    assert slot_statuses(panel) == [(start.isoformat(), "overdue"), ((start + 14 * D).isoformat(), "open")]
    caseload = client.get(reverse("trajectories:caseload")).content.decode()
    assert caseload.count(f'data-due-placement="{placement.pk}"') == 2
    assert 'data-due-status="overdue"' in caseload and 'data-due-status="open"' in caseload


def test_without_monthly_follow_along_the_first_month_is_all(net, login, ips, employer):
    start = days_ago(40)
    start_job(net, ips, employer, start, monthly_follow_along=False)
    page = login(net.coach).get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    # before, after, weeks 2-4: all closed without a contact
    assert [s for _, s in slot_statuses(page)] == ["overdue"] * 5


def test_the_caseload_shows_only_the_coachs_own_jobs(net, login, ips, employer):
    start_job(net, ips, employer, days_ago(2))
    assert "data-due-placement" in login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    other = typed_trajectory(net)
    trajectory_actions.change_coach(actor_for(net.coordinator), other, coach=net.coach)
    assert (
        'id="follow-along"' not in login(net.gtb_coach).get(reverse("trajectories:caseload")).content.decode()
    )


def caseload_queries(client) -> int:
    client.get(reverse("trajectories:caseload"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("trajectories:caseload"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("more", [12])
def test_the_caseload_panel_runs_a_constant_number_of_queries(net, login, more):
    employer = make_employer(net)
    coach = actor_for(net.coach)

    def one(i: int) -> None:
        trajectory = typed_trajectory(net)
        start_job(net, trajectory, employer, days_ago(5 + i))
        trajectory_actions.record_contact(coach, trajectory, on=days_ago(4 + i), kind=ContactKind.PHONE)
        if i % 3 == 0:
            ended = start_job(net, trajectory, employer, days_ago(40 + i), title="Vorige job")
            ended.ended_on, ended.end_reason = days_ago(10), "dismissed"
            ended.save()

    one(0)
    client = login(net.coach)
    few = caseload_queries(client)
    for i in range(1, more + 1):
        one(i)
    many = caseload_queries(client)
    page = client.get(reverse("trajectories:caseload")).content.decode()
    assert page.count("data-due-placement=") >= more
    assert many == few


def page_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_trajectory_pages_run_a_constant_number_of_queries(net, login, ips):
    coach = actor_for(net.coach)
    client = login(net.coach)
    urls = [reverse("ips:trajectory", args=[ips.pk]), reverse("trajectories:detail", args=[ips.pk])]

    def jobs(start: int, end: int) -> None:
        for i in range(start, end):
            employer = make_employer(net, f"Werkgever {i}")
            placement = start_job(net, ips, employer, days_ago(200 - i))
            trajectory_actions.record_contact(coach, ips, on=days_ago(199 - i), kind=ContactKind.PHONE)
            if i % 2:
                placement.ended_on, placement.end_reason = days_ago(150 - i), "dismissed"
                placement.save()

    jobs(0, 2)  # one running, one ended: every kind of row once
    few = [page_queries(client, url) for url in urls]
    jobs(2, 16)
    assert [page_queries(client, url) for url in urls] == few
