"""The outreach area's writes, declared with core.actionviews (docs/conventions.md)."""

from __future__ import annotations

import datetime
import functools
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.policy import role_view
from werkbrug.outreach import actions, booking_actions
from werkbrug.outreach.access import (
    OUTREACH_ROLES,
    get_site,
    visible_appointments,
    visible_bookings,
    visible_hours,
)
from werkbrug.outreach.forms import (
    AgreementForm,
    AppointmentForm,
    AppointmentStateForm,
    CancelDateForm,
    ConfirmBookingForm,
    HoursForm,
    SiteForm,
    StepForm,
)
from werkbrug.outreach.models import Appointment, Booking, BookingStatus, Hours, Site
from werkbrug.outreach.schedule import Slot, free_slots

# How far ahead a coach picks a slot for an appointment or a confirmed call-back.
PICK_DAYS = 28


def _site(step: Step) -> Site:
    """The site of the page's target: a site, hours or a booking (their site), an appointment (its
    hours' site)."""
    target = step.target
    if isinstance(target, Site):
        return target
    if isinstance(target, Appointment):
        return target.hours.site
    return cast(Site, target.site)


def _page(step: Step) -> dict[str, Any]:
    crumbs = [(reverse("outreach:sites"), gettext("Care sites"))]
    if step.target is None:
        return {"crumbs": crumbs, "back": reverse("outreach:sites")}
    site = _site(step)
    detail = reverse("outreach:site", args=[site.pk])
    return {
        "crumbs": [*crumbs, (detail, site.name)],
        "back": detail,
        "back_label": gettext("Back to the site"),
    }


def to_site(step: Step, result: Any) -> str:
    return reverse("outreach:site", args=[_site(step).pk])


outreach_action = functools.partial(
    action_view,
    policy=role_view(*OUTREACH_ROLES),
    load=lambda step: get_site(step.actor, step.kwargs["pk"]),
    context=_page,
    done=to_site,
)


def _site_data(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "host_name": data.get("host_name", "").strip()}


site_new = outreach_action(
    load=None,
    form=lambda step: SiteForm(step.data, actor=step.actor),
    run=lambda step, data: actions.create_site(step.actor, **_site_data(data)),
    success=_("The site was added."),
    done=lambda step, site: reverse("outreach:site", args=[site.pk]),
    title=_("New care site"),
)


def _site_form(step: Step) -> SiteForm:
    site = cast(Site, step.target)
    initial = {name: getattr(site, name) for name in actions.SITE_FIELDS}
    return SiteForm(step.data, actor=step.actor, initial=initial)


site_edit = outreach_action(
    form=_site_form,
    run=lambda step, data: actions.update_site(step.actor, step.target, **_site_data(data)),
    success=_("The site was saved."),
    title=_("Edit the site"),
)

step_new = outreach_action(
    form=lambda step: StepForm(step.data, initial={"on": timezone.localdate()}),
    run=lambda step, data: actions.record_step(step.actor, step.target, **data),
    success=_("The recruitment step was recorded."),
    title=_("Record a recruitment step"),
    intro=_("The stages go in order. Going back to an earlier stage is allowed, with a note saying why."),
)

agreement_new = outreach_action(
    form=lambda step: AgreementForm(step.data, step.request.FILES or None),
    run=lambda step, data: actions.record_agreement(step.actor, step.target, **data),
    success=_("The agreement was recorded."),
    title=_("Record the cooperation agreement"),
    template="core/upload_action.html",
)

hours_new = outreach_action(
    form=lambda step: HoursForm(step.data, actor=step.actor, initial={"valid_from": timezone.localdate()}),
    run=lambda step, data: actions.add_hours(step.actor, step.target, **data),
    success=_("The consultation hours were added."),
    title=_("Add consultation hours"),
)


def _hours(step: Step) -> Hours:
    return get_object_or_404(visible_hours(step.actor).select_related("site"), pk=step.kwargs["pk"])


