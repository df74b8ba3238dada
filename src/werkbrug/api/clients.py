"""Clients and their consents. Every read through clients.access; every write through clients.actions."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.responses import Status

from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.forms import clean_with
from werkbrug.api.pagination import page
from werkbrug.api.schemas import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    ClientIn,
    ClientListOut,
    ClientOut,
    ClientPatchIn,
    ConsentIn,
    ConsentOut,
    DuplicatesOut,
    Page,
    Paging,
)
from werkbrug.clients import actions
from werkbrug.clients.access import get_visible, visible_clients
from werkbrug.clients.actions import Evidence
from werkbrug.clients.forms import CLIENT_FIELDS, ClientForm
from werkbrug.clients.models import Client, Consent
from werkbrug.clients.provenance import Sight, sight
from werkbrug.clients.records import details_changed, details_version
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.network.models import Organisation, SubRegion

router = Router(tags=["clients"])
consents_router = Router(tags=["clients"])


def _client(actor: Actor, client_id: int) -> Client:
    return get_visible(
        actor,
        Client.objects.select_related("subregion", "registered_by_organisation"),
        client_id,
        client_path="",
    )


def _consents() -> QuerySet[Consent]:
    return Consent.objects.select_related("recipient", "recorded_by", "recorded_by_organisation")


def _shown_client(actor: Actor, client: Client) -> Client:
    """The client as this organisation may see it: the registering organisation is named only as far
    as the client agreed (clients.provenance), as on the file page."""
    client.registrar_hidden = not sight(actor, client.pk).names(client.registered_by_organisation_id)  # type: ignore[attr-defined]
    return client


def _shown_consent(seen: Sight, consent: Consent) -> Consent:
    consent.recorder_hidden = not seen.names(consent.recorded_by_organisation_id)  # type: ignore[attr-defined]
    return consent


@router.get("", response={200: Page[ClientListOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_clients(request: HttpRequest, paging: Query[Paging]) -> Any:
    """The clients your organisation is involved with and may see (consent), by name."""
    actor = actor_of(request)
    clients = visible_clients(actor).select_related("subregion").order_by("last_name", "first_name", "pk")
    return page(clients, paging)


@router.post("", response={201: ClientOut, 409: DuplicatesOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_client(request: HttpRequest, payload: ClientIn) -> Any:
    """Register a person; your organisation keeps the record with the client's consent (evidence).
    A client you can already see who looks the same gives 409 unless `confirm_new` is true."""
    actor = actor_of(request)
    subregion = None
    if payload.subregion_id is not None:
        subregion = SubRegion.objects.filter(pk=payload.subregion_id).first()
        if subregion is None:
            raise Http404
    if not payload.confirm_new:
        duplicates = actions.possible_duplicates(
            actor,
            insz=payload.insz,
            first_name=payload.first_name,
            last_name=payload.last_name,
            birth_date=payload.birth_date,
        )
        if duplicates:
            return Status(
                409,
                {
                    "detail": _(
                        "This person may already be known to you. Use the existing file, or confirm "
                        "that this is a different person."
                    ),
                    "field": "confirm_new",
                    "duplicates": [c.pk for c in duplicates],
                },
            )
    fields = payload.dict(exclude={"evidence", "confirm_new", "subregion_id"})
    client = Client(**fields, subregion=subregion)
    actions.register_client(actor, client, Evidence(payload.evidence.kind, payload.evidence.note))
    return Status(201, client)


@router.get("/{client_id}", response={200: ClientOut, **READ_ERRORS})
@api_policy(CLIENT_DATA)
def get_client(request: HttpRequest, client_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    actor = actor_of(request)
    return _shown_client(actor, _client(actor, client_id))


@router.patch("/{client_id}", response={200: ClientOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def update_client(
    request: HttpRequest, payload: ClientPatchIn, client_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Change a client's details, as on the edit page (its form checks them): the fields you send
    change, the others keep their value."""
    actor = actor_of(request)
    client = _client(actor, client_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version", None)
    data = {name: client.serializable_value(name) for name in CLIENT_FIELDS}
    data |= {("subregion" if name == "subregion_id" else name): value for name, value in given.items()}
    form = ClientForm(data, instance=client)
    clean_with(form, {"subregion": "subregion_id"})
    with transaction.atomic():
        # The details as stored now, locked (docs/conventions.md, "Two people at once").
        stored = Client.objects.select_for_update().get(pk=client.pk)
        if version is not None and details_version(stored) != version:
            raise DomainError(
                details_changed(stored)
                + " "
                + _("Read the client again and send your change with its version."),
                field="version",
            )
        return _shown_client(actor, actions.update_client(actor, form.instance, form.changed_data))


@router.get("/{client_id}/consents", response={200: Page[ConsentOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_consents(
    request: HttpRequest, paging: Query[Paging], client_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """All consents of the client, newest first, withdrawn ones included; other organisations' only as
    far as the client agreed, as on the file page (docs/privacy.md)."""
    actor = actor_of(request)
    client = _client(actor, client_id)
    seen = sight(actor, client.pk)
    consents = seen.own_rows(_consents().filter(client=client), "recipient", "recorded_by_organisation")
    listed = page(consents.order_by("-recorded_at", "-pk"), paging)
    listed["items"] = [_shown_consent(seen, c) for c in listed["items"]]
    return listed


@router.post("/{client_id}/consents", response={201: ConsentOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_consent(
    request: HttpRequest, payload: ConsentIn, client_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    actor = actor_of(request)
    client = _client(actor, client_id)
    recipient = Organisation.objects.filter(pk=payload.recipient_id, is_active=True).first()
    if recipient is None:
        raise Http404
    consent = actions.grant_consent(
        actor,
        client,
        purpose=payload.purpose,
        recipient=recipient,
        categories=list(payload.categories),
        evidence=Evidence(payload.evidence.kind, payload.evidence.note),
        given_on=payload.given_on,
        valid_until=payload.valid_until,
    )
    return Status(201, consent)


@consents_router.post("/{consent_id}/withdraw", response={200: ConsentOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def withdraw_consent(request: HttpRequest, consent_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Withdrawal takes effect at once: the recipient loses access with this answer."""
    actor = actor_of(request)
    consent = get_visible(actor, _consents(), consent_id, audit_view=False)
    withdrawn = actions.withdraw_consent(actor, consent)
    return _shown_consent(sight(actor, consent.client_id), withdrawn)
