"""Uploaded documents that are client or partner data (a signed consent form, a signed cooperation
agreement): stored under MEDIA_ROOT, outside the web root, under a random name, and served only by
a policy-checked view, never through MEDIA_URL.

`kept_uploads()` is the transaction an action writes such a file in: the outermost one (durable),
so that when it does not commit nothing can roll the row back later, and the files written in it
are deleted again: no orphaned document is left in MEDIA_ROOT.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# Every PDF starts with this header; a browser's content type alone proves nothing.
PDF_MAGIC = b"%PDF-"


def pdf_problem(upload: UploadedFile, not_a_pdf: str) -> str | None:
    """Why this upload cannot be kept as a PDF document, or None when it can: a PDF (by its content
    type *and* its first bytes) of at most settings.MAX_UPLOAD_BYTES. `not_a_pdf` says what to
    upload instead."""
    limit = settings.MAX_UPLOAD_BYTES
    if not upload.size:
        return _("The file is empty.")
    if upload.size > limit:
        return _("The file is too large: at most %(mb)s MB.") % {"mb": f"{limit / (1024 * 1024):g}"}
    content_type = (getattr(upload, "content_type", None) or "").split(";")[0].strip().lower()
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if content_type != "application/pdf" or head != PDF_MAGIC:
        return not_a_pdf
    return None


class Kept:
    """The files written in one `kept_uploads()` block."""

    def __init__(self) -> None:
        self.stored: list[tuple[Storage, str]] = []

    def save_pdf(self, field: FieldFile, upload: UploadedFile) -> None:
        # A random name: the uploaded file's own name often holds a person's name.
        field.save(f"{uuid.uuid4().hex}.pdf", upload, save=False)
        self.stored.append((field.storage, str(field.name)))


@contextmanager
def kept_uploads(*, durable: bool = True) -> Iterator[Kept]:
    kept = Kept()
    try:
        with transaction.atomic(durable=durable):
            yield kept
    except BaseException:
        for storage, name in kept.stored:
            storage.delete(name)
        raise


def pdf_download(field: FieldFile, filename: str) -> FileResponse:
    """The stored PDF as a download that no browser or proxy keeps; 404 when there is none."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "no-store, private"
    return response
