"""The coach's week of employer contacts, and the coordinator's view of all coaches of the
organisation for a week with the weekly review ticked off."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.policy import role_view
from werkbrug.employers import actions
from werkbrug.employers.access import employer_writer
from werkbrug.employers.forms import ButtonForm, WeekForm
from werkbrug.employers.models import EmployerContact
from werkbrug.employers.views import named_contacts
from werkbrug.employers.week import (
    FACE_TO_FACE_TARGET,
    share,
    week_counts,
    week_days,
    week_start,
)
from werkbrug.network.models import Role, User

WEEK_CONTACTS = 200  # a week holds a few dozen at most; the cap keeps the page bounded


def chosen_week(request: HttpRequest) -> tuple[WeekForm, datetime.date]:
    form = WeekForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["week"]:
        day = form.cleaned_data["week"]
    return form, week_start(day)


def _week_url(start: datetime.date) -> str:
    return f"{reverse('employers:week')}?week={start.isoformat()}"


@employer_writer
@lists_clients("employers:week")
def week(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form, start = chosen_week(request)
    first, last = week_days(start)
    page: dict[str, Any] = {
        "form": form,
        "start": start,
        "end": last,
        "previous": _week_url(start - datetime.timedelta(days=7)),
        "next": _week_url(start + datetime.timedelta(days=7)),
        "target": FACE_TO_FACE_TARGET,
    }
    if actor.role == Role.COORDINATOR:
        page["counts"] = week_counts(actor.org, start)
        return render(request, "employers/team_week.html", page)
    contacts = list(
        EmployerContact.objects.filter(coach=actor.user, on__range=(first, last))
        .select_related("employer", "organisation", "coach")
        .order_by("on", "pk")[:WEEK_CONTACTS]
    )
    face_to_face = sum(1 for c in contacts if c.mode == "face_to_face")
    community = sum(1 for c in contacts if c.place == "community")
    page.update(
        contacts=named_contacts(actor, contacts),
        face_to_face=face_to_face,
        community_share=share(community, len(contacts)),
        target_met=face_to_face >= FACE_TO_FACE_TARGET,
        missing=max(FACE_TO_FACE_TARGET - face_to_face, 0),
    )
    return render(request, "employers/week.html", page)


def _coach(step: Step) -> User:
    """A coach of the coordinator's organisation; 404 for anyone else."""
    coach = User.objects.filter(
        pk=step.kwargs["coach"],
        memberships__organisation=step.actor.organisation,
        memberships__role=Role.COACH,
    ).first()
    if coach is None:
        raise Http404
    return coach


def _review_week(step: Step) -> datetime.date:
    try:
        return week_start(datetime.date.fromisoformat(step.request.POST.get("week", "")))
    except ValueError as exc:
        raise Http404 from exc


def _reviewed(step: Step, result: Any) -> HttpResponse:
    review, created = result
    if not created:
        messages.info(step.request, _("This week was already reviewed."))
    return redirect(_week_url(review.week_start))


def _review_refused(step: Step) -> HttpResponse:
    for error in step.form.non_field_errors():
        messages.error(step.request, str(error))
    return redirect(reverse("employers:week"))


review = action_view(
    policy=role_view(Role.COORDINATOR),
    load=_coach,
    form=lambda step: ButtonForm(step.data),
    run=lambda step, data: actions.tick_review(step.actor, step.target, _review_week(step)),
    success=_("The week is ticked off as reviewed."),
    done=_reviewed,
    refused=_review_refused,
    post_only=True,
)
