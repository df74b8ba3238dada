from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views import defaults

from werkbrug.core.audit import request_scope as audit_request_scope


class ContentSecurityPolicyMiddleware:
    """Adds the CSP header: scripts and styles from our own origin only, no inline code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class FriendlyErrorPagesMiddleware:
    """With DEBUG on (as in `make demo`), Django answers a 404 with its English technical page. This
    shows the app's own translated page instead (templates/404.html), as production does; a
    developer who wants Django's page sets TECHNICAL_ERROR_PAGES=1. (A 403 uses our page already,
    a 500 keeps Django's handling.) With DEBUG off it does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return bool(settings.DEBUG and not settings.TECHNICAL_ERROR_PAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and self.active():
            # An address no URL pattern matches fails before any view, so process_exception never
            # sees it: answer it here.
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as missing:
                return defaults.page_not_found(request, missing)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and self.active():
            return defaults.page_not_found(request, exception)
        return None


class AuditScopeMiddleware:
    """One `view` row in the audit trail per client per request (core.audit.request_scope)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_request_scope():
            return self.get_response(request)
