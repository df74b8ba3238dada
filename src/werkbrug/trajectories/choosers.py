"""The choosers of the trajectory forms (core.choosers): the organisation a trajectory is handed
to, and the coach of the organisation that leads it. The forms validate against these same
querysets, so the search offers exactly what the form accepts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.network.models import Membership, Organisation, OrganisationKind, Role, User


def handover_organisations_from(lead_id: int) -> QuerySet[Any]:
    """Where the lead organisation may hand a trajectory: an active work or care organisation other
    than itself."""
    return Organisation.objects.filter(
        is_active=True, kind__in=(OrganisationKind.WORK, OrganisationKind.CARE)
    ).exclude(pk=lead_id)


def handover_organisations(actor: Actor) -> QuerySet[Any]:
    """Only the lead hands over, so the actor's organisation is the lead."""
    if actor.organisation is None:
        return Organisation.objects.none()
    return handover_organisations_from(actor.organisation.pk)


def coaches_of_organisation(organisation_id: int) -> QuerySet[Any]:
    """The users with an active coach membership at this organisation."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            organisation_id=organisation_id, role=Role.COACH, is_active=True
        ).values("user_id")
    )


def own_coaches(actor: Actor) -> QuerySet[Any]:
    """The coaches of the actor's own organisation (a coordinator assigns one of them)."""
    if actor.organisation is None:
        return User.objects.none()
    return coaches_of_organisation(actor.organisation.pk)


register(
    Chooser(
        name="handover_organisations",
        queryset=handover_organisations,
        search=("name",),
        noun=_("organisation"),
        order=("name", "pk"),
    )
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
