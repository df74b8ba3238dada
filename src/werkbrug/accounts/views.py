"""Two-step login pages: the code at login, setting an app up, one's own status, and the network
admin's reset of a user's devices (docs/security.md)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import wraps
from typing import Any

import django_otp
import segno
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp.models import Device

from werkbrug.accounts import actions, twofactor
from werkbrug.accounts.forms import CodeForm, SetupForm
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.exceptions import DomainError
from werkbrug.core.policy import login_view, role_view
from werkbrug.network.models import Role, User

SETUP_KEY = "werkbrug_totp_setup"  # the secret on the setup page, until its first code confirms it

View = Callable[..., HttpResponse]


def _next(request: HttpRequest) -> str:
    """Where the page the user first asked for was, if it is ours; else the start page."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


def _verified(request: HttpRequest, device: Device) -> None:
    """Mark the session verified as django_otp.login does, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    twofactor.forget(request.session)
    request.session.pop(SETUP_KEY, None)


def _when(condition: Callable[[HttpRequest], str | None]) -> Callable[[View], View]:
    """Send the user elsewhere when `condition(request)` names a URL (a page that does not apply)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            elsewhere = condition(request)
            return redirect(elsewhere) if elsewhere else view(request, *args, **kwargs)

        return wrapper

    return decorate


def _away_from_setup(request: HttpRequest) -> str | None:
    """Setting up is for a user without an app."""
    if not twofactor.has_device(request.user):  # type: ignore[arg-type]
        return None
    return (
        reverse("accounts:two_factor") if twofactor.is_verified(request.user) else reverse("accounts:verify")
    )


def _away_from_verify(request: HttpRequest) -> str | None:
    """Giving a code is for a user with an app whose session is not verified yet."""
    if twofactor.is_verified(request.user):
        return _next(request)
    if twofactor.has_device(request.user):  # type: ignore[arg-type]
        return None
    return reverse("accounts:setup") if twofactor.required_for(request.user) else reverse("core:home")  # type: ignore[arg-type]


def _secret(request: HttpRequest) -> str:
    """The secret the setup page shows, the same until it is confirmed."""
    key = request.session.get(SETUP_KEY)
    if not isinstance(key, str):
        key = actions.new_secret()
        request.session[SETUP_KEY] = key
    return key


def _setup_page(step: Step) -> dict[str, Any]:
    key = _secret(step.request)
    secret = base64.b32encode(binascii.unhexlify(key)).decode()
    label = f"Werkbrug:{step.request.user.get_username()}"
    url = f"otpauth://totp/{label}?secret={secret}&issuer=Werkbrug&digits=6&period=30"
    return {
        "qr": segno.make(url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": twofactor.required_for(step.request.user),  # type: ignore[arg-type]
    }


def _confirm(step: Step, data: dict[str, Any]) -> list[str]:
    device, codes = actions.confirm_device(step.actor, key=_secret(step.request), code=data["code"])
    _verified(step.request, device)
    return codes


def _codes(step: Step, codes: list[str]) -> HttpResponse:
    """Rendered, not redirected: the recovery codes never pass through the session."""
    return render(step.request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(step.request)})


setup = action_view(
    policy=lambda view: login_view(never_cache(_when(_away_from_setup)(view))),
    form=SetupForm,
    run=_confirm,
    success=gettext_lazy("Two-step verification is on."),
    done=_codes,
    title=gettext_lazy("Set up two-step verification"),
    submit_label=gettext_lazy("Confirm"),
    template="accounts/setup.html",
    context=_setup_page,
    refused_status=200,
)


def _check_code(step: Step, data: dict[str, Any]) -> None:
    wait = actions.wait_seconds(step.actor.user)
    if wait:  # django-otp's throttle: after a wrong code, the next one waits (1, 2, 4, … s)
        raise DomainError(
            _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": wait},
            field="code",
        )
    device = actions.verify_code(step.actor, data["code"])
    if device is None:
        raise DomainError(_("This code is not right."), field="code")
    _verified(step.request, device)


verify = action_view(
    policy=lambda view: login_view(never_cache(_when(_away_from_verify)(view))),
    form=CodeForm,
    run=_check_code,
    success="",
    done=lambda step, result: _next(step.request),
    title=gettext_lazy("Two-step verification"),
    intro=gettext_lazy(
        "Type the code your authenticator app shows for Werkbrug. Lost your phone? Use one of your recovery codes."
    ),
    submit_label=gettext_lazy("Continue"),
    template="accounts/verify.html",
    refused_status=200,
)


@login_view
def status(request: HttpRequest) -> HttpResponse:
    """One's own two-step verification: on or off, and how many recovery codes are left."""
    user: User = request.user  # type: ignore[assignment]
    recovery = twofactor.recovery_device(user)
    return render(
        request,
        "accounts/status.html",
        {
            "device": twofactor.confirmed_totp(user),
            "codes_left": recovery.token_set.count() if recovery is not None else 0,
            "required": twofactor.required_for(user),
        },
    )


reset = action_view(
    policy=role_view(Role.NETWORK_ADMIN),
    load=lambda step: get_object_or_404(User, pk=step.kwargs["pk"]),
    form=forms.Form,
    run=lambda step, data: actions.reset_two_factor(step.actor, step.target),
    success=gettext_lazy("Two-step verification was reset. The person sets it up again at the next login."),
    done=lambda step, result: reverse("network:user_edit", args=[step.target.pk]),
    title=gettext_lazy("Reset two-step verification"),
    intro=gettext_lazy(
        "Do this when the person lost their phone and their recovery codes. Their app and recovery codes "
        "stop working; at the next login they set up a new app."
    ),
    submit_label=gettext_lazy("Reset"),
    confirm=gettext_lazy("Reset two-step verification for this person?"),
    template="network/form.html",
    context=lambda step: {
        "section": "users",
        "subject": str(step.target),
        "crumbs": [
            (reverse("network:user_list"), _("Users")),
            (reverse("network:user_edit", args=[step.target.pk]), str(step.target)),
        ],
        "back": reverse("network:user_edit", args=[step.target.pk]),
    },
    refused_status=200,
)
