"""Report pages: the list of reports the acting role may run, and one report in any format."""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.reports import shared
from werkbrug.reports.formats import DOWNLOADS, context, without_pages
from werkbrug.reports.forms import ReportParamsForm
from werkbrug.reports.framework import REGISTRY, available_reports

REPORT_ROLES = (Role.FUNDER, Role.COORDINATOR)


@role_view(*REPORT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    return render(
        request,
        "reports/index.html",
        {"reports": available_reports(actor), "research_export": actor.role == Role.FUNDER},
    )


@role_view(*REPORT_ROLES)
def report(request: HttpRequest, slug: str) -> HttpResponse:
    actor = Actor.from_request(request)
    report_class = REGISTRY.get(slug)
    if report_class is None or not report_class.is_available_to(actor):
        raise Http404
    form = ReportParamsForm(report_class, actor, request.GET or None)
    fmt = request.GET.get("format", "html")
    if fmt != "html" and fmt not in DOWNLOADS:
        raise Http404
    if form.is_bound and not form.is_valid():
        if fmt != "html":
            return HttpResponseBadRequest(
                "\n".join(str(e) for errors in form.errors.values() for e in errors),
                content_type="text/plain",
            )
        return render(request, "reports/report.html", {"report": report_class, "form": form, "result": None})
    params = form.params()
    result = shared.run(report_class(), actor, params, now=timezone.now())
    if fmt != "html":
        # Who downloaded which figures: aggregates only, but a trail all the same.
        audit.record(
            actor,
            AuditAction.EXPORT,
            None,
            client_id=None,
            object_type="report",
            summary=_("report %(slug)s (%(fmt)s) %(start)s - %(end)s")
            % {"slug": slug, "fmt": fmt, "start": params.start, "end": params.end},
        )
        return DOWNLOADS[fmt](result, request)
    query = without_pages(request.GET)
    query.pop("format", None)
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            **context(result, request.GET),
            "query": query.urlencode(),
            "formats": list(DOWNLOADS),
            "may_publish": report_class.may_publish(actor),
            # A funder's shared figures: from when they are, and how often they are counted again.
            "shared_from": result.data_as_of or result.generated_at,
            "shared_minutes": math.ceil(result.shared_seconds / 60),
        },
    )
