"""How the audit trail's rows about profiles and feedback read (core.audit.describe):
"profile section skills" becomes "Profile section Skills changed"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.clients.models import ProfileSection
from werkbrug.core.audit import describes, label_of, summary_after
from werkbrug.core.models import AuditAction, AuditEvent


@describes("sectionversion")
def section_version(event: AuditEvent) -> str | None:
    code = summary_after(event, "profile section")
    label = label_of(ProfileSection, code) if code else None
    if label:
        return _("Profile section %(section)s changed") % {"section": label[:1].upper() + label[1:]}
    return _("Profile section changed")


@describes("feedback")
def feedback(event: AuditEvent) -> str | None:
    if event.action == AuditAction.UPDATE:
        return _("Feedback read")
    return _("Feedback sent to the referrer")
