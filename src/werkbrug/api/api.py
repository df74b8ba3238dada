"""The JSON API under /api/ (DESIGN §2): typed, token-authenticated, OpenAPI at /api/openapi.json.

Every operation declares an access policy (`api_policy` in api/auth.py); check_policies() refuses
to start without one. Errors are JSON: 401 without a valid token, 404 for anything the token may not
see, 400 `{"detail", "field"}` for a rule of the domain (a decision another person took first
included: the message says who and when), 422 for input that does not validate (the schema, then
the page's own form: api.forms.clean_with).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError
from ninja.operation import Operation

from werkbrug.api import (
    clients,
    handovers,
    network,
    profiles,
    referrals,
    teams,
    trajectories,
    trajectory_actions,
    triage,
    workcare,
)
from werkbrug.api.auth import POLICIES, ApiTokenAuth
from werkbrug.core.exceptions import DomainError


class WerkbrugAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view function's name (list_clients, create_referral): short, stable, unique.
        return operation.view_func.__name__

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # Unknown paths under /api/ (and /api/ itself) answer JSON too, not the HTML 404 page. The
        # root pattern stays (its name gives ninja the API's prefix); only its view changes.
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                pattern.callback = not_found
        return [*urls, re_path(r"", not_found, name="not-found")]


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return JsonResponse({"detail": "Not Found"}, status=404)


not_found.access_policy = "public"  # type: ignore[attr-defined]

api = WerkbrugAPI(
    title="Werkbrug API",
    version="1",
    description=(
        "Client files, consents, referrals and trajectories of the Werkbrug network. Send a personal "
        "token as `Authorization: Bearer <key>` (create one under /account/api-tokens/). A token sees "
        "exactly what its user sees in the organisation it was created for; anything else is 404."
    ),
    auth=ApiTokenAuth(),
    # The interactive docs load scripts from a CDN, which the CSP forbids; the schema is enough.
    docs_url=None,
    urls_namespace="api-v1",
)

ROUTERS: list[tuple[str, Router]] = [
    ("/", network.router),
    ("/clients", clients.router),
    ("/clients", profiles.router),
    ("/consents", clients.consents_router),
    ("/referrals", referrals.router),
    ("/referrals", triage.router),
    ("/trajectories", trajectories.router),
    ("/trajectories", trajectory_actions.router),
    ("/trajectories", handovers.router),
    ("/meetings", teams.router),
    ("/trajectories", workcare.router),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)


def operations() -> Iterator[tuple[str, Operation]]:
    """(path, operation) for every operation of the API."""
    for prefix, router in ROUTERS:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield prefix.rstrip("/") + path, operation


def check_policies() -> None:
    """Deny by default: refuse to serve an operation that declares no known access policy."""
    missing = [
        f"{' '.join(op.methods)} {path}"
        for path, op in operations()
        if getattr(op.view_func, "access_policy", None) not in POLICIES
    ]
    if missing:
        raise ImproperlyConfigured(f"API operations without an access policy: {', '.join(missing)}")


check_policies()


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    # Actions are atomic: nothing was written.
    return api.create_response(request, {"detail": str(exc.message), "field": exc.field}, status=400)


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A model's full_clean() inside an action refused the data (the schema should have first)."""
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            errors.extend(_error(["body", field], error) for error in field_errors)
    else:
        errors.extend(_error(["body"], error) for error in exc.error_list)
    return api.create_response(request, {"detail": errors}, status=422)


def _error(loc: list[str], error: DjangoValidationError) -> dict[str, Any]:
    message = error.message % error.params if error.params else error.message
    return {"type": error.code or "invalid", "loc": loc, "msg": str(message)}


@api.exception_handler(Http404)
def not_visible(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Always the same answer: "does not exist" and "not yours" must look alike.
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="werkbrug"'
    return response
