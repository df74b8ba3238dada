"""How the audit trail's referral rows read (core.audit.describe): "referral waitlisted" becomes
"Referral: put on the waiting list"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes, label_of, summary_after
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.referrals.models import ReferralEventKind


@describes("referral")
def referral(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Referral viewed")
    kind = summary_after(event, "referral")
    label = label_of(ReferralEventKind, kind) if kind else None
    if label:
        return _("Referral %(what)s") % {"what": label}
    return None
