from __future__ import annotations

from django.http import HttpRequest

from werkbrug.network.models import Membership


def membership(request: HttpRequest) -> dict[str, object]:
    getter = getattr(request, "get_membership", None)
    if getter is None or not request.user.is_authenticated:
        return {}

    def others() -> list[Membership]:
        return list(
            Membership.objects.filter(user_id=request.user.pk or 0, is_active=True).select_related(
                "organisation"
            )
        )

    return {"membership": getter(), "all_memberships": others}
