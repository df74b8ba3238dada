"""What the client record itself says about a person: consent status, the access trail, and the
client's own fields and consents as plain data. The person's file page (access log, access report)
and the export across areas (`dossier.export`) build on it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.forms import CLIENT_FIELDS
from werkbrug.clients.models import Client, Consent, ProfileSection
from werkbrug.clients.provenance import Sight
from werkbrug.core.concurrency import digest, edited_by, last_edit
from werkbrug.core.models import AuditEvent
from werkbrug.network.models import Organisation, User

CONSENT_STATUS_LABELS = {
    "active": _("active"),
    "withdrawn": _("withdrawn"),
    "expired": _("expired"),
    "pending": _("not yet active"),
}


def consent_status(consent: Consent, today: datetime.date | None = None) -> str:
    """ "active", "withdrawn", "expired" (past its end date) or "pending" (starts later)."""
    day = today or timezone.localdate()
    if consent.withdrawn_at is not None:
        return "withdrawn"
    if consent.valid_until is not None and consent.valid_until < day:
        return "expired"
    if consent.given_on > day:
        return "pending"
    return "active"


def access_events(client_id: int) -> QuerySet[AuditEvent]:
    """Every view and change of this client's data, oldest first."""
    return (
        AuditEvent.objects.filter(client_id=client_id)
        .select_related("user", "organisation")
        .order_by("at", "pk")
    )


def iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return value.isoformat()


def name_of(value: User | Organisation | object | None) -> str | None:
    return None if value is None else str(value)


def section_labels() -> dict[str, str]:
    return {code: str(label) for code, label in ProfileSection.choices}


def client_fields(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "birth_date": iso(client.birth_date),
        "gender": client.gender,
        "national_register_number": client.insz or None,
        "municipality": client.municipality,
        "subregion": name_of(client.subregion),
        "address": client.address,
        "phone": client.phone,
        "email": client.email,
        "benefit_status": client.benefit_status,
        "in_contact_with_mental_health_care": client.ggz_contact,
        "registered_by_organisation": name_of(client.registered_by_organisation),
        "registered_at": iso(client.created_at),
    }


def consent_data(client: Client, today: datetime.date, seen: Sight | None = None) -> list[dict[str, Any]]:
    """The consents; with `seen`, other organisations' only as far as the client agreed
    (clients.provenance)."""
    consents: QuerySet[Consent] = client.consents.select_related(
        "recipient", "recorded_by", "recorded_by_organisation", "withdrawn_by"
    ).order_by("recorded_at", "pk")
    if seen is not None:
        consents = seen.own_rows(consents, "recipient", "recorded_by_organisation")
    return [
        {
            "id": c.pk,
            "purpose": c.purpose,
            "recipient": name_of(c.recipient),
            "categories": list(c.categories),
            "given_on": iso(c.given_on),
            "valid_until": iso(c.valid_until),
            "evidence": c.evidence,
            "evidence_note": c.evidence_note,
            "signed_form_kept": bool(c.evidence_file),
            "recorded_by": name_of(c.recorded_by) if _named(seen, c) else None,
            "recorded_by_organisation": name_of(c.recorded_by_organisation) if _named(seen, c) else None,
            "recorded_at": iso(c.recorded_at),
            "withdrawn_at": iso(c.withdrawn_at),
            "withdrawn_by": name_of(c.withdrawn_by),
            "status": consent_status(c, today),
        }
        for c in consents
    ]


def _named(seen: Sight | None, consent: Consent) -> bool:
    return seen is None or seen.names(consent.recorded_by_organisation_id)


def audit_rows(events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {
            "at": iso(e.at),
            "person": name_of(e.user),
            "organisation": name_of(e.organisation),
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "summary": e.summary,
            "via_api": e.via_api,
        }
        for e in events
    ]


# --- the details as someone opened them (docs/conventions.md, "Two people at once") -------------------


def details_version(client: Client) -> str:
    """The version of a client's details: the edit page and the API's GET carry it, a save that
    names another version is refused."""
    return digest(*(client.serializable_value(name) for name in CLIENT_FIELDS))


def details_changed(client: Client) -> str:
    """Who saved the details last and when, and what they saved (the fields of that save)."""
    message = edited_by(
        gettext("%(who)s saved these details at %(when)s, after you opened this page."), client
    )
    event = last_edit(client)
    names = [n for n in (event.summary.split(", ") if event else []) if n in CLIENT_FIELDS]
    if names:
        values = "; ".join(f"{capfirst(_field_label(name))}: {_shown(client, name)}" for name in names)
        message += " " + gettext("They saved: %(values)s.") % {"values": values}
    return message


def _field_label(name: str) -> str:
    return str(getattr(Client._meta.get_field(name), "verbose_name", name))


def _shown(client: Client, name: str) -> str:
    display = getattr(client, f"get_{name}_display", None)
    value = display() if display else getattr(client, name)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value) if value not in (None, "") else "—"
