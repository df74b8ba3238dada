"""How the audit trail's rows about employer work that name a client read (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes, label_of, summary_after
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.employers.models import ContactMode, IntroductionOutcome


@describes("employercontact")
def employer_contact(event: AuditEvent) -> str | None:
    mode = summary_after(event, "employer")
    label = label_of(ContactMode, mode) if mode else None
    if label:
        return _("Named in an employer contact (%(kind)s)") % {"kind": label}
    return _("Named in an employer contact")


@describes("introduction")
def introduction(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Introduction to an opening viewed")
    outcome = summary_after(event, "introduction")
    label = label_of(IntroductionOutcome, outcome) if outcome else None
    if label:
        return _("Introduction to an opening: %(outcome)s") % {"outcome": label}
    return _("Introduced to an opening")
