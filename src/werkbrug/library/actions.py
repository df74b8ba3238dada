"""Writing the library: documents and their versions (uploaded by the network admin, kept as private
files are: core.privatefiles), the draaiboek's publication with its announcement, and a user's
dismissal of a notice."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.core.privatefiles import Kept, kept_uploads, pdf_problem
from werkbrug.library.announce import announce, concerned
from werkbrug.library.models import Announcement, Audience, Dismissal, Document, DocumentKind, DocumentVersion
from werkbrug.network import draaiboek_actions
from werkbrug.network.models import DraaiboekVersion, Role

MAX_NOTE = 2000


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can change the library."))


def upload_problem(upload: UploadedFile) -> str | None:
    """Why this upload cannot be kept, or None: the consent forms' rule (core.privatefiles), a PDF by
    its content type and its first bytes, of at most settings.MAX_UPLOAD_BYTES."""
    return pdf_problem(upload, _("Upload the document as a PDF file."))


def _note(note: str) -> str:
    note = note.strip()
    if not note:
        raise DomainError(_("Say what changed."), field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(_("At most %(n)s characters.") % {"n": MAX_NOTE}, field="note")
    return note


def create_document(
    actor: Actor, *, title: str, kind: str, audience: str, description: str, file: UploadedFile, note: str
) -> DocumentVersion:
    """A new document with its first version (announced to the organisations it concerns)."""
    with kept_uploads() as kept:
        _require_admin(actor)
        title = " ".join(title.split())
        if not title:
            raise DomainError(_("Give the document a title."), field="title")
        if kind not in DocumentKind.values:
            raise DomainError(_("Choose a kind."), field="kind")
        if audience not in Audience.values:
            raise DomainError(_("Choose who it concerns."), field="audience")
        if Document.objects.filter(title__iexact=title).exists():
            raise DomainError(_("The library already has a document with this title."), field="title")
        document = Document.objects.create(
            title=title[:200], kind=kind, audience=audience, description=description.strip()[:2000]
        )
        audit.record(actor, AuditAction.CREATE, document, client_id=None, summary="document")
        return _add_version(actor, kept, document, file, note)


def add_version(actor: Actor, document: Document, *, file: UploadedFile, note: str) -> DocumentVersion:
    """A new version of a document, with what changed; announced to the organisations it concerns."""
    with kept_uploads() as kept:
        _require_admin(actor)
        # The document row is the lock: two uploads at once get numbers one after the other.
        document = Document.objects.select_for_update().get(pk=document.pk)
        return _add_version(actor, kept, document, file, note)


def _add_version(
    actor: Actor, kept: Kept, document: Document, file: UploadedFile, note: str
) -> DocumentVersion:
    note = _note(note)
    problem = upload_problem(file)
    if problem:
        raise DomainError(problem, field="file")
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    version = DocumentVersion(document=document, number=last + 1, note=note, uploaded_by=actor.user)
    kept.save_pdf(version.file, file)
    version.save()
    audit.record(actor, AuditAction.CREATE, version, client_id=None, summary=f"version {version.number}")
    announce(
        title=f"{document.title} ({_('version %(n)s') % {'n': version.number}})",
        note=note,
        organisations=concerned(document.audience),
        document_version=version,
    )
    return version


@transaction.atomic
def publish_draaiboek(actor: Actor, version: DraaiboekVersion, *, note: str) -> DraaiboekVersion:
    """Publish the draft (network.draaiboek_actions) and announce it to every member organisation."""
    published = draaiboek_actions.publish_draaiboek(actor, version, note=note)
    announce(
        title=_("the draaiboek (version %(n)s)") % {"n": published.number},
        note=published.note,
        organisations=concerned(Audience.ALL),
        draaiboek=published,
    )
    return published


@transaction.atomic
def dismiss(actor: Actor, announcement: Announcement) -> None:
    """The notice no longer shows for this user; dismissing twice changes nothing."""
    Dismissal.objects.get_or_create(announcement=announcement, user=actor.user)
