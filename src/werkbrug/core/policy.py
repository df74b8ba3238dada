"""Declared access policies for views. Deny by default: a test walks the URLconf and fails for any
view without one (core/tests/test_url_policies.py). The same walker checks that every view that
writes is built with `core.actionviews.action_view`, the one action pattern."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from werkbrug.core.actor import Actor
from werkbrug.network.models import CLIENT_ROLES, Role

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def _policy(name: str, *, public: bool, roles: Iterable[str] | None) -> Callable[[V], V]:
    allowed = frozenset(roles) if roles is not None else None

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not public:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                actor = Actor.from_request(request)
                # 404, not 403: an outsider learns nothing, not even that the page exists.
                if allowed is not None and actor.role not in allowed:
                    raise Http404
            return view(request, *args, **kwargs)

        wrapper.access_policy = name  # type: ignore[attr-defined]
        wrapper.accepts_post = getattr(view, "accepts_post", False)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public_view(view: V) -> V:
    """Anyone, logged in or not (login page, health check)."""
    return _policy("public", public=True, roles=None)(view)


def login_view(view: V) -> V:
    """Any logged-in user; shows no client data."""
    return _policy("authenticated", public=False, roles=None)(view)


def client_view(view: V) -> V:
    """Client data: a client role, and every object fetched through clients.access."""
    return _policy("client_data", public=False, roles=CLIENT_ROLES)(view)


def role_view(*roles: Role) -> Callable[[V], V]:
    """Only these roles (e.g. network admin pages)."""
    return _policy("roles:" + ",".join(sorted(roles)), public=False, roles=roles)
