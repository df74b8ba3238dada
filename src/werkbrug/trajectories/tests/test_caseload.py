"""The coach's caseload and the coordinator's capacity view."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import Membership, Role, TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import actor_for, days_ago, make_user
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import CloseReason, ContactKind, Economy, OutcomeKind

TODAY = timezone.localdate


# --- caseload --------------------------------------------------------------------------------


def test_the_caseload_lists_active_and_paused_trajectories_of_the_coach_only(net, login):
    coach = actor_for(net.coach)
    active = net.trajectory(net.new_client(first_name="Actief"))
    paused = net.trajectory(net.new_client(first_name="Gepauzeerd"))
    actions.pause_trajectory(coach, paused, reason="opname")
    closed = net.trajectory(net.new_client(first_name="Gesloten"))
    actions.close_trajectory(coach, closed, reason=CloseReason.CLIENT_CHOICE, note="")
    other = make_user("coach2", net.sara, Role.COACH)
    elsewhere = net.trajectory(net.new_client(first_name="Ander"))
    actions.change_coach(coach, elsewhere, coach=other)

    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert reverse("trajectories:detail", args=[active.pk]) in body
    assert reverse("trajectories:detail", args=[paused.pk]) in body
    assert reverse("trajectories:detail", args=[closed.pk]) not in body
    assert reverse("trajectories:detail", args=[elsewhere.pk]) not in body


def test_a_trajectory_without_contact_for_four_weeks_is_flagged(net, login):
    seen = net.trajectory(net.new_client(first_name="Gezien"))
    unseen = net.trajectory(net.new_client(first_name="Vergeten"))
    coach = actor_for(net.coach)
    actions.record_contact(coach, seen, on=days_ago(3), kind=ContactKind.PHONE)
    actions.record_contact(coach, unseen, on=days_ago(36), kind=ContactKind.PHONE)
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert body.count("badge-alert") == 1
    assert "not seen for 5 weeks" in body


def test_the_not_seen_threshold_is_a_setting(net, login, settings):
    unseen = net.trajectory()
    actions.record_contact(actor_for(net.coach), unseen, on=days_ago(36), kind=ContactKind.PHONE)
    settings.NOT_SEEN_WEEKS = 8
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert "not seen for" not in body


def test_the_next_open_goal_is_shown_and_overdue_goals_are_highlighted(net, login):
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    done = actions.add_goal(coach, trajectory, goal="oud", due_on=days_ago(30))
    actions.complete_goal(coach, done, on=TODAY())
    actions.add_goal(coach, trajectory, goal="later", due_on=TODAY() + datetime.timedelta(days=20))
    actions.add_goal(coach, trajectory, goal="te laat", due_on=days_ago(2))
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert "overdue " + days_ago(2).strftime("%d/%m/%Y") in body
    assert days_ago(30).strftime("%d/%m/%Y") not in body


def test_referrals_assigned_to_the_coach_are_listed_with_a_link(net, login):
    referral = net.refer(net.new_client(first_name="Nieuw"))
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert "Referrals assigned to you" in body
    assert reverse("referrals:detail", args=[referral.pk]) in body


def test_paid_work_due_for_verification_is_listed(net, login):
    trajectory = net.trajectory(net.new_client(first_name="Werkend"))
    coach = actor_for(net.coach)
    actions.record_outcome(
        coach, trajectory, kind=OutcomeKind.PAID_WORK, economy=Economy.NEC, on=days_ago(95)
    )
    recent = net.trajectory(net.new_client(first_name="Recent"))
    actions.record_outcome(coach, recent, kind=OutcomeKind.PAID_WORK, economy=Economy.NEC, on=days_ago(10))
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    section = body[body.index('id="verify"') : body.index('id="trajectories"')]
    assert "Werkend" in section
    assert "Recent" not in section


def test_paid_work_to_verify_is_only_the_coachs_own_and_follows_the_consent(net, login):
    """The due outcomes are found first and access-checked after (trajectories.list_views._to_verify):
    another coach's due outcome is not listed, nor one whose client withdrew the consent."""
    coach = actor_for(net.coach)
    kept = net.trajectory(net.new_client(first_name="Blijvend"))
    withdrawn = net.trajectory(net.new_client(first_name="Teruggetrokken"))
    for trajectory in (kept, withdrawn):
        actions.record_outcome(
            coach, trajectory, kind=OutcomeKind.PAID_WORK, economy=Economy.NEC, on=days_ago(95)
        )
    other = net.trajectory(net.new_client(first_name="Collega"))
    actions.record_outcome(coach, other, kind=OutcomeKind.PAID_WORK, economy=Economy.NEC, on=days_ago(95))
    other.coach = make_user("collega", net.sara, Role.COACH, capacity=30)
    other.save(update_fields=["coach"])
    consent = Consent.objects.get(
        client=withdrawn.client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.care), consent)
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    section = body[body.index('id="verify"') : body.index('id="trajectories"')]
    assert "Blijvend" in section
    assert "Teruggetrokken" not in section
    assert "Collega" not in section


