"""What a partner system needs besides client data: who the token acts as, the active referral
lines and organisations (the ids that referrals and consents name)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from werkbrug.api.auth import actor_of, api_policy
from werkbrug.api.pagination import page
from werkbrug.api.schemas import READ_ERRORS, LineOut, MeOut, OrganisationOut, Page, Paging
from werkbrug.network.models import Organisation, ReferralLine

router = Router(tags=["network"])


@router.get("/me", response={200: MeOut, **READ_ERRORS})
@api_policy("token")
def me(request: HttpRequest) -> Any:
    """The user, organisation and role this token acts as."""
    actor = actor_of(request)
    return {
        "user": actor.user,
        "organisation": actor.organisation,
        "role": actor.role,
        "sees_clients": actor.sees_clients,
    }


@router.get("/lines", response={200: Page[LineOut], **READ_ERRORS})
@api_policy("token")
def list_lines(request: HttpRequest, paging: Query[Paging]) -> Any:
    """Active referral lines."""
    lines = ReferralLine.objects.filter(is_active=True).select_related("organisation")
    return page(lines.order_by("name", "pk"), paging)


@router.get("/organisations", response={200: Page[OrganisationOut], **READ_ERRORS})
@api_policy("token")
def list_organisations(request: HttpRequest, paging: Query[Paging]) -> Any:
    """Active organisations of the network (possible consent recipients)."""
    return page(Organisation.objects.filter(is_active=True).order_by("name", "pk"), paging)
