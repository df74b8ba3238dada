"""What a partner system needs besides client data: who the token acts as, the active referral
lines and organisations (the ids that referrals and consents name), the sub-regions, the trajectory
types and the coaches of the token's organisation (whom a referral or trajectory can be given to)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from werkbrug.api.action_schemas import CoachOut, SubRegionOut, TrajectoryTypeOut
from werkbrug.api.auth import actor_of, api_policy
from werkbrug.api.pagination import page
from werkbrug.api.schemas import READ_ERRORS, LineOut, MeOut, OrganisationOut, Page, Paging
from werkbrug.network.models import Organisation, ReferralLine, Role, SubRegion, TrajectoryType, User

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


@router.get("/subregions", response={200: Page[SubRegionOut], **READ_ERRORS})
@api_policy("token")
def list_subregions(request: HttpRequest, paging: Query[Paging]) -> Any:
    """The sub-regions a client can live in (`subregion_id` of a client)."""
    return page(SubRegion.objects.order_by("name", "pk"), paging)


@router.get("/trajectory-types", response={200: Page[TrajectoryTypeOut], **READ_ERRORS})
@api_policy("token")
def list_trajectory_types(request: HttpRequest, paging: Query[Paging]) -> Any:
    """The trajectory types (their `code` names one when a referral is accepted or handed over)."""
    return page(TrajectoryType.objects.order_by("name", "pk"), paging)


@router.get("/coaches", response={200: Page[CoachOut], **READ_ERRORS})
@api_policy("token")
def list_coaches(request: HttpRequest, paging: Query[Paging]) -> Any:
    """The active coaches of your organisation: whom a referral is assigned to, a trajectory's
    coach, the coach who takes over a handover."""
    actor = actor_of(request)
    coaches = User.objects.filter(
        memberships__organisation=actor.organisation,
        memberships__role=Role.COACH,
        memberships__is_active=True,
    ).distinct()
    return page(coaches.order_by("last_name", "first_name", "pk"), paging)
