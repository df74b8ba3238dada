"""What is held about a person, as the acting organisation may see it (GDPR art. 15 and 20).

`export_client()` collects the machine-readable export; `access_events()` is the audit trail the
access report prints. Both read through the access rules of `core.access` only: the client must be
visible, referrals and trajectories narrow by participation, care notes stay with care partners and
profile sections follow `readable_sections()`. Nothing here writes; the views audit the export.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client, Consent, ProfileSection
from werkbrug.core.access import can_see_client, readable_sections, visible_notes
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditEvent
from werkbrug.exchange.models import Feedback, SectionVersion
from werkbrug.network.models import Organisation, User
from werkbrug.referrals.models import Referral, ReferralEvent
from werkbrug.trajectories.models import (
    Contact,
    Handover,
    LadderPosition,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
)

EXPORT_FORMAT = "werkbrug.client-export"
EXPORT_VERSION = 1

CONSENT_STATUS_LABELS = {
    "active": _("active"),
    "withdrawn": _("withdrawn"),
    "expired": _("expired"),
    "pending": _("not yet active"),
}


def consent_status(consent: Consent, today: datetime.date | None = None) -> str:
    """ "active", "withdrawn", "expired" (past its end date) or "pending" (starts later)."""
    day = today or timezone.localdate()
    if consent.withdrawn_at is not None:
        return "withdrawn"
    if consent.valid_until is not None and consent.valid_until < day:
        return "expired"
    if consent.given_on > day:
        return "pending"
    return "active"


def object_type_labels() -> dict[str, str]:
    """The audit trail's object types ("client", "contact", …) as the models' own names."""
    return {
        model._meta.model_name or "": str(model._meta.verbose_name)
        for model in apps.get_models()
        if model._meta.model_name
    }


def access_events(client_id: int) -> QuerySet[AuditEvent]:
    """Every view and change of this client's data, oldest first."""
    return (
        AuditEvent.objects.filter(client_id=client_id)
        .select_related("user", "organisation")
        .order_by("at", "pk")
    )


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return value.isoformat()


def _name(value: User | Organisation | object | None) -> str | None:
    return None if value is None else str(value)


def _section_labels() -> dict[str, str]:
    return {code: str(label) for code, label in ProfileSection.choices}


def _client_fields(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "birth_date": _iso(client.birth_date),
        "gender": client.gender,
        "national_register_number": client.insz or None,
        "municipality": client.municipality,
        "subregion": _name(client.subregion),
        "address": client.address,
        "phone": client.phone,
        "email": client.email,
        "benefit_status": client.benefit_status,
        "in_contact_with_mental_health_care": client.ggz_contact,
        "registered_by_organisation": _name(client.registered_by_organisation),
        "registered_at": _iso(client.created_at),
    }


def _consents(client: Client, today: datetime.date) -> list[dict[str, Any]]:
    consents = client.consents.select_related(
        "recipient", "recorded_by", "recorded_by_organisation", "withdrawn_by"
    ).order_by("recorded_at", "pk")
    return [
        {
            "id": c.pk,
            "purpose": c.purpose,
            "recipient": _name(c.recipient),
            "categories": list(c.categories),
            "given_on": _iso(c.given_on),
            "valid_until": _iso(c.valid_until),
            "evidence": c.evidence,
            "evidence_note": c.evidence_note,
            "signed_form_kept": bool(c.evidence_file),
            "recorded_by": _name(c.recorded_by),
            "recorded_by_organisation": _name(c.recorded_by_organisation),
            "recorded_at": _iso(c.recorded_at),
            "withdrawn_at": _iso(c.withdrawn_at),
            "withdrawn_by": _name(c.withdrawn_by),
            "status": consent_status(c, today),
        }
        for c in consents
    ]


