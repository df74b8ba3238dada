"""The user's own API tokens: list, create (the key is shown once), revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from werkbrug.api import actions
from werkbrug.api.forms import TokenForm
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.policy import login_view
from werkbrug.network.models import ApiToken


def _page(step: Step, new_key: str | None = None) -> dict[str, Any]:
    """The tokens of the active membership only, newest first."""
    membership = step.actor.membership
    own = (
        ApiToken.objects.filter(membership=membership).order_by("-created_at", "-pk")
        if membership is not None
        else ApiToken.objects.none()
    )
    return {"tokens": own, "new_key": new_key, "acting_as": membership}


def _issued(step: Step, issued: tuple[ApiToken, str]) -> HttpResponse:
    """Rendered, not redirected, so the key never passes through the session."""
    _token, key = issued
    return render(step.request, "api/tokens.html", {"form": TokenForm(), **_page(step, key)})


tokens = action_view(
    # Never cached: the page shows a new key once.
    policy=lambda view: login_view(cache_control(no_store=True)(view)),
    form=TokenForm,
    run=lambda step, data: actions.issue_token(step.actor, name=data["name"]),
    success=_("The token was created. Copy the key now: it is shown only once."),
    done=_issued,
    template="api/tokens.html",
    context=_page,
    refused_status=200,
)


def _revoke_refused(step: Step) -> HttpResponse:
    for error in step.form.non_field_errors():
        messages.error(step.request, str(error))
    return redirect("api:tokens")


token_revoke = action_view(
    policy=login_view,
    load=lambda step: get_object_or_404(
        ApiToken.objects.select_related("membership"), pk=step.kwargs["pk"], membership__user=step.actor.user
    ),
    form=forms.Form,
    run=lambda step, data: actions.revoke_token(step.actor, step.target),
    success=_("The token was revoked. It no longer works."),
    done=lambda step, token: "api:tokens",
    post_only=True,
    refused=_revoke_refused,
)
