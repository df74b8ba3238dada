"""Zitdagen: the page of antenna points with who is there when (the next 4 weeks), recording a
trajectory contact held on a zitdag, and the trajectory page's panel of them (docs/outreach.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from werkbrug.clients.access import get_visible
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import digest
from werkbrug.core.forms import DateField
from werkbrug.core.policy import role_view
from werkbrug.outreach import zitdagen
from werkbrug.outreach.access import OUTREACH_ROLES
from werkbrug.outreach.models import Site
from werkbrug.trajectories.models import ContactKind, Trajectory

ZITDAG_KINDS = [
    (k.value, k.label) for k in (ContactKind.FACE_TO_FACE, ContactKind.THREE_WAY, ContactKind.PHONE)
]


@role_view(*OUTREACH_ROLES)
@require_safe
def zitdag_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    today = timezone.localdate()
    rows = zitdagen.schedule(actor, today)
    until = today + datetime.timedelta(days=7 * zitdagen.WEEKS_AHEAD - 1)
    return render(request, "outreach/zitdagen.html", {"rows": rows, "today": today, "until": until})


class ZitdagContactForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Antenna point"), queryset=Site.objects.none())
    on = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ZITDAG_KINDS)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, required=False
    )
    note = forms.CharField(label=_("Short note"), max_length=500, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A small, fixed list: an organisation's antenna points (a handful), so a select.
        self.fields["site"].queryset = zitdagen.antenna_points(actor).order_by("name")  # type: ignore[attr-defined]


def _trajectory(step: Step) -> Trajectory:
    """Through clients.access: a trajectory the actor's organisation takes part in, else 404."""
    return get_visible(
        step.actor,
        Trajectory.objects.for_organisation(step.actor.organisation).select_related("client", "type"),
        step.kwargs["pk"],
    )


def _page(step: Step) -> dict[str, Any]:
    detail = reverse("trajectories:detail", args=[step.target.pk])
    return {"back": detail, "back_label": gettext("Back to the trajectory")}


zitdag_contact = action_view(
    policy=role_view(*OUTREACH_ROLES),
    load=_trajectory,
    form=lambda step: ZitdagContactForm(step.data, actor=step.actor, initial={"on": timezone.localdate()}),
    run=lambda step, data: zitdagen.record_zitdag_contact(step.actor, step.target, **data),
    success=_("The contact was recorded, with the zitdag where it took place."),
    done=lambda step, contact: reverse("trajectories:detail", args=[step.target.pk]),
    title=_("Record a contact on a zitdag"),
    context=_page,
    # A repeated POST (a double click, the back button) finds another contact count.
    version=lambda trajectory: digest(trajectory.contacts.count()),
    changed=lambda trajectory: gettext(
        "Someone recorded a contact on this trajectory since you opened the form. Look at it first."
    ),
)


def trajectory_panel(actor: Actor, trajectory: Any, today: datetime.date) -> dict[str, Any] | None:
    """The zitdag contacts of the trajectory and, for a coach whose organisation has antenna points,
    the link to record one. Two queries."""
    if trajectory is None or actor.role not in OUTREACH_ROLES:
        return None
    places = zitdagen.trajectory_places(actor, trajectory)
    may_record = trajectory.is_open and zitdagen.has_antenna_points(actor)
    if not places and not may_record:
        return None
    return {"places": places, "may_record": may_record, "trajectory": trajectory}
