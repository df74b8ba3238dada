"""Each computed item on a known week or year: the figure, its evidence and the proposed score.
Expected values are worked out here by hand from the rows built, never by calling the scorer."""

from __future__ import annotations

import datetime

import pytest

from werkbrug.employers.models import ContactMode, ContactPlace, WeeklyReview
from werkbrug.fidelity.actions import open_review
from werkbrug.fidelity.models import Review
from werkbrug.fidelity.tests.build import (
    D,
    contact,
    employer,
    employer_contact,
    ips,
    placement,
)
from werkbrug.network.models import Role, TrajectoryType
from werkbrug.testing import actor_for, make_user
from werkbrug.trajectories.models import CloseReason, Contact, ContactKind, Trajectory, TrajectoryStatus

pytestmark = pytest.mark.django_db
MONDAY = D(2025, 2, 3)


def review_of(net, start, end, scale="ips25") -> Review:
    return open_review(
        actor_for(net.coordinator), scale=scale, period_from=start, period_to=end, today=D(2026, 1, 15)
    )


def proposed(review: Review, item: str, column: str = "total") -> int | None:
    return review.scores.get(item=item, column=column).computed


# --- caseload ≤ 20 ----------------------------------------------------------------------------


def test_twenty_active_ips_trajectories_for_one_full_time_coach_score_5(net):
    client = net.new_client()
    counted = [ips(net, D(2025, 1, 10), client=client) for _ in range(20)]
    ips(net, D(2025, 1, 10), client=client, status=TrajectoryStatus.CLOSED, closed_on=D(2025, 5, 1))
    ips(net, D(2025, 7, 1), client=client)  # starts after the period
    Trajectory.objects.create(  # not IPS
        client=client,
        type=TrajectoryType.objects.get(code="arbeidscoach"),
        lead_organisation=net.sara,
        coach=net.coach,
        started_on=D(2025, 1, 10),
    )
    review = review_of(net, D(2025, 1, 1), D(2025, 6, 30))
    figure = review.figure("caseload")
    assert figure["value"] == 20.0
    assert figure["counts"]["trajectories"] == 20
    assert sorted(figure["ids"]) == sorted(t.pk for t in counted)
    assert proposed(review, "caseload") == 5


def test_twenty_one_per_full_time_coach_is_over_the_ips25_caseload_and_scores_4(net):
    client = net.new_client()
    for _ in range(21):
        ips(net, D(2025, 1, 10), client=client)
    review = review_of(net, D(2025, 1, 1), D(2025, 6, 30))
    assert review.figure("caseload")["value"] == 21.0
    assert proposed(review, "caseload") == 4
    # The Dutch scale allows 25 per full-time coach: 21 still scores 5 in both columns.
    dutch = review_of(net, D(2025, 1, 1), D(2025, 6, 30), scale="nl")
    assert proposed(dutch, "caseload", "work") == 5
    assert proposed(dutch, "caseload", "education") == 5


def test_caseload_counts_per_full_time_equivalent(net):
    net.coach.memberships.update(fte="0.50")
    client = net.new_client()
    for _ in range(12):
        ips(net, D(2025, 1, 10), client=client)
    review = review_of(net, D(2025, 1, 1), D(2025, 6, 30))
    assert review.figure("caseload")["value"] == 24.0  # 12 / 0.5
    assert proposed(review, "caseload") == 4


# --- first employer contact ≤ 30 days -----------------------------------------------------------


def test_days_to_first_employer_contact_average_within_30_scores_5(net):
    a = ips(net, D(2025, 3, 1))
    b = ips(net, D(2025, 3, 1))
    c = ips(net, D(2025, 6, 10))  # no contact yet: 20 days up to the period's end
    ips(net, D(2025, 2, 1))  # started before the period: not counted
    employer_contact(net, D(2025, 3, 11), trajectory=a)  # 10 days
    employer_contact(net, D(2025, 3, 20), trajectory=a)  # later one: ignored
    employer_contact(net, D(2025, 4, 10), trajectory=b)  # 40 days
    review = review_of(net, D(2025, 3, 1), D(2025, 6, 30))
    figure = review.figure("first_employer_contact_days")
    assert figure["value"] == round((10 + 40 + 20) / 3, 1)
    assert figure["counts"] == {"trajectories": 3, "within_30_days": 2, "without_contact": 1}
    assert sorted(figure["ids"]) == sorted([a.pk, b.pk, c.pk])
    assert proposed(review, "rapid_search_work") == 5


