"""Writes on clients and consents: atomic, validated, audited (DESIGN §4.1)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NotRequired, TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients import linkage
from werkbrug.clients.access import visible_clients
from werkbrug.clients.models import (
    CONSENT_CATEGORY_VALUES,
    FILE_BASE_CATEGORIES,
    OFFERED_PURPOSES,
    OWN_ORGANISATION_PURPOSES,
    Client,
    Consent,
    ConsentPurpose,
    EvidenceKind,
    GgzContact,
    Involvement,
    InvolvementReason,
    allowed_categories,
    consent_recipients,
    normalise_insz,
)
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock, stamp_once
from werkbrug.core.exceptions import DomainError, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.core.privatefiles import kept_uploads, pdf_problem
from werkbrug.network.models import Organisation


@dataclass(frozen=True)
class Evidence:
    """How the client's consent was obtained, as recorded with every consent."""

    kind: str
    note: str = ""

    def check(self) -> None:
        if self.kind not in EvidenceKind.values:
            raise DomainError(_("Say how the client gave consent."), field="evidence")
        if self.kind == EvidenceKind.VERBAL_WITNESS and not self.note.strip():
            raise DomainError(_("Name the witness of the verbal consent."), field="evidence_note")


def _require_client_role(actor: Actor) -> Organisation:
    if not actor.sees_clients or actor.organisation is None:
        raise DomainError(_("Your role does not allow working with client files."))
    return actor.organisation


def involve(client: Client, organisation: Organisation, reason: str) -> None:
    Involvement.objects.get_or_create(client=client, organisation=organisation, reason=reason)


@transaction.atomic
def register_client(
    actor: Actor, client: Client, evidence: Evidence, *, given_on: datetime.date | None = None
) -> Client:
    """Register a person; the registering organisation keeps the record with the client's consent
    (given today, or on `given_on`: a caseload import brings consents given earlier)."""
    organisation = _require_client_role(actor)
    evidence.check()
    client.insz = normalise_insz(client.insz)
    client.registered_by_organisation = organisation
    client.full_clean()
    previous = linkage.assign(client)
    client.save()
    set_ggz_contact(client, was=False, on=given_on)
    linkage.relink(previous, client)
    involve(client, organisation, InvolvementReason.REGISTERED)
    # The system's own grant: the registering organisation keeps the record (not a request the user
    # makes on the consent form, so the recipient rules of grant_consent do not apply).
    _record_consent(
        actor,
        client,
        purpose=ConsentPurpose.RECORD,
        recipient=organisation,
        categories=sorted(allowed_categories(organisation)),
        evidence=evidence,
        given_on=given_on,
    )
    audit.record(actor, AuditAction.CREATE, client, client_id=client.pk, summary="client registered")
    return client


@transaction.atomic
def update_client(actor: Actor, client: Client, changed: list[str]) -> Client:
    client.insz = normalise_insz(client.insz)
    client.full_clean()
    stored = Client.objects.filter(pk=client.pk).values_list("ggz_contact", flat=True).first()
    # The person this record belongs to may change, and so may the records without an INSZ that
    # share its name, before and after (clients.linkage).
    previous = linkage.assign(client)
    client.save()
    set_ggz_contact(client, was=bool(stored))
    linkage.relink(previous, client)
    audit.record(actor, AuditAction.UPDATE, client, client_id=client.pk, summary=", ".join(changed))
    return client


def set_ggz_contact(client: Client, *, was: bool, on: datetime.date | None = None) -> None:
    """The one writer of the GGZ contact periods, called wherever `Client.ggz_contact` is saved:
    switched on, a period opens (on `on`, default today); switched off, the open one closes today.
    Reports count the periods, so a past year keeps what it counted."""
    today = timezone.localdate()
    if client.ggz_contact and not was:
        GgzContact.objects.create(client=client, since=min(on or today, today))
    elif was and not client.ggz_contact:
        GgzContact.objects.filter(client=client, until__isnull=True).update(until=today)


def signed_form_problem(upload: UploadedFile) -> str | None:
    """Why this upload cannot be kept as a signed consent form, or None when it can: a PDF (by its
    content type *and* its first bytes) of at most settings.MAX_UPLOAD_BYTES (core.privatefiles)."""
    return pdf_problem(upload, _("Upload the signed form as a PDF file."))


class ConsentTerms(TypedDict):
    """What a consent names and how it was given: the keywords of grant_consent and _record_consent."""

    purpose: str
    recipient: Organisation
    categories: list[str]
    evidence: Evidence
    given_on: NotRequired[datetime.date | None]
    valid_until: NotRequired[datetime.date | None]
    evidence_file: NotRequired[UploadedFile | None]


def grant_consent(actor: Actor, client: Client, **terms: Unpack[ConsentTerms]) -> Consent:
    """Record a consent the user asks for (the consent form, the API): only what can happen.

    The recipient is an organisation that works with clients (never a funder or the network), not
    the user's own organisation unless the purpose is feedback or a case team, and a care-only
    section is never named for an organisation that is not a care partner."""
    _require_client_role(actor)
    check_consent_request(actor, terms["purpose"], terms["recipient"], terms["categories"])
    return _record_consent(actor, client, **terms)