def test_a_trajectory_whose_consent_was_withdrawn_leaves_the_caseload(net, login):
    trajectory = net.trajectory(net.new_client(first_name="Ingetrokken"))
    consent = Consent.objects.get(
        client=trajectory.client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.care), consent)
    body = login(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert "Ingetrokken" not in body


@pytest.mark.parametrize("rows", [1, 30])
def test_the_caseload_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    coach = actor_for(net.coach)
    for i in range(rows):
        trajectory = net.trajectory()
        actions.record_contact(coach, trajectory, on=days_ago(i), kind=ContactKind.PHONE)
        actions.add_goal(coach, trajectory, goal="cv", due_on=days_ago(i - 3))
        actions.record_outcome(
            coach, trajectory, kind=OutcomeKind.PAID_WORK, economy=Economy.NEC, on=days_ago(100)
        )
        referral = net.refer(net.new_client())
        referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    client = login(net.coach)
    # 10 of its own, and the panels of the areas above: the first employer contacts due (1 query),
    # the follow-along and job-loss contacts due (2 queries).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("trajectories:caseload"))
    assert response.status_code == 200
    assert response.content.decode().count("trajectories/") >= rows


# --- capacity --------------------------------------------------------------------------------


def test_the_capacity_view_compares_active_dossiers_with_the_coach_capacity(net, login):
    for _ in range(3):
        net.trajectory()
    Membership.objects.filter(user=net.coach).update(capacity=2)
    body = login(net.coordinator).get(reverse("trajectories:capacity")).content.decode()
    assert 'class="over-capacity"' in body
    assert "150%" in body
    assert reverse("trajectories:coach_trajectories", args=[net.coach.pk]) in body


def test_without_a_set_capacity_the_type_norm_times_fte_is_used(net, login):
    net.trajectory()
    TrajectoryType.objects.filter(code="arbeidscoach").update(capacity_per_fte=25)
    Membership.objects.filter(user=net.coach).update(capacity=None, fte=Decimal("0.50"))
    response = login(net.coordinator).get(reverse("trajectories:capacity"))
    coach_row = next(c for c in response.context["coaches"] if c.user == net.coach)
    assert coach_row.capacity == 13  # 12.5 dossiers: a half is rounded up
    assert coach_row.capacity_is_norm
    assert not coach_row.over


def test_the_capacity_view_counts_per_trajectory_type(net, login):
    coach = actor_for(net.coach)
    net.trajectory()
    paused = net.trajectory()
    actions.pause_trajectory(coach, paused, reason="opname")
    response = login(net.coordinator).get(reverse("trajectories:capacity"))
    (row,) = response.context["type_rows"]
    assert (row["type"].code, row["active"], row["paused"]) == ("arbeidscoach", 1, 1)


def test_a_trajectory_whose_client_stopped_sharing_still_counts_as_work_the_coach_carries(net, login):
    """The capacity page counts open trajectories the organisation leads, as the caseload report does,
    also when the client withdrew the consent that lets the organisation read the file."""
    kept, withdrawn = net.trajectory(), net.trajectory()
    consent = Consent.objects.get(
        client=withdrawn.client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.care), consent)
    client = login(net.coordinator)
    coach_row = next(
        c for c in client.get(reverse("trajectories:capacity")).context["coaches"] if c.user == net.coach
    )
    assert coach_row.active == 2
    # The list of the coach's trajectories, which shows clients, still shows only the one it may read.
    body = client.get(reverse("trajectories:coach_trajectories", args=[net.coach.pk])).content.decode()
    assert reverse("trajectories:detail", args=[kept.pk]) in body
    assert reverse("trajectories:detail", args=[withdrawn.pk]) not in body


def test_the_coordinator_opens_a_read_only_list_of_one_coach(net, login):
    trajectory = net.trajectory()
    body = (
        login(net.coordinator)
        .get(reverse("trajectories:coach_trajectories", args=[net.coach.pk]))
        .content.decode()
    )
    assert reverse("trajectories:detail", args=[trajectory.pk]) in body
    assert '<form method="post" action="/trajectories/' not in body


def test_coaches_and_other_coordinators_get_404_on_the_capacity_pages(net, login):
    net.trajectory()
    gtb_coordinator = make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)
    assert (
        login(gtb_coordinator)
        .get(reverse("trajectories:coach_trajectories", args=[net.coach.pk]))
        .status_code
        == 404
    )
    for user in (net.coach, net.outsider, net.admin, net.funder):
        client = login(user)
        assert client.get(reverse("trajectories:capacity")).status_code == 404
        assert client.get(reverse("trajectories:coach_trajectories", args=[net.coach.pk])).status_code == 404


def test_another_organisations_capacity_view_does_not_show_our_coaches(net, login):
    net.trajectory()
    gtb_coordinator = make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)
    response = login(gtb_coordinator).get(reverse("trajectories:capacity"))
    assert [c.user for c in response.context["coaches"]] == [net.gtb_coach]
    assert response.context["total_active"] == 0


@pytest.mark.parametrize("rows", [1, 30])
def test_the_capacity_pages_run_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    coach = actor_for(net.coach)
    for i in range(3):
        make_user(f"extra{i}", net.sara, Role.COACH)
    for i in range(rows):
        trajectory = net.trajectory()
        actions.add_goal(coach, trajectory, goal="cv", due_on=days_ago(i))
    client = login(net.coordinator)
    # +2 since issue 13: the session from the database, the coordinator's second-factor device;
    # +1 since issue 18: the notices of new versions on the start page (library.notices)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("trajectories:capacity")).status_code == 200
    with django_assert_max_num_queries(
        10
    ):  # +2 since issue 13: the session from the database, the coordinator's second-factor device
        assert client.get(reverse("trajectories:coach_trajectories", args=[net.coach.pk])).status_code == 200