def test_first_employer_contact_after_six_weeks_on_average_scores_4(net):
    a = ips(net, D(2025, 3, 1))
    b = ips(net, D(2025, 3, 1))
    employer_contact(net, D(2025, 4, 5), trajectory=a)  # 35 days
    employer_contact(net, D(2025, 4, 20), trajectory=b)  # 50 days
    review = review_of(net, D(2025, 3, 1), D(2025, 6, 30), scale="nl")
    assert review.figure("first_employer_contact_days")["value"] == 42.5
    assert proposed(review, "rapid_search_work", "work") == 4
    assert not review.scores.filter(item="rapid_search_work", column="education").exists()


# --- ≥ 6 face-to-face employer contacts a week ------------------------------------------------------


def test_six_face_to_face_employer_contacts_a_week_score_5(net):
    ips(net, D(2025, 1, 6))  # the coach carries IPS: one of the organisation's IPS coaches
    # Four weeks, Monday 3 February to Sunday 2 March 2025: 24 face-to-face contacts = 6 a week.
    for week in range(4):
        for day in range(6):
            employer_contact(net, MONDAY + datetime.timedelta(days=7 * week + day))
    employer_contact(net, D(2025, 2, 4), mode=ContactMode.PHONE)  # not face to face
    employer_contact(net, D(2025, 3, 3))  # after the period
    tick_weeks(net, net.coach, 4)  # the coordinator reviewed every week
    review = review_of(net, D(2025, 2, 3), D(2025, 3, 2))
    figure = review.figure("face_to_face_per_week")
    assert figure["value"] == 6.0
    assert figure["counts"]["contacts"] == 24
    assert figure["counts"]["coaches_with_6_a_week"] == 1
    assert proposed(review, "employer_contacts") == 5


def test_two_coaches_averaging_under_six_a_week_score_4(net):
    other = make_user("coach2", net.sara, Role.COACH)
    ips(net, D(2025, 1, 6))
    ips(net, D(2025, 1, 6), coach=other)
    arbeidscoach_only = make_user("coach3", net.sara, Role.COACH)  # no IPS: not one of the IPS coaches
    employer_contact(net, MONDAY, coach=arbeidscoach_only)
    for i in range(28):  # 7 a week
        employer_contact(net, MONDAY + datetime.timedelta(days=i))
    for i in range(16):  # 4 a week
        employer_contact(net, MONDAY + datetime.timedelta(days=i), coach=other)
    tick_weeks(net, net.coach, 4)
    tick_weeks(net, other, 4)
    review = review_of(net, D(2025, 2, 3), D(2025, 3, 2))
    figure = review.figure("face_to_face_per_week")
    assert figure["value"] == 5.5  # (28 + 16) / 2 coaches / 4 weeks
    assert figure["counts"]["coaches"] == 2
    assert proposed(review, "employer_contacts") == 4


def tick_weeks(net, coach, weeks: int) -> None:
    for week in range(weeks):
        WeeklyReview.objects.create(
            coach=coach, week_start=MONDAY + datetime.timedelta(days=7 * week), reviewed_by=net.coordinator
        )


def test_six_a_week_without_the_coordinators_weekly_review_scores_2_and_monthly_3(net):
    ips(net, D(2025, 1, 6))
    for day in range(28):  # 7 a week
        employer_contact(net, MONDAY + datetime.timedelta(days=day))
    WeeklyReview.objects.create(
        coach=net.coach, week_start=D(2025, 1, 27), reviewed_by=net.coordinator
    )  # before
    review = review_of(net, D(2025, 2, 3), D(2025, 3, 2))
    assert review.figure("weekly_reviewed")["counts"] == {"weeks_due": 4, "reviewed": 0}
    assert proposed(review, "employer_contacts") == 2  # contacts are tracked, never reviewed
    tick_weeks(net, net.coach, 1)  # one week in four: as good as monthly
    review = review_of(net, D(2025, 2, 3), D(2025, 3, 2), scale="nl")
    assert review.figure("weekly_reviewed")["value"] == 25.0
    assert proposed(review, "employer_contacts", "work") == 3


# --- ≥ 95 % competitive jobs -----------------------------------------------------------------


def test_nineteen_competitive_jobs_of_twenty_score_5(net):
    for i in range(20):
        placement(net, ips(net, D(2025, 1, 2)), D(2025, 2, 1), competitive=i != 0)
    # Ended before the period: not in the job pool.
    placement(net, ips(net, D(2024, 1, 2)), D(2024, 2, 1), ended_on=D(2024, 12, 1), competitive=False)
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    figure = review.figure("competitive_share")
    assert figure["value"] == 95.0
    assert figure["counts"] == {"jobs": 20, "competitive": 19}
    assert len(figure["ids"]) == 20
    assert proposed(review, "competitive_jobs") == 5


