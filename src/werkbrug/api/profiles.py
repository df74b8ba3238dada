"""A client's profile sections (competency and IPS vocational profile): the current version of each
section the token may read, by the one rule clients.access.readable_sections()."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema

from werkbrug.api.auth import actor_of, api_policy
from werkbrug.api.schemas import MAX_ID, READ_ERRORS, OrganisationRef, UserRef
from werkbrug.clients.access import get_visible, readable_sections
from werkbrug.clients.models import Client, ProfileSection
from werkbrug.core import audit
from werkbrug.core.models import AuditAction
from werkbrug.exchange.models import SectionVersion

router = Router(tags=["profiles"])

# The fixed order of the sections: competency profile first, then the vocational profile.
SECTION_ORDER = {code: index for index, code in enumerate(ProfileSection.values)}


class ProfileSectionOut(Schema):
    section: str
    label: str
    text: str
    author: UserRef
    organisation: OrganisationRef
    updated_at: datetime.datetime

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.get_section_display())

    @staticmethod
    def resolve_updated_at(obj: Any) -> datetime.datetime:
        return obj.created_at  # type: ignore[no-any-return]


@router.get("/{client_id}/profile", response={200: list[ProfileSectionOut], **READ_ERRORS})
@api_policy("token:client_data")
def get_profile(request: HttpRequest, client_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """The current text of every profile section you may read, with who wrote it and when. A work
    partner gets exactly the sections the client shares with its organisation (never the care-only
    ones); with no readable section the answer is 404."""
    actor = actor_of(request)
    client = get_visible(actor, Client.objects.all(), client_id, client_path="", audit_view=False)
    readable = readable_sections(actor, client.pk)
    if not readable:
        raise Http404
    versions = sorted(
        SectionVersion.objects.filter(client=client, section__in=sorted(readable))
        .current()
        .select_related("author", "organisation"),
        key=lambda version: SECTION_ORDER[version.section],
    )
    audit.record(actor, AuditAction.VIEW, client, client_id=client.pk, summary="profile")
    return versions
