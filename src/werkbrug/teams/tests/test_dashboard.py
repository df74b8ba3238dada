"""The team dashboard: cases guided now and per year, outcomes of the linked trajectories, waiting
time to the first meeting, overdue actions — aggregates only, for the team's members only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.teams.dashboard_views import team_figures
from werkbrug.teams.tests.followup_data import (
    action,
    assert_no_identity,
    decide,
    identified_client,
    invite,
    item,
    local,
    meeting,
    register_case,
    today,
    zowezo,
)
from werkbrug.testing import actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, OutcomeKind


def dashboard_url(team) -> str:
    return reverse("teamfollowup:dashboard", args=[team.pk])


def outcome(net, trajectory, kind, days_ago=1, **extra):
    return trajectory_actions.record_outcome(
        actor_for(net.coach), trajectory, kind=kind, on=today() - datetime.timedelta(days=days_ago), **extra
    )


def test_cases_are_counted_now_and_per_year(net):
    team = zowezo(net)
    other = zowezo(net, "MDO Noord")
    register_case(net, team, created_at=local(2025, 3, 1), status="closed")
    register_case(net, team, identified_client(net, first_name="A"), created_at=local(2025, 12, 31, 23, 30))
    for i in range(3):
        register_case(
            net, team, identified_client(net, first_name=f"B{i}"), created_at=local(2026, 1, 1, 0, 30)
        )
    register_case(net, other, identified_client(net, first_name="C"))
    figures = team_figures(team, today())
    assert (figures.open_cases, figures.total_cases, figures.linked_cases) == (4, 5, 0)
    # Years in Brussels time: 1 January 00:30 local is still 31 December in UTC.
    assert [(r.year, r.registered, r.still_open) for r in figures.per_year] == [(2025, 2, 1), (2026, 3, 3)]


def test_outcomes_of_the_linked_trajectories_are_counted_per_kind(net):
    team = zowezo(net)
    first, second, unlinked = net.trajectory(), net.trajectory(), net.trajectory()
    register_case(net, team, trajectory=first)
    register_case(net, team, trajectory=first)  # registered twice: its outcomes still count once
    register_case(net, team, trajectory=second)
    outcome(net, first, OutcomeKind.TRAINING, certainty=Certainty.VERIFIED)
    outcome(net, first, OutcomeKind.TRAINING, days_ago=30)
    outcome(net, second, OutcomeKind.TRAINING)
    outcome(net, second, OutcomeKind.PAID_WORK, economy="nec")
    outcome(net, unlinked, OutcomeKind.DROP_OUT)
    figures = team_figures(team, today())
    rows = {r.label: (r.outcomes, r.verified, r.trajectories) for r in figures.outcomes}
    assert rows[str(OutcomeKind.TRAINING.label)] == (3, 1, 2)
    assert rows[str(OutcomeKind.PAID_WORK.label)] == (1, 0, 1)
    assert rows[str(OutcomeKind.DROP_OUT.label)] == (0, 0, 0)
    assert len(rows) == len(OutcomeKind)
    assert figures.linked_cases == 3


def test_waiting_is_counted_to_the_first_meeting_with_the_case_on_the_agenda(net):
    team, other = zowezo(net), zowezo(net, "MDO Noord")
    registered = local(2026, 3, 2, 9)
    # Days to each meeting with the case on the agenda: only the first one counts.
    for n, meetings in enumerate([[4], [10, 40], [20]]):
        case = register_case(net, team, identified_client(net, first_name=f"W{n}"), created_at=registered)
        for wait in meetings:
            item(meeting(net, team, registered + datetime.timedelta(days=wait)), case)
    # Another team's meeting does not end the wait for this one.
    case = register_case(net, team, identified_client(net, first_name="X"), created_at=registered)
    item(meeting(net, other, registered + datetime.timedelta(days=1)), case)
    item(meeting(net, team, registered + datetime.timedelta(days=30)), case)
    # Still waiting: open and on no agenda yet; a closed one does not wait.
    register_case(
        net,
        team,
        identified_client(net, first_name="Y"),
        created_at=timezone.now() - datetime.timedelta(days=12),
    )
    register_case(net, team, identified_client(net, first_name="Z"), created_at=registered, status="closed")
    waiting = team_figures(team, today()).waiting
    assert (waiting.discussed, waiting.median_days, waiting.max_days) == (4, 15, 30)
    assert (waiting.waiting_now, waiting.longest_now) == (1, 12)


def test_actions_and_lead_decisions_are_counted(net):
    team = zowezo(net)
    case = register_case(net, team)
    m = meeting(net, team)
    decide(net, item(m, case), lead=net.gtb)
    decide(net, item(meeting(net, team), case), lead=net.gtb)
    decide(net, item(m, register_case(net, team, identified_client(net, first_name="P"))), lead=net.sara)
    action(net, team, net.coach, today() - datetime.timedelta(days=1))
    action(net, team, net.care, today() - datetime.timedelta(days=9))
    action(net, team, net.care, today())
    action(net, team, net.care, today() - datetime.timedelta(days=9), done_on=today())
    action(net, zowezo(net, "MDO Noord"), net.coach, today() - datetime.timedelta(days=1))
    figures = team_figures(team, today())
    assert (figures.open_actions, figures.overdue_actions) == (3, 2)
    assert figures.lead_decisions == [(net.gtb.name, 2), (net.sara.name, 1)]


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_a_member_sees_the_dashboard_and_no_client_on_it(net, login, named):
    team = zowezo(net)
    trajectory = net.trajectory(identified_client(net))
    case = register_case(net, team, trajectory=trajectory, named=named)
    decide(net, item(meeting(net, team), case))
    action(net, team, net.coach, today() - datetime.timedelta(days=1), case=case)
    outcome(net, trajectory, OutcomeKind.VOLUNTEERING)
    response = login(net.gtb_coach).get(dashboard_url(team))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="open-cases">1<' in html
    assert 'data-figure="overdue-actions"><span class="badge badge-alert">1</span>' in html
    assert case.anonymous_label not in html
    assert_no_identity(html)


@pytest.mark.parametrize(
    "persona", ["outsider", "gtb_screener", "screener", "coordinator", "admin", "funder"]
)
def test_a_non_member_gets_404_on_the_dashboard(net, login, persona):
    team = zowezo(net)
    agenda_item = item(meeting(net, team), register_case(net, team))
    invite(net, agenda_item, net.gtb_screener, net.gtb)  # a guest is no member
    assert login(getattr(net, persona)).get(dashboard_url(team)).status_code == 404


def test_an_unknown_or_inactive_team_is_404(net, login):
    team = zowezo(net)
    client = login(net.coach)
    assert client.get(reverse("teamfollowup:dashboard", args=[999999])).status_code == 404
    team.is_active = False
    team.save()
    assert client.get(dashboard_url(team)).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_dashboard_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    team = zowezo(net)
    for i in range(rows):
        trajectory = net.trajectory(identified_client(net, first_name=f"D{i}"))
        case = register_case(net, team, trajectory=trajectory, created_at=local(2024 + i % 3, 5, 1))
        decide(net, item(meeting(net, team, local(2026, 1, 1) + datetime.timedelta(days=i)), case))
        outcome(net, trajectory, OutcomeKind.TRAINING)
        action(net, team, net.coach, today() - datetime.timedelta(days=i))
    client = login(net.coach)
    client.get(dashboard_url(team))
    with django_assert_max_num_queries(11):
        response = client.get(dashboard_url(team))
    assert response.context["figures"].total_cases == rows