def test_eighteen_competitive_jobs_of_twenty_score_4(net):
    for i in range(20):
        placement(net, ips(net, D(2025, 1, 2)), D(2025, 2, 1), competitive=i >= 2)
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31), scale="nl")
    assert review.figure("competitive_share")["value"] == 90.0
    assert proposed(review, "competitive_jobs", "work") == 4


# --- diversity of job kinds and employers ----------------------------------------------------------


def test_diversity_counts_job_titles_within_their_group_and_distinct_employers(net):
    bakery, shop = employer(net, "Bakkerij"), employer(net, "Winkel")
    trajectory = ips(net, D(2025, 1, 2))
    placement(net, trajectory, D(2025, 2, 1), job_title="Kok", job_type="5", at=bakery)
    placement(net, trajectory, D(2025, 3, 1), job_title="Afwasser", job_type="5", at=bakery)
    placement(net, trajectory, D(2025, 4, 1), job_title="Kassier", job_type="5", at=shop)
    placement(net, trajectory, D(2025, 5, 1), job_title="Poetshulp", job_type="9", at=shop)
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    assert review.figure("job_type_diversity")["counts"] == {"jobs": 4, "kinds": 4}
    assert review.figure("employer_diversity")["value"] == 50.0  # 2 employers, 4 jobs
    assert proposed(review, "employer_diversity") == 2
    assert proposed(review, "job_diversity") == 5


def test_the_same_job_title_twice_is_one_kind(net):
    trajectory = ips(net, D(2025, 1, 2))
    for title in ("Kok", "KOK", "Kassier", "Poetshulp"):
        placement(net, trajectory, D(2025, 2, 1), job_title=title, job_type="5")
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    assert review.figure("job_type_diversity")["value"] == 75.0  # 3 kinds of 4 jobs
    assert proposed(review, "job_diversity") == 4


# --- job-loss contact within 3 days ---------------------------------------------------------------


def test_job_loss_contact_within_three_days(net):
    met_late = [ips(net, D(2025, 1, 2)) for _ in range(4)]
    ends = [D(2025, 3, 10), D(2025, 4, 10), D(2025, 5, 10), D(2025, 6, 10)]
    for trajectory, end in zip(met_late, ends, strict=True):
        placement(net, trajectory, D(2025, 2, 1), ended_on=end)
    contact(net, met_late[0], D(2025, 3, 12))  # 2 days after: met
    contact(net, met_late[1], D(2025, 4, 14))  # 4 days after: late
    contact(net, met_late[2], D(2025, 5, 11), kind=ContactKind.OUTREACH_ATTEMPT)  # no answer: not met
    contact(net, met_late[3], D(2025, 6, 10), kind=ContactKind.PHONE)  # the same day: met
    placement(net, ips(net, D(2025, 1, 2)), D(2025, 2, 1))  # still working: not counted
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    figure = review.figure("job_loss_contact")
    assert figure["value"] == 50.0
    assert figure["counts"] == {"ended": 4, "met": 2}
    assert sorted(figure["ids"]) == sorted(t.pk for t in met_late)


def test_every_job_end_contacted_in_time_scores_5_unless_follow_along_lags(net):
    trajectory = ips(net, D(2025, 1, 2))
    placement(net, trajectory, D(2025, 2, 1), ended_on=D(2025, 2, 3), monthly=False)
    contact(net, trajectory, D(2025, 2, 6))  # 3 days after the end: met
    review = review_of(net, D(2025, 2, 1), D(2025, 2, 28))
    assert review.figure("job_loss_contact")["value"] == 100.0
    # The follow-along moments that opened before the end and closed in the period: only the one
    # after the start (1-4 Feb; the week before, 25-31 Jan, closed before the period). The contact
    # of the 6th is too late for it: 0 of 1 met.
    assert review.figure("follow_along_met")["counts"]["moments"] == 1
    assert review.figure("follow_along_met")["value"] == 0.0
    assert proposed(review, "unlimited_follow_along") == 1  # the lowest of its figures (5 and 1)


# --- follow-along timeliness ------------------------------------------------------------------------


