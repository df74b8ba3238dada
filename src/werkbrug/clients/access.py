"""The one policy-checked accessor for client data (DESIGN §5).

A user sees a client when the organisation they act for is *involved* with the client (referrer,
line, lead, partner, handover target, case team) *and* an active consent for a file purpose names
that organisation as recipient. Everything that shows client data filters through `scope()` or
fetches through `get_visible()`; anything else answers 404.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from werkbrug.clients.models import (
    CARE_ONLY_SECTIONS,
    FILE_PURPOSES,
    Client,
    Consent,
    ConsentPurpose,
    Involvement,
    ProfileSection,
)
from werkbrug.core import audit, statements
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction

M = TypeVar("M", bound=models.Model)


def _client_ref(client_path: str) -> OuterRef:
    return OuterRef("pk" if not client_path else f"{client_path}_id")


def scope(actor: Actor, queryset: QuerySet[M], client_path: str = "client") -> QuerySet[M]:
    """Only the rows whose client the actor may see. `client_path` leads from the row to its client
    ("" for Client itself, "trajectory__client" for a contact)."""
    if not actor.sees_clients or actor.organisation is None:
        return queryset.none()
    org = actor.organisation
    ref = _client_ref(client_path)
    involved = Involvement.objects.filter(client_id=ref, organisation=org)
    consented = Consent.objects.active(timezone.localdate()).filter(
        client_id=ref, recipient=org, purpose__in=FILE_PURPOSES
    )
    return queryset.filter(Exists(involved), Exists(consented))


def visible_clients(actor: Actor) -> QuerySet[Client]:
    return scope(actor, Client.objects.all(), client_path="")


def can_see_client(actor: Actor, client_id: int) -> bool:
    return visible_clients(actor).filter(pk=client_id).exists()


def client_id_of(obj: models.Model, client_path: str) -> int:
    if not client_path:
        return int(obj.pk)
    target: object = obj
    for part in client_path.split("__")[:-1]:
        target = getattr(target, part)
    return int(getattr(target, client_path.split("__")[-1] + "_id"))


def get_visible(
    actor: Actor,
    queryset: QuerySet[M],
    pk: object,
    *,
    client_path: str = "client",
    audit_view: bool = True,
) -> M:
    """Fetch one row the actor may see, or raise Http404; records the view in the audit trail."""
    try:
        obj = scope(actor, queryset, client_path).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if audit_view:
        audit.record(actor, AuditAction.VIEW, obj, client_id=client_id_of(obj, client_path))
    return obj


def get_visible_once(
    actor: Actor,
    name: str,
    build: Callable[[], QuerySet[M]],
    pk: object,
    *,
    client_path: str = "client",
    audit_view: bool = True,
    key: Hashable = (),
) -> M:
    """`get_visible(actor, build(), pk, ...)`, with the access-checked statement built once per
    membership and day (`core.statements.one`, named `name`; `key`: whatever else `build` depends
    on) and run on every call: a page that fetches its object on every request does not build the
    scope again. Http404 unless the actor may see it; records the view in the audit trail."""
    obj = statements.one(
        (*statements.actor_key(name, actor), key),
        lambda: scope(actor, build(), client_path).filter(pk=statements.BOUND),
        pk,
    )
    if audit_view:
        audit.record(actor, AuditAction.VIEW, obj, client_id=client_id_of(obj, client_path))
    return obj


def visible_notes(actor: Actor, queryset: QuerySet[M]) -> QuerySet[M]:
    """Care notes (care_only) stay with care partners (DESIGN §5)."""
    if actor.in_care_organisation:
        return queryset
    return queryset.filter(care_only=False)


def readable_sections(actor: Actor, client_id: int, *, client_visible: bool = False) -> frozenset[str]:
    """The profile sections the actor may read for this client (BRIEF §5, DESIGN §5).

    Needs access to the file first (`client_visible`: the caller read the client through this module
    in this request, so its access is not asked again). A care partner reads every section, the care-only ones
    included; a work partner reads exactly the sections an active profile consent shares with its
    organisation, never a care-only one, and nothing after withdrawal or expiry."""
    if actor.organisation is None or not (client_visible or can_see_client(actor, client_id)):
        return frozenset()
    if actor.in_care_organisation:
        return frozenset(ProfileSection.values)
    organisation = actor.organisation
    # Built once per membership and day, for every client (core.statements).
    consents = statements.objects(
        statements.actor_key("profile consents", actor),
        lambda: (
            Consent.objects.active()
            .filter(client_id=statements.BOUND, recipient=organisation, purpose=ConsentPurpose.PROFILE)
            .only("categories")
        ),
        bound=client_id,
    )
    shared: set[str] = set()
    for consent in consents:
        shared.update(consent.categories)
    return frozenset(shared & set(ProfileSection.values)) - CARE_ONLY_SECTIONS