def _referrals(actor: Actor, client: Client) -> list[dict[str, Any]]:
    referrals = (
        Referral.objects.for_organisation(actor.organisation)
        .filter(client=client)
        .select_related(
            "line", "line__organisation", "referring_organisation", "referred_by", "assigned_coach"
        )
        .prefetch_related(
            Prefetch(
                "events",
                ReferralEvent.objects.select_related("by", "organisation", "from_line", "to_line").order_by(
                    "at", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "line": _name(r.line),
            "line_organisation": _name(r.line.organisation),
            "referring_organisation": _name(r.referring_organisation),
            "referred_by": _name(r.referred_by),
            "question": r.question,
            "indications": list(r.indications),
            "urgency": r.urgency,
            "channel": r.channel,
            "status": r.status,
            "created_at": _iso(r.created_at),
            "decided_at": _iso(r.decided_at),
            "waiting_since": _iso(r.waiting_since),
            "expected_start": _iso(r.expected_start),
            "assigned_coach": _name(r.assigned_coach),
            "decline_reason": r.decline_reason,
            "decision_note": r.decision_note,
            "events": [
                {
                    "kind": e.kind,
                    "at": _iso(e.at),
                    "by": _name(e.by),
                    "organisation": _name(e.organisation),
                    "from_line": _name(e.from_line),
                    "to_line": _name(e.to_line),
                    "note": e.note,
                }
                for e in r.events.all()
            ],
        }
        for r in referrals
    ]


def _trajectories(actor: Actor, client: Client) -> list[dict[str, Any]]:
    contacts = visible_notes(actor, Contact.objects.select_related("recorded_by", "organisation"))
    trajectories = (
        Trajectory.objects.for_organisation(actor.organisation)
        .filter(client=client)
        .select_related("type", "lead_organisation", "coach")
        .prefetch_related(
            Prefetch("partners", TrajectoryPartner.objects.select_related("organisation", "contact_person")),
            Prefetch("contacts", contacts.order_by("on", "pk")),
            Prefetch("ladder", LadderPosition.objects.select_related("recorded_by").order_by("on", "pk")),
            Prefetch("goals", PlanGoal.objects.select_related("created_by").order_by("created_at", "pk")),
            Prefetch(
                "outcomes", Outcome.objects.select_related("recorded_by", "organisation").order_by("on", "pk")
            ),
            Prefetch(
                "handovers",
                Handover.objects.select_related(
                    "from_organisation", "to_organisation", "new_type", "proposed_by", "decided_by"
                ).order_by("proposed_at", "pk"),
            ),
            Prefetch(
                "events", TrajectoryEvent.objects.select_related("by", "organisation").order_by("at", "pk")
            ),
        )
        .order_by("started_on", "pk")
    )
    return [
        {
            "id": t.pk,
            "type": _name(t.type),
            "lead_organisation": _name(t.lead_organisation),
            "coach": _name(t.coach),
            "phase": t.phase,
            "status": t.status,
            "started_on": _iso(t.started_on),
            "closed_on": _iso(t.closed_on),
            "close_reason": t.close_reason,
            "close_note": t.close_note,
            "pause_reason": t.pause_reason,
            "partners": [
                {
                    "organisation": _name(p.organisation),
                    "role": p.role,
                    "contact_person": _name(p.contact_person),
                    "since": _iso(p.since),
                }
                for p in t.partners.all()
            ],
            "contacts": [
                {
                    "on": _iso(c.on),
                    "kind": c.kind,
                    "duration_minutes": c.duration_minutes,
                    "note": c.note,
                    "informal": c.informal,
                    "care_only": c.care_only,
                    "recorded_by": _name(c.recorded_by),
                    "organisation": _name(c.organisation),
                    "recorded_at": _iso(c.recorded_at),
                }
                for c in t.contacts.all()
            ],
            "ladder": [
                {"on": _iso(p.on), "rung": p.rung, "recorded_by": _name(p.recorded_by)}
                for p in t.ladder.all()
            ],
            "plan_goals": [
                {
                    "goal": g.goal,
                    "due_on": _iso(g.due_on),
                    "done_on": _iso(g.done_on),
                    "created_by": _name(g.created_by),
                    "created_at": _iso(g.created_at),
                }
                for g in t.goals.all()
            ],
            "outcomes": [
                {
                    "kind": o.kind,
                    "on": _iso(o.on),
                    "economy": o.economy,
                    "certainty": o.certainty,
                    "verified_on": _iso(o.verified_on),
                    "note": o.note,
                    "recorded_by": _name(o.recorded_by),
                    "organisation": _name(o.organisation),
                }
                for o in t.outcomes.all()
            ],
            "handovers": [
                {
                    "from_organisation": _name(h.from_organisation),
                    "to_organisation": _name(h.to_organisation),
                    "new_type": _name(h.new_type),
                    "note": h.note,
                    "status": h.status,
                    "proposed_by": _name(h.proposed_by),
                    "proposed_at": _iso(h.proposed_at),
                    "decided_by": _name(h.decided_by),
                    "decided_at": _iso(h.decided_at),
                    "decision_note": h.decision_note,
                }
                for h in t.handovers.all()
            ],
            "events": [
                {
                    "kind": e.kind,
                    "at": _iso(e.at),
                    "by": _name(e.by),
                    "organisation": _name(e.organisation),
                    "detail": e.detail,
                }
                for e in t.events.all()
            ],
        }
        for t in trajectories
    ]


def _version(v: SectionVersion) -> dict[str, Any]:
    return {
        "text": v.text,
        "author": _name(v.author),
        "organisation": _name(v.organisation),
        "saved_at": _iso(v.created_at),
    }


def _profile(actor: Actor, client: Client) -> list[dict[str, Any]]:
    """Each readable section with its current text and every earlier version, newest first."""
    readable = readable_sections(actor, client.pk)
    if not readable:
        return []
    versions: dict[str, list[SectionVersion]] = {}
    for version in (
        SectionVersion.objects.filter(client=client, section__in=readable)
        .select_related("author", "organisation")
        .order_by("-created_at", "-pk")
    ):
        versions.setdefault(version.section, []).append(version)
    labels = _section_labels()
    return [
        {
            "section": code,
            "label": labels[code],
            "current": _version(versions[code][0]),
            "history": [_version(v) for v in versions[code][1:]],
        }
        for code in ProfileSection.values
        if code in versions
    ]


def _feedback(actor: Actor, client: Client) -> list[dict[str, Any]]:
    """Feedback (terugkoppeling) the acting organisation sent or received about the person."""
    org = actor.organisation
    messages = (
        Feedback.objects.filter(client=client)
        .filter(Q(sender_organisation=org) | Q(recipient_organisation=org))
        .select_related("sender", "sender_organisation", "recipient_organisation", "recipient")
        .order_by("created_at", "pk")
    )
    return [
        {
            "from": _name(f.sender),
            "from_organisation": _name(f.sender_organisation),
            "to": _name(f.recipient),
            "to_organisation": _name(f.recipient_organisation),
            "discussed": f.discussed,
            "steps": f.steps,
            "support_needed": f.support_needed,
            "sent_at": _iso(f.created_at),
            "read_at": _iso(f.read_at),
        }
        for f in messages
    ]


def audit_rows(events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    return [
        {
            "at": _iso(e.at),
            "person": _name(e.user),
            "organisation": _name(e.organisation),
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "summary": e.summary,
            "via_api": e.via_api,
        }
        for e in events
    ]


def export_client(actor: Actor, client: Client) -> dict[str, Any]:
    """Everything held about the person that the actor's organisation may see, plus who viewed or
    changed what (GDPR art. 15 and 20). Dates and times are ISO 8601 strings; the result is plain
    JSON data. Raises Http404 when the actor may not see the client at all."""
    if actor.organisation is None or not can_see_client(actor, client.pk):
        raise Http404
    now = timezone.now()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(now),
        "exported_by": {"person": _name(actor.user), "organisation": _name(actor.organisation)},
        "client": _client_fields(client),
        "consents": _consents(client, timezone.localdate(now)),
        "referrals": _referrals(actor, client),
        "trajectories": _trajectories(actor, client),
        "profile": _profile(actor, client),
        "feedback": _feedback(actor, client),
        "audit_trail": audit_rows(access_events(client.pk)),
    }
