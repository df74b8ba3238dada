"""Token authentication and declared access policies for the JSON API.

A request carries `Authorization: Bearer <key>`; the key is looked up by its hash, never stored in
clear. The token acts through exactly one membership, as the user would on a page with that
membership active. There is no session authentication on the API, hence no CSRF to worry about.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from werkbrug.core.actor import Actor
from werkbrug.network.models import ApiToken

F = TypeVar("F", bound=Callable[..., Any])

# Keys are "wb_" + 43 url-safe characters; anything much longer is not one of ours.
MAX_KEY_LENGTH = 100
# last_used_at is bookkeeping: writing it on every request would put a write on every read.
TOUCH_INTERVAL = datetime.timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Actor | None:
        # Not HttpBearer.__call__: that one logs the whole header (the key) when the scheme is wrong.
        scheme, _sep, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        if not token or len(token) > MAX_KEY_LENGTH:
            return None
        found = (
            ApiToken.objects.select_related("membership__user", "membership__organisation")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                membership__is_active=True,
                membership__user__is_active=True,
                membership__organisation__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return Actor(user=found.membership.user, membership=found.membership, via_api=True)


# The policy of every operation that shows or changes client data: `@api_policy(CLIENT_DATA)`.
CLIENT_DATA = "token:client_data"

# name -> whether the operation needs a client role. Deny by default: an operation without one of
# these fails api/tests/test_openapi.py and werkbrug.api.api.check_policies() at start-up.
POLICIES: dict[str, bool] = {
    # Any valid token; the operation shows no client data (who am I, the referral lines).
    "token": False,
    # Client data: a client role (coach, care professional, screener, coordinator) and every object
    # through clients.access. Network admins and funders get 404, as on the pages (@client_view).
    CLIENT_DATA: True,
}


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # only reachable if an operation were mounted without auth
        raise Http404
    return actor


def api_policy(name: str) -> Callable[[F], F]:
    """Declare and enforce who may call an operation; sets `access_policy` on the view function."""
    needs_client_role = POLICIES[name]

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            actor = actor_of(request)
            # 404, not 403: the caller learns nothing, not even that such data exists.
            if needs_client_role and not actor.sees_clients:
                raise Http404
            return func(request, *args, **kwargs)

        wrapper.access_policy = name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
