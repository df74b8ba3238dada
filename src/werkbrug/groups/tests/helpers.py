"""Builders for the group module tests, all through the actions."""

from __future__ import annotations

import datetime

from werkbrug.clients.actions import grant_consent
from werkbrug.clients.models import ConsentPurpose
from werkbrug.groups import actions
from werkbrug.groups.defaults import ensure_job_radar
from werkbrug.groups.models import Enrolment, ModulePhase, ModuleTemplate, Run
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import SIGNED, Network, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory


def job_radar() -> ModuleTemplate:
    return ensure_job_radar(ModuleTemplate, ModulePhase)


def plan_run(net: Network, starts_on: datetime.date | None = None, place: str = "Lokaal De Brug") -> Run:
    """A Job-Radar run of SaRA led by the SaRA coach, starting a week ago unless told."""
    start = starts_on or datetime.date.today() - datetime.timedelta(days=7)
    return actions.create_run(
        actor_for(net.coordinator), job_radar(), starts_on=start, place=place, coaches=[net.coach]
    )


def enrol_new(net: Network, run: Run, **client_fields: object) -> Enrolment:
    trajectory = net.trajectory(net.new_client(**client_fields) if client_fields else None)
    return actions.enrol(actor_for(net.coach), run, trajectory)


def gtb_trajectory(net: Network, *, consent_for_sara: bool = True) -> Trajectory:
    """A client of the GTB coach; with the client's consent to share the file with SaRA, which runs
    the module."""
    client = net.new_client(first_name="Greet", last_name="Gijsels")
    referral = net.refer(client, line=net.gtb_line)
    referral_actions.assign_referral(actor_for(net.gtb_screener), referral, coach=net.gtb_coach)
    trajectory = trajectory_actions.accept_referral(
        actor_for(net.gtb_coach), referral, trajectory_type=TrajectoryType.objects.get(code="gtb")
    )
    if consent_for_sara:
        grant_consent(
            actor_for(net.gtb_coach),
            client,
            purpose=ConsentPurpose.COLLABORATION,
            recipient=net.sara,
            categories=[],
            evidence=SIGNED,
        )
    return trajectory
