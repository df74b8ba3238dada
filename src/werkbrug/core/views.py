from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.forms import ThrottledLoginForm
from werkbrug.core.policy import login_view, public_view
from werkbrug.network.middleware import SESSION_KEY
from werkbrug.network.models import Membership, Role

START_PAGES = {
    Role.COACH: "trajectories:caseload",
    Role.CARE_PROFESSIONAL: "referrals:mine",
    Role.SCREENER: "referrals:inbox",
    Role.COORDINATOR: "trajectories:capacity",
    Role.NETWORK_ADMIN: "network:home",
    Role.FUNDER: "reports:index",
}


@public_view
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # health check reports rather than raises
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "engine": connection.vendor},
        status=status,
    )


@login_view
def home(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    if actor.membership is None:
        return render(request, "core/no_membership.html", status=200)
    return redirect(START_PAGES[Role(actor.membership.role)])


class SwitchForm(forms.Form):
    membership = forms.IntegerField(min_value=1, required=False)


def _switch(step: Step, data: dict[str, Any]) -> None:
    """Act through another of one's own active memberships; anything else changes nothing."""
    membership = Membership.objects.filter(
        pk=data["membership"] or 0, user_id=step.request.user.pk or 0, is_active=True
    ).first()
    if membership is not None:
        step.request.session[SESSION_KEY] = membership.pk


switch_membership = action_view(
    policy=login_view,
    form=SwitchForm,
    run=_switch,
    success="",
    done=lambda step, result: reverse("core:home"),
    post_only=True,
    refused=lambda step: redirect(reverse("core:home")),
)


login = public_view(
    auth_views.LoginView.as_view(
        template_name="core/login.html",
        authentication_form=ThrottledLoginForm,
        redirect_authenticated_user=True,
    )
)
logout = public_view(auth_views.LogoutView.as_view())
