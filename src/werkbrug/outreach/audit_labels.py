"""How the audit trail's outreach rows read (core.audit.describe). An appointment or a confirmed
booking of a registered client shows in that client's access log."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes
from werkbrug.core.models import AuditAction, AuditEvent


@describes("appointment")
def appointment(event: AuditEvent) -> str | None:
    if event.action == AuditAction.CREATE:
        return _("Outreach appointment made")
    if event.summary.endswith("no_show"):
        return _("Outreach appointment: did not come")
    if event.summary.endswith("attended"):
        return _("Outreach appointment: came")
    return _("Outreach appointment cancelled")


@describes("booking")
def booking(event: AuditEvent) -> str | None:
    if event.summary == "booking rejected":
        return _("Self-booking rejected")
    return _("Self-booking confirmed")


@describes("path")
def path(event: AuditEvent) -> str | None:
    if event.action == AuditAction.CREATE:
        return _("Outreach path started")
    if event.action == AuditAction.VIEW:
        return _("Outreach path viewed")
    return _("Outreach path updated")


@describes("onwardreferral")
def onward_referral(event: AuditEvent) -> str | None:
    if event.summary == "onward referral verified":
        return _("Onward referral verified")
    return _("Onward referral recorded")
