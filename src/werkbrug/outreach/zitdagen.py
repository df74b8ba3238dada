"""Zitdagen at antenna points (issue 18 point 5, seed 000 L260-276; docs/outreach.md).

An antenna point is a `Site` of kind "antenna point"; its zitdag schedule is its consultation
`Hours`, whose coach is who is there. A contact held on a zitdag is a normal trajectory contact
(`trajectories.actions.record_contact`) plus a `ContactPlace` row saying where it took place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from werkbrug.clients.access import visible_notes
from werkbrug.core import audit, statements
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import User
from werkbrug.outreach.access import visible_sites
from werkbrug.outreach.models import CancelledDate, ContactPlace, Hours, Site, SiteKind
from werkbrug.outreach.schedule import dates
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Contact, Trajectory

WEEKS_AHEAD = 4


def antenna_points(actor: Actor) -> QuerySet[Site]:
    return visible_sites(actor).filter(kind=SiteKind.ANTENNA)


@dataclass
class Zitdag:
    on: datetime.date
    hours: Hours
    coach: User
    cancelled: bool


def schedule(actor: Actor, today: datetime.date, weeks: int = WEEKS_AHEAD) -> list[tuple[Site, list[Zitdag]]]:
    """Per antenna point, its zitdagen from today for `weeks` weeks: who is there when. Three
    queries, whatever the number of points and hours."""
    end = today + datetime.timedelta(days=7 * weeks - 1)
    sites = list(antenna_points(actor).order_by("name", "pk"))
    hours_rows = list(
        Hours.objects.filter(site__in=sites, valid_from__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("coach")
    )
    cancelled = set(
        CancelledDate.objects.filter(hours__in=hours_rows, on__range=(today, end)).values_list(
            "hours_id", "on"
        )
    )
    per_site: dict[int, list[Zitdag]] = {site.pk: [] for site in sites}
    for hours in hours_rows:
        for on in dates(hours, today, end):
            per_site[hours.site_id].append(Zitdag(on, hours, hours.coach, (hours.pk, on) in cancelled))
    for days in per_site.values():
        days.sort(key=lambda z: (z.on, z.hours.starts_at, z.hours.pk))
    return [(site, per_site[site.pk]) for site in sites]


def held_on(site: Site, on: datetime.date) -> bool:
    """Whether the antenna point had a zitdag that day (by its hours, not cancelled)."""
    hours_rows = list(
        site.hours.filter(valid_from__lte=on).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )
    cancelled = set(
        CancelledDate.objects.filter(hours__in=hours_rows, on=on).values_list("hours_id", flat=True)
    )
    return any(h.pk not in cancelled and any(True for _d in dates(h, on, on)) for h in hours_rows)


@transaction.atomic
def record_zitdag_contact(
    actor: Actor,
    trajectory: Trajectory,
    *,
    site: Site,
    on: datetime.date,
    kind: str,
    duration_minutes: int | None = None,
    note: str = "",
) -> Contact:
    """A contact held on a zitdag: the trajectory's contact (its own rules: a contributor, an open
    trajectory, not in the future) and where it took place."""
    if not antenna_points(actor).filter(pk=site.pk).exists():
        raise DomainError(_("Choose an antenna point of your organisation."), field="site")
    if not held_on(site, on):
        raise DomainError(_("There was no zitdag at %(site)s on that day.") % {"site": site.name}, field="on")
    contact = trajectory_actions.record_contact(
        actor, trajectory, on=on, kind=kind, duration_minutes=duration_minutes, note=note
    )
    ContactPlace.objects.create(contact=contact, site=site)
    audit.record(
        actor,
        AuditAction.UPDATE,
        trajectory,
        client_id=trajectory.client_id,
        summary=f"contact at zitdag {site.pk}",
    )
    return contact


def contact_places(actor: Actor, trajectory_id: int) -> QuerySet[ContactPlace]:
    """The zitdag contacts of a trajectory already read through clients.access (care notes stay with
    care partners, as on the trajectory page)."""
    contacts = visible_notes(actor, Contact.objects.filter(trajectory_id=trajectory_id))
    return ContactPlace.objects.filter(contact__in=contacts).select_related("contact", "site")


def trajectory_places(actor: Actor, trajectory: Trajectory) -> list[ContactPlace]:
    """`contact_places()`, with the statement built once per membership and day for every trajectory
    and run on every call (core.statements: the trajectory page's panel)."""
    return statements.objects(
        (*statements.actor_key("zitdag contacts", actor), actor.in_care_organisation),
        lambda: contact_places(actor, statements.BOUND),
        bound=trajectory.pk,
    )


def has_antenna_points(actor: Actor) -> bool:
    """Whether the actor may record a contact on a zitdag at all: `antenna_points()` has a row, with
    the statement built once per membership and day."""
    return bool(
        statements.rows(
            statements.actor_key("antenna points", actor), lambda: antenna_points(actor).values("pk")[:1]
        )
    )
