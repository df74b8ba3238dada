"""Case team meetings through the API: what the token may see, each case by its anonymous label
only — no name, birth date, INSZ or other identifying field, not even for a named case."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from werkbrug.teams.models import TeamMember
from werkbrug.teams.tests.followup_data import (
    assert_no_identity,
    decide,
    identified_client,
    invite,
    item,
    local,
    meeting,
    register_case,
    unname_case,
    zowezo,
)

CLIENT_FIELDS = {"first_name", "last_name", "birth_date", "insz", "phone", "email", "address", "municipality"}


def keys(value) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_a_member_lists_the_meetings_of_their_teams_newest_first(net, api):
    team, other = zowezo(net), zowezo(net, "MDO Noord")
    older = meeting(net, team, local(2027, 1, 12))
    newer = meeting(net, team, local(2027, 2, 9))
    meeting(net, other, local(2027, 2, 10))
    TeamMember.objects.filter(team=other, user=net.care).delete()  # not the caller's team
    response = api.get(net.care, "/api/meetings")
    assert response.status_code == 200
    body = response.json()
    assert [m["id"] for m in body["items"]] == [newer.pk, older.pk]
    first = body["items"][0]
    assert first["team"] == {"id": team.pk, "name": "ZoWeZo Antwerpen"}
    assert first["place"] == "SaRA, zaal 2"
    assert first["starts_at"].startswith("2027-02-09T")


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_a_meeting_shows_each_case_by_its_anonymous_label_only(net, api, named):
    team = zowezo(net)
    m = meeting(net, team, local(2027, 1, 12))
    case = register_case(net, team, named=named)
    decided = decide(net, item(m, case, position=0), lead=net.gtb, next_steps="Trio-gesprek plannen.")
    varia = item(m, title="Varia", position=1)
    response = api.get(net.coach, f"/api/meetings/{m.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [i["id"] for i in body["items"]] == [decided.pk, varia.pk]
    case_item, general = body["items"]
    assert case_item["case"] == {
        "id": case.pk,
        "label": case.anonymous_label,
        "named": named,
        "client_id": case.client_id if named else None,
    }
    assert case_item["title"] == ""
    assert case_item["lead_organisation"] == {"id": net.gtb.pk, "name": net.gtb.name}
    assert case_item["next_steps"] == "Trio-gesprek plannen."
    assert general["case"] is None and general["title"] == "Varia"
    assert keys(body) & CLIENT_FIELDS == set()
    assert_no_identity(json.dumps(body, ensure_ascii=False))


def test_a_withdrawn_consent_hides_the_client_id_at_once(net, api):
    team = zowezo(net)
    m = meeting(net, team)
    case = register_case(net, team, named=True)
    item(m, case)
    path = f"/api/meetings/{m.pk}"
    assert api.get(net.coach, path).json()["items"][0]["case"]["client_id"] == case.client_id
    unname_case(net, case)
    assert api.get(net.coach, path).json()["items"][0]["case"] == {
        "id": case.pk,
        "label": case.anonymous_label,
        "named": False,
        "client_id": None,
    }


def test_a_guest_sees_the_meeting_with_their_own_items_only(net, api):
    team = zowezo(net)
    m = meeting(net, team)
    mine = item(m, register_case(net, team), position=0)
    item(m, register_case(net, team, identified_client(net, first_name="Piet")), position=1)
    invite(net, mine, net.gtb_screener, net.gtb)
    assert [x["id"] for x in api.get(net.gtb_screener, "/api/meetings").json()["items"]] == [m.pk]
    body = api.get(net.gtb_screener, f"/api/meetings/{m.pk}").json()
    assert [i["id"] for i in body["items"]] == [mine.pk]


@pytest.mark.parametrize("persona", ["outsider", "gtb_screener", "screener", "coordinator"])
def test_an_outsider_gets_404_on_a_meeting_and_an_empty_list(net, api, persona):
    team = zowezo(net)
    m = meeting(net, team)
    item(m, register_case(net, team, named=True))
    user = getattr(net, persona)
    response = api.get(user, f"/api/meetings/{m.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert api.get(user, "/api/meetings").json()["count"] == 0


@pytest.mark.parametrize("persona", ["admin", "funder"])
def test_roles_without_client_data_get_404(net, api, persona):
    m = meeting(net, zowezo(net))
    user = getattr(net, persona)
    assert api.get(user, "/api/meetings").status_code == 404
    assert api.get(user, f"/api/meetings/{m.pk}").status_code == 404


def test_without_a_token_the_meetings_are_401(net, api):
    m = meeting(net, zowezo(net))
    assert api.get(None, "/api/meetings").status_code == 401
    assert api.get(None, f"/api/meetings/{m.pk}").status_code == 401


@pytest.mark.parametrize("bad", ["0", "-1", "abc", str(2**70)])
def test_bad_meeting_ids_are_a_client_error_never_a_500(net, api, bad):
    assert 400 <= api.get(net.coach, f"/api/meetings/{bad}").status_code < 500


@pytest.mark.parametrize("rows", [1, 20])
def test_the_meeting_list_and_detail_run_a_constant_number_of_queries(
    net, api, django_assert_max_num_queries, rows
):
    team = zowezo(net)
    last = None
    for i in range(rows):
        last = meeting(net, team, timezone.now() + datetime.timedelta(days=i))
        case = register_case(net, team, identified_client(net, first_name=f"Q{i}"), named=i % 2 == 0)
        decide(net, item(last, case))
    # The detail of one meeting with many items.
    for i in range(rows):
        item(last, register_case(net, team, identified_client(net, first_name=f"R{i}")), position=i + 1)
    api.get(net.coach, "/api/meetings")  # the token's last use is written at most once a minute
    with django_assert_max_num_queries(3):
        assert api.get(net.coach, "/api/meetings", limit=100).json()["count"] == rows
    with django_assert_max_num_queries(4):
        assert len(api.get(net.coach, f"/api/meetings/{last.pk}").json()["items"]) == rows + 1
