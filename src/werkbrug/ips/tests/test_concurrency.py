"""Two "start job" posts at once (a double click, two tabs): one placement and one paid-work outcome,
the other post refused with who recorded it, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from werkbrug.ips.models import Placement
from werkbrug.ips.tests.conftest import make_employer, typed_trajectory
from werkbrug.testing import client_of, days_ago, one_done_one_refused, race
from werkbrug.trajectories.models import Outcome

pytestmark = pytest.mark.django_db(transaction=True)


def post(client: Any, url: str, data: dict[str, str]) -> Callable[[], Any]:
    return lambda: client.post(url, data)


def test_two_job_starts_at_once_make_one_placement_and_one_outcome(tnet):
    employer = make_employer(tnet)
    for _ in range(3):
        trajectory = typed_trajectory(tnet)
        url = reverse("ips:start", args=[trajectory.pk])
        data = {
            "employer": employer.pk,
            "job_title": "Orderpicker",
            "job_type": "9",
            "started_on": days_ago(1).isoformat(),
            "hours_per_week": "24",
            "minimum_wage": "yes",
            "competitive": "yes",
            "economy": "nec",
            "monthly_follow_along": "yes",
        }
        first, second = client_of(tnet.coach), client_of(tnet.coach)
        _done, refused = one_done_one_refused(race(post(first, url, data), post(second, url, data)))
        assert "already recorded" in refused.content.decode()
        assert Placement.objects.filter(trajectory=trajectory).count() == 1
        assert Outcome.objects.filter(trajectory=trajectory).count() == 1
