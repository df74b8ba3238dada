"""The researcher's pages: the research export page (their agreements, a download per year they
cover, their earlier downloads) and the export itself. Only a researcher with an active data-access
agreement covering the year downloads; everyone else gets 404 (issue 12; docs/reports.md)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.reports import research
from werkbrug.reports.agreements import active_agreements
from werkbrug.reports.anonymity import K
from werkbrug.reports.forms import FIRST_YEAR
from werkbrug.reports.models import DataAccessAgreement

researcher_view = role_view(Role.RESEARCHER)
EXPORT_EVENT = "research_export"
# The response header that says how many lines were left out for k-anonymity.
SUPPRESSED_HEADER = "X-Suppressed-Rows"


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
        user=actor.user, organisation=actor.organisation, object_type=EXPORT_EVENT
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
    agreement = next((a for a in agreements if a.covers(year)), None)
    if agreement is None:
        # A year outside every agreement is as unknown as the export to anyone else.
        raise Http404
    result = research.export(year)
    audit.record(
        actor,
        AuditAction.EXPORT,
        agreement,
        client_id=None,
        object_type=EXPORT_EVENT,
        summary=_(
            "pseudonymised research export %(year)s under data-access agreement %(number)s "
            "(%(project)s): %(lines)s lines, %(suppressed)s left out for k-anonymity"
        )
        % {
            "year": year,
            "number": agreement.pk,
            "project": agreement.project,
            "lines": len(result.rows),
            "suppressed": result.suppressed,
        },
    )
    response = HttpResponse(research.csv_text(result.rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{download_name(_("werkbrug research export"), year, extension="csv")}"'
    )
    response["Cache-Control"] = "no-store, private"
    response[SUPPRESSED_HEADER] = str(result.suppressed)
    return response


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
