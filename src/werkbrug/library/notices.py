"""The notices of new versions on a user's start page (core.views.START_PAGES: the caseload, the
inbox, "my referrals", …): the announcements for the active membership's organisation that this
user has not dismissed. A context processor, read only by base.html on a start page: one query, its
statement built once per membership and day (core.statements: building it cost more than running it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.core.views import START_PAGES
from werkbrug.library.models import Announcement, Dismissal
from werkbrug.library.views import MEMBER_ROLES
from werkbrug.network.models import Role

SHOWN = 5  # the newest few; older ones wait in the library
_START_PAGES = frozenset(START_PAGES.values())


def for_actor(actor: Actor) -> QuerySet[Announcement]:
    """The announcements this actor's organisation received and this user has not dismissed."""
    if actor.organisation is None or not actor.has_role(*MEMBER_ROLES):
        return Announcement.objects.none()
    dismissed = Dismissal.objects.filter(announcement=OuterRef("pk"), user=actor.user)
    return (
        Announcement.objects.filter(organisations=actor.organisation)
        .exclude(Exists(dismissed))
        .select_related("draaiboek", "document_version__document")
        .order_by("-created_at", "-pk")
    )


class _Notices:
    """Read when the template asks, at most once."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._rows: list[Announcement] | None = None

    def _load(self) -> list[Announcement]:
        if self._rows is None:
            actor = Actor.from_request(self.request)
            self._rows = statements.objects(
                statements.actor_key("announcements", actor), lambda: for_actor(actor)[:SHOWN]
            )
        return self._rows

    def __iter__(self) -> Any:
        return iter(self._load())

    def __bool__(self) -> bool:
        return bool(self._load())

    def __len__(self) -> int:
        return len(self._load())


def announcements(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if (
        not request.user.is_authenticated
        or not hasattr(request, "get_membership")
        or match is None
        or match.view_name not in _START_PAGES
    ):
        return {}
    actor = Actor.from_request(request)
    membership = actor.membership
    if (
        membership is None
        or not actor.has_role(*MEMBER_ROLES)
        or match.view_name != START_PAGES.get(Role(membership.role))
    ):
        return {}  # a funder's or researcher's start page, or another role's: no notices, no query
    return {"announcements": _Notices(request)}