def check_consent_request(actor: Actor, purpose: str, recipient: Organisation, categories: list[str]) -> None:
    """The rules of docs/privacy.md ("What a consent can name"), as DomainErrors."""
    if purpose in ConsentPurpose.values and purpose not in OFFERED_PURPOSES:
        raise DomainError(_("This purpose is no longer recorded."), field="purpose")
    if not consent_recipients().filter(pk=recipient.pk).exists():
        raise DomainError(
            _(
                "A consent can only name an organisation that works with clients, never a funder or the network."
            ),
            field="recipient",
        )
    if recipient.pk == actor.org.pk and purpose not in OWN_ORGANISATION_PURPOSES:
        raise DomainError(
            _(
                "Your own organisation already holds the file: choose the organisation that receives the data."
            ),
            field="recipient",
        )
    if (set(categories) & CONSENT_CATEGORY_VALUES) - allowed_categories(recipient):
        raise DomainError(
            _("Care-only sections are shared with care partners only, never with %(org)s.")
            % {"org": recipient},
            field="categories",
        )


def _record_consent(actor: Actor, client: Client, **terms: Unpack[ConsentTerms]) -> Consent:
    """Record a consent, with the signed form if one is uploaded. Also the system's own grants
    (registration, a referral, a handover), whose recipient the action itself decides.

    The form is written inside the transaction, just before the row. That transaction is then the
    outermost one (durable: calling this with a file inside another transaction raises), so when it
    does not commit, nothing can still roll the row back later and the file is deleted here: no
    orphaned health data is left in MEDIA_ROOT."""
    purpose, recipient, categories, evidence = (
        terms["purpose"], terms["recipient"], terms["categories"], terms["evidence"]
    )  # fmt: skip
    valid_until, evidence_file = terms.get("valid_until"), terms.get("evidence_file")
    with kept_uploads(durable=evidence_file is not None) as kept:
        organisation = _require_client_role(actor)
        evidence.check()
        given = terms.get("given_on") or timezone.localdate()
        _check_consent(purpose, given, valid_until, categories, evidence_file)
        consent = Consent(
            client=client,
            purpose=purpose,
            recipient=recipient,
            categories=sorted(set(categories)),
            given_on=given,
            valid_until=valid_until,
            evidence=evidence.kind,
            evidence_note=evidence.note.strip(),
            recorded_by=actor.user,
            recorded_by_organisation=organisation,
        )
        if evidence_file is not None:
            kept.save_pdf(consent.evidence_file, evidence_file)
        consent.save()
        audit.record(
            actor,
            AuditAction.CREATE,
            consent,
            client_id=client.pk,
            summary=f"consent {purpose} → {recipient}" + (" (signed form uploaded)" if evidence_file else ""),
        )
        return consent


def _check_consent(
    purpose: str,
    given: datetime.date,
    valid_until: datetime.date | None,
    categories: list[str],
    evidence_file: UploadedFile | None,
) -> None:
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Unknown purpose."), field="purpose")
    require_not_future(given, field="given_on", message=_("Consent cannot be given in the future."))
    if valid_until is not None and valid_until < given:
        raise DomainError(_("The end date lies before the start date."), field="valid_until")
    unknown = set(categories) - CONSENT_CATEGORY_VALUES
    if unknown:
        raise DomainError(_("Unknown data category."), field="categories")
    if evidence_file is not None:
        problem = signed_form_problem(evidence_file)
        if problem:
            raise DomainError(problem, field="evidence_file")


def ensure_consent(
    actor: Actor,
    client: Client,
    *,
    purpose: str,
    recipient: Organisation,
    evidence: Evidence,
    categories: Iterable[str] = FILE_BASE_CATEGORIES,
) -> Consent:
    """The active consent for this purpose and recipient that names these categories, recorded now if
    there is none yet. For the system's own grants: the file to the line's organisation with a
    referral, to the organisation taking over with a handover (`categories`: what the client agreed
    to pass on, clients.provenance), the referrer's feedback consent with a referral."""
    wanted = {str(c) for c in categories}
    for existing in Consent.objects.active().filter(client=client, purpose=purpose, recipient=recipient):
        if wanted <= set(existing.categories):
            return existing
    return _record_consent(
        actor,
        client,
        purpose=purpose,
        recipient=recipient,
        categories=sorted(wanted),
        evidence=evidence,
    )


@transaction.atomic
def withdraw_consent(actor: Actor, consent: Consent) -> Consent:
    """Withdrawal takes effect at once: the access policy reads only active consents."""
    relock(consent)
    _require_client_role(actor)
    stamp_once(
        consent,
        actor.user,
        at="withdrawn_at",
        by="withdrawn_by",
        refusal=_("This consent was already withdrawn by %(who)s at %(when)s."),
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        consent,
        client_id=consent.client_id,
        summary=f"consent withdrawn: {consent.purpose} → {consent.recipient}",
    )
    return consent


def possible_duplicates(
    actor: Actor, *, insz: str, first_name: str, last_name: str, birth_date: datetime.date | None
) -> list[Client]:
    """Clients the actor already may see that look like this person. Never searches beyond what the
    actor may see: a warning must not reveal another organisation's client."""
    candidates = visible_clients(actor)
    found: list[Client] = []
    digits = normalise_insz(insz or "")
    if digits:
        found.extend(candidates.filter(insz=digits)[:5])
    if first_name and last_name and birth_date:
        found.extend(
            candidates.filter(
                first_name__iexact=first_name.strip(),
                last_name__iexact=last_name.strip(),
                birth_date=birth_date,
            )[:5]
        )
    unique: dict[int, Client] = {c.pk: c for c in found}
    return list(unique.values())
