"""The forms of the employers area, declared with `core.actionviews.action_view`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.access import get_visible
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import digest, edited_by
from werkbrug.employers import actions
from werkbrug.employers.access import employer_writer
from werkbrug.employers.forms import (
    ButtonForm,
    CloseOpeningForm,
    ContactPersonForm,
    EmployerContactForm,
    EmployerForm,
    IntroduceForm,
    OpeningForm,
    OutcomeForm,
    TrajectoryContactForm,
)
from werkbrug.employers.models import ContactPerson, Employer, Introduction, Opening
from werkbrug.employers.views import employer_crumbs, get_employer
from werkbrug.trajectories.access import team_trajectories
from werkbrug.trajectories.models import Trajectory

EMPLOYER_FIELDS = EmployerForm.Meta.fields
M = TypeVar("M", bound=Model)


def _to_employer(step: Step, result: object = None) -> str:
    return reverse("employers:detail", args=[step.kwargs["pk"]])


def _employer_page(step: Step) -> dict[str, Any]:
    employer = get_employer(step.kwargs["pk"])
    return {"crumbs": employer_crumbs(employer), "back": _to_employer(step), "back_label": employer.name}


employer_action = functools.partial(
    action_view,
    policy=employer_writer,
    load=lambda step: get_employer(step.kwargs["pk"]),
    context=_employer_page,
    done=_to_employer,
    refused_status=200,
)


def _add_to_employer(
    form: type[ModelForm[Any]],
    add: Callable[[Actor, Employer, Any], object],
    *,
    success: Promise,
    title: Promise,
) -> Callable[..., HttpResponse]:
    """The form that adds a row of `form`'s model to the employer (a contact person, an opening)."""
    return employer_action(
        form=lambda step: form(step.data),
        run=lambda step, data: add(step.actor, step.target, cast("ModelForm[Any]", step.form).instance),
        success=success,
        title=title,
        submit_label=_("Add"),
    )


def _of_employer(model: type[M], kwarg: str) -> Callable[[Step], M]:
    """Loads the row of `model` named by the URL's `kwarg` that belongs to the URL's employer (404 for
    a row of another employer or none)."""

    def load(step: Step) -> M:
        return get_object_or_404(
            model._default_manager.select_related("employer"),
            pk=step.kwargs[kwarg],
            employer_id=step.kwargs["pk"],
        )

    return load


# --- the employer ------------------------------------------------------------------------------


create = action_view(
    policy=employer_writer,
    form=lambda step: EmployerForm(step.data),
    run=lambda step, data: actions.create_employer(step.actor, cast(EmployerForm, step.form).instance),
    success=_("The employer is registered."),
    done=lambda step, employer: reverse("employers:detail", args=[employer.pk]),
    title=_("Register an employer"),
    submit_label=_("Register"),
    context=lambda step: {"crumbs": employer_crumbs(), "back": reverse("employers:list")},
    refused_status=200,
)


def employer_version(employer: Employer) -> str:
    return digest(*(employer.serializable_value(name) for name in EMPLOYER_FIELDS))


def _employer_changed(employer: Employer) -> str:
    return (
        edited_by(gettext("%(who)s saved this employer at %(when)s, after you opened this page."), employer)
        + " "
        + gettext("Check what you typed below and save again.")
    )


edit = employer_action(
    form=lambda step: EmployerForm(step.data, instance=step.target),
    run=lambda step, data: actions.update_employer(step.actor, step.target, step.form.changed_data),
    success=_("The employer is saved."),
    title=_("Edit the employer"),
    version=employer_version,
    changed=_employer_changed,
)


# --- contact persons ---------------------------------------------------------------------------


add_person = _add_to_employer(
    ContactPersonForm,
    actions.add_contact_person,
    success=_("The contact person is added."),
    title=_("Add a contact person"),
)
_person = _of_employer(ContactPerson, "person")


def _person_version(person: ContactPerson) -> str:
    return digest(person.name, person.role, person.phone, person.email)


edit_person = employer_action(
    load=_person,
    form=lambda step: ContactPersonForm(step.data, instance=step.target),
    run=lambda step, data: actions.update_contact_person(step.actor, step.target, step.form.changed_data),
    success=_("The contact person is saved."),
    title=_("Edit the contact person"),
    version=_person_version,
    changed=lambda person: edited_by(
        gettext("%(who)s saved this contact person at %(when)s, after you opened this page."), person
    ),
)

