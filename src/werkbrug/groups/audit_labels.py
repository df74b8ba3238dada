"""How the audit trail's rows about group enrolments read (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes, label_of, summary_after
from werkbrug.core.models import AuditEvent
from werkbrug.groups.models import EnrolmentStatus, Outcome, Presence


@describes("enrolment")
def enrolment(event: AuditEvent) -> str | None:
    status = summary_after(event, "enrolment")
    if status == "placement":
        return _("Group module: placement recorded")
    label = label_of(EnrolmentStatus, status) if status else None
    if label:
        return _("Group module: %(status)s") % {"status": label}
    presence = summary_after(event, "attendance")
    label = label_of(Presence, presence) if presence else None
    if label:
        return _("Group module attendance: %(presence)s") % {"presence": label}
    outcome = summary_after(event, "outcome")
    label = label_of(Outcome, outcome) if outcome else None
    if label:
        return _("Group module outcome: %(outcome)s") % {"outcome": label}
    return _("Group module enrolment")
