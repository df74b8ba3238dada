"""The coach's calendar feed: the page that makes and revokes the secret subscription URL, and the
feed itself (public: the token is the key; docs/outreach.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import digest
from werkbrug.core.policy import public_view, role_view
from werkbrug.outreach import feeds
from werkbrug.outreach.access import OUTREACH_ROLES
from werkbrug.outreach.ics import CONTENT_TYPE, coach_calendar
from werkbrug.outreach.models import CalendarFeed


@role_view(*OUTREACH_ROLES)
@require_safe
def feed_page(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    live = feeds.live_feed(actor.membership) if actor.membership else None
    return render(request, "outreach/feed.html", {"live": live})


def _membership(step: Step) -> Any:
    if step.actor.membership is None:
        raise Http404
    return step.actor.membership


def _feed_version(membership: Any) -> str:
    # A repeated POST (a double click, the back button) finds another feed row.
    return digest(*CalendarFeed.objects.filter(membership=membership).values_list("pk", "revoked_at")[:1])


def _made(step: Step, token: str) -> HttpResponse:
    """The URL is shown once, on this page: only its digest is kept."""
    url = step.request.build_absolute_uri(reverse("outreach:feed", args=[token]))
    response = render(step.request, "outreach/feed_made.html", {"url": url})
    response["Cache-Control"] = "private, no-store"
    return response


feed_create = action_view(
    policy=role_view(*OUTREACH_ROLES),
    load=_membership,
    form=forms.Form,
    run=lambda step, data: feeds.create_feed(step.actor),
    success=_("Your calendar feed was made. Copy the link now: it is shown only once."),
    done=_made,
    title=_("Make a calendar subscription link"),
    intro=_(
        "Anyone holding the link sees your consultation hours and the times of your appointments, "
        "never a name. Making a new link stops the old one."
    ),
    submit_label=_("Make the link"),
    context=lambda step: {
        "back": reverse("outreach:feed_page"),
        "back_label": _("Back to the calendar feed"),
    },
    version=_feed_version,
    changed=lambda m: str(_("The feed changed since you opened this page. Look at it again.")),
)

feed_revoke = action_view(
    policy=role_view(*OUTREACH_ROLES),
    load=_membership,
    form=forms.Form,
    run=lambda step, data: feeds.revoke_feed(step.actor),
    success=_("The calendar feed was stopped: the link no longer works."),
    done=lambda step, feed: reverse("outreach:feed_page"),
    title=_("Stop the calendar feed"),
    submit_label=_("Stop the feed"),
    confirm=_("Stop this calendar feed? Calendars subscribed to it stop updating."),
    context=lambda step: {
        "back": reverse("outreach:feed_page"),
        "back_label": _("Back to the calendar feed"),
    },
    version=_feed_version,
    changed=lambda m: str(_("The feed changed since you opened this page. Look at it again.")),
)


@public_view
@never_cache
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription itself: 404 for an unknown, revoked or malformed token, alike."""
    actor = feeds.actor_for_token(token)
    if actor is None:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):  # the calendar app sends no one's language
        data = coach_calendar(actor, actor.user, feed=True)
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
