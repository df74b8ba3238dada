"""Pick the membership a logged-in user acts through on this request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from werkbrug.network.models import Membership

SESSION_KEY = "active_membership_id"


def active_membership(request: HttpRequest) -> Membership | None:
    """The chosen membership (session), or the user's first active one."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).select_related("organisation")
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        found = memberships.filter(pk=chosen).first()
        if found is not None:
            return found
    return memberships.order_by("pk").first()


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Lazy: pages that never need it (static, healthz) run no query.
        cached: list[Membership | None] = []

        def membership() -> Membership | None:
            if not cached:
                cached.append(active_membership(request))
            return cached[0]

        request.get_membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)
