"""The user's own API tokens: list, create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.api import actions
from werkbrug.api.forms import TokenForm
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import submit
from werkbrug.core.policy import login_view
from werkbrug.network.models import ApiToken


@login_view
def tokens(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = TokenForm(request.POST or None)
    new_key = None
    if actor.membership is not None:
        issued = submit(
            request,
            form,
            lambda data: actions.issue_token(actor, name=data["name"]),
            _("The token was created. Copy the key now: it is shown only once."),
        )
        if issued is not None:
            _token, new_key = issued
            form = TokenForm()
    own = (
        ApiToken.objects.filter(membership=actor.membership).order_by("-created_at", "-pk")
        if actor.membership is not None
        else ApiToken.objects.none()
    )
    # Rendered, not redirected, so the key never passes through the session; never cached.
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": own, "new_key": new_key, "acting_as": actor.membership},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_view
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    token = ApiToken.objects.select_related("membership").filter(pk=pk, membership__user=actor.user).first()
    if token is None:
        raise Http404
    try:
        actions.revoke_token(actor, token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token was revoked. It no longer works."))
    return redirect("api:tokens")
