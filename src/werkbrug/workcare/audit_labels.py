"""How the audit trail's work-care rows read (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes
from werkbrug.core.models import AuditAction, AuditEvent


@describes("workcareagreement")
def agreement(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Signed work-care agreement opened")
    if "signed" in event.summary:
        return _("Work-care agreement signed")
    if event.action == AuditAction.CREATE:
        return _("Work-care agreement recorded")
    return _("Work-care agreement changed")
