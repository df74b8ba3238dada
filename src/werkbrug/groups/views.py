"""The group module pages: the templates (network admin), the runs (coaches and coordinators, with
fill rate and completion for coordinators), a run's page and its participant list (the run's
organisation, or an enrolling organisation for its own clients only; anyone else 404)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.paging import paginate
from werkbrug.groups.access import group_reader, is_staff, template_admin, visible_enrolments
from werkbrug.groups.models import (
    SEATED,
    Enrolment,
    EnrolmentStatus,
    ModulePhase,
    ModuleTemplate,
    Outcome,
    Presence,
    Run,
)
from werkbrug.network.models import Role


def get_run(pk: Any) -> Run:
    try:
        return Run.objects.select_related("template", "organisation").get(pk=pk)
    except (Run.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def staff_run(actor: Actor, pk: Any) -> Run:
    """A run the actor's organisation plans; 404 for anyone else."""
    run = get_run(pk)
    if not is_staff(actor, run):
        raise Http404
    return run


def run_crumbs(run: Run | None = None) -> list[tuple[str, Any]]:
    crumbs: list[tuple[str, Any]] = [(reverse("groups:runs"), _("Group modules"))]
    if run is not None:
        crumbs.append((reverse("groups:run", args=[run.pk]), str(run)))
    return crumbs


def with_counts(runs: QuerySet[Run]) -> QuerySet[Run]:
    """Seats taken, waiting, and participants who finished (an outcome other than stopping)."""
    return runs.annotate(
        seated=Count("enrolments", filter=Q(enrolments__status__in=SEATED)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        finished=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)
            & ~Q(enrolments__outcome="")
            & ~Q(enrolments__outcome=Outcome.STOPPED),
        ),
        with_outcome=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED) & ~Q(enrolments__outcome="")
        ),
    )


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@template_admin
def template_list(request: HttpRequest) -> HttpResponse:
    templates = ModuleTemplate.objects.prefetch_related(
        Prefetch("phases", queryset=ModulePhase.objects.order_by("first_week", "pk"))
    ).order_by("name", "pk")
    return render(request, "groups/template_list.html", {"page": paginate(request, templates)})


@group_reader
def run_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    runs = with_counts(Run.objects.select_related("template", "organisation")).order_by("-starts_on", "pk")
    page = paginate(request, runs)
    for run in page:
        run.fill_rate = percent(run.seated, run.template.cap)  # type: ignore[attr-defined]
        run.completion = percent(run.finished, run.with_outcome)  # type: ignore[attr-defined]
    return render(
        request,
        "groups/run_list.html",
        {"page": page, "coordinator": actor.role == Role.COORDINATOR, "today": timezone.localdate()},
    )


@group_reader
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    run = with_counts(Run.objects.select_related("template", "organisation")).filter(pk=pk).first()
    if run is None:
        raise Http404
    staff = is_staff(actor, run)
    phases = list(run.template.phases.order_by("first_week", "pk"))
    return render(
        request,
        "groups/run_detail.html",
        {
            "run": run,
            "phases": run.phase_dates(phases),
            "coaches": list(run.coaches.order_by("last_name", "first_name")),
            "sessions": list(
                run.sessions.annotate(
                    present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT))
                )
            ),
            "staff": staff,
            "own": staff or visible_enrolments(actor, run).exists(),
            "open": run.ends_on >= timezone.localdate(),
            "fill_rate": percent(run.seated, run.template.cap),  # type: ignore[attr-defined]
            "crumbs": run_crumbs(),
        },
    )


def participant_rows(actor: Actor, run: Run) -> QuerySet[Enrolment]:
    return (
        visible_enrolments(actor, run)
        .select_related("trajectory__client", "trajectory__type", "placement_employer")
        .annotate(
            present=Count("attendance", filter=Q(attendance__presence=Presence.PRESENT)),
            excused=Count("attendance", filter=Q(attendance__presence=Presence.EXCUSED)),
            absent=Count("attendance", filter=Q(attendance__presence=Presence.ABSENT)),
        )
        .order_by("enrolled_at", "pk")
    )


@group_reader
@lists_clients("groups:participants")
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    run = get_run(pk)
    staff = is_staff(actor, run)
    page = paginate(request, participant_rows(actor, run))
    if not staff and not page.object_list:
        raise Http404
    outcome_from = run.ends_on - datetime.timedelta(days=6)
    return render(
        request,
        "groups/participants.html",
        {
            "run": run,
            "page": page,
            "staff": staff,
            "sessions": list(run.sessions.all()) if staff else [],
            "outcome_from": outcome_from,
            "crumbs": run_crumbs(run),
        },
    )
