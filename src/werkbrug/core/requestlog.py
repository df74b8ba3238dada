"""One structured log line per request, a request id, and the request metrics (issue 19, point 5;
docs/deploy.md, "Logs and metrics").

`RequestLogMiddleware` comes first in settings.MIDDLEWARE. For every request it
- takes the request id from an incoming `X-Request-ID` when well-formed (a load balancer's uuid or
  nginx's `$request_id`: hex digits and dashes), else makes a uuid4; keeps it as
  `request.request_id`, returns it in the `X-Request-ID` header, and the error pages show it;
- counts the database queries the view runs (on every configured alias);
- writes one line to the logger `werkbrug.request`: request id, user id, organisation id, method,
  route (the URL *pattern*, e.g. `clients/<int:pk>/`, never the path: no search words, no names),
  view name, status, duration in ms and query count. Nothing else of the request: no query string,
  no body, no user name, so no client data;
- adds the request to the Prometheus metrics (core.metrics).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

from werkbrug.core import metrics

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[0-9A-Fa-f-]{16,64}")
log = logging.getLogger("werkbrug.request")


def request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(HEADER, "")
    if WELL_FORMED.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _user_and_organisation(request: HttpRequest) -> tuple[int | None, int | None]:
    """From what the request already loaded: logging costs no query."""
    user = getattr(request, "_cached_user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    actor = getattr(request, "_actor", None)
    membership = getattr(actor, "membership", None)
    return user_id, getattr(membership, "organisation_id", None)


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        counter = _QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        duration = time.perf_counter() - started
        response[HEADER] = request.request_id  # type: ignore[attr-defined]
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else None
        view = match.view_name if match is not None else None
        user_id, organisation_id = _user_and_organisation(request)
        log.info(
            "request",
            extra={
                "request_id": request.request_id,  # type: ignore[attr-defined]
                "user_id": user_id,
                "organisation_id": organisation_id,
                "method": request.method,
                "route": route,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "queries": counter.count,
            },
        )
        metrics.observe_request(view, request.method or "", response.status_code, duration, counter.count)
        return response
