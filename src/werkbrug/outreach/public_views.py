"""The public booking page of a site (`/b/<code>/`): no login, nothing about anyone else.

It shows the site's name, the free times (times only: never who holds the others) and the consent
text; it takes a first name and a phone number or an e-mail address. Abuse protection: a honeypot
field (filled: refused, nothing written), a throttle per address and per site in Django's cache,
and a limit on open bookings per contact (outreach.booking_actions).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from werkbrug.core.actionviews import Step, action_view, render_form_page
from werkbrug.core.clientip import client_ip
from werkbrug.core.exceptions import DomainError
from werkbrug.core.policy import public_view
from werkbrug.outreach import booking_actions
from werkbrug.outreach.models import Site
from werkbrug.outreach.public_forms import HONEYPOT, BookingForm, consent_text
from werkbrug.outreach.schedule import free_slots

# The public page offers the free times of the next two weeks.
SHOW_DAYS = 14


def _site(step: Step) -> Site:
    site = get_object_or_404(Site, booking_code=step.kwargs["code"].lower())
    if not site.booking_open:
        raise Http404
    return site


def _form(step: Step) -> BookingForm:
    today = timezone.localdate()
    slots = free_slots(
        step.target.hours.all(), today, today + datetime.timedelta(days=SHOW_DAYS), after=timezone.now()
    )
    return BookingForm(step.data, slots=slots)


TOO_MANY = _("Too many bookings from here in a short time. Try again in an hour, or call the site.")
REFUSED = _("Your booking could not be taken.")


def _run(step: Step, data: dict[str, Any]) -> Any:
    if data.get(HONEYPOT):
        # A robot filled the field people never see: refused before anything is counted or written.
        raise DomainError(str(REFUSED))
    if booking_actions.throttled(step.target, client_ip(step.request)):
        step.request.throttled = True  # type: ignore[attr-defined]
        raise DomainError(str(TOO_MANY))
    hours, starts_at = None, None
    if data.get("slot"):
        hours_id, starts_at = data["slot"]
        hours = step.target.hours.filter(pk=hours_id).first()
        if hours is None:
            raise DomainError(str(_("There is no consultation at that time.")), field="slot")
    return booking_actions.self_book(
        step.target,
        first_name=data["first_name"],
        phone=data["phone"],
        email=data["email"],
        consent_text=consent_text(),
        language=get_language() or "",
        hours=hours,
        starts_at=starts_at,
    )


def _refused(step: Step) -> HttpResponse:
    status = 429 if getattr(step.request, "throttled", False) else 400
    return render_form_page(step, book.action_spec, status=status)  # type: ignore[attr-defined]


def _page(step: Step) -> dict[str, Any]:
    return {"site": step.target, "consent_text": consent_text(), "honeypot": HONEYPOT}


book = action_view(
    policy=lambda view: public_view(never_cache(view)),
    load=_site,
    form=_form,
    run=_run,
    success="",
    done=lambda step, booking: (
        reverse("outreach_public:thanks", args=[step.target.booking_code])
        + ("?call=1" if booking.wants_call else "")
    ),
    title=lambda step: str(_("Book a conversation at %(site)s") % {"site": step.target.name}),
    submit_label=_("Book"),
    template="outreach/public_book.html",
    context=_page,
    refused=_refused,
)


@public_view
@require_safe
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    """The same page for everyone: it shows nothing of the booking (a link can be shared)."""
    site = get_object_or_404(Site, booking_code=code.lower(), booking_open=True)
    return render(
        request, "outreach/public_thanks.html", {"site": site, "call": request.GET.get("call") == "1"}
    )