remove_person = employer_action(
    load=_person,
    form=lambda step: ButtonForm(step.data),
    run=lambda step, data: actions.remove_contact_person(step.actor, step.target),
    success=_("The contact person is removed."),
    title=lambda step: gettext("Remove %(name)s") % {"name": step.target.name},
    submit_label=_("Remove"),
    confirm=_("Remove this contact person?"),
)


# --- job development contacts ------------------------------------------------------------------


log_contact = employer_action(
    form=lambda step: EmployerContactForm(step.data, actor=step.actor),
    run=lambda step, data: actions.log_contact(
        step.actor,
        step.target,
        on=data["on"],
        mode=data["mode"],
        purpose=data["purpose"],
        place=data["place"],
        trajectory=data.get("trajectory"),
        note=data.get("note", ""),
    ),
    success=_("The employer contact is logged."),
    title=_("Log a job development contact"),
    submit_label=_("Log"),
)


def get_team_trajectory(step: Step) -> Trajectory:
    """A trajectory of the actor's team (clients.access: 404 for anyone else)."""
    return get_visible(
        step.actor,
        team_trajectories(step.actor).select_related("client", "type"),
        step.kwargs["trajectory"],
    )


def _to_trajectory(step: Step, result: object = None) -> str:
    return reverse("trajectories:detail", args=[step.kwargs["trajectory"]]) + "#job-development"


log_trajectory_contact = action_view(
    policy=employer_writer,
    load=get_team_trajectory,
    form=lambda step: TrajectoryContactForm(step.data, actor=step.actor),
    run=lambda step, data: actions.log_contact(
        step.actor,
        data["employer"],
        on=data["on"],
        mode=data["mode"],
        purpose=data["purpose"],
        place=data["place"],
        trajectory=step.target,
        note=data.get("note", ""),
    ),
    success=_("The employer contact is logged."),
    done=_to_trajectory,
    title=_("Log a job development contact"),
    submit_label=_("Log"),
    context=lambda step: {
        "crumbs": [(_to_trajectory(step), step.target)],
        "back": _to_trajectory(step),
        "subject": step.target.client,
    },
    refused_status=200,
)


# --- openings and introductions ----------------------------------------------------------------


add_opening = _add_to_employer(
    OpeningForm,
    actions.add_opening,
    success=_("The opening is added."),
    title=_("Add an opening"),
)
_opening = _of_employer(Opening, "opening")


close_opening = employer_action(
    load=_opening,
    form=lambda step: CloseOpeningForm(step.data),
    run=lambda step, data: actions.close_opening(step.actor, step.target, on=data["on"]),
    success=_("The opening is closed."),
    title=lambda step: gettext("Close the opening %(title)s") % {"title": step.target.title},
    submit_label=_("Close"),
    confirm=_("Close this opening?"),
)

introduce = employer_action(
    load=_opening,
    form=lambda step: IntroduceForm(step.data, actor=step.actor),
    run=lambda step, data: actions.introduce(step.actor, step.target, data["trajectory"], on=data["on"]),
    success=_("The introduction is recorded."),
    title=lambda step: gettext("Introduce a client to %(title)s") % {"title": step.target.title},
    submit_label=_("Introduce"),
)


def _introduction(step: Step) -> Introduction:
    """An introduction of a client the actor may see (clients.access: 404 otherwise)."""
    return get_visible(
        step.actor,
        Introduction.objects.filter(
            opening__employer_id=step.kwargs["pk"], trajectory__in=team_trajectories(step.actor).values("pk")
        ).select_related("opening", "trajectory__client"),
        step.kwargs["introduction"],
        client_path="trajectory__client",
    )


set_outcome = employer_action(
    load=_introduction,
    form=lambda step: OutcomeForm(step.data, initial={"outcome": step.target.outcome}),
    run=lambda step, data: actions.set_outcome(step.actor, step.target, data["outcome"]),
    success=_("The outcome is saved."),
    title=lambda step: (
        gettext("Outcome of %(client)s at %(title)s")
        % {"client": step.target.trajectory.client, "title": step.target.opening.title}
    ),
    version=lambda introduction: introduction.outcome,
    changed=lambda introduction: (
        gettext("Someone else set the outcome to “%(outcome)s” in the meantime.")
        % {"outcome": introduction.get_outcome_display()}
    ),
)