hours_cancel = outreach_action(
    load=_hours,
    form=CancelDateForm,
    run=lambda step, data: actions.cancel_date(step.actor, step.target, **data),
    success=_("The date was cancelled."),
    title=_("Cancel one date"),
    intro=_("Appointments already made that day stay: cancel them one by one, and let the people know."),
)


def _slots(step: Step, site: Site) -> list[Slot]:
    today = timezone.localdate()
    return free_slots(
        site.hours.select_related("coach"),
        today,
        today + datetime.timedelta(days=PICK_DAYS),
        after=timezone.now(),
    )


def _appointment_run(step: Step, data: dict[str, Any]) -> Any:
    hours_id, starts_at = data["slot"]
    hours = get_object_or_404(visible_hours(step.actor).filter(site=step.target), pk=hours_id)
    return booking_actions.book_appointment(
        step.actor,
        hours,
        starts_at=starts_at,
        first_name=data["first_name"],
        phone=data["phone"],
        email=data["email"],
    )


appointment_new = outreach_action(
    form=lambda step: AppointmentForm(step.data, slots=_slots(step, step.target)),
    run=_appointment_run,
    success=_("The appointment was made."),
    title=_("Make an appointment"),
)


appointment_state = outreach_action(
    load=lambda step: get_object_or_404(
        visible_appointments(step.actor).select_related("hours__site"), pk=step.kwargs["pk"]
    ),
    form=AppointmentStateForm,
    run=lambda step, data: booking_actions.set_appointment_state(
        step.actor, step.target, state=data["state"]
    ),
    success=_("The appointment was updated."),
    done=lambda step, result: reverse("outreach:site", args=[step.target.hours.site_id]),
    title=_("Attended, no-show or cancelled"),
    intro=_("A no-show is only counted. It never closes a file."),
)


def _booking(step: Step) -> Booking:
    return get_object_or_404(
        visible_bookings(step.actor).select_related("site", "hours"), pk=step.kwargs["pk"]
    )


def _confirm_form(step: Step) -> ConfirmBookingForm:
    booking = cast(Booking, step.target)
    slots = _slots(step, booking.site) if booking.status == BookingStatus.PENDING else []
    return ConfirmBookingForm(step.data, slots=slots, needs_slot=booking.wants_call)


def _confirm_run(step: Step, data: dict[str, Any]) -> Any:
    hours, starts_at = None, None
    if data.get("slot"):
        hours_id, starts_at = data["slot"]
        hours = get_object_or_404(visible_hours(step.actor).filter(site=step.target.site), pk=hours_id)
    form = cast(ConfirmBookingForm, step.form)
    return booking_actions.confirm_booking(
        step.actor,
        step.target,
        hours=hours,
        starts_at=starts_at,
        register=data["register"],
        last_name=data.get("last_name", ""),
        birth_date=data.get("birth_date"),
        gender=data.get("gender", ""),
        evidence=form.evidence_value() if data.get("evidence") else None,
    )


def _booking_intro(step: Step) -> str:
    booking = cast(Booking, step.target)
    if booking.wants_call:
        return gettext("%(name)s asked to be called. Call first, then choose the time you agreed.") % {
            "name": booking.first_name
        }
    return gettext("%(name)s booked a time. Confirming makes the appointment.") % {"name": booking.first_name}


booking_confirm = outreach_action(
    load=_booking,
    form=_confirm_form,
    run=_confirm_run,
    success=_("The booking was confirmed: the appointment is made."),
    done=lambda step, result: reverse("outreach:bookings"),
    title=_("Confirm the booking"),
    intro=_booking_intro,
    submit_label=_("Confirm"),
)


def _reject_refused(step: Step) -> HttpResponse:
    for error in step.form.non_field_errors():
        messages.error(step.request, str(error))
    return redirect(reverse("outreach:bookings"))


booking_reject = outreach_action(
    load=_booking,
    form=forms.Form,
    run=lambda step, data: booking_actions.reject_booking(step.actor, step.target),
    success=_("The booking was rejected."),
    done=lambda step, result: reverse("outreach:bookings"),
    post_only=True,
    refused=_reject_refused,
)
