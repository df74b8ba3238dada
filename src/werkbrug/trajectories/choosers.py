"""The chooser of the handover form (core.choosers): the organisation a trajectory is handed to.
The form validates against this same queryset, so the search offers exactly what it accepts. (The
coach of the lead organisation is network.choosers' "coaches".)"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.network.models import Organisation, OrganisationKind


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


register(
    Chooser(
        name="handover_organisations",
        queryset=handover_organisations,
        search=("name",),
        noun=_("organisation"),
        order=("name", "pk"),
    )
)
