"""The network admin's page of trajectory types (in the network settings, /network/trajectory-types/):
per type, whether it asks for a care partner on call (trajectories.care_partner). The pages live here,
not in network, because the rule is the trajectories' (CarePartnerType); others get 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.concurrency import digest, edited_by
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role, TrajectoryType
from werkbrug.trajectories.care_partner import asks_care_partner, set_care_partner_required
from werkbrug.trajectories.forms import CarePartnerRequiredForm
from werkbrug.trajectories.models import CarePartnerType

admin_view = role_view(Role.NETWORK_ADMIN)
SECTION = "trajectory_types"


@admin_view
def type_list(request: HttpRequest) -> HttpResponse:
    types = TrajectoryType.objects.annotate(
        asks_care_partner=Exists(CarePartnerType.objects.filter(type_id=OuterRef("pk")))
    ).order_by("name", "pk")
    return render(
        request, "trajectories/type_list.html", {"page": paginate(request, types), "section": SECTION}
    )


def _page(step: Step) -> dict[str, Any]:
    return {"section": SECTION, "crumbs": [(reverse("trajectory_types:list"), _("Trajectory types"))]}


def _changed(row: TrajectoryType) -> str:
    message = gettext(
        "%(who)s changed this setting at %(when)s. Check what it says now, then save again to overwrite it."
    )
    return edited_by(message, row)


care_partner = action_view(
    policy=admin_view,
    load=lambda step: get_object_or_404(TrajectoryType, pk=step.kwargs["pk"]),
    form=lambda step: CarePartnerRequiredForm(
        step.data, initial={"required": asks_care_partner(step.target)}
    ),
    run=lambda step, data: set_care_partner_required(step.actor, step.target, **data),
    success=_("The trajectory type was saved."),
    done=lambda step, changed: reverse("trajectory_types:list"),
    title=lambda step: _("Care partner on call for %(name)s") % {"name": step.target.name},
    intro=_(
        "A care partner on call is a care organisation that stays in the background of the trajectory, "
        "ready to step in at a relapse."
    ),
    template="network/form.html",
    context=_page,
    refused_status=200,
    # The page carries what it showed; a change by someone else in the meantime is refused, naming them.
    version=lambda row: digest(asks_care_partner(row)),
    changed=_changed,
)
