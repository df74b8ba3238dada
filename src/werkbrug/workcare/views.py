"""The work-care pages: workshops, a workshop's subsidy statement, an agreement with its print and
signed copy, and the section on the trajectory page (trajectories.panels). Read-only; the writes are
declared in `action_views.py`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditAction
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import client_view, role_view
from werkbrug.core.privatefiles import pdf_download
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare import exports, subsidy
from werkbrug.workcare.access import WORKCARE_ROLES, get_agreement, get_workshop, on_team, visible_workshops
from werkbrug.workcare.clocks import schedule, silence_weeks, workshop_clocks
from werkbrug.workcare.config import check_allowance
from werkbrug.workcare.hours import hours_by_month
from werkbrug.workcare.models import ELEMENTS, SubsidyRate, WorkCareAgreement
from werkbrug.workcare.stages import progress, worked_hours

workcare_view = role_view(*WORKCARE_ROLES)


@workcare_view
@require_safe
def workshop_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    workshops = list(visible_workshops(Actor.from_request(request))[:200])
    today = timezone.localdate()
    return render(
        request, "workcare/workshops.html", {"workshops": workshops, "today": today, "actor": actor}
    )


@workcare_view
@require_safe
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    workshop = get_workshop(actor, pk)
    today = timezone.localdate()
    # The coordinator's overview of the clocks (IBP, practice cycle) of everyone at the workshop.
    clocks = {"rows": workshop_clocks(actor, workshop, today), "weeks": silence_weeks()}
    return render(request, "workcare/workshop.html", {"workshop": workshop, "today": today, "clocks": clocks})


def amount_per_fte(year: int) -> Decimal:
    """The year's amount per support FTE (art. 20bis §2), €22,000 unless set for the year."""
    rate = SubsidyRate.objects.filter(year=year).values_list("amount_per_fte", flat=True).first()
    return rate if rate is not None else subsidy.DEFAULT_AMOUNT_PER_FTE


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@workcare_view
@require_safe
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """The subsidy statement of one workshop: the twelve months of a year, each with every step of
    the calculation, and the year's total (workcare.subsidy). Hours only, no names."""
    workshop = get_workshop(Actor.from_request(request), pk)
    year = _year(request)
    result = subsidy.year(
        year, workshop.target_group_fte, hours_by_month(workshop, year), amount_per_fte(year)
    )
    return render(
        request,
        "workcare/statement.html",
        {
            "workshop": workshop,
            "year": result,
            "rules": subsidy,
            "previous": year - 1,
            "following": year + 1,
        },
    )


# --- agreements -----------------------------------------------------------------------------------


def _agreement_context(agreement: WorkCareAgreement) -> dict[str, Any]:
    return {
        "agreement": agreement,
        "trajectory": agreement.trajectory,
        "client": agreement.trajectory.client,
        "elements": [(label, getattr(agreement, name)) for name, label in ELEMENTS],
    }


@client_view
@require_safe
def agreement_detail(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = get_agreement(Actor.from_request(request), pk, agreement_pk)
    done = list(agreement.milestones.select_related("by"))
    context = _agreement_context(agreement)
    today = timezone.localdate()
    context.update(
        milestones=done,
        clocks=schedule(agreement, done, today),
        allowance=check_allowance(agreement, today.year),
    )
    return render(request, "workcare/agreement.html", context)


@client_view
@require_safe
def agreement_pdf(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    """The agreement on A4, to sign."""
    agreement = get_agreement(Actor.from_request(request), pk, agreement_pk)
    name = download_name(gettext("work-care agreement"), agreement.pk, extension="pdf")
    return pdf_response("workcare/agreement_pdf.html", _agreement_context(agreement), request, name)


@client_view
@require_safe
def agreement_document(request: HttpRequest, pk: int, agreement_pk: int) -> FileResponse:
    """The signed copy: only through this policy-checked, audited view, never MEDIA_URL."""
    actor = Actor.from_request(request)
    agreement = get_agreement(actor, pk, agreement_pk)
    response = pdf_download(
        agreement.signed_document,
        download_name(gettext("signed work-care agreement"), agreement.pk, extension="pdf"),
    )
    audit.record(
        actor,
        AuditAction.VIEW,
        agreement,
        client_id=agreement.trajectory.client_id,
        summary="signed work-care agreement",
    )
    return response


# --- the section on the trajectory page -----------------------------------------------------------


def trajectory_panel(actor: Actor, trajectory: Trajectory, today: datetime.date) -> dict[str, Any] | None:
    """On a work-care trajectory, for its team: the agreements, the benefit and its documents, the
    latest screening stage with its hours. Six queries."""
    if not on_team(actor, trajectory):
        return None
    agreements = list(trajectory.workcare_agreements.select_related("workshop"))
    stage = trajectory.workcare_stages.first()
    return {
        "trajectory": trajectory,
        "agreements": agreements,
        "may_add": trajectory.is_open,
        "benefit": trajectory.workcare_benefits.order_by("-recorded_at", "-pk").first(),
        "documents": list(trajectory.workcare_documents.all()[:20]),
        "stage": stage,
        "stage_progress": progress(stage, worked_hours(stage)) if stage is not None else None,
    }


# --- the monthly statement of hours as files ------------------------------------------------------


def _hours_statement(request: HttpRequest, pk: int, year: int, month: int) -> dict[str, Any]:
    actor = Actor.from_request(request)
    workshop = get_workshop(actor, pk)
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise Http404
    raw = request.GET.get("participant", "")
    if raw and not raw.isdigit():
        raise Http404
    context = exports.statement(actor, workshop, year, month, int(raw) if raw else None)
    for row in context["rows"]:  # client data in a file: each person's access log says so
        audit.record(
            actor,
            AuditAction.VIEW,
            row["trajectory"],
            client_id=row["trajectory"].client_id,
            summary=f"work-care hours statement {year}-{month:02d}",
        )
    return context


@workcare_view
@require_safe
def hours_xlsx(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    return exports.xlsx_response(_hours_statement(request, pk, year, month))


@workcare_view
@require_safe
def hours_pdf(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    return exports.pdf(request, _hours_statement(request, pk, year, month))
