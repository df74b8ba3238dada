"""Starting, changing and ending a job: one truth with the paid-work outcome, the trajectory team
only, bad input and double submits refused, the job-loss clock and the vocational profile update."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import grant_consent
from werkbrug.clients.models import VOCATIONAL_SECTIONS, ConsentPurpose, ProfileSection
from werkbrug.exchange import actions as exchange_actions
from werkbrug.ips.models import JOB_LOSS_CONTACT_DAYS, Placement, PlacementChange
from werkbrug.ips.tests.conftest import make_employer, start_job, typed_trajectory
from werkbrug.testing import SIGNED, actor_for, days_ago
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, ContactKind, Economy, Outcome, OutcomeKind


def start_data(chosen, **extra):
    data = {
        "employer": chosen.pk,
        "job_title": "Magazijnier",
        "job_type": "9",
        "started_on": days_ago(2).isoformat(),
        "hours_per_week": "19",
        "minimum_wage": "yes",
        "competitive": "yes",
        "economy": "nec",
        "monthly_follow_along": "yes",
    }
    data.update(extra)
    return data


def test_starting_a_job_records_the_paid_work_outcome_and_links_it(net, login, ips, employer):
    response = login(net.coach).post(reverse("ips:start", args=[ips.pk]), start_data(employer))
    assert response.status_code == 302
    placement = Placement.objects.get(trajectory=ips)
    outcome = Outcome.objects.get(trajectory=ips)
    assert placement.outcome == outcome
    assert (outcome.kind, outcome.on, outcome.economy, outcome.certainty) == (
        OutcomeKind.PAID_WORK,
        days_ago(2),
        Economy.NEC,
        Certainty.ESTIMATED,
    )
    # Verification after three months keeps working: the outcome's own rule.
    assert outcome.verify_due_on == days_ago(2) + datetime.timedelta(days=91)
    assert (placement.employer, placement.job_title, placement.hours_per_week) == (
        employer,
        "Magazijnier",
        Decimal("19"),
    )
    page = login(net.coach).get(reverse("trajectories:detail", args=[ips.pk])).content.decode()
    assert 'id="ips-jobs"' in page and "Magazijnier" in page


def test_two_start_posts_make_one_placement_and_one_outcome(net, login, ips, employer):
    client = login(net.coach)
    first = client.post(reverse("ips:start", args=[ips.pk]), start_data(employer))
    second = client.post(reverse("ips:start", args=[ips.pk]), start_data(employer))
    assert first.status_code == 302
    assert second.status_code == 400
    assert "already recorded" in second.content.decode()
    assert Placement.objects.filter(trajectory=ips).count() == 1
    assert Outcome.objects.filter(trajectory=ips).count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"job_title": ""},
        {"hours_per_week": "0"},
        {"hours_per_week": "61"},
        {"started_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
        {"economy": ""},
        {"employer": "999999"},
        {"job_type": "X"},
        {"economy": "social", "competitive": "yes"},  # the social economy is not competitive
    ],
)
def test_bad_input_on_a_job_start_writes_nothing(net, login, ips, employer, bad):
    response = login(net.coach).post(reverse("ips:start", args=[ips.pk]), start_data(employer, **bad))
    assert response.status_code == 400
    assert Placement.objects.count() == 0
    assert Outcome.objects.count() == 0


def test_an_inactive_employer_is_refused(net, login, ips):
    closed = make_employer(net, "Gesloten bv", is_active=False)
    response = login(net.coach).post(reverse("ips:start", args=[ips.pk]), start_data(closed))
    assert response.status_code == 400
    assert Placement.objects.count() == 0


def test_a_job_is_recorded_only_on_an_ips_or_dcm_trajectory(net, login, employer):
    other = net.trajectory()  # an arbeidscoach trajectory
    response = login(net.coach).post(reverse("ips:start", args=[other.pk]), start_data(employer))
    assert response.status_code == 400
    assert "IPS or DCM" in response.content.decode()
    assert Placement.objects.count() == 0 and Outcome.objects.count() == 0


def test_outsiders_get_404_on_the_jobs_page_and_the_job_forms(net, login, employer):
    trajectory = typed_trajectory(net, follow_outcome=True)
    placement = start_job(net, trajectory, employer, days_ago(10))
    urls = [
        reverse("ips:trajectory", args=[trajectory.pk]),
        reverse("ips:start", args=[trajectory.pk]),
        reverse("ips:change", args=[trajectory.pk, placement.pk]),
        reverse("ips:end", args=[trajectory.pk, placement.pk]),
    ]
    # The hospital follows the outcome: it sees the trajectory, but is not on its team.
    assert login(net.care).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200
    for user in (net.gtb_coach, net.care, net.funder, net.outsider):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[1], start_data(employer, job_title="Ander")).status_code == 404
        assert (
            client.post(urls[3], {"ended_on": days_ago(1).isoformat(), "end_reason": "dismissed"}).status_code
            == 404
        )
    page = login(net.care).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert 'id="ips-jobs"' not in page and "Verkoper" not in page and "Bakkerij" not in page
    assert "paid work" in page  # the outcome itself, which the hospital follows
    placement.refresh_from_db()
    assert placement.ended_on is None and Placement.objects.count() == 1


def test_a_change_of_hours_asks_for_a_new_income_plan(net, login, ips, employer):
    placement = start_job(net, ips, employer, days_ago(30))
    client = login(net.coach)
    client.post(
        reverse("ips:income_plan", args=[ips.pk]),
        {"made_on": days_ago(31).isoformat(), "benefit_today": "RIZIV", "expected_income": "loon"},
    )
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="income-plan"' not in page
    data = {"on": days_ago(5).isoformat(), "hours_per_week": "24", "minimum_wage": "yes"}
    assert client.post(reverse("ips:change", args=[ips.pk, placement.pk]), data).status_code == 302
    # The same change again changes nothing and is refused.
    again = client.post(reverse("ips:change", args=[ips.pk, placement.pk]), data)
    assert again.status_code == 400
    assert PlacementChange.objects.count() == 1
    change = PlacementChange.objects.get()
    assert (change.hours_before, change.hours_per_week) == (Decimal("19"), Decimal("24"))
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="income-plan"' in page and days_ago(5).strftime("%d/%m/%Y") in page
    client.post(
        reverse("ips:income_plan", args=[ips.pk]),
        {"made_on": days_ago(1).isoformat(), "benefit_today": "RIZIV", "expected_income": "24 u loon"},
    )
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="income-plan"' not in page


def test_ending_a_job_asks_the_reason_and_once_only(net, login, ips, employer):
    placement = start_job(net, ips, employer, days_ago(60))
    client = login(net.coach)
    url = reverse("ips:end", args=[ips.pk, placement.pk])
    assert client.post(url, {"ended_on": days_ago(1).isoformat(), "end_reason": ""}).status_code == 400
    assert client.post(url, {"ended_on": days_ago(1).isoformat(), "end_reason": "other"}).status_code == 400
    assert (
        client.post(url, {"ended_on": days_ago(61).isoformat(), "end_reason": "dismissed"}).status_code == 400
    )
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert (
        client.post(url, {"ended_on": days_ago(1).isoformat(), "end_reason": "dismissed"}).status_code == 302
    )
    again = client.post(url, {"ended_on": days_ago(0).isoformat(), "end_reason": "health"})
    assert again.status_code == 400
    placement.refresh_from_db()
    assert (placement.ended_on, placement.end_reason) == (days_ago(1), "dismissed")


def job_loss_on_page(client, trajectory):
    page = client.get(reverse("ips:trajectory", args=[trajectory.pk])).content.decode()
    marker = 'data-job-loss="'
    return page.split(marker, 1)[1].split('"', 1)[0] if marker in page else None


def test_the_job_loss_clock_is_due_then_overdue_then_met(net, login, ips, employer):
    placement = start_job(net, ips, employer, days_ago(60))
    coach = actor_for(net.coach)
    client = login(net.coach)
    # Ended two days ago: due until the third day after the end.
    placement.ended_on, placement.end_reason = days_ago(2), "dismissed"
    placement.save()
    assert JOB_LOSS_CONTACT_DAYS == 3
    assert job_loss_on_page(client, ips) == "due"
    # Ended five days ago, nobody called: overdue (5 > 3).
    placement.ended_on = days_ago(5)
    placement.save()
    assert job_loss_on_page(client, ips) == "overdue"
    caseload = client.get(reverse("trajectories:caseload")).content.decode()
    assert f'data-due-placement="{placement.pk}" data-due-status="overdue"' in caseload
    # An unanswered attempt does not count; a call four days after the end is late.
    trajectory_actions.record_contact(coach, ips, on=days_ago(2), kind=ContactKind.OUTREACH_ATTEMPT)
    assert job_loss_on_page(client, ips) == "overdue"
    trajectory_actions.record_contact(coach, ips, on=days_ago(1), kind=ContactKind.PHONE)
    assert job_loss_on_page(client, ips) == "late"
    # A call on the third day meets it.
    trajectory_actions.record_contact(coach, ips, on=days_ago(2), kind=ContactKind.PHONE)
    assert job_loss_on_page(client, ips) == "met"
    caseload = client.get(reverse("trajectories:caseload")).content.decode()
    assert f'data-due-placement="{placement.pk}"' not in caseload


def test_after_a_job_end_the_vocational_profile_asks_for_an_update(net, login, ips, employer):
    placement = start_job(net, ips, employer, days_ago(60))
    client = login(net.coach)
    exchange_actions.save_section(actor_for(net.care), ips.client, ProfileSection.IPS_LESSONS, "Vroeger.")
    client.post(
        reverse("ips:end", args=[ips.pk, placement.pk]),
        {"ended_on": days_ago(0).isoformat(), "end_reason": "contract_ended"},
    )
    since = f"update asked since {days_ago(0):%d/%m/%Y}"
    page = client.get(reverse("trajectories:detail", args=[ips.pk])).content.decode()
    assert since in page
    # The coach may not open the profile without the client's profile consent: no link to a 404.
    profile = reverse("exchange:profile", args=[ips.client_id])
    assert profile not in page
    grant_consent(
        actor_for(net.care),
        ips.client,
        purpose=ConsentPurpose.PROFILE,
        recipient=net.sara,
        categories=list(VOCATIONAL_SECTIONS),
        evidence=SIGNED,
    )
    assert profile in client.get(reverse("trajectories:detail", args=[ips.pk])).content.decode()
    # A competency-profile section is not the vocational profile.
    exchange_actions.save_section(actor_for(net.care), ips.client, ProfileSection.SKILLS, "Nauwkeurig.")
    assert since in client.get(reverse("trajectories:detail", args=[ips.pk])).content.decode()
    exchange_actions.save_section(
        actor_for(net.care), ips.client, ProfileSection.IPS_LESSONS, "Liever vaste uren."
    )
    assert (
        "update asked since" not in client.get(reverse("trajectories:detail", args=[ips.pk])).content.decode()
    )
