"""The privacy officer's pages: find a client, check it is the right person, record the erasure
request and erase (docs/privacy.md). Only a privacy officer reaches them (others get 404); they
show no name and no national register number, and the privacy officer sees no client file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.privacy import actions
from werkbrug.privacy.forms import ErasureForm, FindClientForm
from werkbrug.privacy.models import ErasureRequest

officer_view = role_view(Role.PRIVACY_OFFICER)


@officer_view
def index(request: HttpRequest) -> HttpResponse:
    """The search (a GET form: finding writes only its audit row) and the requests handled so far."""
    actor = Actor.from_request(request)
    form = FindClientForm(request.GET if ("insz" in request.GET or "number" in request.GET) else None)
    summary, searched = None, False
    if form.is_bound and form.is_valid():
        searched = True
        found = actions.find_client(
            actor, insz=form.cleaned_data["insz"], number=form.cleaned_data.get("number")
        )
        summary = actions.summarise(found) if found is not None else None
    requests = ErasureRequest.objects.select_related("recorded_by", "recorded_by_organisation")
    return render(
        request,
        "privacy/index.html",
        {"form": form, "summary": summary, "searched": searched, "page": paginate(request, requests)},
    )


def _page(step: Step) -> dict[str, Any]:
    return {
        "crumbs": [(reverse("privacy:index"), _("Erasure"))],
        "back": reverse("privacy:index"),
        "summary": actions.summarise(step.target),
    }


erase = action_view(
    policy=officer_view,
    load=lambda step: actions.client_for_erasure(step.actor, step.kwargs["pk"]),
    form=ErasureForm,
    run=lambda step, data: actions.erase_client(
        step.actor,
        step.target,
        request=ErasureRequest(
            received_on=data["received_on"], requested_by=data["requested_by"], reason=data["reason"]
        ),
    ),
    success=lambda step: _("The data of client %(number)s was erased.") % {"number": step.target.pk},
    done=lambda step, result: reverse("privacy:index"),
    title=lambda step: _("Erase the data of client %(number)s") % {"number": step.kwargs["pk"]},
    submit_label=_("Erase"),
    intro=_(
        "Erasing removes the name, contact details, national register number and every text written "
        "about the person, and deletes the signed consent forms. The anonymous facts the reports "
        "count stay: gender, birth year, sub-region, dates, types, statuses and outcomes."
    ),
    confirm=_("Erase this client's data for good? This cannot be undone."),
    template="privacy/erase.html",
    context=_page,
    refused_status=200,
)
