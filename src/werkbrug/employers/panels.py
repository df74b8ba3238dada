"""The employers area's sections on the trajectory page and the coach's caseload
(trajectories.panels): the job development contacts about an IPS or DCM client with the 30-day clock,
and the coach's IPS clients still waiting for a first employer contact."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from werkbrug.clients.access import scope
from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.employers.access import IPS, IPS_TYPES, has_employer_consent, may_write
from werkbrug.employers.models import EmployerContact, Introduction
from werkbrug.employers.week import days_left, first_contact_due
from werkbrug.network.models import Role
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.panels import Panel, register_caseload_panel, register_trajectory_panel

PANEL_CONTACTS = 20


def clock(
    started_on: datetime.date, first_contact_on: datetime.date | None, today: datetime.date
) -> dict[str, Any]:
    """The 30-day clock of one IPS client: met (and on which day), or the days left (negative:
    overdue)."""
    due = first_contact_due(started_on)
    if first_contact_on is not None:
        return {"due": due, "met_on": first_contact_on, "in_time": first_contact_on <= due}
    left = days_left(started_on, today)
    return {"due": due, "left": left, "overdue": -left if left < 0 else 0}


def trajectory_panel(actor: Actor, trajectory: Trajectory, today: datetime.date) -> dict[str, Any] | None:
    """Shown on IPS and DCM trajectories; the page already read the trajectory through
    clients.access and Trajectory.objects.for_organisation (the trajectory team). Four queries."""
    if trajectory.type.code not in IPS_TYPES:
        return None
    about = EmployerContact.objects.filter(trajectory=trajectory)
    contacts = list(about.select_related("employer", "coach")[:PANEL_CONTACTS])
    first = about.order_by("on").values_list("on", flat=True).first()
    return {
        "trajectory": trajectory,
        "contacts": contacts,
        "introductions": list(
            Introduction.objects.filter(trajectory=trajectory).select_related("opening__employer")
        ),
        "clock": clock(trajectory.started_on, first, today) if trajectory.type.code == IPS else None,
        "consent": has_employer_consent(actor, trajectory),
        "may_log": may_write(actor) and trajectory.is_open,
    }


def caseload_panel(actor: Actor, subject: Any, today: datetime.date) -> dict[str, Any] | None:
    """The coach's open IPS clients without an employer contact yet, most urgent first: one query."""
    if actor.role != Role.COACH or actor.organisation is None:
        return None
    organisation = actor.organisation

    def waiting() -> QuerySet[Trajectory]:
        waiting = (
            Trajectory.objects.for_organisation(organisation)
            .open()
            .filter(coach=actor.user, type__code=IPS)
            .filter(~Exists(EmployerContact.objects.filter(trajectory=OuterRef("pk"))))
        )
        return scope(actor, waiting, "client").select_related("client").order_by("started_on", "pk")

    # Built once per membership and day, run on every caseload (core.statements).
    rows = statements.objects(statements.actor_key("first employer contact", actor), waiting)
    if not rows:
        return None
    return {"rows": [{"trajectory": t, "clock": clock(t.started_on, None, today)} for t in rows]}


def register() -> None:
    register_trajectory_panel(
        Panel("employer-contacts", "employers/_trajectory_panel.html", trajectory_panel)
    )
    register_caseload_panel(Panel("first-employer-contact", "employers/_caseload_panel.html", caseload_panel))