def test_follow_along_four_of_five_moments_met_scores_4(net):
    trajectory = ips(net, D(2025, 1, 2))
    placement(net, trajectory, D(2025, 3, 10), monthly=False)
    # The moments: before the start 3-9 March, after it 10-13 March, weeks 17-23, 24-30 March and
    # 31 March-6 April.
    contact(net, trajectory, D(2025, 3, 5))
    contact(net, trajectory, D(2025, 3, 12))
    contact(net, trajectory, D(2025, 3, 20))
    contact(net, trajectory, D(2025, 3, 27), kind=ContactKind.OUTREACH_ATTEMPT)  # does not meet
    Contact.objects.create(  # a care note is not the coach's contact: does not meet
        trajectory=trajectory,
        on=D(2025, 3, 28),
        care_only=True,
        recorded_by=net.care,
        organisation=net.hospital,
    )
    contact(net, trajectory, D(2025, 4, 1))
    review = review_of(net, D(2025, 3, 1), D(2025, 4, 30))
    figure = review.figure("follow_along_met")
    assert figure["counts"] == {"moments": 5, "met": 4, "jobs": 1}
    assert figure["value"] == 80.0
    assert figure["ids"] == [trajectory.pk]
    assert proposed(review, "unlimited_follow_along") == 4  # no job ended: job loss has no data


# --- time in the community ------------------------------------------------------------------------


def test_time_in_the_community_from_the_employer_contacts_place(net):
    ips(net, D(2025, 1, 6))
    for place in (
        ContactPlace.COMMUNITY,
        ContactPlace.COMMUNITY,
        ContactPlace.COMMUNITY,
        ContactPlace.OFFICE,
    ):
        employer_contact(net, D(2025, 5, 5), place=place, mode=ContactMode.PHONE)
    review = review_of(net, D(2025, 5, 1), D(2025, 5, 31))
    assert review.figure("community_share")["value"] == 75.0
    assert proposed(review, "community") == 5
    dutch = review_of(net, D(2025, 5, 1), D(2025, 5, 31), scale="nl")
    assert proposed(dutch, "community", "education") == 5


# --- outreach and closures for missed appointments ----------------------------------------------------


def test_closures_for_lost_contact_without_documented_outreach(net):
    documented = ips(
        net,
        D(2025, 1, 2),
        status=TrajectoryStatus.CLOSED,
        closed_on=D(2025, 6, 1),
        close_reason=CloseReason.LOST_CONTACT,
    )
    bare = ips(
        net,
        D(2025, 1, 2),
        status=TrajectoryStatus.CLOSED,
        closed_on=D(2025, 6, 1),
        close_reason=CloseReason.LOST_CONTACT,
    )
    ips(
        net,
        D(2025, 1, 2),
        status=TrajectoryStatus.CLOSED,
        closed_on=D(2025, 6, 1),
        close_reason=CloseReason.GOAL_REACHED,
    )
    for day in (D(2025, 4, 10), D(2025, 5, 1), D(2025, 5, 20)):  # 3 within the 60 days before
        contact(net, documented, day, kind=ContactKind.OUTREACH_ATTEMPT)
    contact(net, bare, D(2025, 3, 1), kind=ContactKind.OUTREACH_ATTEMPT)  # too early
    contact(net, bare, D(2025, 5, 1), kind=ContactKind.OUTREACH_ATTEMPT)
    contact(net, bare, D(2025, 5, 2), kind=ContactKind.OUTREACH_ATTEMPT)
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    counts = review.figure("outreach_documented")["counts"]
    assert counts == {"closed": 3, "lost_contact": 2, "documented": 1, "attempts": 6}
    assert review.figure("outreach_documented")["value"] == 50.0
    assert review.figure("missed_appointment_closures")["value"] == 50.0
    assert sorted(review.figure("missed_appointment_closures")["ids"]) == sorted([documented.pk, bare.pk])
    assert proposed(review, "outreach") == 1  # half closed without documented outreach


def test_no_data_leaves_a_computed_item_for_the_reviewers(net):
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    assert review.figure("competitive_share")["value"] is None
    row = review.scores.get(item="competitive_jobs")
    assert row.computed is None and row.score is None


# --- IPS outcomes beside the benchmark -----------------------------------------------------------------


def test_employment_rate_counts_clients_with_paid_work_in_the_period(net):
    working = ips(net, D(2025, 1, 2))
    placement(net, working, D(2024, 11, 1))  # started before, still held
    ended_before = ips(net, D(2024, 1, 2))
    placement(net, ended_before, D(2024, 2, 1), ended_on=D(2024, 6, 1))
    ips(net, D(2025, 3, 2))
    ips(net, D(2025, 4, 2))
    review = review_of(net, D(2025, 1, 1), D(2025, 12, 31))
    assert review.figure("employment")["counts"] == {"clients": 4, "employed": 1}
    assert review.figure("employment")["value"] == 25.0
    assert review.figure("employment")["ids"] == [working.pk]
