"""Fixtures of the ips tests: an IPS trajectory led by the SaRA coach, and an employer."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from werkbrug.employers.models import Employer, JobType
from werkbrug.ips import actions
from werkbrug.ips.models import Placement
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import Network, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Economy, Trajectory


def typed_trajectory(
    net: Network, code: str = "ips", *, follow_outcome: bool = False, **client: object
) -> Trajectory:
    """A client referred by the hospital and accepted by the SaRA coach as an IPS (or DCM) trajectory."""
    referral = net.refer(net.new_client(**client), follow_outcome=follow_outcome)
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    return trajectory_actions.accept_referral(
        actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code=code)
    )


def make_employer(net: Network, name: str = "Bakkerij Janssens", **extra: object) -> Employer:
    return Employer.objects.create(name=name, municipality="Antwerpen", created_by=net.coach, **extra)


def start_job(
    net: Network,
    trajectory: Trajectory,
    employer: Employer,
    started_on: datetime.date,
    *,
    economy: str = Economy.NEC,
    title: str = "Verkoper",
    **extra: object,
) -> Placement:
    values: dict[str, object] = {
        "employer": employer,
        "job_title": title,
        "job_type": JobType.SERVICE_SALES,
        "started_on": started_on,
        "hours_per_week": Decimal("19"),
        "minimum_wage": True,
        "competitive": True,
        "economy": economy,
    }
    values.update(extra)
    return actions.start_placement(actor_for(net.coach), trajectory, **values)  # type: ignore[arg-type]


@pytest.fixture
def ips(net) -> Trajectory:
    return typed_trajectory(net, "ips", first_name="Ines")


@pytest.fixture
def employer(net) -> Employer:
    return make_employer(net)
