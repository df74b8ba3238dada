"""The choosers over the network's own rows (core.choosers): referral lines, the coaches of an
organisation, and organisations for the network admin. The forms that use them validate against
these same querysets, so the search offers exactly what the form accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.network.models import Membership, Organisation, OrganisationKind, ReferralLine, Role, User


def coaches_of_organisation(organisation_id: int) -> QuerySet[Any]:
    """The users with an active coach membership at this organisation."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation_id=organisation_id, role=Role.COACH, is_active=True
        ).values("user_id")
    )


def own_coaches(actor: Actor) -> QuerySet[Any]:
    """The coaches of the actor's own organisation: a coordinator changes a trajectory's coach, a
    screener assigns a referral of the organisation's line, always within the organisation."""
    if actor.organisation is None:
        return User.objects.none()
    return coaches_of_organisation(actor.organisation.pk)


def active_lines() -> QuerySet[Any]:
    """The lines a referral can be sent or redirected to: active, of an active organisation."""
    return ReferralLine.objects.filter(is_active=True, organisation__is_active=True).select_related(
        "organisation"
    )


def organisations(actor: Actor) -> QuerySet[Any]:
    """Every active organisation (the network admin's forms; a form may add the one already set)."""
    return Organisation.objects.filter(is_active=True)


def work_and_care_organisations() -> QuerySet[Organisation]:
    """Active work and care organisations: where a trajectory can be handed, and the services a case
    team's decision can name as the lead."""
    return Organisation.objects.filter(
        is_active=True, kind__in=(OrganisationKind.WORK, OrganisationKind.CARE)
    )


def organisation_chooser(name: str, queryset: Callable[[Actor], QuerySet[Any]], **extra: Any) -> Chooser:
    """A chooser over organisations: searched and listed by name."""
    return Chooser(
        name=name, queryset=queryset, search=("name",), noun=_("organisation"), order=("name", "pk"), **extra
    )


register(
    Chooser(
        name="coaches",
        queryset=own_coaches,
        search=("first_name", "last_name", "username"),
        noun=_("coach"),
        order=("last_name", "first_name", "pk"),
    )
)
register(
    Chooser(
        name="referral_lines",
        queryset=lambda actor: active_lines(),
        search=("name", "organisation__name"),
        noun=_("referral line"),
        order=("name", "pk"),
    )
)
register(organisation_chooser("organisations", organisations, roles=frozenset({Role.NETWORK_ADMIN})))
# The same organisations for everyone else (a team's host, a guest's organisation).
register(organisation_chooser("active_organisations", organisations))
