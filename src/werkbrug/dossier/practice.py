"""The person's export (GDPR art. 15 and 20), the practice areas' part: jobs, income plans, the
disclosure log and the DCM case (ips), what was said about the person to employers (employers) and
the appointments and outreach paths at care sites (outreach), work-care agreements, hours and
benefits (workcare, for the work-care team). Each part is read under its own area's rule, as its
pages are: jobs and plans by the trajectory team only (`ips.actions.on_team`), employer contacts
and introductions for the trajectories the organisation may see (`trajectories.access`),
appointments at the sites the organisation runs (`outreach.access`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from werkbrug.clients.models import Client
from werkbrug.clients.records import iso, name_of
from werkbrug.core.actor import Actor
from werkbrug.employers.models import EmployerContact, Introduction
from werkbrug.ips.actions import on_team
from werkbrug.ips.models import (
    DcmCase,
    DisclosureEntry,
    IncomePlan,
    Placement,
    PlacementChange,
    ReturnToWorkStep,
)
from werkbrug.outreach.access import visible_sites
from werkbrug.outreach.models import Appointment
from werkbrug.outreach.path_models import Path
from werkbrug.trajectories.access import team_trajectories
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.access import team_trajectories as workcare_trajectories
from werkbrug.workcare.models import ELEMENTS, Benefit, BenefitDocument, DayHours, WorkCareAgreement


def _jobs(actor: Actor, client: Client) -> dict[str, list[dict[str, Any]]]:
    trajectories = [
        t
        for t in Trajectory.objects.for_organisation(actor.organisation)
        .filter(client=client)
        .prefetch_related("partners")
        if on_team(actor, t)
    ]
    ids = [t.pk for t in trajectories]
    placements = Placement.objects.filter(trajectory_id__in=ids).select_related("employer", "outcome")
    return {
        "placements": [
            {
                "trajectory": p.trajectory_id,
                "employer": p.employer.name,
                "job_title": p.job_title,
                "job_type": p.get_job_type_display(),
                "started_on": iso(p.started_on),
                "hours_per_week": str(p.hours_per_week),
                "minimum_wage": p.minimum_wage,
                "competitive": p.competitive,
                "economy": p.outcome.get_economy_display(),
                "ended_on": iso(p.ended_on),
                "end_reason": p.get_end_reason_display(),
                "end_note": p.end_note,
                "changes": [
                    {
                        "from": iso(c.on),
                        "hours_per_week": str(c.hours_per_week),
                        "minimum_wage": c.minimum_wage,
                    }
                    for c in p.changes.all()
                ],
            }
            for p in placements.prefetch_related(
                Prefetch("changes", queryset=PlacementChange.objects.order_by("on", "pk"))
            ).order_by("started_on", "pk")
        ],
        "income_plans": [
            {
                "trajectory": plan.trajectory_id,
                "made_on": iso(plan.made_on),
                "benefit_today": plan.benefit_today,
                "expected_income": plan.expected_income,
                "hours_limits": plan.hours_limits,
                "forms_to_file": plan.forms_to_file,
                "note": plan.note,
            }
            for plan in IncomePlan.objects.filter(trajectory_id__in=ids).order_by("made_on", "pk")
        ],
        "disclosure_log": [
            {
                "trajectory": entry.trajectory_id,
                "on": iso(entry.on),
                "decision": entry.get_decision_display(),
                "what_the_employer_may_know": entry.what_to_tell,
            }
            for entry in DisclosureEntry.objects.filter(trajectory_id__in=ids).order_by("on", "pk")
        ],
        "dcm": [
            {
                "trajectory": case.trajectory_id,
                "employer": case.employer.name,
                "sick_since": iso(case.sick_since),
                "advising_physician": case.advising_physician,
                "insurer": case.insurer,
                "return_to_work_steps": [
                    {"from": iso(step.from_on), "hours_per_week": str(step.hours_per_week), "note": step.note}
                    for step in case.steps.all()
                ],
            }
            for case in DcmCase.objects.filter(trajectory_id__in=ids)
            .select_related("employer")
            .prefetch_related(Prefetch("steps", queryset=ReturnToWorkStep.objects.order_by("from_on", "pk")))
        ],
    }


def _employers(actor: Actor, client: Client) -> dict[str, list[dict[str, Any]]]:
    seen = team_trajectories(actor).filter(client=client).values("pk")
    return {
        "employer_contacts": [
            {
                "trajectory": c.trajectory_id,
                "employer": c.employer.name,
                "on": iso(c.on),
                "by": name_of(c.coach),
                "kind": c.get_mode_display(),
                "purpose": c.get_purpose_display(),
                "note": c.note,
            }
            for c in EmployerContact.objects.filter(trajectory__in=seen)
            .select_related("employer", "coach")
            .order_by("on", "pk")
        ],
        "introductions": [
            {
                "trajectory": i.trajectory_id,
                "employer": i.opening.employer.name,
                "opening": i.opening.title,
                "on": iso(i.introduced_on),
                "outcome": i.get_outcome_display(),
            }
            for i in Introduction.objects.filter(trajectory__in=seen)
            .select_related("opening__employer")
            .order_by("introduced_on", "pk")
        ],
    }


def _appointments(actor: Actor, client: Client) -> list[dict[str, Any]]:
    return [
        {
            "site": a.hours.site.name,
            "at": iso(a.starts_at),
            "channel": a.get_channel_display(),
            "state": a.get_state_display(),
            "first_name": a.first_name,
            "phone": a.phone,
            "email": a.email,
        }
        for a in Appointment.objects.filter(client=client, hours__site__in=visible_sites(actor))
        .select_related("hours__site")
        .order_by("starts_at", "pk")
    ]


def _paths(actor: Actor, client: Client) -> list[dict[str, Any]]:
    paths = (
        Path.objects.filter(client=client, site__in=visible_sites(actor))
        .select_related("site")
        .prefetch_related("conversations", "referrals")
        .order_by("started_on", "pk")
    )
    return [
        {
            "site": p.site.name,
            "first_name": p.first_name,
            "channel": p.get_channel_display(),
            "started_on": iso(p.started_on),
            "informed_decision_on": iso(p.decided_on),
            "decision": p.decision_note,
            "waiting_for": p.waiting_for,
            "closed_on": iso(p.closed_on),
            "conversations": [{"on": iso(c.on), "note": c.note} for c in p.conversations.all()],
            "onward_referrals": [
                {
                    "destination": r.get_destination_display(),
                    "referred_on": iso(r.referred_on),
                    "verified_on": iso(r.verified_on),
                    "note": r.note,
                }
                for r in p.referrals.all()
            ],
        }
        for p in paths
    ]


def _workcare(actor: Actor, client: Client) -> dict[str, list[dict[str, Any]]]:
    seen = workcare_trajectories(actor).filter(client=client).values("pk")
    agreements = (
        WorkCareAgreement.objects.filter(trajectory__in=seen)
        .select_related("workshop")
        .prefetch_related("milestones")
        .order_by("starts_on", "pk")
    )
    return {
        "agreements": [
            {
                "trajectory": a.trajectory_id,
                "workshop": a.workshop.name,
                "form": a.get_form_display(),
                "aim": a.get_aim_display(),
                "starts_on": iso(a.starts_on),
                "ends_on": iso(a.ends_on),
                "signed_on": iso(a.signed_on),
                **{field: getattr(a, field) for field, _label in ELEMENTS},
                "allowance_per_day": str(a.allowance_per_day) if a.allowance_per_day is not None else None,
                "milestones": [
                    {"step": m.get_kind_display(), "on": iso(m.on), "note": m.note}
                    for m in a.milestones.all()
                ],
            }
            for a in agreements
        ],
        "hours": [
            {"on": iso(day), "hours": str(hours)}
            for day, hours in DayHours.objects.filter(trajectory__in=seen)
            .order_by("day")
            .values_list("day", "hours")
        ],
        "benefits": [
            {"regime": b.get_regime_display(), "approved_on": iso(b.approved_on), "note": b.note}
            for b in Benefit.objects.filter(trajectory__in=seen).order_by("recorded_at", "pk")
        ],
        "documents": [
            {"document": d.get_kind_display(), "dated": iso(d.dated), "note": d.note}
            for d in BenefitDocument.objects.filter(trajectory__in=seen).order_by("dated", "pk")
        ],
    }


def practice_data(actor: Actor, client: Client) -> dict[str, Any]:
    return {
        "jobs": _jobs(actor, client),
        "employers": _employers(actor, client),
        "appointments": _appointments(actor, client),
        "outreach_paths": _paths(actor, client),
        "workcare": _workcare(actor, client),
    }
