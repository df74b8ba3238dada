"""Teams: management by the network admin, the actor's teams, and a team's page (its open cases are
anonymous without the client's consent to discussion in the team)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Involvement
from werkbrug.core.models import AuditEvent
from werkbrug.network.models import User
from werkbrug.teams import followup_actions
from werkbrug.teams.models import ActionItem, Team, TeamMember
from werkbrug.teams.tests.test_teams_support import IDENTITY, build_world, in_a_week, leaks
from werkbrug.testing import actor_for

# --- management (network admin) -------------------------------------------------------------------


def test_the_network_admin_creates_a_team_with_its_place_and_cadence(net, login):
    client = login(net.admin)
    response = client.post(
        reverse("teams:team_create"),
        {
            "name": "ZoWeZo Noord",
            "kind": "case_team",
            "organisation": net.sara.pk,
            "cadence": "monthly",
            "default_place": "SaRA, room 2",
            "video_link": "https://meet.example.org/zowezo",
        },
    )
    team = Team.objects.get(name="ZoWeZo Noord")
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:team_edit", args=[team.pk])
    assert (team.kind, team.organisation, team.default_place) == ("case_team", net.sara, "SaRA, room 2")
    assert AuditEvent.objects.filter(object_type="team", object_id=team.pk, action="create").exists()


def test_the_network_admin_edits_a_team(world, login):
    response = login(world.net.admin).post(
        reverse("teams:team_edit", args=[world.team.pk]),
        {
            "name": "ZoWeZo Antwerpen-Noord",
            "kind": "mdo",
            "organisation": world.net.sara.pk,
            "cadence": "every 4 weeks",
            "default_place": "",
            "video_link": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert (world.team.name, world.team.kind, world.team.cadence) == (
        "ZoWeZo Antwerpen-Noord",
        "mdo",
        "every 4 weeks",
    )


def test_a_team_name_is_unique_whatever_the_case(world, login):
    response = login(world.net.admin).post(
        reverse("teams:team_create"),
        {"name": "zowezo antwerpen", "kind": "mdo", "organisation": world.net.sara.pk},
    )
    assert response.status_code == 200
    assert "A team with this name already exists." in response.content.decode()
    assert Team.objects.count() == 1


def test_the_network_admin_adds_a_member_for_one_of_their_organisations(world, login):
    response = login(world.net.admin).post(
        reverse("teams:member_add", args=[world.team.pk]), {"user": world.net.gtb_coach.pk}
    )
    assert response.status_code == 302
    member = TeamMember.objects.get(team=world.team, user=world.net.gtb_coach)
    assert member.organisation == world.net.gtb


def test_a_person_without_an_active_membership_is_outside_the_network(world, login):
    stranger = User.objects.create_user(
        username="stranger", password="x" * 12, first_name="Sam", last_name="Vreemd"
    )
    before = TeamMember.objects.count()
    response = login(world.net.admin).post(
        reverse("teams:member_add", args=[world.team.pk]), {"user": stranger.pk}
    )
    assert response.status_code == 400
    assert "outside the network" in response.content.decode()
    assert TeamMember.objects.count() == before


def test_a_funder_cannot_sit_in_a_team(world, login):
    response = login(world.net.admin).post(
        reverse("teams:member_add", args=[world.team.pk]), {"user": world.net.funder.pk}
    )
    assert response.status_code == 400
    assert "no role that works with client files" in response.content.decode()
    assert not TeamMember.objects.filter(user=world.net.funder).exists()


def test_a_member_must_act_for_one_of_their_own_organisations(world, login):
    response = login(world.net.admin).post(
        reverse("teams:member_add", args=[world.team.pk]),
        {"user": world.net.gtb_coach.pk, "organisation": world.net.hospital.pk},
    )
    assert response.status_code == 400
    assert not TeamMember.objects.filter(user=world.net.gtb_coach).exists()


def test_the_network_admin_removes_a_member(world, login):
    member = TeamMember.objects.get(team=world.team, user=world.net.screener)
    response = login(world.net.admin).post(reverse("teams:member_remove", args=[world.team.pk, member.pk]))
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def test_the_admin_pages_show_no_client_data(world, login):
    case = world.register()
    client = login(world.net.admin)
    for url in (reverse("teams:manage"), reverse("teams:team_edit", args=[world.team.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert leaks(response.content.decode()) == []
        assert case.anonymous_label not in response.content.decode()


@pytest.mark.parametrize("persona", ["coach", "care", "coordinator", "funder", "outsider"])
def test_team_management_is_404_for_anyone_but_the_network_admin(world, login, persona):
    client = login(getattr(world.net, persona))
    assert client.get(reverse("teams:manage")).status_code == 404
    assert client.get(reverse("teams:team_edit", args=[world.team.pk])).status_code == 404
    assert (
        client.post(
            reverse("teams:member_add", args=[world.team.pk]), {"user": world.net.coach.pk}
        ).status_code
        == 404
    )


# --- my teams and a team's page ----------------------------------------------------------------------


def test_my_teams_lists_the_teams_i_sit_in_with_the_next_meeting(world, login):
    meeting = world.meeting()
    page = login(world.net.coach).get(reverse("teams:list")).content.decode()
    assert "ZoWeZo Antwerpen" in page
    assert reverse("teams:meeting", args=[meeting.pk]) in page


def test_my_teams_is_empty_for_someone_outside_the_team(world, login):
    world.meeting()
    page = login(world.net.gtb_coach).get(reverse("teams:list")).content.decode()
    assert "ZoWeZo Antwerpen" not in page


def test_the_nav_links_to_the_teams(world, login):
    assert reverse("teams:list") in login(world.net.coach).get(reverse("teams:list")).content.decode()
    assert reverse("teams:manage") in login(world.net.admin).get(reverse("teams:manage")).content.decode()


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "funder", "admin"])
def test_the_team_page_is_404_for_anyone_but_a_member(world, login, persona):
    world.register()
    assert (
        login(getattr(world.net, persona)).get(reverse("teams:detail", args=[world.team.pk])).status_code
        == 404
    )


def test_the_team_page_shows_an_anonymous_case_without_any_identifying_field(world, login):
    case = world.register()
    page = login(world.net.coach).get(reverse("teams:detail", args=[world.team.pk])).content.decode()
    assert case.anonymous_label in page
    assert "Who should lead: SaRA or GTB?" in page
    assert leaks(page) == []


def test_with_consent_the_team_sees_the_name_and_withdrawal_hides_it_at_once(world, login):
    world.register()
    consent = world.consent()
    client = login(world.net.screener)
    url = reverse("teams:detail", args=[world.team.pk])
    assert "Zenobia Quackenbusch" in client.get(url).content.decode()
    world.withdraw(consent)
    assert leaks(client.get(url).content.decode()) == []


def test_a_consent_for_another_organisation_does_not_name_the_case(world, login):
    world.register()
    world.consent()  # names SaRA, the host
    world.team.organisation = world.net.hospital
    world.team.save()
    assert (
        leaks(login(world.net.coach).get(reverse("teams:detail", args=[world.team.pk])).content.decode())
        == []
    )


def test_viewing_the_team_page_writes_one_row_naming_the_team_not_one_per_case(world, login):
    # A list page that shows client names: one row per page view naming the list (issue 13).
    world.register()
    world.register(world.new_client())
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    login(world.net.coach).get(reverse("teams:detail", args=[world.team.pk]))
    new = AuditEvent.objects.exclude(pk__in=before)
    assert [(e.action, e.object_type, e.object_id, e.client_id, e.user_id) for e in new] == [
        ("list", "teams:detail", world.team.pk, None, world.net.coach.pk)
    ]


def test_the_team_page_flags_an_overdue_action(world, login):
    meeting = world.meeting()
    item = world.item(meeting, world.register())
    due = timezone.localdate() + datetime.timedelta(days=1)
    action = followup_actions.create_action(
        actor_for(world.net.coach), item, description="Call the GP", owner=world.net.care, due_on=due
    )
    url = reverse("teams:detail", args=[world.team.pk])
    assert 'data-overdue="true"' not in login(world.net.coach).get(url).content.decode()
    with time_machine.travel(due + datetime.timedelta(days=1)):
        page = login(world.net.coach).get(url).content.decode()
        assert f'id="action-{action.pk}" data-action="{action.pk}" data-overdue="true"' in page
        assert ActionItem.objects.get(pk=action.pk).is_overdue


def test_a_member_closes_a_case_and_it_leaves_the_team_page(world, login):
    case = world.register()
    response = login(world.net.coach).post(reverse("teams:case_close", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert (
        case.anonymous_label
        not in login(world.net.coach).get(reverse("teams:detail", args=[world.team.pk])).content.decode()
    )


def test_a_non_member_cannot_close_a_case(world, login):
    case = world.register()
    assert login(world.net.gtb_coach).post(reverse("teams:case_close", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.status == "open"


def test_registering_a_case_does_not_open_the_file_to_the_host(world):
    world.register()
    assert not Involvement.objects.filter(client=world.client, organisation=world.team.organisation).exists()


@pytest.mark.parametrize("rows", [1, 20])
def test_the_team_page_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    world = build_world(net)
    meeting = world.meeting()
    for i in range(rows):
        client = world.new_client(first_name=f"Zenobia{i}")
        case = world.register(client)
        if i % 2:
            world.consent(client)
        followup_actions.create_action(
            actor_for(net.coach),
            world.item(meeting, case),
            description=f"Step {i}",
            owner=net.care,
            due_on=in_a_week().date(),
        )
    browser = login(net.coach)
    with django_assert_max_num_queries(
        11
    ):  # +1 since issue 13: the session is read from the database, so that logout ends it on every worker
        response = browser.get(reverse("teams:detail", args=[world.team.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-case="') == rows


def test_a_team_without_cases_has_an_empty_page(world, login):
    response = login(world.net.care).get(reverse("teams:detail", args=[world.team.pk]))
    assert response.status_code == 200
    assert "No open cases." in response.content.decode()
    assert IDENTITY["last_name"] not in response.content.decode()
