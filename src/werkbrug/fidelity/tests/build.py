"""Known weeks and years for the fidelity tests, built with the ORM on the persona network."""

from __future__ import annotations

import datetime
from decimal import Decimal

from werkbrug.employers.models import ContactMode, ContactPlace, ContactPurpose, Employer, EmployerContact
from werkbrug.ips.models import Placement
from werkbrug.network.models import TrajectoryType, User
from werkbrug.testing import Network
from werkbrug.trajectories.models import Contact, ContactKind, Economy, Outcome, OutcomeKind, Trajectory

D = datetime.date


def ips_type() -> TrajectoryType:
    return TrajectoryType.objects.get(code="ips")


def ips(
    net: Network, started_on: datetime.date, *, coach: User | None = None, client=None, **fields
) -> Trajectory:
    """An IPS trajectory of SaRA, straight in the database (figures only read rows)."""
    if client is None:
        client = net.new_client()
    return Trajectory.objects.create(
        client=client,
        type=ips_type(),
        lead_organisation=net.sara,
        coach=coach or net.coach,
        started_on=started_on,
        **fields,
    )


def visible_ips(net: Network, started_on: datetime.date) -> Trajectory:
    """An IPS trajectory through the real flow, so that the coach and the coordinator see the client."""
    trajectory = net.trajectory()
    Trajectory.objects.filter(pk=trajectory.pk).update(type=ips_type(), started_on=started_on)
    trajectory.refresh_from_db()
    return trajectory


def employer(net: Network, name: str = "Bakkerij Peeters") -> Employer:
    return Employer.objects.create(name=name, created_by=net.coach)


def employer_contact(
    net: Network,
    on: datetime.date,
    *,
    coach: User | None = None,
    trajectory: Trajectory | None = None,
    mode: str = ContactMode.FACE_TO_FACE,
    place: str = ContactPlace.COMMUNITY,
    at: Employer | None = None,
) -> EmployerContact:
    return EmployerContact.objects.create(
        employer=at or employer(net),
        on=on,
        coach=coach or net.coach,
        organisation=net.sara,
        mode=mode,
        purpose=ContactPurpose.VACANCY,
        place=place,
        trajectory=trajectory,
    )


def placement(
    net: Network,
    trajectory: Trajectory,
    started_on: datetime.date,
    *,
    ended_on: datetime.date | None = None,
    competitive: bool = True,
    job_title: str = "Keukenhulp",
    job_type: str = "9",
    at: Employer | None = None,
    monthly: bool = True,
) -> Placement:
    outcome = Outcome.objects.create(
        trajectory=trajectory,
        kind=OutcomeKind.PAID_WORK,
        on=started_on,
        economy=Economy.NEC if competitive else Economy.SOCIAL,
        recorded_by=net.coach,
        organisation=net.sara,
    )
    return Placement.objects.create(
        trajectory=trajectory,
        employer=at or employer(net),
        job_title=job_title,
        job_type=job_type,
        started_on=started_on,
        hours_per_week=Decimal("19"),
        competitive=competitive,
        outcome=outcome,
        monthly_follow_along=monthly,
        ended_on=ended_on,
        end_reason="contract_ended" if ended_on else "",
        recorded_by=net.coach,
        organisation=net.sara,
    )


def contact(
    net: Network, trajectory: Trajectory, on: datetime.date, kind: str = ContactKind.FACE_TO_FACE
) -> Contact:
    return Contact.objects.create(
        trajectory=trajectory, on=on, kind=kind, recorded_by=net.coach, organisation=net.sara
    )
