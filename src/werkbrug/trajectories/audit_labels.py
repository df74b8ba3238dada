"""How the audit trail's rows about trajectories read (core.audit.describe): "contact face_to_face"
becomes "Contact added (in person)", "plan goal added" "Goal added to the plan"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from werkbrug.core.audit import describes, label_of, summary_after
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.trajectories.models import ContactKind, LadderRung, OutcomeKind, TrajectoryEventKind


@describes("trajectory")
def trajectory(event: AuditEvent) -> str | None:
    if event.action == AuditAction.VIEW:
        return _("Trajectory viewed")
    if event.action == AuditAction.EXPORT:
        return _("Summary and action plan printed (PDF)")
    if event.action == AuditAction.CREATE:
        return _("Referral accepted, trajectory started")
    kind = summary_after(event, "trajectory")
    label = label_of(TrajectoryEventKind, kind) if kind else None
    if label:
        return _("Trajectory: %(what)s") % {"what": label}
    return None


@describes("contact")
def contact(event: AuditEvent) -> str | None:
    kind = summary_after(event, "contact")
    label = label_of(ContactKind, kind) if kind else None
    if label:
        return _("Contact added (%(kind)s)") % {"kind": label}
    return _("Contact added")


@describes("ladderposition")
def ladder(event: AuditEvent) -> str | None:
    rung = summary_after(event, "ladder")
    label = label_of(LadderRung, rung) if rung else None
    if label:
        return _("Participation ladder recorded: %(rung)s") % {"rung": label}
    return _("Participation ladder recorded")


@describes("plangoal")
def plan_goal(event: AuditEvent) -> str | None:
    if event.summary == "plan goal done":
        return _("Goal of the plan marked done")
    return _("Goal added to the plan")


@describes("outcome")
def outcome(event: AuditEvent) -> str | None:
    if event.summary == "outcome verified":
        return _("Outcome verified")
    kind = summary_after(event, "outcome")
    label = label_of(OutcomeKind, kind) if kind else None
    if label:
        return _("Outcome recorded: %(kind)s") % {"kind": label}
    return _("Outcome recorded")


@describes("handover")
def handover(event: AuditEvent) -> str | None:
    if event.summary == "handover withdrawn":
        return _("Handover withdrawn")
    return None


@describes("trajectorypartner")
def trajectory_partner(event: AuditEvent) -> str | None:
    if event.summary.startswith("care partner on call"):
        return _("Care partner on call added")
    return None
