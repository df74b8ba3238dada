"""List endpoints run a constant number of queries, whatever the number of rows (DESIGN §6)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from werkbrug.network.models import Role, SubRegion, TrajectoryType
from werkbrug.testing import actor_for, make_user, propose_to_gtb
from werkbrug.trajectories import actions

# Lists: the token, the rows, the count. Sub-resources add the parent (get_visible) and its audit row.
MAX_QUERIES = {"list": 3, "sub": 5}


def queries_for(api, user, path, assert_max, budget):
    api.get(user, path)  # warm up: the token's last_used_at is written at most once a minute
    with assert_max(MAX_QUERIES[budget]) as captured:
        response = api.get(user, path, limit=100)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


def grow_clients(net, n):
    for i in range(n):
        net.new_client(first_name=f"Client{i}")


def grow_referrals(net, n):
    for i in range(n):
        net.refer(net.new_client(first_name=f"Client{i}"))


def grow_trajectories(net, n):
    for i in range(n):
        net.trajectory(net.new_client(first_name=f"Client{i}"))


@pytest.mark.parametrize(
    ("user", "path", "grow"),
    [
        ("care", "/api/clients", grow_clients),
        ("screener", "/api/referrals", grow_referrals),
        ("coach", "/api/trajectories", grow_trajectories),
    ],
)
def test_list_query_count_does_not_grow_with_rows(net, api, django_assert_max_num_queries, user, path, grow):
    persona = getattr(net, user)
    grow(net, 1)
    few, count = queries_for(api, persona, path, django_assert_max_num_queries, "list")
    assert count == 1
    grow(net, 29)
    many, count = queries_for(api, persona, path, django_assert_max_num_queries, "list")
    assert count == 30
    assert many == few


def test_sub_resource_lists_do_not_grow_with_rows(net, api, django_assert_max_num_queries):
    trajectory = net.trajectory()
    client_id = trajectory.client_id
    coach = actor_for(net.coach)

    def add(n):
        for _ in range(n):
            actions.record_contact(coach, trajectory, on=timezone.localdate(), kind="phone")
            actions.record_outcome(coach, trajectory, kind="training", on=timezone.localdate())

    paths = [
        f"/api/trajectories/{trajectory.pk}/contacts",
        f"/api/trajectories/{trajectory.pk}/outcomes",
        f"/api/clients/{client_id}/consents",
    ]
    add(1)
    few = [queries_for(api, net.coach, path, django_assert_max_num_queries, "sub")[0] for path in paths]
    add(29)
    many = [queries_for(api, net.coach, path, django_assert_max_num_queries, "sub") for path in paths]
    assert [m[0] for m in many] == few
    assert [m[1] for m in many[:2]] == [30, 30]


def test_reference_lists_do_not_grow_with_rows(net, api, django_assert_max_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            SubRegion.objects.create(name=f"Regio {i}")
            TrajectoryType.objects.create(code=f"type-{i}", name=f"Type {i}")
            make_user(f"coach{i}_extra", net.sara, Role.COACH)

    paths = ["/api/subregions", "/api/trajectory-types", "/api/coaches", "/api/lines", "/api/organisations"]
    add(1, 0)
    few = [queries_for(api, net.screener, path, django_assert_max_num_queries, "list") for path in paths]
    add(29, 1)
    many = [queries_for(api, net.screener, path, django_assert_max_num_queries, "list") for path in paths]
    assert [m[0] for m in many] == [f[0] for f in few]
    # 29 more of each: sub-regions, types and SaRA's coaches (the screener's organisation).
    assert [m[1] - f[1] for m, f in zip(many[:3], few[:3], strict=True)] == [29, 29, 29]


def test_trajectory_plan_ladder_and_handover_lists_do_not_grow_with_rows(
    net, api, django_assert_max_num_queries
):
    trajectory = net.trajectory()
    coach = actor_for(net.coach)

    def add(n):
        for i in range(n):
            actions.record_ladder(coach, trajectory, rung=1 + i % 6, on=timezone.localdate())
            actions.add_goal(coach, trajectory, goal=f"Doel {i}", due_on=None)
            handover = propose_to_gtb(net, trajectory)
            actions.withdraw_handover(coach, handover)

    paths = [f"/api/trajectories/{trajectory.pk}/{tail}" for tail in ("ladder", "goals", "handovers")]
    add(1)
    few = [queries_for(api, net.coach, path, django_assert_max_num_queries, "sub")[0] for path in paths]
    add(29)
    many = [queries_for(api, net.coach, path, django_assert_max_num_queries, "sub") for path in paths]
    assert [m[0] for m in many] == few
    assert [m[1] for m in many] == [30, 30, 30]
