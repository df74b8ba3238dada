"""Part 2's writes, declared with core.actionviews: info sessions, the path and its onward
referrals, projects and the financing rule (docs/outreach.md)."""

from __future__ import annotations

import functools
from typing import Any, cast

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.concurrency import digest, edited_by
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.outreach import path_actions, project_actions
from werkbrug.outreach.access import (
    OUTREACH_ROLES,
    get_path,
    get_project,
    visible_appointments,
    visible_referrals,
)
from werkbrug.outreach.action_views import outreach_action
from werkbrug.outreach.models import OnwardReferral, Path, Project
from werkbrug.outreach.path_forms import (
    CarePartnerForm,
    CloseForm,
    CommitmentForm,
    ConversationForm,
    DecisionForm,
    FinancingRuleForm,
    OnwardReferralForm,
    PathForm,
    ProjectCoachForm,
    ProjectForm,
    ProjectSiteForm,
    SessionForm,
    VerifyForm,
    WaitingForm,
)


def _today(form: Any, *names: str) -> Any:
    def build(step: Step) -> Any:
        return form(step.data, initial=dict.fromkeys(names, timezone.localdate()))

    return build


def _site_rows_version(site: Any) -> str:
    # A repeated POST of a new session or path (a double click, the back button) finds another one.
    return digest(site.sessions.count(), site.paths.count())


def _site_changed(site: Any) -> str:
    return gettext(
        "Someone added a session or a path at this site since you opened the form. Look at the site first."
    )


site_rows_action = functools.partial(outreach_action, version=_site_rows_version, changed=_site_changed)

session_new = site_rows_action(
    form=_today(SessionForm, "held_on"),
    run=lambda step, data: path_actions.record_session(step.actor, step.target, **data),
    success=_("The info session was recorded."),
    title=_("Record an info session"),
    intro=_("Count the people reached. They become individual contacts only when they book or are referred."),
)

path_new = site_rows_action(
    form=_today(PathForm, "started_on"),
    run=lambda step, data: path_actions.start_path(step.actor, step.target, **data),
    success=_("The path was started."),
    done=lambda step, path: reverse("outreach:path", args=[path.pk]),
    title=_("Start an individual path"),
)

path_from_appointment = outreach_action(
    load=lambda step: get_object_or_404(
        visible_appointments(step.actor).select_related("hours__site"), pk=step.kwargs["pk"]
    ),
    form=forms.Form,
    run=lambda step, data: path_actions.start_path_from_appointment(step.actor, step.target),
    success=_("The path was started: this appointment is its first conversation."),
    done=lambda step, path: reverse("outreach:path", args=[path.pk]),
    title=_("Start an individual path"),
    intro=_("The person's first name and the appointment start the path."),
    submit_label=_("Start the path"),
)


def _path_page(step: Step) -> dict[str, Any]:
    path = cast(Path, step.target)
    detail = reverse("outreach:path", args=[path.pk])
    return {
        "crumbs": [(reverse("outreach:paths"), gettext("Individual paths")), (detail, str(path.first_name))],
        "back": detail,
        "back_label": gettext("Back to the path"),
    }


def _path_version(path: Path) -> str:
    # A repeated POST of the same form (a double click, the back button) finds another version.
    return digest(
        path.decided_on,
        path.closed_on,
        path.waiting_for,
        path.remind_on,
        path.conversations.count(),  # type: ignore[attr-defined]
        path.referrals.count(),  # type: ignore[attr-defined]
    )


path_action = functools.partial(
    action_view,
    policy=role_view(*OUTREACH_ROLES),
    load=lambda step: get_path(step.actor, step.kwargs["pk"]),
    context=_path_page,
    done=lambda step, result: reverse("outreach:path", args=[step.target.pk]),
    version=_path_version,
    changed=lambda path: edited_by(
        gettext("%(who)s changed this path at %(when)s. Look at the path again before you save."), path
    ),
)

conversation_new = path_action(
    form=_today(ConversationForm, "on"),
    run=lambda step, data: path_actions.add_conversation(step.actor, step.target, **data),
    success=_("The conversation was recorded."),
    title=_("Record a conversation"),
)

decision = path_action(
    form=_today(DecisionForm, "on"),
    run=lambda step, data: path_actions.record_decision(step.actor, step.target, **data),
    success=_("The informed decision was recorded."),
    title=_("Record the informed decision"),
)

