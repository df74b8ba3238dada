"""The forms of the group module pages, declared with `core.actionviews.action_view`."""

from __future__ import annotations

import functools
from typing import Any, cast

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.access import get_visible
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.audit import record_list
from werkbrug.groups import actions
from werkbrug.groups.access import group_reader, template_admin, visible_enrolments
from werkbrug.groups.forms import (
    AttendanceForm,
    ButtonForm,
    EnrolForm,
    OutcomeForm,
    PhaseForm,
    PlacementForm,
    RunForm,
    SessionForm,
    TemplateForm,
)
from werkbrug.groups.models import Enrolment, EnrolmentStatus, ModuleTemplate, Session
from werkbrug.groups.views import get_run, run_crumbs, staff_run

# --- templates (network admin) -------------------------------------------------------------------


def _to_templates(step: Step, result: object = None) -> str:
    return reverse("groups:templates")


def _templates_page(step: Step) -> dict[str, Any]:
    return {"back": _to_templates(step), "back_label": gettext("Module templates")}


def _template(step: Step) -> ModuleTemplate:
    try:
        return ModuleTemplate.objects.get(pk=step.kwargs["pk"])
    except (ModuleTemplate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


template_create = action_view(
    policy=template_admin,
    form=TemplateForm,
    run=lambda step, data: actions.create_template(step.actor, cast(TemplateForm, step.form).instance),
    success=_("The module template is added."),
    done=_to_templates,
    title=_("New module template"),
    submit_label=_("Add"),
    context=_templates_page,
    refused_status=200,
)

phase_add = action_view(
    policy=template_admin,
    load=_template,
    form=PhaseForm,
    run=lambda step, data: actions.add_phase(step.actor, step.target, cast(PhaseForm, step.form).instance),
    success=_("The phase is added."),
    done=_to_templates,
    title=lambda step: gettext("Add a phase to %(name)s") % {"name": step.target.name},
    submit_label=_("Add"),
    context=_templates_page,
    refused_status=200,
)


# --- runs ----------------------------------------------------------------------------------------


def _to_run(step: Step, result: object = None) -> str:
    return reverse("groups:run", args=[step.kwargs["pk"]])


def _to_participants(step: Step, result: object = None) -> str:
    return reverse("groups:participants", args=[step.kwargs["pk"]])


def _run_page(step: Step) -> dict[str, Any]:
    run = get_run(step.kwargs["pk"])
    return {"crumbs": run_crumbs(run), "back": _to_run(step), "back_label": str(run)}


run_create = action_view(
    policy=group_reader,
    form=lambda step: RunForm(step.data, actor=step.actor),
    run=lambda step, data: actions.create_run(
        step.actor,
        data["template"],
        starts_on=data["starts_on"],
        place=data["place"],
        coaches=data["coaches"],
    ),
    success=_("The group module is planned."),
    done=lambda step, run: reverse("groups:run", args=[run.pk]),
    title=_("Plan a group module"),
    submit_label=_("Plan"),
    context=lambda step: {"crumbs": run_crumbs(), "back": reverse("groups:runs")},
    refused_status=200,
)

run_action = functools.partial(
    action_view,
    policy=group_reader,
    load=lambda step: staff_run(step.actor, step.kwargs["pk"]),  # the run's organisation, else 404
    context=_run_page,
    done=_to_run,
    refused_status=200,
)

session_add = run_action(
    form=SessionForm,
    run=lambda step, data: actions.add_session(step.actor, step.target, on=data["on"], topic=data["topic"]),
    success=_("The session is added."),
    title=_("Add a session"),
    submit_label=_("Add"),
)


def _session(step: Step) -> Session:
    run = staff_run(step.actor, step.kwargs["pk"])
    try:
        return Session.objects.select_related("run__template").get(pk=step.kwargs["session"], run=run)
    except (Session.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _attendance_form(step: Step) -> AttendanceForm:
    session = step.target
    participants = list(
        visible_enrolments(step.actor, session.run)
        .filter(status=EnrolmentStatus.ENROLLED)
        .select_related("trajectory__client")
        .order_by("trajectory__client__last_name", "trajectory__client__first_name", "pk")
    )
    current = dict(session.attendance.values_list("enrolment_id", "presence"))
    if step.request.method == "GET" and participants:  # the page names the participants: a list row
        record_list(step.actor, "groups:attendance", object_id=session.pk)
    return AttendanceForm(step.data, participants=participants, current=current)


attendance = run_action(
    load=_session,
    form=_attendance_form,
    run=lambda step, data: actions.record_attendance(
        step.actor, step.target, cast(AttendanceForm, step.form).presences()
    ),
    success=_("The attendance is saved."),
    title=lambda step: gettext("Attendance on %(date)s") % {"date": f"{step.target.on:%d/%m/%Y}"},
    done=_to_participants,
)


enrol = action_view(
    policy=group_reader,
    load=lambda step: get_run(step.kwargs["pk"]),
    form=lambda step: EnrolForm(step.data, actor=step.actor),
    run=lambda step, data: actions.enrol(step.actor, step.target, data["trajectory"]),
    success=lambda step: gettext("The enrolment is saved."),
    done=_to_run,
    title=_("Enrol a client"),
    intro=_(
        "When every seat is taken, the client goes on the waiting list and gets the first seat that frees up."
    ),
    submit_label=_("Enrol"),
    context=_run_page,
    refused_status=200,
)


# --- one enrolment -------------------------------------------------------------------------------


def _enrolment(step: Step) -> Enrolment:
    """An enrolment the actor may see (the run's organisation, or the client's own team): else 404."""
    run = get_run(step.kwargs["pk"])
    return get_visible(
        step.actor,
        visible_enrolments(step.actor, run).select_related("run__template", "trajectory__client"),
        step.kwargs["enrolment"],
        client_path="trajectory__client",
    )


def _staff_enrolment(step: Step) -> Enrolment:
    staff_run(step.actor, step.kwargs["pk"])
    return _enrolment(step)


enrolment_action = functools.partial(
    action_view,
    policy=group_reader,
    load=_enrolment,
    context=_run_page,
    done=_to_participants,
    refused_status=200,
)

withdraw = enrolment_action(
    form=ButtonForm,
    run=lambda step, data: actions.withdraw(step.actor, step.target),
    success=_("The enrolment is withdrawn."),
    title=lambda step: gettext("Withdraw %(name)s") % {"name": step.target.trajectory.client},
    submit_label=_("Withdraw"),
    confirm=_("Withdraw this client from the group module?"),
)

accept = enrolment_action(
    form=ButtonForm,
    run=lambda step, data: actions.accept_seat(step.actor, step.target),
    success=_("The seat is taken."),
    title=lambda step: gettext("Take the seat for %(name)s") % {"name": step.target.trajectory.client},
    submit_label=_("Take the seat"),
)

placement = enrolment_action(
    load=_staff_enrolment,
    form=lambda step: PlacementForm(step.data, actor=step.actor),
    run=lambda step, data: actions.set_placement(
        step.actor, step.target, employer=data["employer"], name=data["name"]
    ),
    success=_("The placement is saved."),
    title=lambda step: gettext("Placement of %(name)s") % {"name": step.target.trajectory.client},
)

outcome = enrolment_action(
    load=_staff_enrolment,
    form=OutcomeForm,
    run=lambda step, data: actions.set_outcome(
        step.actor, step.target, outcome=data["outcome"], note=data["note"]
    ),
    success=_("The outcome is saved."),
    title=lambda step: gettext("Outcome of %(name)s") % {"name": step.target.trajectory.client},
)
