"""Two people at once through the API: a referral triaged twice and a trajectory closed twice at the
same moment take effect once; the other caller gets a 400 naming the first decision, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client as WebClient

from werkbrug.network.models import ApiToken, Membership
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralStatus
from werkbrug.testing import race
from werkbrug.trajectories.models import TrajectoryEvent

pytestmark = pytest.mark.django_db(transaction=True)


def bearer(user) -> dict[str, str]:
    membership = Membership.objects.filter(user=user).order_by("pk").first()
    return {"Authorization": f"Bearer {ApiToken.issue(membership, 'race')[1]}"}


def post_at_once(url: str, bodies_and_users: list[tuple[dict, object]]) -> list:
    calls = []
    for body, user in bodies_and_users:
        page, headers = WebClient(), bearer(user)
        calls.append(
            lambda page=page, headers=headers, body=body: page.post(
                url, json.dumps(body), content_type="application/json", headers=headers
            )
        )
    responses = race(*calls)
    for response in responses:
        assert not isinstance(response, Exception), response
        assert response.status_code < 500, response.content
    return responses


def test_a_referral_assigned_twice_at_once_gets_one_decision(tnet):
    referral = tnet.refer(tnet.new_client())
    responses = post_at_once(
        f"/api/referrals/{referral.pk}/assign",
        [({"coach_id": tnet.coach.pk}, tnet.screener), ({"coach_id": tnet.coach.pk}, tnet.coordinator)],
    )
    assert sorted(r.status_code for r in responses) == [200, 400]
    refused = next(r for r in responses if r.status_code == 400)
    assert "already handled this referral" in refused.json()["detail"]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ASSIGNED
    assert ReferralEvent.objects.filter(referral=referral, kind="assigned").count() == 1


def test_a_trajectory_closed_twice_at_once_is_closed_once(tnet):
    trajectory = tnet.trajectory()
    responses = post_at_once(
        f"/api/trajectories/{trajectory.pk}/close",
        [({"reason": "moved"}, tnet.coach), ({"reason": "client_choice"}, tnet.coordinator)],
    )
    assert sorted(r.status_code for r in responses) == [200, 400]
    refused = next(r for r in responses if r.status_code == 400)
    assert "This trajectory is already closed." in refused.json()["detail"]
    assert TrajectoryEvent.objects.filter(trajectory=trajectory, kind="closed").count() == 1
