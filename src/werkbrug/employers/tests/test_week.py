"""The coach's week (issue 15 point 5): the 30-day clock from IPS entry to the first employer
contact, the weekly count of face-to-face contacts against 6 with the share in the community, and the
coordinator's weekly review. Expected values are computed here from the dates the test chose."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.employers.models import WeeklyReview
from werkbrug.employers.panels import clock
from werkbrug.employers.tests.helpers import contact, employer, employer_consent, ips_trajectory
from werkbrug.network.models import Role
from werkbrug.testing import make_user
from werkbrug.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def test_the_clock_counts_30_days_from_the_start():
    start = datetime.date(2026, 3, 2)
    assert clock(start, None, datetime.date(2026, 3, 12)) == {
        "due": datetime.date(2026, 4, 1),
        "left": 20,
        "overdue": 0,
    }
    late = clock(start, None, datetime.date(2026, 4, 4))
    assert late["left"] == -3 and late["overdue"] == 3
    met = clock(start, datetime.date(2026, 4, 2), datetime.date(2026, 5, 1))
    assert met == {"due": datetime.date(2026, 4, 1), "met_on": datetime.date(2026, 4, 2), "in_time": False}


def started(net, days_ago):
    trajectory = ips_trajectory(net)
    Trajectory.objects.filter(pk=trajectory.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
    trajectory.refresh_from_db()
    return trajectory


def test_the_caseload_lists_ips_clients_without_an_employer_contact_with_days_left(net, login):
    fresh = started(net, 10)
    late = started(net, 35)
    other_type = net.trajectory()
    done = started(net, 5)
    employer_consent(net, done.client)
    contact(net, employer(net), on=timezone.localdate(), trajectory=done)
    response = login(net.coach).get(reverse("trajectories:caseload"))
    html = response.content.decode()
    assert 'id="first-employer-contact"' in html
    panel = next(p for p in response.context["panels"] if p.name == "first-employer-contact")
    rows = {row["trajectory"].pk: row["clock"] for row in panel.context["rows"]}
    assert set(rows) == {fresh.pk, late.pk}
    assert other_type.pk not in rows and done.pk not in rows
    assert rows[fresh.pk]["left"] == 30 - 10
    assert rows[late.pk]["overdue"] == 35 - 30
    assert "5 days overdue" in html


def test_the_caseload_panel_is_the_coachs_own_and_absent_when_all_are_contacted(net, login):
    started(net, 3)
    html = login(net.gtb_coach).get(reverse("trajectories:caseload")).content.decode()
    assert 'id="first-employer-contact"' not in html


def test_the_trajectory_panel_shows_the_days_left(net, login):
    trajectory = started(net, 12)
    html = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert f"{30 - 12} days left" in html


@pytest.mark.parametrize("count", [1, 15])
def test_the_caseload_stays_at_a_constant_number_of_queries(net, login, django_assert_max_num_queries, count):
    for days in range(count):
        started(net, days)
    client = login(net.coach)
    client.get(reverse("trajectories:caseload"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("trajectories:caseload")).status_code == 200


# --- the week -------------------------------------------------------------------------------------


def a_week(net):
    """This week: 7 face-to-face contacts (5 in the community), 2 phone calls at the office; one
    contact last week that does not count. Expected: 7 of 6, 5 of 9 in the community."""
    today = timezone.localdate()
    monday = monday_of(today)
    made = employer(net)
    days = [monday + datetime.timedelta(days=i % (today.weekday() + 1)) for i in range(9)]
    for i, day in enumerate(days[:7]):
        contact(net, made, on=day, place="community" if i < 5 else "office", note=f"f{i}")
    for i, day in enumerate(days[7:]):
        contact(net, made, on=day, mode="phone", place="office", note=f"p{i}")
    contact(net, made, on=monday - datetime.timedelta(days=1), note="last week")
    return monday


def test_the_coachs_week_counts_face_to_face_contacts_against_6(net, login):
    monday = a_week(net)
    response = login(net.coach).get(reverse("employers:week"))
    assert response.context["face_to_face"] == 7
    assert response.context["community_share"] == round(100 * 5 / 9)
    assert response.context["target_met"] is True
    assert len(response.context["contacts"]) == 9
    last_week = login(net.coach).get(
        reverse("employers:week"), {"week": (monday - datetime.timedelta(days=3)).isoformat()}
    )
    assert last_week.context["face_to_face"] == 1 and last_week.context["missing"] == 5


def test_the_coordinator_sees_every_coach_of_the_organisation_for_the_week(net, login):
    a_week(net)
    second = make_user("coach2", net.sara, Role.COACH)
    response = login(net.coordinator).get(reverse("employers:week"))
    counts = {row.coach: row for row in response.context["counts"]}
    assert set(counts) == {net.coach, second}
    assert (counts[net.coach].total, counts[net.coach].face_to_face, counts[net.coach].community_share) == (
        9,
        7,
        round(100 * 5 / 9),
    )
    assert counts[second].total == 0 and counts[second].community_share is None
    assert net.gtb_coach not in counts


def test_the_weekly_review_is_ticked_once(net, login):
    monday = a_week(net)
    client = login(net.coordinator)
    url = reverse("employers:review", args=[net.coach.pk])
    assert client.post(url, {"week": monday.isoformat()}).status_code == 302
    assert client.post(url, {"week": monday.isoformat()}).status_code == 302
    review = WeeklyReview.objects.get()
    assert (review.coach, review.week_start, review.reviewed_by) == (net.coach, monday, net.coordinator)
    assert "reviewed by" in client.get(reverse("employers:week")).content.decode()


def test_a_week_given_midweek_is_reviewed_from_its_monday(net, login):
    monday = monday_of(timezone.localdate())
    login(net.coordinator).post(
        reverse("employers:review", args=[net.coach.pk]),
        {"week": (monday + datetime.timedelta(days=2)).isoformat()},
    )
    assert WeeklyReview.objects.get().week_start == monday


@pytest.mark.parametrize("who", ["coach", "gtb_coach", "screener", "funder"])
def test_only_the_coordinator_ticks_the_review(net, login, who):
    monday = monday_of(timezone.localdate())
    response = login(getattr(net, who)).post(
        reverse("employers:review", args=[net.coach.pk]), {"week": monday.isoformat()}
    )
    assert response.status_code == 404 and not WeeklyReview.objects.exists()


def test_a_coordinator_of_another_organisation_cannot_tick_our_coach(net, login):
    gtb_coordinator = make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)
    monday = monday_of(timezone.localdate())
    response = login(gtb_coordinator).post(
        reverse("employers:review", args=[net.coach.pk]), {"week": monday.isoformat()}
    )
    assert response.status_code == 404 and not WeeklyReview.objects.exists()


def test_a_bad_week_is_refused(net, login):
    response = login(net.coordinator).post(reverse("employers:review", args=[net.coach.pk]), {"week": "soon"})
    assert response.status_code == 404 and not WeeklyReview.objects.exists()


@pytest.mark.parametrize("coaches", [1, 12])
def test_the_week_pages_run_a_constant_number_of_queries(net, login, django_assert_max_num_queries, coaches):
    a_week(net)
    for i in range(coaches):
        make_user(f"extra{i}", net.sara, Role.COACH)
    for user in (net.coach, net.coordinator):
        client = login(user)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("employers:week")).status_code == 200
