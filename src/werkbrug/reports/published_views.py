"""Published reports: publishing one (a coordinator, with a confirmation), the list, and one published
report in any format with its revisions. Who sees which is `publication.visible_to`; others get 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import audit
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.reports import publication
from werkbrug.reports.formats import DOWNLOADS, context
from werkbrug.reports.forms import ReportParamsForm
from werkbrug.reports.framework import REGISTRY, Params, Report
from werkbrug.reports.models import PublicationStatus, PublishedReport

report_roles = role_view(Role.FUNDER, Role.COORDINATOR)
# How often the page of a report being published reloads itself (Refresh header, no script), as the
# prepared downloads' progress page does (jobs.views).
REFRESH_SECONDS = 2


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I publish these figures: they are stored as they are now and cannot change."),
        error_messages={"required": gettext_lazy("Confirm that you publish the report.")},
    )


def _load(step: Step) -> tuple[type[Report], Params]:
    """The report and the parameters of the page the coordinator came from (its query string)."""
    report_class = REGISTRY.get(step.kwargs["slug"])
    if report_class is None or not report_class.may_publish(step.actor):
        raise Http404
    form = ReportParamsForm(report_class, step.actor, step.request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404
    return report_class, form.params()


def _describe(step: Step) -> str:
    report_class, params = step.target
    lines = [str(report_class.title), *(f"{label}: {value}" for label, value in params.describe())]
    lines.append(_("Definition") + f": {report_class.definition} ({report_class.definition_note})")
    return "\n".join(lines)


def _page(step: Step) -> dict[str, Any]:
    report_class, _params = step.target
    back = reverse("reports:report", args=[report_class.slug]) + "?" + step.request.GET.urlencode()
    return {
        "crumbs": [(reverse("reports:index"), _("Reports")), (back, report_class.title)],
        "back": back,
    }


publish = action_view(
    policy=report_roles,
    load=_load,
    form=PublishForm,
    run=lambda step, data: publication.publish_report(step.actor, *step.target),
    success=gettext_lazy("The report is published: its figures are counted and stored in the background."),
    done=lambda step, published: reverse("reports:published", args=[published.pk]),
    context=_page,
    title=gettext_lazy("Publish the report"),
    intro=_describe,
    submit_label=gettext_lazy("Publish"),
    confirm=gettext_lazy("Publish this report? It cannot be changed or deleted afterwards."),
    refused_status=200,
)


@report_roles
def published_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    rows = publication.visible_to(actor)
    return render(
        request,
        "reports/published_list.html",
        {"page": paginate(request, rows), "titles": {slug: r.title for slug, r in REGISTRY.items()}},
    )


@report_roles
def published(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    row = get_object_or_404(publication.visible_to(actor), pk=pk)
    fmt = request.GET.get("format", "html")
    if fmt != "html" and fmt not in DOWNLOADS:
        raise Http404
    if row.status == PublicationStatus.PENDING:
        return _pending(request, row)
    if row.status == PublicationStatus.FAILED:
        return _failed(request, actor, row)
    result = publication.stored_result(row, actor)
    if fmt != "html":
        audit.record(
            actor,
            AuditAction.EXPORT,
            row,
            client_id=None,
            summary=_("published report %(number)s (%(fmt)s)") % {"number": row.pk, "fmt": fmt},
        )
        return DOWNLOADS[fmt](result, request)
    return render(
        request,
        "reports/published.html",
        {
            **context(result, request.GET),
            "published": row,
            "revisions": publication.revisions(row, actor),
            "formats": list(DOWNLOADS),
        },
    )


def _pending(request: HttpRequest, row: PublishedReport) -> HttpResponse:
    """The figures are still being counted (the publication job): say so and look again shortly. A
    download asked for meanwhile gets this page too."""
    report_class = REGISTRY.get(row.slug)
    response = render(
        request,
        "reports/published_pending.html",
        {"published": row, "title": report_class.title if report_class else row.slug},
    )
    response["Refresh"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


# The report form's fields (reports.forms.ReportParamsForm) for each stored parameter.
_FIELDS = {"trajectory_type": "type"}
_QUERY = ("start", "end", "as_of", "organisation", "line", "team", "trajectory_type", "project")


def _failed(request: HttpRequest, actor: Actor, row: PublishedReport) -> HttpResponse:
    """The publication job gave up: no figures, and none shown. A coordinator who may publish the
    report is offered to publish it again with the same parameters (a download gets this page too)."""
    report_class = REGISTRY.get(row.slug)
    again = None
    if report_class is not None and report_class.may_publish(actor):
        values = {name: row.params.get(_FIELDS.get(name, name)) for name in _QUERY}
        query = urlencode({name: value for name, value in values.items() if value is not None})
        again = reverse("reports:publish", args=[row.slug]) + "?" + query
    response = render(
        request,
        "reports/published_failed.html",
        {"published": row, "title": report_class.title if report_class else row.slug, "again": again},
    )
    response["Cache-Control"] = "no-store"
    return response
