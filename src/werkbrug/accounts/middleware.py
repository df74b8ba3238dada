"""Until the second factor is given, a logged-in user who needs one reaches nothing but the login,
logout and two-step pages (docs/security.md). Runs after django_otp's OTPMiddleware, which tells
whether this session was verified with one of the user's devices."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from werkbrug.accounts import twofactor

# The pages a user still owes a second factor may open.
OPEN_VIEWS = frozenset(
    {
        "core:login",
        "core:logout",
        "core:healthz",
        "set_language",
        "accounts:setup",
        "accounts:verify",
        "accounts:password_reset",
        "accounts:password_reset_sent",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
    }
)
# The JSON API authenticates by token only, never by the session (api/auth.py); static files are
# served before this middleware (whitenoise) or are harmless.
OPEN_PREFIXES = ("/api/", "/static/")


def is_open(request: HttpRequest) -> bool:
    if request.path_info.startswith(OPEN_PREFIXES):
        return True
    try:
        return resolve(request.path_info).view_name in OPEN_VIEWS
    except Resolver404:
        return False


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not twofactor.is_verified(user) and not is_open(request):
            need = twofactor.session_need(request.session, user)  # type: ignore[arg-type]
            if need != twofactor.NONE:
                page = reverse("accounts:verify" if need == twofactor.CODE else "accounts:setup")
                return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
