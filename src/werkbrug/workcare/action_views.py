"""The work-care writes, declared with core.actionviews (docs/conventions.md): workshops, agreements
and their signing, the month grid of hours. Every target is fetched as the pages fetch it (workshops
of the actor's organisation; agreements through clients.access and the work-care team), so an
outsider gets 404 and nothing is written."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any, cast

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.policy import client_view, role_view
from werkbrug.trajectories.views import trajectory_crumbs
from werkbrug.workcare import actions, benefits, clocks, hours, stages
from werkbrug.workcare.access import (
    WORKCARE_ROLES,
    get_agreement,
    get_workshop,
    team_trajectory,
    visible_workshops,
)
from werkbrug.workcare.forms import (
    AdminHoursForm,
    AgreementForm,
    BenefitForm,
    DocumentForm,
    GridForm,
    MilestoneForm,
    SignForm,
    StageForm,
    WorkshopForm,
    cell_name,
)
from werkbrug.workcare.models import WorkCareAgreement, Workshop


def _workshop_page(step: Step) -> dict[str, Any]:
    crumbs = [(reverse("workcare:workshops"), gettext("Workshops"))]
    if isinstance(step.target, Workshop):
        detail = reverse("workcare:workshop", args=[step.target.pk])
        return {"crumbs": [*crumbs, (detail, step.target.name)], "back": detail}
    return {"crumbs": crumbs, "back": reverse("workcare:workshops")}


workshop_action = functools.partial(
    action_view,
    policy=role_view(*WORKCARE_ROLES),
    load=lambda step: get_workshop(step.actor, step.kwargs["pk"]),
    context=_workshop_page,
    done=lambda step, workshop: reverse("workcare:workshop", args=[workshop.pk]),
)

workshop_new = workshop_action(
    load=None,
    form=WorkshopForm,
    run=lambda step, data: actions.create_workshop(step.actor, **data),
    success=_("The workshop was added."),
    title=_("New workshop"),
)

workshop_edit = workshop_action(
    form=lambda step: WorkshopForm(
        step.data, initial={"name": step.target.name, "target_group_fte": step.target.target_group_fte}
    ),
    run=lambda step, data: actions.update_workshop(step.actor, step.target, **data),
    success=_("The workshop was saved."),
    title=_("Edit the workshop"),
)


# --- agreements ---------------------------------------------------------------------------------


def _trajectory(step: Step) -> Any:
    return step.target.trajectory if isinstance(step.target, WorkCareAgreement) else step.target


def _agreement_page(step: Step) -> dict[str, Any]:
    trajectory = _trajectory(step)
    page = reverse("trajectories:detail", args=[trajectory.pk])
    crumbs = trajectory_crumbs(trajectory)
    if isinstance(step.target, WorkCareAgreement):
        detail = reverse("workcare:agreement", args=[trajectory.pk, step.target.pk])
        return {"crumbs": [*crumbs, (detail, gettext("Work-care agreement"))], "back": detail}
    return {"crumbs": crumbs, "back": page, "back_label": gettext("Back to the trajectory")}


def _to_agreement(step: Step, agreement: WorkCareAgreement) -> str:
    return reverse("workcare:agreement", args=[agreement.trajectory_id, agreement.pk])


agreement_action = functools.partial(
    action_view,
    policy=client_view,
    load=lambda step: get_agreement(step.actor, step.kwargs["pk"], step.kwargs["agreement_pk"]),
    context=_agreement_page,
    done=_to_agreement,
)


def _agreement_form(step: Step) -> AgreementForm:
    trajectory = _trajectory(step)
    workshops = visible_workshops(step.actor).filter(organisation_id=trajectory.lead_organisation_id)
    initial: dict[str, Any] = {}
    if isinstance(step.target, WorkCareAgreement):
        initial = {name: getattr(step.target, name) for name in actions.AGREEMENT_FIELDS}
        initial["workshop"] = step.target.workshop_id
    return AgreementForm(step.data, workshops=workshops, initial=initial)


agreement_new = agreement_action(
    load=lambda step: team_trajectory(step.actor, step.kwargs["pk"]),
    form=_agreement_form,
    run=lambda step, data: actions.record_agreement(step.actor, step.target, **data),
    success=_("The agreement was recorded. Sign it once the seven elements are filled in."),
    title=_("Work-care agreement"),
    intro=_(
        "Not an employment contract. The decree asks seven elements; you can save a draft and fill "
        "them in later, but the agreement can only be signed when all seven are filled in."
    ),
)

agreement_edit = agreement_action(
    form=_agreement_form,
    run=lambda step, data: actions.update_agreement(step.actor, step.target, **data),
    success=_("The agreement was saved."),
    title=_("Edit the work-care agreement"),
)

agreement_sign = agreement_action(
    form=lambda step: SignForm(step.data, step.request.FILES or None),
    run=lambda step, data: actions.sign_agreement(step.actor, step.target, **data),
    success=_("The agreement is signed."),
    title=_("Sign the work-care agreement"),
    intro=_(
        "Upload the signed copy if you have it: it is kept outside the website, like a signed consent form."
    ),
    template="core/upload_action.html",
    submit_label=_("Sign"),
)


# --- the month grid -------------------------------------------------------------------------------


def _month(step: Step) -> tuple[int, int]:
    year, month = step.kwargs["year"], step.kwargs["month"]
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise Http404
    return year, month


def _grid_rows(step: Step) -> tuple[list[Any], list[datetime.date]]:
    days = hours.month_days(*_month(step))
    people = hours.participants(step.actor, step.target, days[0], days[-1])
    return people, days


def _grid_form(step: Step) -> GridForm:
    people, days = _grid_rows(step)
    rows = [(t.pk, f"{t.client.first_name} {t.client.last_name}") for t in people]
    limits = benefits.limits([t.pk for t in people], days[0].year) if step.data is not None else {}
    initial = {}
    if step.data is None:  # the version the grid is opened on
        opened = hours.stored(step.target, [t.pk for t in people], days[0], days[-1])
        initial["seen"] = hours.grid_version(opened)
    form = GridForm(step.data, rows=rows, days=days, limits=limits, initial=initial)
    form.people = people  # type: ignore[attr-defined]
    return form


def _grid_page(step: Step) -> dict[str, Any]:
    form = cast(GridForm, step.form)
    people, days = form.people, form.days  # type: ignore[attr-defined]
    year, month = _month(step)
    stored = hours.stored(step.target, [t.pk for t in people], days[0], days[-1])
    if form.is_bound:  # refused: the grid as the supervisor typed it
        source: Any = form.data
        values = {(t.pk, d): source.get(cell_name(t.pk, d), "") for t in people for d in days}
    else:
        values = {key: _plain(v) for key, v in stored.items()}
    sums = hours.totals(stored)
    rows = [
        {
            "trajectory": t,
            "cells": [(cell_name(t.pk, d), values.get((t.pk, d), "")) for d in days],
            "total": sums.get(t.pk, Decimal(0)),
        }
        for t in people
    ]
    first = days[0]
    previous = first - datetime.timedelta(days=1)
    following = days[-1] + datetime.timedelta(days=1)
    return {
        **_workshop_page(step),
        "workshop": step.target,
        "days": days,
        "rows": rows,
        "grand_total": sum(sums.values(), Decimal(0)),
        "month_start": first,
        "previous": reverse("workcare:grid", args=[step.target.pk, previous.year, previous.month]),
        "following": reverse("workcare:grid", args=[step.target.pk, following.year, following.month]),
        "year": year,
        "month": month,
    }


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


grid = workshop_action(
    form=_grid_form,
    run=lambda step, data: hours.save_month(
        step.actor,
        step.target,
        year=_month(step)[0],
        month=_month(step)[1],
        cells=data["cells"],
        seen=data.get("seen") or None,
    ),
    success=_("The hours of the month were saved."),
    done=lambda step, result: reverse("workcare:grid", args=[step.target.pk, *_month(step)]),
    title=_("Hours of the month"),
    template="workcare/grid.html",
    context=_grid_page,
)


# --- benefit limits -------------------------------------------------------------------------------

participant_action = functools.partial(
    agreement_action,
    load=lambda step: team_trajectory(step.actor, step.kwargs["pk"]),
    done=lambda step, result: reverse("trajectories:detail", args=[step.target.pk]) + "#workcare",
)

benefit = participant_action(
    form=BenefitForm,
    run=lambda step, data: benefits.set_benefit(step.actor, step.target, **data),
    success=_("The benefit was recorded."),
    title=_("Benefit and its hours ceiling"),
    intro=_(
        "The month grid warns before saving hours above the ceiling: 28 h a week with the RVA "
        "exemption, 30 h with the OCMW; the mutualiteit first needs the advising doctor's approval."
    ),
)

document = participant_action(
    form=DocumentForm,
    run=lambda step, data: benefits.add_document(step.actor, step.target, **data),
    success=_("The document was recorded."),
    title=_("Record a benefit document"),
)


milestone = agreement_action(
    form=lambda step: MilestoneForm(step.data, initial={"on": timezone.localdate()}),
    run=lambda step, data: clocks.record_milestone(step.actor, step.target, **data),
    success=_("The step was recorded."),
    title=_("Record a step of the cycle"),
    intro=_("A short record: the date and a few lines are enough."),
)


stage_new = participant_action(
    form=lambda step: StageForm(step.data, initial={"starts_on": timezone.localdate(), "agreed_hours": 16}),
    run=lambda step, data: stages.start_stage(step.actor, step.target, **data),
    success=_("The stage was recorded."),
    title=_("Screening stage"),
    intro=_("The hours on the work floor are counted from the month grid of the workshop."),
)


def _stage(step: Step) -> Any:
    trajectory = team_trajectory(step.actor, step.kwargs["pk"])
    stage = trajectory.workcare_stages.filter(pk=step.kwargs["stage_pk"]).first()
    if stage is None:
        raise Http404
    stage.trajectory = trajectory
    return stage


stage_admin = participant_action(
    load=_stage,
    form=lambda step: AdminHoursForm(step.data, initial={"admin_hours": step.target.admin_hours}),
    run=lambda step, data: stages.set_admin_hours(step.actor, step.target, **data),
    success=_("The hours were saved."),
    title=_("Hours of administration and consultation"),
    done=lambda step, result: reverse("trajectories:detail", args=[step.target.trajectory_id]) + "#workcare",
    context=lambda step: _agreement_page(_as_trajectory(step)),
)


def _as_trajectory(step: Step) -> Step:
    return Step(request=step.request, actor=step.actor, kwargs=step.kwargs, target=step.target.trajectory)
