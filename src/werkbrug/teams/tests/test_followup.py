"""Follow-up of team decisions: my actions (overdue first), marking done, a team's open actions, and
the team decisions inside the trajectory page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Membership, Role
from werkbrug.teams import followup_urls
from werkbrug.teams.followup_actions import complete_action
from werkbrug.teams.models import ActionItem, TeamMember
from werkbrug.teams.tests.followup_data import (
    action,
    assert_no_identity,
    days,
    decide,
    identified_client,
    invite,
    item,
    meeting,
    register_case,
    today,
    unname_case,
    zowezo,
)
from werkbrug.testing import actor_for, make_user

MY_ACTIONS = reverse("teamfollowup:my_actions")


def done_url(a: ActionItem) -> str:
    return reverse("teamfollowup:action_done", args=[a.pk])


def row_ids(response) -> list[int]:
    return [row.action.pk for row in response.context["rows"]]


# --- my actions --------------------------------------------------------------------------------


def test_my_actions_lists_the_owners_open_actions_overdue_first(net, login):
    team = zowezo(net)
    later = action(net, team, net.coach, days(10), description="Later")
    overdue = action(net, team, net.coach, days(-3), description="Te laat")
    soon = action(net, team, net.coach, days(1), description="Binnenkort")
    response = login(net.coach).get(MY_ACTIONS)
    assert response.status_code == 200
    assert row_ids(response) == [overdue.pk, soon.pk, later.pk]
    assert [row.overdue for row in response.context["rows"]] == [True, False, False]
    html = response.content.decode()
    assert f'id="action-{overdue.pk}" data-overdue="true"' in html
    assert f'id="action-{soon.pk}" data-overdue="false"' in html
    assert response.context["overdue"] == 1


def test_done_actions_and_other_peoples_actions_are_not_in_my_list(net, login):
    team = zowezo(net)
    mine = action(net, team, net.coach, days(2))
    action(net, team, net.coach, days(-2), done_on=days(-1))
    action(net, team, net.care, days(-2))
    assert row_ids(login(net.coach).get(MY_ACTIONS)) == [mine.pk]


def test_an_action_turns_overdue_after_its_due_date(net, login):
    team = zowezo(net)
    a = action(net, team, net.coach, days(2))
    assert [r.overdue for r in login(net.coach).get(MY_ACTIONS).context["rows"]] == [False]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        # Due today is not overdue yet. (A fresh login: the session of two days ago has expired.)
        assert [r.overdue for r in login(net.coach).get(MY_ACTIONS).context["rows"]] == [False]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        response = login(net.coach).get(MY_ACTIONS)
        assert [r.overdue for r in response.context["rows"]] == [True]
        assert f'id="action-{a.pk}" data-overdue="true"' in response.content.decode()


def test_actions_across_teams_show_team_meeting_and_case_label(net, login):
    team, other = zowezo(net), zowezo(net, "MDO Noord")
    case = register_case(net, team)
    m = meeting(net, team)
    a = action(net, team, net.coach, days(1), agenda_item=item(m, case))
    b = action(net, other, net.coach, days(2))
    response = login(net.coach).get(MY_ACTIONS)
    rows = response.context["rows"]
    assert [(r.action.pk, r.label) for r in rows] == [(a.pk, case.anonymous_label), (b.pk, "")]
    html = response.content.decode()
    assert "ZoWeZo Antwerpen" in html and "MDO Noord" in html
    assert reverse("teamfollowup:meeting_ics", args=[m.pk]) in html


def test_an_anonymous_case_shows_no_identifying_field_on_my_actions(net, login):
    team = zowezo(net)
    case = register_case(net, team)
    action(net, team, net.coach, days(1), case=case)
    response = login(net.coach).get(MY_ACTIONS)
    assert case.anonymous_label in response.content.decode()
    assert_no_identity(response.content)


def test_a_named_case_shows_the_name_until_the_consent_is_withdrawn(net, login):
    team = zowezo(net)
    case = register_case(net, team, named=True)
    action(net, team, net.coach, days(1), case=case)
    client = login(net.coach)
    assert "Griet Vermeulen" in client.get(MY_ACTIONS).content.decode()
    unname_case(net, case)
    response = client.get(MY_ACTIONS)
    assert "Griet Vermeulen" not in response.content.decode()
    assert case.anonymous_label in response.content.decode()


def test_a_member_who_left_the_team_no_longer_sees_their_actions(net, login):
    team = zowezo(net)
    action(net, team, net.care, days(1))
    TeamMember.objects.filter(team=team, user=net.care).delete()
    assert row_ids(login(net.care).get(MY_ACTIONS)) == []


def test_a_guest_sees_the_actions_of_the_item_they_are_invited_for(net, login):
    team = zowezo(net)
    m = meeting(net, team)
    invited = item(m, register_case(net, team))
    other = item(m, register_case(net, team, identified_client(net, first_name="Piet")))
    invite(net, invited, net.gtb_screener, net.gtb)
    mine = action(net, team, net.gtb_screener, days(1), agenda_item=invited)
    action(net, team, net.gtb_screener, days(1), agenda_item=other)
    action(net, team, net.gtb_screener, days(1))
    assert row_ids(login(net.gtb_screener).get(MY_ACTIONS)) == [mine.pk]


def test_my_actions_is_for_client_roles_only(net, login):
    for user in (net.admin, net.funder):
        assert login(user).get(MY_ACTIONS).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_my_actions_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    team = zowezo(net)
    m = meeting(net, team)
    for i in range(rows):
        case = register_case(net, team, identified_client(net, first_name=f"C{i}"), named=i % 2 == 0)
        action(net, team, net.coach, days(i - 5), agenda_item=item(m, case, position=i))
    client = login(net.coach)
    client.get(MY_ACTIONS)  # warm the session
    with django_assert_max_num_queries(7):
        response = client.get(MY_ACTIONS)
    assert len(response.context["rows"]) == rows


def test_the_nav_shows_my_actions_to_client_roles(net, login):
    assert MY_ACTIONS in login(net.coach).get(reverse("core:home"), follow=True).content.decode()
    assert MY_ACTIONS not in login(net.admin).get(reverse("core:home"), follow=True).content.decode()


# --- marking done ------------------------------------------------------------------------------


def test_the_owner_marks_an_action_done_and_it_is_audited(net, login):
    team = zowezo(net)
    case = register_case(net, team)
    a = action(net, team, net.coach, days(-1), case=case)
    response = login(net.coach).post(done_url(a))
    assert response.status_code == 302 and response["Location"] == MY_ACTIONS
    a.refresh_from_db()
    assert a.done_on == today()
    event = AuditEvent.objects.get(object_type="actionitem", object_id=a.pk)
    assert (event.action, event.user, event.client_id) == (AuditAction.UPDATE, net.coach, case.client_id)
    assert row_ids(login(net.coach).get(MY_ACTIONS)) == []


def test_marking_done_returns_to_the_page_it_came_from_on_this_site_only(net, login):
    team = zowezo(net)
    a, b = action(net, team, net.coach, days(1)), action(net, team, net.coach, days(1))
    back = reverse("teamfollowup:team_actions", args=[team.pk])
    client = login(net.coach)
    assert client.post(done_url(a), {"next": back})["Location"] == back
    assert client.post(done_url(b), {"next": "https://evil.example/"})["Location"] == MY_ACTIONS


@pytest.mark.parametrize("persona", ["care", "gtb_coach", "outsider", "gtb_screener"])
def test_anyone_but_the_owner_gets_404_when_marking_an_action_done(net, login, persona):
    team = zowezo(net)
    a = action(net, team, net.coach, days(1))
    assert login(getattr(net, persona)).post(done_url(a)).status_code == 404
    a.refresh_from_db()
    assert a.done_on is None


def test_marking_done_needs_a_post(net, login):
    a = action(net, zowezo(net), net.coach, days(1))
    assert login(net.coach).get(done_url(a)).status_code == 405


def test_an_action_done_already_is_not_done_again(net, login):
    a = action(net, zowezo(net), net.coach, days(1), done_on=days(-1))
    response = login(net.coach).post(done_url(a), follow=True)
    assert "This action is already done." in response.content.decode()
    a.refresh_from_db()
    assert a.done_on == days(-1)


def test_complete_action_refuses_a_second_time_and_someone_outside_the_team(net):
    from werkbrug.core.exceptions import DomainError, InvalidTransition

    a = action(net, zowezo(net), net.coach, days(1))
    with pytest.raises(DomainError):
        complete_action(actor_for(net.outsider), a)
    complete_action(actor_for(net.coach), a)
    with pytest.raises(InvalidTransition):
        complete_action(actor_for(net.coach), a)
    with pytest.raises(DomainError):
        complete_action(actor_for(net.coach), action(net, a.team, net.coach, days(1)), on=days(1))


# --- the team's open actions -------------------------------------------------------------------


def test_a_member_sees_the_teams_open_actions_of_every_owner(net, login):
    team = zowezo(net)
    first = action(net, team, net.care, days(-1))
    second = action(net, team, net.coach, days(3))
    action(net, team, net.coach, days(-9), done_on=days(-8))
    action(net, zowezo(net, "MDO Noord"), net.coach, days(1))
    response = login(net.gtb_coach).get(reverse("teamfollowup:team_actions", args=[team.pk]))
    assert response.status_code == 200
    assert row_ids(response) == [first.pk, second.pk]
    # Only the owner gets the button.
    assert done_url(first) not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["outsider", "gtb_screener", "screener", "coordinator", "admin", "funder"]
)
def test_a_non_member_gets_404_on_the_teams_action_list(net, login, persona):
    team = zowezo(net)
    action(net, team, net.coach, days(1))
    assert (
        login(getattr(net, persona)).get(reverse("teamfollowup:team_actions", args=[team.pk])).status_code
        == 404
    )


def test_a_member_acting_for_another_organisation_gets_404(net, login):
    team = zowezo(net)
    Membership.objects.create(user=net.coach, organisation=net.other_care, role=Role.CARE_PROFESSIONAL)
    client = login(net.coach)
    other = Membership.objects.get(user=net.coach, organisation=net.other_care)
    client.post(reverse("core:switch"), {"membership": other.pk})
    assert client.get(reverse("teamfollowup:team_actions", args=[team.pk])).status_code == 404
    assert client.get(reverse("teamfollowup:dashboard", args=[team.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_teams_action_list_runs_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, rows
):
    team = zowezo(net)
    for i in range(rows):
        case = register_case(net, team, identified_client(net, first_name=f"C{i}"), named=i % 2 == 1)
        action(net, team, (net.coach, net.care)[i % 2], days(i - 3), case=case)
    client = login(net.coach)
    url = reverse("teamfollowup:team_actions", args=[team.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["rows"]) == rows


# --- team decisions inside the trajectory --------------------------------------------------------


def test_the_trajectory_page_shows_the_team_decisions_on_its_cases(net, login):
    # PZ, the referrer, sees the trajectory only while it follows the outcome (docs/privacy.md).
    trajectory = net.trajectory(follow_outcome=True)
    team = zowezo(net)
    case = register_case(net, team, trajectory=trajectory)
    first = decide(
        net,
        item(meeting(net, team, timezone.now() - datetime.timedelta(days=40)), case),
        lead=net.sara,
        next_steps="Eerst stabiliseren in de zorg.",
    )
    second = decide(
        net,
        item(meeting(net, team, timezone.now() - datetime.timedelta(days=5)), case),
        lead=net.gtb,
        next_steps="Warme overdracht naar GTB.",
    )
    item(meeting(net, team), case)  # on the agenda, nothing decided yet
    other = register_case(net, team, identified_client(net, first_name="Piet"))
    decide(net, item(meeting(net, team), other), next_steps="Niet voor dit traject.")
    for user in (net.coach, net.care):
        response = login(user).get(reverse("trajectories:detail", args=[trajectory.pk]))
        html = response.content.decode()
        assert 'id="team-decisions"' in html
        assert html.index("Warme overdracht naar GTB.") < html.index("Eerst stabiliseren in de zorg.")
        assert "Niet voor dit traject." not in html
        assert (
            first.meeting.starts_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in html
        )
        assert second.lead_organisation.name in html and team.name in html


def test_no_team_decisions_block_without_decisions(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert 'id="team-decisions"' not in response.content.decode()


def test_the_team_decisions_stay_behind_the_trajectory_access_check(net, login):
    trajectory = net.trajectory()
    team = zowezo(net)
    case = register_case(net, team, trajectory=trajectory)
    decide(net, item(meeting(net, team), case))
    # The GTB coach sits in the team but takes no part in this trajectory.
    assert login(net.gtb_coach).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 15])
def test_the_team_decisions_add_one_query_whatever_their_number(
    net, login, django_assert_max_num_queries, rows
):
    trajectory = net.trajectory()
    team = zowezo(net)
    case = register_case(net, team, trajectory=trajectory)
    for i in range(rows):
        decide(
            net,
            item(meeting(net, team, timezone.now() - datetime.timedelta(days=i + 1)), case),
            next_steps=f"s{i}",
        )
    client = login(net.coach)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    client.get(url)
    with django_assert_max_num_queries(21):
        response = client.get(url)
    assert response.content.decode().count("<td>s") == rows


def test_every_follow_up_view_declares_an_access_policy():
    assert [p.name for p in followup_urls.urlpatterns if not hasattr(p.callback, "access_policy")] == []


def test_a_new_user_with_no_team_sees_an_empty_list(net, login):
    newcomer = make_user("newcoach", net.sara, Role.COACH)
    response = login(newcomer).get(MY_ACTIONS)
    assert response.status_code == 200 and response.context["rows"] == []
