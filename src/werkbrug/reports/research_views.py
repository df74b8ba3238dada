"""The researcher's pages: the research export page (their agreements, a download per year they
cover, their earlier downloads), the request that prepares the export as a background job
(reports.tasks) and the old direct URL, which sends the researcher to that request. Only a researcher
with an active data-access agreement covering the year gets there; everyone else gets 404 (issue 12;
docs/reports.md)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from werkbrug.core.actionviews import action_view
from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditEvent
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.reports import research, tasks
from werkbrug.reports.agreements import active_agreements
from werkbrug.reports.anonymity import K
from werkbrug.reports.forms import FIRST_YEAR
from werkbrug.reports.models import DataAccessAgreement

researcher_view = role_view(Role.RESEARCHER)


class ExportYearForm(forms.Form):
    year = forms.IntegerField(label=_lazy("Year"), min_value=FIRST_YEAR)


# The export is prepared by a background job (reports.tasks); the page that follows it offers the
# file to this researcher only (jobs:prepared). The old direct URL (`export`) sends `?year=` here.
prepare_export = action_view(
    policy=researcher_view,
    form=lambda step: ExportYearForm(step.data, initial={"year": step.request.GET.get("year")}),
    run=lambda step, data: tasks.request_research_export(step.actor, data["year"]),
    success=_lazy("The export is being prepared."),
    done=lambda step, prepared: reverse("jobs:prepared", args=[prepared.pk]),
    title=_lazy("Pseudonymised research export"),
    submit_label=_lazy("Prepare the file"),
)


@researcher_view
def page(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    this_year = timezone.localdate().year
    active = [
        (agreement, list(range(max(agreement.from_year, FIRST_YEAR), min(agreement.to_year, this_year) + 1)))
        for agreement in active_agreements(actor)
    ]
    others = (
        DataAccessAgreement.objects.filter(researcher=actor.membership)
        .exclude(pk__in=[agreement.pk for agreement, _years in active])
        .order_by("-expires_on", "-pk")
    )
    downloads = AuditEvent.objects.filter(
        user=actor.user, organisation=actor.organisation, object_type=tasks.EXPORT_EVENT
    ).order_by("-at", "-pk")[:20]
    return render(
        request,
        "reports/research.html",
        {
            "active": active,
            "others": others,
            "downloads": downloads,
            "k": K,
        },
    )


@researcher_view
def export(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    agreements = active_agreements(actor)
    if not agreements:
        raise Http404
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    # ASCII digits only: str.isdigit() also accepts "²" or "٢", which int() refuses or reads.
    if not (raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= this_year:
        return HttpResponseBadRequest(
            _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": this_year},
            content_type="text/plain; charset=utf-8",
        )
    year = int(raw)
    if not any(agreement.covers(year) for agreement in agreements):
        # A year outside every agreement is as unknown as the export to anyone else.
        raise Http404
    # A file longer than a page request is prepared by a background job (docs/jobs.md, issue 14):
    # the old direct URL sends the researcher to the page that prepares it, with the year filled in.
    return redirect(f"{reverse('reports:research_prepare')}?{urlencode({'year': year})}")


@researcher_view
def codebook(request: HttpRequest) -> HttpResponse:
    """The export's codebook in the reader's language: stable column names and codes with their
    headers and labels (reports.research_codebook). For a researcher with an active agreement."""
    actor = Actor.from_request(request)
    if not active_agreements(actor):
        raise Http404
    response = HttpResponse(research.codebook_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{download_name(_("werkbrug research codebook"), extension="csv")}"'
    )
    return response
