"""Pick the membership a logged-in user acts through on this request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from werkbrug.network.models import Membership

SESSION_KEY = "active_membership_id"


def user_memberships(request: HttpRequest) -> list[Membership]:
    """The user's active memberships at active organisations, one query per request."""
    cached = getattr(request, "_memberships", None)
    if cached is None:
        user = request.user
        cached = (
            list(
                Membership.objects.filter(user_id=user.pk, is_active=True, organisation__is_active=True)
                .select_related("organisation")
                .order_by("pk")
            )
            if user.is_authenticated
            else []
        )
        request._memberships = cached  # type: ignore[attr-defined]
    return cached


def active_membership(request: HttpRequest) -> Membership | None:
    """The chosen membership (session), or the user's first active one."""
    memberships = user_memberships(request)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    return memberships[0] if memberships else None


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Lazy: pages that never need it (static, healthz) run no query.
        request.get_membership = lambda: active_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)
