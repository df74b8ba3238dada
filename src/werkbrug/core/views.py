from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from werkbrug.core import choosers
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
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
    Role.PRIVACY_OFFICER: "privacy:index",
    Role.RESEARCHER: "reports:research",
}


# Once every migration is applied it stays so for this process (a deploy that brings new ones
# restarts it), so the migration graph is loaded only until the first good answer: /healthz stays
# cheap, and the bench measures pages against it.
_migrations_applied = False


def _pending_migrations() -> list[str]:
    global _migrations_applied
    if _migrations_applied:
        return []
    plan = MigrationExecutor(connection).migration_plan(MigrationLoader(connection).graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _migrations_applied = not pending
    return pending


def _writable(path: Path) -> bool:
    """The data directory (uploaded consent forms) takes writes: it, or the folder it will be made
    in on the first upload."""
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    return existing is not None and existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)


@public_view
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app can serve: the database answers, every migration is applied and the data
    directory takes writes; else 503 with the reason, so a load balancer or an operator sees why
    (a never-migrated database otherwise answered 200 here and 500 at the login)."""
    problems: list[str] = []
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # health check reports rather than raises
        database = "error"
        problems.append("database unreachable")
    migrations = "unknown"
    if database == "ok":
        try:
            pending = _pending_migrations()
        except Exception:  # an unreadable migration table is a reason, not a crash
            pending = ["unreadable migration table"]
        migrations = "ok" if not pending else "pending"
        if pending:
            problems.append(
                "migrations pending: " + ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
            )
    media = Path(settings.MEDIA_ROOT)
    storage = "ok" if _writable(media) else "error"
    if storage != "ok":
        problems.append(f"data directory not writable: {media}")
    status = 503 if problems else 200
    return JsonResponse(
        {
            "status": "error" if problems else "ok",
            "database": database,
            "migrations": migrations,
            "storage": storage,
            "engine": connection.vendor,
            "problems": problems,
        },
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
    auth_views.LoginView.as_view(template_name="core/login.html", redirect_authenticated_user=True)
)


LOCKED = 429  # Too Many Requests: the login page, with the reason


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """What django-axes answers for a locked account (settings.AXES_LOCKOUT_CALLABLE): the login page
    again with a plain message. It says the same for a username that does not exist, so it tells
    nobody whether an account exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if minutes == 15:  # the default, said as people say it
        message = _("Too many failed attempts. Wait a quarter of an hour and try again.")
    else:
        message = _("Too many failed attempts. Wait %(minutes)s minutes and try again.") % {
            "minutes": minutes
        }
    return render(
        request, "core/login.html", {"form": AuthenticationForm(request), "locked": message}, status=LOCKED
    )


logout = public_view(auth_views.LogoutView.as_view())


@login_view
def choose(request: HttpRequest, name: str) -> HttpResponse:
    """The search behind a chooser field (core.choosers): at most LIMIT rows of what this user may
    choose, as a list of buttons; an unknown chooser is 404."""
    chooser = choosers.get(name)
    actor = Actor.from_request(request)
    if not chooser.may_use(actor):
        raise Http404
    context = dict(choosers.results_context(chooser, actor, request.GET.get("q", "")))
    context["target"] = request.GET.get("for", "")
    return render(request, "core/_chooser_results.html", context)


@public_view
def server_error(request: HttpRequest) -> HttpResponse:
    """settings handler500: Django's page, plus the request id to quote to the helpdesk. Rendered
    without a request context, like Django's own: nothing on it can fail again."""
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request_id": getattr(request, "request_id", "")}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: the expired-form page, rendered with the request (Django's own
    view renders it without), so that it shows the menu and the request id."""
    return render(request, "403_csrf.html", status=403)
