"""How the audit trail's rows about jobs, income plans, disclosure and DCM read (core.audit.describe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes
from werkbrug.core.models import AuditAction, AuditEvent


@describes("placement")
def placement(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Job viewed")
    if event.summary.startswith("placement ended"):
        return _("Job end recorded")
    if event.summary == "placement changed":
        return _("Hours or wage of a job changed")
    return _("Job start recorded")


@describes("incomeplan")
def income_plan(event: AuditEvent) -> str | None:
    return _("Income plan saved")


@describes("disclosureentry")
def disclosure(event: AuditEvent) -> str | None:
    return _("Disclosure decision recorded")


@describes("dcmcase")
def dcm_case(event: AuditEvent) -> str | None:
    return _("DCM case saved")


@describes("returntoworkstep")
def return_step(event: AuditEvent) -> str | None:
    return _("Return-to-work step added")