waiting = path_action(
    form=lambda step: WaitingForm(
        step.data, initial={"waiting_for": step.target.waiting_for, "remind_on": step.target.remind_on}
    ),
    run=lambda step, data: path_actions.set_waiting(step.actor, step.target, **data),
    success=_("Saved."),
    title=_("Waiting for an outside service"),
    intro=_("The path stays open while the person waits; you get a reminder on the day you choose."),
)

close = path_action(
    form=_today(CloseForm, "on"),
    run=lambda step, data: path_actions.close_path(step.actor, step.target, **data),
    success=_("The path was closed."),
    title=_("Close the path"),
    submit_label=_("Close"),
    confirm=_("Close this path?"),
)

referral_new = path_action(
    form=_today(OnwardReferralForm, "referred_on"),
    run=lambda step, data: path_actions.refer_onward(step.actor, step.target, **data),
    success=_("The onward referral was recorded (presumed)."),
    title=_("Record an onward referral"),
    intro=_("Recorded as presumed: verify it once you know it happened. A person may go several ways."),
)

care_partner = path_action(
    form=lambda step: CarePartnerForm(step.data, actor=step.actor),
    run=lambda step, data: path_actions.name_care_partner(step.actor, step.target, **data),
    success=_("The care partner was named. Feedback goes to them only with the client's consent."),
    title=_("Care organisation that sent the person"),
    intro=_(
        "The written summary and feedback go to this organisation through Werkbrug's feedback, and only "
        "while the client consents to feedback to it. Naming it shares nothing by itself."
    ),
)


def _referral(step: Step) -> OnwardReferral:
    return get_object_or_404(visible_referrals(step.actor).select_related("path__site"), pk=step.kwargs["pk"])


verify = action_view(
    policy=role_view(*OUTREACH_ROLES),
    load=_referral,
    form=_today(VerifyForm, "on"),
    run=lambda step, data: path_actions.verify_referral(step.actor, step.target, **data),
    success=_("The referral was verified; it keeps its first date."),
    done=lambda step, result: reverse("outreach:path", args=[step.target.path_id]),
    title=_("Verify the onward referral"),
    context=lambda step: {
        "back": reverse("outreach:path", args=[step.target.path_id]),
        "back_label": gettext("Back to the path"),
    },
)


# --- projects ----------------------------------------------------------------------------------------


def _project_page(step: Step) -> dict[str, Any]:
    crumbs = [(reverse("outreach:projects"), gettext("Projects"))]
    if step.target is None:
        return {"crumbs": crumbs, "back": reverse("outreach:projects")}
    project = cast(Project, step.target)
    detail = reverse("outreach:project", args=[project.pk])
    return {
        "crumbs": [*crumbs, (detail, project.name)],
        "back": detail,
        "back_label": gettext("Back to the project"),
    }


project_action = functools.partial(
    action_view,
    policy=role_view(Role.COORDINATOR),
    load=lambda step: get_project(step.actor, step.kwargs["pk"]),
    context=_project_page,
    done=lambda step, result: reverse("outreach:project", args=[step.target.pk]),
)

project_new = project_action(
    load=None,
    form=ProjectForm,
    run=lambda step, data: project_actions.create_project(step.actor, **data),
    success=_("The project was added."),
    done=lambda step, project: reverse("outreach:project", args=[project.pk]),
    title=_("New project"),
)

project_site = project_action(
    form=lambda step: ProjectSiteForm(step.data, actor=step.actor),
    run=lambda step, data: project_actions.add_site(step.actor, step.target, **data),
    success=_("The site was added to the project."),
    title=_("Add a site to the project"),
)

project_coach = project_action(
    form=lambda step: ProjectCoachForm(step.data, actor=step.actor),
    run=lambda step, data: project_actions.add_coach(step.actor, step.target, **data),
    success=_("The coach was added to the project."),
    title=_("Add a coach to the project"),
)

commitment = project_action(
    form=lambda step: CommitmentForm(step.data, initial={"year": timezone.localdate().year}),
    run=lambda step, data: project_actions.set_commitment(step.actor, step.target, **data),
    success=_("The commitment was saved."),
    title=_("Yearly commitment of VDAB registrations"),
)

financing_rule = action_view(
    policy=role_view(Role.NETWORK_ADMIN),
    form=lambda step: FinancingRuleForm(
        step.data,
        initial={"year": timezone.localdate().year, "per_person": "750.00", "cost_percent": 80},
    ),
    run=lambda step, data: project_actions.set_financing_rule(step.actor, **data),
    success=_("The financing rule was saved."),
    done=lambda step, result: reverse("outreach:financing"),
    title=_("Financing rule of a year"),
    intro=_("At most this amount per committed person; the cost-based share, the rest on results."),
)
