"""The actions on a trajectory, one page each (core.actionviews.action_view). The trajectory page
posts its small forms here; when the input is refused, the action page shows the form again with the
message (status 200, as these pages always answered). Every target is fetched as the trajectory page
fetches it (trajectories.views), so an outsider gets 404 and nothing is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.policy import client_view
from werkbrug.referrals.forms import AcceptForm
from werkbrug.referrals.views import referral_decision, reshow_decision
from werkbrug.trajectories import actions, care_partner, quick_entry
from werkbrug.trajectories.forms import (
    AcceptHandoverForm,
    CarePartnerForm,
    CloseForm,
    CoachForm,
    ContactForm,
    DeclineHandoverForm,
    GoalDoneForm,
    GoalForm,
    HandoverForm,
    LadderForm,
    OutcomeForm,
    PauseForm,
    PhaseForm,
    QuickContactForm,
    ReopenForm,
    VerifyOutcomeForm,
)
from werkbrug.trajectories.models import Handover, Outcome, PlanGoal, Trajectory
from werkbrug.trajectories.views import (
    coaches_of,
    default_coach,
    get_related,
    get_trajectory,
    trajectory_crumbs,
)


def _trajectory(step: Step) -> Trajectory:
    """The trajectory acted on, also when the target is one of its goals, outcomes or handovers."""
    target = step.target
    return target if isinstance(target, Trajectory) else target.trajectory


def to_detail(anchor: str = "") -> Callable[[Step, Any], str]:
    """After the action: back to the trajectory page, at the section that changed."""
    return lambda step, result: reverse("trajectories:detail", args=[_trajectory(step).pk]) + anchor


def _page(step: Step) -> dict[str, Any]:
    """The action page sits below the client and the trajectory, and leads back to the trajectory."""
    trajectory = _trajectory(step)
    detail = reverse("trajectories:detail", args=[trajectory.pk])
    return {
        "crumbs": trajectory_crumbs(trajectory),
        "back": detail,
        "back_label": gettext("Back to the trajectory"),
    }


def _part_of_trajectory(queryset: QuerySet[Any], key: str) -> Callable[[Step], Any]:
    """Load a goal, outcome or handover (the URL's `key`) of the trajectory in the URL."""
    return lambda step: get_related(step.actor, queryset, step.kwargs["pk"], step.kwargs[key])


trajectory_action = functools.partial(
    action_view,
    policy=client_view,
    load=lambda step: get_trajectory(step.actor, step.kwargs["pk"]),
    context=_page,
    done=to_detail(),
    refused_status=200,
)


def _changed(trajectory: Trajectory) -> str:
    return (
        gettext("Someone changed this trajectory after you opened this page.")
        + " "
        + actions.last_change(trajectory)
    )


# A decision on the trajectory: refused when another decision came after the page was opened.
trajectory_decision = functools.partial(trajectory_action, version=actions.decision_version, changed=_changed)


# --- contacts ----------------------------------------------------------------------------------


def _quick_entry(step: Step) -> quick_entry.QuickContact | None:
    """The one-line contact as the form read it, once the form is valid."""
    form = cast(QuickContactForm, step.form)
    return form.parsed if form.is_bound and form.is_valid() else None


def _quick_success(step: Step) -> str:
    entry = _quick_entry(step)
    if entry is None:
        return gettext("The contact was recorded.")
    return gettext("The contact was recorded: %(what)s.") % {"what": quick_entry.describe(entry)}


contact_create = trajectory_action(
    form=lambda step: ContactForm(step.data, care=step.actor.in_care_organisation),
    run=lambda step, data: actions.record_contact(step.actor, step.target, **data),
    success=_("The contact was recorded."),
    title=_("Record a contact"),
    submit_label=_("Record"),
    done=to_detail("#contacts"),
)
quick_contact = trajectory_action(
    form=QuickContactForm,
    # Only a valid form reaches run(), and its validation parsed the line.
    run=lambda step, data: actions.record_contact(
        step.actor, step.target, **cast(quick_entry.QuickContact, _quick_entry(step)).as_kwargs()
    ),
    success=_quick_success,
    title=_("Quick entry"),
    submit_label=_("Record"),
    done=to_detail("#contacts"),
)


# --- phase, ladder, plan, outcomes -------------------------------------------------------------

phase_change = trajectory_decision(
    form=lambda step: PhaseForm(step.data, initial={"phase": step.target.phase}),
    run=lambda step, data: actions.set_phase(step.actor, step.target, **data),
    success=_("The phase was changed."),
    title=_("Change the phase"),
    submit_label=_("Change"),
)
ladder_create = trajectory_action(
    form=LadderForm,
    run=lambda step, data: actions.record_ladder(step.actor, step.target, **data),
    success=_("The position on the participation ladder was recorded."),
    title=_("Participation ladder"),
    submit_label=_("Record"),
    done=to_detail("#ladder"),
)
goal_create = trajectory_action(
    form=GoalForm,
    run=lambda step, data: actions.add_goal(step.actor, step.target, **data),
    success=_("The goal was added to the plan."),
    title=_("Add a goal to the plan"),
    submit_label=_("Add"),
    done=to_detail("#plan"),
)
goal_done = trajectory_action(
    load=_part_of_trajectory(PlanGoal.objects.all(), "goal_pk"),
    form=GoalDoneForm,
    run=lambda step, data: actions.complete_goal(
        step.actor, step.target, on=data["on"] or timezone.localdate()
    ),
    success=_("The goal is done."),
    title=lambda step: gettext("Mark “%(goal)s” done") % {"goal": step.target.goal},
    submit_label=_("Done"),
    done=to_detail("#plan"),
)
outcome_create = trajectory_action(
    form=OutcomeForm,
    run=lambda step, data: actions.record_outcome(step.actor, step.target, **data),
    success=_("The outcome was recorded."),
    title=_("Record an outcome"),
    submit_label=_("Record"),
    done=to_detail("#outcomes"),
)
outcome_verify = trajectory_action(
    load=_part_of_trajectory(Outcome.objects.all(), "outcome_pk"),
    form=VerifyOutcomeForm,
    run=lambda step, data: actions.verify_outcome(step.actor, step.target, **data),
    success=_("The outcome is verified."),
    title=lambda step: gettext("Verify: %(outcome)s") % {"outcome": step.target},
    submit_label=_("Verify"),
    done=to_detail("#outcomes"),
)


# --- status and coach --------------------------------------------------------------------------

pause = trajectory_decision(
    form=PauseForm,
    run=lambda step, data: actions.pause_trajectory(step.actor, step.target, **data),
    success=_("The trajectory is paused."),
    title=_("Pause the trajectory"),
    submit_label=_("Pause"),
)
resume = trajectory_decision(
    form=forms.Form,
    run=lambda step, data: actions.resume_trajectory(step.actor, step.target),
    success=_("The trajectory is active again."),
    title=_("Resume the trajectory"),
    submit_label=_("Resume"),
)
close = trajectory_decision(
    form=CloseForm,
    run=lambda step, data: actions.close_trajectory(step.actor, step.target, **data),
    success=_("The trajectory is closed."),
    title=_("Close the trajectory"),
    submit_label=_("Close"),
    confirm=_("Close this trajectory?"),
)
reopen = trajectory_decision(
    form=ReopenForm,
    run=lambda step, data: actions.reopen_trajectory(step.actor, step.target, **data),
    success=_("The trajectory is re-opened."),
    title=_("Re-open the trajectory"),
    submit_label=_("Re-open"),
)
coach_change = trajectory_decision(
    form=lambda step: CoachForm(step.data, trajectory=step.target),
    run=lambda step, data: actions.change_coach(step.actor, step.target, **data),
    success=_("The coach was changed."),
    title=_("Change the coach"),
    submit_label=_("Change"),
)


# --- handovers ---------------------------------------------------------------------------------

_handover = _part_of_trajectory(
    Handover.objects.select_related("from_organisation", "to_organisation"), "handover_pk"
)


def _propose_handover(step: Step, data: dict[str, Any]) -> Handover:
    evidence = cast(HandoverForm, step.form).evidence_value()
    return actions.propose_handover(
        step.actor,
        step.target,
        to_organisation=data["to_organisation"],
        new_type=data["new_type"],
        note=data["note"],
        evidence=evidence,
        share=data.get("share") or [],
    )


handover_create = trajectory_action(
    form=lambda step: HandoverForm(step.data, trajectory=step.target, initial={"evidence": "signed_form"}),
    run=_propose_handover,
    success=_("The handover was proposed. The receiving organisation can now read the file to decide."),
    title=_("Propose a handover"),
    submit_label=_("Propose"),
    intro=_(
        "A warm handover: the receiving organisation sees this file, with the client's consent, "
        "to decide. Until it accepts, your organisation stays the lead."
    ),
    done=to_detail("#handover"),
)
handover_withdraw = trajectory_action(
    load=_handover,
    form=forms.Form,
    run=lambda step, data: actions.withdraw_handover(step.actor, step.target),
    success=_("The handover proposal was withdrawn."),
    title=lambda step: gettext("Withdraw the handover to %(org)s") % {"org": step.target.to_organisation},
    submit_label=_("Withdraw"),
    done=to_detail("#handover"),
)
handover_accept = trajectory_action(
    load=_handover,
    form=lambda step: AcceptHandoverForm(
        step.data,
        coaches=coaches_of(step.target.to_organisation_id),
        initial={"coach": default_coach(step.actor)},
    ),
    run=lambda step, data: actions.accept_handover(step.actor, step.target, **data),
    success=_("You took over the trajectory."),
    title=lambda step: gettext("Accept the handover from %(org)s") % {"org": step.target.from_organisation},
    submit_label=_("Accept"),
    intro=lambda step: step.target.note,
)
handover_decline = trajectory_action(
    load=_handover,
    form=DeclineHandoverForm,
    run=lambda step, data: actions.decline_handover(step.actor, step.target, **data),
    success=_("The handover was declined; the current lead keeps the trajectory."),
    title=lambda step: gettext("Decline the handover from %(org)s") % {"org": step.target.from_organisation},
    submit_label=_("Decline"),
    intro=lambda step: step.target.note,
    done=lambda step, result: reverse("trajectories:handovers"),
)


# Accepting a referral is a decision on the referral page that starts a trajectory, so it is
# declared here, above referrals (docs/architecture.md); its URL keeps the name referrals:accept.
accept_referral = referral_decision(
    form=AcceptForm,
    run=lambda step, data: actions.accept_referral(step.actor, step.target, **data),
    success=_("You accepted the referral: the trajectory has started."),
    refused=reshow_decision("accept_form"),
)


# --- the care partner on call ------------------------------------------------------------------------

care_partner_add = trajectory_action(
    form=lambda step: CarePartnerForm(step.data, actor=step.actor),
    run=lambda step, data: care_partner.add_care_partner(step.actor, step.target, **data),
    success=_("The care partner on call was added."),
    title=_("Add a care partner on call"),
    submit_label=_("Add"),
    intro=_(
        "A care organisation that stays in the background, ready to step in at a relapse. Only an "
        "organisation the client consented to share the file with."
    ),
)
