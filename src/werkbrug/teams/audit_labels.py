"""How the audit trail's case-team rows read (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes
from werkbrug.core.models import AuditAction, AuditEvent


@describes("case")
def case(event: AuditEvent) -> str | None:
    if event.action == AuditAction.CREATE:
        return _("Registered as a case for a case team")
    return _("Case in the case team closed")


@describes("agendaitem")
def agenda_item(event: AuditEvent) -> str | None:
    if event.summary.startswith("team decision"):
        return _("Case team decision recorded")
    return _("Minutes of the case team written")


@describes("itemguest")
def guest(event: AuditEvent) -> str | None:
    if event.action == AuditAction.DELETE:
        return _("Guest no longer invited to the case discussion")
    return _("Guest invited to the case discussion")


@describes("actionitem")
def action_item(event: AuditEvent) -> str | None:
    if event.action == AuditAction.UPDATE:
        return _("Case team action done")
    return _("Case team action agreed")
