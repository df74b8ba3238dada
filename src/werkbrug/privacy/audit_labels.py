"""How the audit trail's erasure searches read (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes
from werkbrug.core.models import AuditEvent


@describes("erasure_search")
def erasure_search(event: AuditEvent) -> str | None:
    return _("Looked up by the privacy officer for an erasure request")
