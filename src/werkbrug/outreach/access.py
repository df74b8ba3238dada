"""Who sees what of the outreach area (docs/outreach.md).

A site is the network data of the organisation that runs it: its coaches and coordinators see the
site, its recruitment, its agreement, its hours and the people who booked there; anyone else,
funders and other organisations' coaches included, gets 404. Bookings and appointments name a
person (a first name, a phone number or an e-mail address), so they are read only through here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from werkbrug.clients.access import get_visible, scope
from werkbrug.clients.models import Client
from werkbrug.core.actor import Actor
from werkbrug.network.models import Membership, Role, User
from werkbrug.outreach.models import (
    Appointment,
    Booking,
    Hours,
    InfoSession,
    OnwardReferral,
    Path,
    Project,
    Site,
)

OUTREACH_ROLES = (Role.COACH, Role.COORDINATOR)


def visible_sites(actor: Actor) -> QuerySet[Site]:
    if actor.organisation is None or actor.role not in OUTREACH_ROLES:
        return Site.objects.none()
    return Site.objects.filter(run_by=actor.organisation)


def get_site(actor: Actor, pk: int) -> Site:
    return get_object_or_404(visible_sites(actor).select_related("host", "subregion", "run_by"), pk=pk)


def visible_hours(actor: Actor) -> QuerySet[Hours]:
    return Hours.objects.filter(site__in=visible_sites(actor))


def visible_appointments(actor: Actor) -> QuerySet[Appointment]:
    return Appointment.objects.filter(hours__site__in=visible_sites(actor))


def visible_bookings(actor: Actor) -> QuerySet[Booking]:
    return Booking.objects.filter(site__in=visible_sites(actor))


def site_coaches(site: Site) -> QuerySet[User]:
    """The coaches who may hold hours at the site: active coaches of the organisation running it."""
    return User.objects.filter(
        memberships__organisation_id=site.run_by_id,
        memberships__role=Role.COACH,
        memberships__is_active=True,
    ).distinct()


def is_coach_of(user: User, site: Site) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=site.run_by_id, role=Role.COACH, is_active=True
    ).exists()


# --- part 2: paths, sessions, projects -----------------------------------------------------------


def visible_sessions(actor: Actor) -> QuerySet[InfoSession]:
    return InfoSession.objects.filter(site__in=visible_sites(actor))


def visible_paths(actor: Actor) -> QuerySet[Path]:
    """The paths at the actor's sites. A path of a person with a client file is read through
    clients.access: without involvement and consent for this organisation, it is not there."""
    clients = scope(actor, Client.objects.all(), "")
    return Path.objects.filter(site__in=visible_sites(actor)).filter(
        Q(client__isnull=True) | Q(client__in=clients.values("pk"))
    )


def get_path(actor: Actor, pk: int) -> Path:
    path = get_object_or_404(visible_paths(actor).select_related("site", "coach", "client"), pk=pk)
    if path.client_id is not None:
        # The audit's "view" row for the client file, as every detail page writes it.
        get_visible(actor, Path.objects.filter(pk=path.pk), path.pk)
    return path


def visible_referrals(actor: Actor) -> QuerySet[OnwardReferral]:
    return OnwardReferral.objects.filter(path__in=visible_paths(actor))


def visible_projects(actor: Actor) -> QuerySet[Project]:
    if actor.organisation is None or actor.role not in OUTREACH_ROLES:
        return Project.objects.none()
    return Project.objects.filter(run_by=actor.organisation)


def get_project(actor: Actor, pk: int) -> Project:
    return get_object_or_404(visible_projects(actor), pk=pk)
