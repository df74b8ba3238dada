"""How the audit trail's rows about a client, its consents and its profile read on the access log and
in the access report (core.audit.describe). The summaries the actions store are codes, e.g.
"consent record → SaRA"; these turn them into translated sentences."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.clients.models import ConsentPurpose
from werkbrug.core.audit import describes, label_of, summary_after
from werkbrug.core.models import AuditAction, AuditEvent


@describes("client")
def client(event: AuditEvent) -> str | None:
    summary = event.summary
    if event.action == AuditAction.VIEW:
        if summary.startswith("profile"):
            return _("Competency profile viewed")
        return _("File viewed")
    if event.action == AuditAction.CREATE:
        return _("Client registered")
    if event.action == AuditAction.UPDATE:
        return _("Personal details changed")
    if event.action == AuditAction.EXPORT:
        if summary.startswith("access report"):
            return _("Access report printed (PDF)")
        if summary.startswith("profile pdf"):
            return _("Competency profile printed (PDF)")
        return _("File data exported (JSON)")
    return None


def _purpose_and_recipient(rest: str) -> tuple[str, str]:
    code, _arrow, recipient = rest.partition("→")
    label = label_of(ConsentPurpose, code.strip()) or _("consent")
    recipient = recipient.replace("(signed form uploaded)", "").strip()
    return label, recipient


@describes("consent")
def consent(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Signed consent form viewed")
    if event.action == AuditAction.EXPORT:
        return _("Consent receipt printed (PDF)")
    withdrawn = summary_after(event, "consent withdrawn:")
    if withdrawn is not None:
        purpose, recipient = _purpose_and_recipient(withdrawn)
        return _("Consent withdrawn: %(purpose)s (%(recipient)s)") % {
            "purpose": purpose,
            "recipient": recipient,
        }
    given = summary_after(event, "consent")
    if given is not None and event.action == AuditAction.CREATE:
        purpose, recipient = _purpose_and_recipient(given)
        text = _("Consent recorded: %(purpose)s (%(recipient)s)") % {
            "purpose": purpose,
            "recipient": recipient,
        }
        if "(signed form uploaded)" in given:
            text += " · " + _("signed form added")
        return text
    return None
