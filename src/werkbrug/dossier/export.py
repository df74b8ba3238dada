"""What is held about a person, as the acting organisation may see it (GDPR art. 15 and 20).

`export_client()` collects the machine-readable export across the areas (it lives here, above them,
docs/architecture.md); the client's own fields, consents and access trail come from
`clients.records`. It reads through the access rules of `clients.access` only: the client must be
visible, referrals and trajectories narrow by participation, care notes stay with care partners and
profile sections follow `readable_sections()`. Nothing here writes; the views audit the export.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from werkbrug.clients.access import can_see_client, readable_sections, visible_notes
from werkbrug.clients.models import Client, ProfileSection
from werkbrug.clients.provenance import Sight, sight
from werkbrug.clients.records import (
    access_events,
    audit_rows,
    client_fields,
    consent_data,
    iso,
    name_of,
    section_labels,
)
from werkbrug.core.actor import Actor
from werkbrug.dossier.practice import practice_data
from werkbrug.exchange.models import Feedback, SectionVersion
from werkbrug.referrals.models import Referral, ReferralEvent
from werkbrug.referrals.status import as_received, with_outcome_flag
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
from werkbrug.trajectories.provenance import past_view, with_arrival

EXPORT_FORMAT = "werkbrug.client-export"
EXPORT_VERSION = 1


def _event(e: ReferralEvent | TrajectoryEvent, **details: Any) -> dict[str, Any]:
    """A referral's or a trajectory's event: what happened, when, by whom, for which organisation."""
    # Another organisation's step, not named without the history category (trajectories.provenance).
    anonymous = getattr(e, "anonymous", False)
    return {
        "kind": e.kind,
        "at": iso(e.at),
        "by": None if anonymous else name_of(e.by),
        "organisation": None if anonymous else name_of(e.organisation),
        **details,
    }


def _referrals(actor: Actor, client: Client) -> list[dict[str, Any]]:
    referrals = (
        with_outcome_flag(Referral.objects.for_organisation(actor.organisation), actor.organisation)
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
    # The referrer without the client's consent to follow the outcome: "received", its own steps only.
    shown = [(r, True) if r.outcome_shared else (as_received(r), False) for r in referrals]  # type: ignore[attr-defined]
    own = actor.organisation.pk if actor.organisation else None
    return [
        {
            "id": r.pk,
            "line": name_of(r.line),
            "line_organisation": name_of(r.line.organisation),
            "referring_organisation": name_of(r.referring_organisation),
            "referred_by": name_of(r.referred_by),
            "question": r.question,
            "indications": list(r.indications),
            "urgency": r.urgency,
            "channel": r.channel,
            "status": r.status,
            "created_at": iso(r.created_at),
            "decided_at": iso(r.decided_at),
            "waiting_since": iso(r.waiting_since),
            "expected_start": iso(r.expected_start),
            "assigned_coach": name_of(r.assigned_coach),
            "decline_reason": r.decline_reason,
            "decision_note": r.decision_note,
            "events": [
                _event(e, from_line=name_of(e.from_line), to_line=name_of(e.to_line), note=e.note)
                for e in r.events.all()
                if shared or e.organisation_id == own
            ],
        }
        for r, shared in shown
    ]


def _trajectories(actor: Actor, client: Client, seen: Sight) -> list[dict[str, Any]]:
    contacts = visible_notes(actor, Contact.objects.select_related("recorded_by", "organisation"))
    trajectories = (
        with_arrival(Trajectory.objects.for_organisation(actor.organisation), actor.org.pk)
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
    # What happened before the organisation was handed a trajectory: only as far as the client agreed
    # (trajectories.provenance).
    pasts = {t.pk: past_view(actor, t, seen) for t in trajectories}
    return [
        {
            "id": t.pk,
            "type": name_of(t.type),
            "lead_organisation": name_of(t.lead_organisation),
            "coach": name_of(t.coach),
            "phase": t.phase,
            "status": t.status,
            "started_on": iso(t.started_on),
            "closed_on": iso(t.closed_on),
            "close_reason": t.close_reason,
            "close_note": t.close_note,
            "pause_reason": t.pause_reason,
            "partners": [
                {
                    "organisation": name_of(p.organisation),
                    "role": p.role,
                    "contact_person": name_of(p.contact_person),
                    "since": iso(p.since),
                }
                for p in t.partners.all()
                if pasts[t.pk].history or p.organisation_id == actor.org.pk
            ],
            "contacts": [
                {
                    "on": iso(c.on),
                    "kind": c.kind,
                    "duration_minutes": c.duration_minutes,
                    "note": c.note,
                    "informal": c.informal,
                    "care_only": c.care_only,
                    "recorded_by": name_of(c.recorded_by),
                    "organisation": name_of(c.organisation),
                    "recorded_at": iso(c.recorded_at),
                }
                for c in pasts[t.pk].shown_contacts(
                    c for c in t.contacts.all() if pasts[t.pk].notes or c.organisation_id == actor.org.pk
                )
            ],
            "ladder": [
                {"on": iso(p.on), "rung": p.rung, "recorded_by": name_of(p.recorded_by)}
                for p in t.ladder.all()
            ],
            "plan_goals": [
                {
                    "goal": g.goal,
                    "due_on": iso(g.due_on),
                    "done_on": iso(g.done_on),
                    "created_by": name_of(g.created_by),
                    "created_at": iso(g.created_at),
                }
                for g in t.goals.all()
            ],
            "outcomes": [
                {
                    "kind": o.kind,
                    "on": iso(o.on),
                    "economy": o.economy,
                    "certainty": o.certainty,
                    "verified_on": iso(o.verified_on),
                    "note": o.note,
                    "recorded_by": name_of(o.recorded_by),
                    "organisation": name_of(o.organisation),
                }
                for o in t.outcomes.all()
                if pasts[t.pk].shows_outcome(o)
            ],
            "handovers": [
                {
                    "from_organisation": name_of(h.from_organisation),
                    "to_organisation": name_of(h.to_organisation),
                    "new_type": name_of(h.new_type),
                    "note": h.note,
                    "status": h.status,
                    "proposed_by": name_of(h.proposed_by),
                    "proposed_at": iso(h.proposed_at),
                    "decided_by": name_of(h.decided_by),
                    "decided_at": iso(h.decided_at),
                    "decision_note": h.decision_note,
                }
                for h in pasts[t.pk].handovers(t.handovers.all())
            ],
            "events": [_event(e, detail=e.detail) for e in pasts[t.pk].events(t.events.all())],
        }
        for t in trajectories
    ]


def _version(v: SectionVersion) -> dict[str, Any]:
    return {
        "text": v.text,
        "author": name_of(v.author),
        "organisation": name_of(v.organisation),
        "saved_at": iso(v.created_at),
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
    labels = section_labels()
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
            "from": name_of(f.sender),
            "from_organisation": name_of(f.sender_organisation),
            "to": name_of(f.recipient),
            "to_organisation": name_of(f.recipient_organisation),
            "discussed": f.discussed,
            "steps": f.steps,
            "support_needed": f.support_needed,
            "sent_at": iso(f.created_at),
            "read_at": iso(f.read_at),
        }
        for f in messages
    ]


def export_client(actor: Actor, client: Client) -> dict[str, Any]:
    """Everything held about the person that the actor's organisation may see, plus who viewed or
    changed what (GDPR art. 15 and 20). Dates and times are ISO 8601 strings; the result is plain
    JSON data. Raises Http404 when the actor may not see the client at all."""
    if actor.organisation is None or not can_see_client(actor, client.pk):
        raise Http404
    now = timezone.now()
    seen = sight(actor, client.pk)
    fields = client_fields(client)
    if not seen.names(client.registered_by_organisation_id):
        fields["registered_by_organisation"] = None
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso(now),
        "exported_by": {"person": name_of(actor.user), "organisation": name_of(actor.organisation)},
        "client": fields,
        "consents": consent_data(client, timezone.localdate(now), seen),
        "referrals": _referrals(actor, client),
        "trajectories": _trajectories(actor, client, seen),
        "profile": _profile(actor, client),
        "feedback": _feedback(actor, client),
        # Jobs, income plans, disclosure, DCM; employer contacts; appointments (dossier.practice).
        **practice_data(actor, client),
        "audit_trail": audit_rows(seen.own_rows(access_events(client.pk), "organisation")),
    }
