"""The team's decision on a case: which service leads and the next steps, and, when asked, the start
of that step at once (the handover of the trajectory or the redirect of the referral). The shared
rules (who may act, texts, anonymity) are in teams.actions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import EvidenceKind
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import (
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReferralLine,
    TrajectoryType,
)
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.teams.actions import clean_text, refuse_identifying, require_member
from werkbrug.teams.models import MAX_TEXT, AgendaItem, Case, CaseStatus
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Handover, Trajectory, TrajectoryStatus


@dataclass(frozen=True)
class DecisionResult:
    """What deciding did: the decided item and, when asked to start, the handover proposed or the
    referral redirected, or why nothing needed starting."""

    item: AgendaItem
    handover: Handover | None = None
    referral: Referral | None = None
    not_started: str = ""


def default_trajectory_type(organisation: Organisation) -> TrajectoryType:
    """The type a trajectory gets at `organisation`: GTB's own, else the default of its first active
    referral line, else VDAB guidance."""
    if organisation.org_type == OrganisationType.GTB:
        code = "gtb"
    else:
        line = (
            ReferralLine.objects.filter(organisation=organisation, is_active=True)
            .exclude(default_trajectory_type="")
            .order_by("name", "pk")
            .first()
        )
        code = line.default_trajectory_type if line is not None else "vdab"
    found = (
        TrajectoryType.objects.filter(code=code).first() or TrajectoryType.objects.filter(code="vdab").first()
    )
    if found is None:
        raise DomainError(_("No trajectory type is set up for %(org)s.") % {"org": organisation})
    return found


def _trajectory_of(case: Case) -> Trajectory | None:
    if case.trajectory is not None:
        return case.trajectory
    if case.referral is not None:
        return Trajectory.objects.filter(referral=case.referral).first()
    return None


def _triagers(line: ReferralLine) -> str:
    names = [str(user) for user in line.screeners.filter(is_active=True).order_by("last_name", "first_name")]
    coordinators = _("a coordinator of %(org)s") % {"org": line.organisation}
    return ", ".join([*names, coordinators])


def _start_handover(
    actor: Actor, case: Case, trajectory: Trajectory, lead: Organisation, note: str, evidence: Evidence
) -> Handover:
    if not trajectory_actions.is_lead(actor, trajectory):
        coach = trajectory.coach or trajectory.lead_organisation
        raise DomainError(
            _(
                "The handover is proposed by the lead coach: ask %(coach)s to record this decision with "
                "“start” ticked, or to propose the handover to %(org)s from the trajectory."
            )
            % {"coach": coach, "org": lead},
            field="start",
        )
    handover = trajectory_actions.propose_handover(
        actor,
        trajectory,
        to_organisation=lead,
        new_type=default_trajectory_type(lead),
        note=note,
        evidence=evidence,
    )
    if case.trajectory_id is None:
        case.trajectory = trajectory
        case.save(update_fields=["trajectory"])
    return handover


def _start_redirect(
    actor: Actor, referral: Referral, lead: Organisation, note: str, evidence: Evidence
) -> Referral:
    line = ReferralLine.objects.filter(organisation=lead, is_active=True).order_by("name", "pk").first()
    if line is None:
        raise DomainError(
            _("%(org)s has no active referral line to send the referral to.") % {"org": lead},
            field="lead_organisation",
        )
    if not referral_actions.can_triage(actor, referral.line):
        raise DomainError(
            _(
                "The referral is redirected by whoever triages the line “%(line)s”: ask %(who)s to record "
                "this decision with “start” ticked, or to redirect the referral to %(org)s."
            )
            % {"line": referral.line, "who": _triagers(referral.line), "org": lead},
            field="start",
        )
    return referral_actions.redirect_referral(actor, referral, line=line, note=note, evidence=evidence)


@transaction.atomic
def decide_case(
    actor: Actor,
    item: AgendaItem,
    *,
    lead_organisation: Organisation | None,
    next_steps: str = "",
    start: bool = False,
    evidence: Evidence | None = None,
) -> DecisionResult:
    """The team's decision on a case: which service leads and the next steps. With `start`, the
    matching step begins at once, in the same transaction (if it is refused, the decision is not
    saved either):
    - the case's trajectory is led elsewhere → its lead coach proposes the handover to that service;
    - the case's referral waits for the case team → its screener redirects it to that service's line.
    `evidence` says how the client consented to sharing with the new service (a verbal consent noted
    as decided in the team when not given)."""
    team = item.meeting.team
    require_member(actor, team)
    case = item.case
    if case is None:
        raise DomainError(_("Only the item of a case takes a decision."))
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("This case is closed."))
    lead = lead_organisation
    if lead is None or not lead.is_active or lead.kind not in (OrganisationKind.WORK, OrganisationKind.CARE):
        raise DomainError(
            _("Choose the service that leads: an active work or care partner."), field="lead_organisation"
        )
    steps = clean_text(next_steps, field="next_steps", max_length=MAX_TEXT)
    refuse_identifying(case, steps, field="next_steps")
    now = timezone.now()
    item.lead_organisation = lead
    item.next_steps = steps
    item.decided_at = now
    item.decided_by = actor.user
    item.save(update_fields=["lead_organisation", "next_steps", "decided_at", "decided_by"])
    audit.record(
        actor, AuditAction.UPDATE, item, client_id=case.client_id, summary=f"team decision: {lead} leads"
    )
    if not start:
        return DecisionResult(item=item)

    in_team = _("decided in case team %(team)s") % {"team": team.name}
    if evidence is None:
        evidence = Evidence(EvidenceKind.VERBAL, in_team)
    elif not evidence.note.strip() and evidence.kind != EvidenceKind.VERBAL_WITNESS:
        evidence = Evidence(evidence.kind, in_team)
    note = steps or _("Decided in case team %(team)s: %(org)s leads.") % {"team": team.name, "org": lead}

    trajectory = _trajectory_of(case)
    if trajectory is not None and trajectory.status != TrajectoryStatus.CLOSED:
        if trajectory.lead_organisation_id == lead.pk:
            return DecisionResult(
                item=item, not_started=_("%(org)s already leads the trajectory.") % {"org": lead}
            )
        handover = _start_handover(actor, case, trajectory, lead, note, evidence)
        return DecisionResult(item=item, handover=handover)
    referral = case.referral
    if referral is not None and referral.status == ReferralStatus.CASE_TEAM:
        if referral.line.organisation_id == lead.pk:
            return DecisionResult(
                item=item,
                not_started=_("The referral is already on a line of %(org)s: its screener assigns it.")
                % {"org": lead},
            )
        return DecisionResult(item=item, referral=_start_redirect(actor, referral, lead, note, evidence))
    return DecisionResult(
        item=item,
        not_started=_("The case has no open trajectory or referral waiting for the team: nothing to start."),
    )
