"""Builders for the employers tests: valid enterprise numbers computed here (97 - n % 97), IPS
trajectories, and the client's consent for employer contact, all through the actions."""

from __future__ import annotations

import datetime

from werkbrug.clients.actions import grant_consent
from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.employers import actions
from werkbrug.employers.models import Employer, EmployerContact, Opening
from werkbrug.network.models import TrajectoryType, User
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import SIGNED, Network, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory


def kbo(first_eight: int) -> str:
    """A valid enterprise number: eight digits and, as the last two, 97 minus them modulo 97."""
    check = 97 - first_eight % 97
    return f"{first_eight:08d}{check:02d}"


def ips_trajectory(
    net: Network, client: Client | None = None, *, code: str = "ips", coach: User | None = None
) -> Trajectory:
    """A client referred by the hospital to the SaRA line and accepted as an IPS (or DCM) trajectory."""
    referral = net.refer(client or net.new_client())
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=coach or net.coach)
    return trajectory_actions.accept_referral(
        actor_for(coach or net.coach), referral, trajectory_type=TrajectoryType.objects.get(code=code)
    )


def employer_consent(net: Network, client: Client, by: User | None = None) -> Consent:
    """The client agrees that SaRA (the coach's organisation) names them to employers."""
    return grant_consent(
        actor_for(by or net.coach),
        client,
        purpose=ConsentPurpose.EMPLOYER_CONTACT,
        recipient=net.sara,
        categories=[],
        evidence=SIGNED,
    )


def employer(
    net: Network, name: str = "Bakkerij Janssens", number: int | None = 12345678, **fields: object
) -> Employer:
    values: dict[str, object] = {"name": name, "municipality": "Antwerpen", "sector": "I"}
    values.update(fields)
    return actions.create_employer(
        actor_for(net.coach), Employer(enterprise_number=kbo(number) if number is not None else "", **values)
    )


def contact(
    net: Network, employer: Employer, *, on: datetime.date, by: User | None = None, **fields: object
) -> EmployerContact:
    values: dict[str, object] = {"mode": "face_to_face", "purpose": "getting_to_know", "place": "community"}
    values.update(fields)
    return actions.log_contact(actor_for(by or net.coach), employer, on=on, **values)  # type: ignore[arg-type]


def opening(net: Network, employer: Employer, title: str = "Hulp in de bakkerij") -> Opening:
    return actions.add_opening(
        actor_for(net.coach), employer, Opening(title=title, job_type="9", hours_per_week=19)
    )
