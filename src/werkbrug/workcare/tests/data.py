"""Test data for work-care: a workshop at SaRA (the `net` personas' work organisation) and work-care
trajectories led by SaRA, coached by the SaRA coach."""

from __future__ import annotations

import datetime
from decimal import Decimal

from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import Network, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare import actions
from werkbrug.workcare.models import WorkCareAgreement, Workshop

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SEVEN = {
    "time_commitment": "Dinsdag en donderdag, 9-12 u.",
    "activities": "Twee halve dagen per week: houtbewerking, inpakken.",
    "place": "Atelier De Brug, Lange Lozanastraat 10, Antwerpen",
    "expense_allowance": "Vrijwilligersvergoeding € 3 per halve dag.",
    "arrangements": "Werkkledij en veiligheidsschoenen van het atelier; instructies bij de start.",
    "guidance": "Vaste begeleider; evaluatie na een maand, dan na drie maanden.",
    "ending": "Elk van beide partijen kan stoppen na een gesprek, met een week opzeg.",
}


def workshop(net: Network, name: str = "Atelier De Brug", fte: str = "20") -> Workshop:
    return actions.create_workshop(actor_for(net.coordinator), name=name, target_group_fte=Decimal(fte))


def workcare_trajectory(net: Network, **client: object) -> Trajectory:
    referral = net.refer(net.new_client(**client))
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    return trajectory_actions.accept_referral(
        actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code="arbeidszorg")
    )


def agreement(
    net: Network,
    trajectory: Trajectory,
    at: Workshop,
    *,
    starts_on: datetime.date = datetime.date(2026, 1, 1),
    complete: bool = True,
    **extra: object,
) -> WorkCareAgreement:
    fields: dict[str, object] = {
        "workshop": at,
        "form": "atelier",
        "aim": "onward",
        "starts_on": starts_on,
        **(SEVEN if complete else {}),
        **extra,
    }
    return actions.record_agreement(actor_for(net.coach), trajectory, **fields)
