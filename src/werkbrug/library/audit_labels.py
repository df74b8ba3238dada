"""How the library's and the draaiboek's rows read in the audit trail (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes
from werkbrug.core.models import AuditAction, AuditEvent


@describes("documentversion")
def document_version(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Library document downloaded")
    if event.action == AuditAction.CREATE:
        return _("Library document version added")
    return None


@describes("document")
def document(event: AuditEvent) -> str | None:
    return _("Library document added") if event.action == AuditAction.CREATE else None


@describes("draaiboekversion")
def draaiboek_version(event: AuditEvent) -> str | None:
    if event.action == AuditAction.CREATE:
        return _("Draaiboek draft started")
    if event.action == AuditAction.UPDATE:
        return _("Draaiboek version published")
    return None


@describes("indication")
def indication(event: AuditEvent) -> str | None:
    if event.action == AuditAction.CREATE:
        return _("Draaiboek indication added")
    if event.action == AuditAction.UPDATE:
        return _("Draaiboek indication changed")
    if event.action == AuditAction.DELETE:
        return _("Draaiboek indication removed from the draft")
    return None
