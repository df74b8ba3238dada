"""The demo's case team: the monthly ZoWeZo team with its members, next month's meeting and two
cases on its agenda (one by name, one anonymous)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from werkbrug.clients import actions as client_actions
from werkbrug.clients.models import ConsentPurpose, DataCategory
from werkbrug.demo.steps import SIGNED, Steps
from werkbrug.teams import actions as team_actions
from werkbrug.teams import meeting_actions
from werkbrug.teams.models import CaseReason, TeamKind
from werkbrug.trajectories.models import Trajectory


def case_team(demo: Steps) -> None:
    """The monthly ZoWeZo team (seed 000): two care partners, the arbeidscoach and GTB as fixed
    members, next month's meeting, one case discussed by name (with consent) and one anonymous."""
    admin, coach = demo.actors["admin"], demo.actors["coach.sara1"]
    team = team_actions.create_team(
        admin,
        name="ZoWeZo Antwerpen",
        kind=TeamKind.CASE_TEAM,
        organisation=coach.org,
        cadence="maandelijks, tweede dinsdag",
        default_place="SaRA, zaal 2",
    )
    for username in ("zorg.pz", "zorg.cgg", "coach.sara1", "coach.gtb"):
        team_actions.add_member(admin, team, user=demo.users[username])
    start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    meeting_actions.schedule_meeting(coach, team, starts_at=start + datetime.timedelta(days=16))
    open_sara = list(
        Trajectory.objects.filter(lead_organisation=coach.org, coach=coach.user, status="active").order_by(
            "pk"
        )[:2]
    )
    named, anonymous = open_sara
    client_actions.grant_consent(
        coach,
        named.client,
        purpose=ConsentPurpose.CASE_TEAM,
        recipient=team.organisation,
        categories=[DataCategory.TRAJECTORY],
        evidence=SIGNED,
    )
    team_actions.register_case(
        coach,
        team,
        named.client,
        reason=CaseReason.UNCLEAR_LEAD,
        question="Blijft de arbeidscoach trekker of neemt GTB het traject over?",
        trajectory=named,
    )
    team_actions.register_case(
        coach,
        team,
        anonymous.client,
        reason=CaseReason.RELAPSE,
        question="Terugval na de opstart; hoe houden we het werkdoel warm?",
        trajectory=anonymous,
    )
