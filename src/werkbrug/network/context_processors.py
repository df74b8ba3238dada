from __future__ import annotations

from django.http import HttpRequest

from werkbrug.network.middleware import active_membership, user_memberships


def membership(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated or not hasattr(request, "get_membership"):
        return {}
    return {"membership": active_membership(request), "all_memberships": user_memberships(request)}
