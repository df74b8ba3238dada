"""The person's file across areas: the file page (client, consents, the referrals and trajectories
the organisation takes part in) and the export of everything held (GDPR art. 15 and 20). Routes keep
their `clients:` names (werkbrug/urls.py)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from werkbrug.clients.access import get_visible, get_visible_once, readable_sections
from werkbrug.clients.models import Client, Consent
from werkbrug.clients.provenance import sight
from werkbrug.clients.views import consent_row
from werkbrug.core import audit, statements
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction
from werkbrug.core.policy import client_view
from werkbrug.dossier.export import export_client
from werkbrug.referrals.models import Referral
from werkbrug.referrals.status import submitted_line, with_outcome_flag
from werkbrug.trajectories.models import Trajectory


@client_view
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible_once(
        actor,
        "client file",
        lambda: Client.objects.select_related("subregion", "registered_by_organisation"),
        pk,
        client_path="",
    )
    org = actor.organisation
    # The file's lists: each statement built once per membership and day, for every client, and run
    # on every page view (core.statements).
    referrals = statements.objects(
        statements.actor_key("client file referrals", actor),
        lambda: with_outcome_flag(
            Referral.objects.for_organisation(org)
            .filter(client_id=statements.BOUND)
            .select_related("line", "line__organisation", "referring_organisation", "assigned_coach"),
            org,
        ),
        bound=client.pk,
    )
    # A trajectory from the organisation's own referral, led by another: only with the client's
    # consent that it follows the outcome (for_organisation applies referrals.status).
    trajectories = statements.objects(
        statements.actor_key("client file trajectories", actor),
        lambda: (
            Trajectory.objects.for_organisation(org)
            .filter(client_id=statements.BOUND)
            .select_related("type", "lead_organisation", "coach")
        ),
        bound=client.pk,
    )
    # Other organisations' consents only as far as the client agreed (clients.provenance).
    seen = sight(actor, client.pk)
    consents = statements.objects(
        (*statements.actor_key("client file consents", actor), seen.history),
        lambda: seen.own_rows(
            Consent.objects.filter(client_id=statements.BOUND)
            .select_related("recipient", "recorded_by", "recorded_by_organisation", "withdrawn_by")
            .order_by("-recorded_at", "-pk"),
            "recipient",
            "recorded_by_organisation",
        ),
        bound=client.pk,
    )
    for row in (*referrals, *trajectories, *consents):
        row.client = client
    today = timezone.localdate()
    for referral in referrals:
        if not referral.outcome_shared:  # type: ignore[attr-defined]
            referral.line = submitted_line(referral)  # for display: nothing about a redirect
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "referrals": referrals,
            "trajectories": trajectories,
            "consents": [consent_row(consent, today) for consent in consents],
            "hidden_recorders": {c.pk for c in consents if not seen.names(c.recorded_by_organisation_id)},
            "names_registrar": seen.names(client.registered_by_organisation_id),
            "hidden": seen.hidden_labels(notes=True),
            # Links only to what the actor may open: a work partner reads the profile only with
            # the client's consent (issue 13).
            "profile_readable": bool(readable_sections(actor, client.pk, client_visible=True)),
        },
    )


@client_view
@require_safe
def client_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the person that this organisation may see, as JSON (GDPR art. 20)."""
    actor = Actor.from_request(request)
    client = get_visible(
        actor,
        Client.objects.select_related("subregion", "registered_by_organisation"),
        pk,
        client_path="",
        audit_view=False,
    )
    data = export_client(actor, client)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.json"'
    response["Cache-Control"] = "no-store, private"
    audit.record(actor, AuditAction.EXPORT, client, client_id=client.pk, summary="export (JSON)")
    return response
