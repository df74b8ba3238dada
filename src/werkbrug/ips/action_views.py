"""The ips actions, one page each (core.actionviews.action_view): start, change and end a job, an
income plan, a disclosure decision, the DCM case and a return-to-work step. Every target is fetched
as the ips page fetches it (through clients.access, then the trajectory team), so an outsider gets
404 and nothing is written."""

from __future__ import annotations

import functools
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.policy import client_view
from werkbrug.ips import actions, forms
from werkbrug.ips.models import DcmCase, Placement
from werkbrug.ips.views import dcm_case, team_placement, team_trajectory
from werkbrug.trajectories.models import Trajectory
from werkbrug.trajectories.views import trajectory_crumbs


def _trajectory(step: Step) -> Trajectory:
    target = step.target
    if isinstance(target, Placement | DcmCase):
        return target.trajectory
    return target


def _to_jobs(anchor: str = "") -> Any:
    return lambda step, result: reverse("ips:trajectory", args=[_trajectory(step).pk]) + anchor


def _page(step: Step) -> dict[str, Any]:
    trajectory = _trajectory(step)
    jobs = reverse("ips:trajectory", args=[trajectory.pk])
    return {
        "crumbs": [*trajectory_crumbs(trajectory), (jobs, gettext("Work and follow-along"))],
        "back": jobs,
        "back_label": gettext("Back to work and follow-along"),
    }


def _load_dcm(step: Step) -> DcmCase:
    trajectory = team_trajectory(step.actor, step.kwargs["pk"])
    case = dcm_case(trajectory)
    if case is None:
        raise Http404
    return case


ips_action = functools.partial(
    action_view,
    policy=client_view,
    load=lambda step: team_trajectory(step.actor, step.kwargs["pk"]),
    context=_page,
    done=_to_jobs(),
)
placement_action = functools.partial(
    ips_action,
    load=lambda step: team_placement(step.actor, step.kwargs["pk"], step.kwargs["placement_pk"]),
    done=_to_jobs("#jobs"),
)

start = ips_action(
    form=lambda step: forms.StartForm(step.data, actor=step.actor),
    run=lambda step, data: actions.start_placement(step.actor, step.target, **data),
    success=_("The job start was recorded, with its paid-work outcome."),
    title=_("Record a job start"),
    submit_label=_("Record"),
    intro=_("Starting a job records the trajectory's paid-work outcome too: the reports count it once."),
    done=_to_jobs("#jobs"),
)
change = placement_action(
    form=lambda step: forms.ChangeForm(
        step.data,
        initial={
            "hours_per_week": step.target.hours_per_week,
            "minimum_wage": "yes" if step.target.minimum_wage else "no",
        },
    ),
    run=lambda step, data: actions.change_placement(step.actor, step.target, **data),
    success=_("The change was recorded. Make a new income plan."),
    title=lambda step: gettext("Hours or wage of %(job)s") % {"job": step.target},
    submit_label=_("Record"),
)
end = placement_action(
    form=forms.EndForm,
    run=lambda step, data: actions.end_placement(step.actor, step.target, **data),
    success=_("The job end was recorded. Contact the client within 3 days."),
    title=lambda step: gettext("End of %(job)s") % {"job": step.target},
    submit_label=_("Record the end"),
    confirm=_("Record that this job ended?"),
)
income_plan = ips_action(
    form=forms.IncomePlanForm,
    run=lambda step, data: actions.add_income_plan(step.actor, step.target, **data),
    success=_("The income plan was saved."),
    title=_("Income plan"),
    intro=_("Before a job starts, and again when hours or wage change."),
    done=_to_jobs("#income"),
)
disclosure = ips_action(
    form=forms.DisclosureForm,
    run=lambda step, data: actions.add_disclosure(step.actor, step.target, **data),
    success=_("The disclosure decision was recorded."),
    title=_("Disclosure: what the employer may know"),
    intro=_("Discuss it before the first employer contact; revisit it after two months without a job."),
    done=_to_jobs("#disclosure"),
)


def _dcm_form(step: Step) -> forms.DcmCaseForm:
    case = dcm_case(step.target)
    initial = (
        {
            "employer": case.employer,
            "sick_since": case.sick_since,
            "advising_physician": case.advising_physician,
            "insurer": case.insurer,
        }
        if case is not None
        else {}
    )
    return forms.DcmCaseForm(step.data, actor=step.actor, initial=initial)


dcm = ips_action(
    form=_dcm_form,
    run=lambda step, data: actions.save_dcm_case(step.actor, step.target, **data),
    success=_("The DCM case was saved."),
    title=_("DCM: employer, sick leave and referrer"),
    done=_to_jobs("#dcm"),
)
return_step = ips_action(
    load=_load_dcm,
    form=forms.ReturnStepForm,
    run=lambda step, data: actions.add_return_step(step.actor, step.target, **data),
    success=_("The step was added to the return-to-work plan."),
    title=_("Add a step to the return-to-work plan"),
    submit_label=_("Add"),
    done=_to_jobs("#dcm"),
)
