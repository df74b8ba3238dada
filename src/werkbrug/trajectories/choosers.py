"""The chooser of the handover form (core.choosers): the organisation a trajectory is handed to.
The form validates against this same queryset, so the search offers exactly what it accepts. (The
coach of the lead organisation is network.choosers' "coaches".)"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import register
from werkbrug.network.choosers import organisation_chooser, work_and_care_organisations
from werkbrug.network.models import Organisation


def handover_organisations_from(lead_id: int) -> QuerySet[Any]:
    """Where the lead organisation may hand a trajectory: an active work or care organisation other
    than itself."""
    return work_and_care_organisations().exclude(pk=lead_id)


def handover_organisations(actor: Actor) -> QuerySet[Any]:
    """Only the lead hands over, so the actor's organisation is the lead."""
    if actor.organisation is None:
        return Organisation.objects.none()
    return handover_organisations_from(actor.organisation.pk)


register(organisation_chooser("handover_organisations", handover_organisations))
