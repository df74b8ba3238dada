"""Who sees what of the outreach area (docs/outreach.md).

A site is the network data of the organisation that runs it: its coaches and coordinators see the
site, its recruitment, its agreement, its hours and the people who booked there; anyone else,
funders and other organisations' coaches included, gets 404. Bookings and appointments name a
person (a first name, a phone number or an e-mail address), so they are read only through here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from werkbrug.core.actor import Actor
from werkbrug.network.models import Membership, Role, User
from werkbrug.outreach.models import Appointment, Booking, Hours, Site

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
