"""Case team meetings: the meetings your token may see (teams.access.visible_meetings) and one
meeting's agenda as far as it concerns you (all items for a fixed member, a guest's own items only).

Names never travel through the API for a team case. Each case is its anonymous label, `named` says
whether the client consents (now) to discussion in the team, and only then `client_id` is given: a
caller who may open that client file fetches it from /api/clients/{id}, through its own access
rules. Anyone who may not see the meeting gets 404.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.pagination import page
from werkbrug.api.schemas import MAX_ID, READ_ERRORS, OrganisationRef, Page, Paging
from werkbrug.teams.access import get_meeting, named_cases_q, visible_items, visible_meetings
from werkbrug.teams.models import AgendaItem, Meeting

router = Router(tags=["teams"])

MeetingId = Path(..., ge=1, le=MAX_ID)


class TeamRef(Schema):
    id: int
    name: str


class MeetingListOut(Schema):
    id: int
    team: TeamRef
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    video_link: str


class TeamCaseOut(Schema):
    id: int
    label: str = Field(..., description="Always the anonymous label: no name travels through the API.")
    named: bool = Field(..., description="The client consents now to discussion in this team.")
    client_id: int | None = Field(..., description="Only for a named case; null otherwise.")


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str = Field(..., description="The title of a general point; empty for an item about a case.")
    case: TeamCaseOut | None
    lead_organisation: OrganisationRef | None
    next_steps: str
    decided_at: datetime.datetime | None


class MeetingOut(MeetingListOut):
    items: list[AgendaItemOut]


def _case(item: AgendaItem) -> dict[str, Any] | None:
    case = item.case
    if case is None:
        return None
    named = bool(item.named)  # type: ignore[attr-defined]
    return {
        "id": case.pk,
        "label": case.anonymous_label,
        "named": named,
        "client_id": case.client_id if named else None,
    }


def _item(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title if item.case_id is None else "",
        "case": _case(item),
        "lead_organisation": item.lead_organisation,
        "next_steps": item.next_steps,
        "decided_at": item.decided_at,
    }


@router.get("", response={200: Page[MeetingListOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_meetings(request: HttpRequest, paging: Query[Paging]) -> Any:
    """Meetings of the teams you sit in, and meetings with an item you are invited for; newest first."""
    actor = actor_of(request)
    meetings = visible_meetings(actor).select_related("team").order_by("-starts_at", "-pk")
    return page(meetings, paging)


@router.get("/{meeting_id}", response={200: MeetingOut, **READ_ERRORS})
@api_policy(CLIENT_DATA)
def get_meeting_detail(request: HttpRequest, meeting_id: int = MeetingId) -> Any:
    """One meeting with the agenda items you may see, each case by its anonymous label."""
    actor = actor_of(request)
    meeting: Meeting = get_meeting(actor, meeting_id)
    items = (
        visible_items(actor, meeting)
        .select_related("case", "lead_organisation")
        .annotate(named=named_cases_q("case__"))
        .order_by("position", "pk")
    )
    return {
        "id": meeting.pk,
        "team": meeting.team,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "items": [_item(item) for item in items],
    }
