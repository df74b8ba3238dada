"""Who may do what with employers, and which clients may be named to them.

Employers, their contact persons and openings are network data: every client role reads them
(coach, coordinator, screener, care professional); coaches and coordinators write them. Anyone else
(funder, privacy officer, researcher, network admin) gets 404 on every employer page.

A contact or an introduction that names a client is client data. It is shown only when the actor
may see that trajectory (`clients.access.scope` over `Trajectory.objects.for_organisation`), and it
is written only when the actor is on the trajectory's team and the client has an active consent for
employer contact that names the actor's organisation.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core.actor import Actor
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.trajectories.access import team_trajectories
from werkbrug.trajectories.models import Trajectory

READ_ROLES = (Role.COACH, Role.COORDINATOR, Role.SCREENER, Role.CARE_PROFESSIONAL)
WRITE_ROLES = (Role.COACH, Role.COORDINATOR)
# Trajectory types whose page carries the job development panel (network/defaults.py).
IPS_TYPES = ("ips", "dcm")
IPS = "ips"

employer_reader = role_view(*READ_ROLES)
employer_writer = role_view(*WRITE_ROLES)


def may_write(actor: Actor) -> bool:
    return actor.role in WRITE_ROLES


def employer_consent_q(actor: Actor, client_ref: str = "client_id") -> Exists:
    """An expression (on trajectories, by default): the client consents today to being named to
    employers by the actor's organisation."""
    return Exists(
        Consent.objects.active(timezone.localdate()).filter(
            client_id=OuterRef(client_ref),
            recipient=actor.organisation,
            purpose=ConsentPurpose.EMPLOYER_CONTACT,
        )
    )


def has_employer_consent(actor: Actor, trajectory: Trajectory) -> bool:
    if actor.organisation is None:
        return False
    return (
        Consent.objects.active(timezone.localdate())
        .filter(
            client_id=trajectory.client_id,
            recipient=actor.organisation,
            purpose=ConsentPurpose.EMPLOYER_CONTACT,
        )
        .exists()
    )


def visible_trajectories(actor: Actor, ids: Iterable[int | None]) -> dict[int, Trajectory]:
    """Of these trajectories, the ones the actor may see, with their client: one query."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted or actor.organisation is None:
        return {}
    rows = team_trajectories(actor).filter(pk__in=wanted).select_related("client")
    return {t.pk: t for t in rows}
