"""The person's file across areas: the file page (client, consents, the referrals and trajectories
the organisation takes part in) and the export of everything held (GDPR art. 15 and 20). Routes keep
their `clients:` names (werkbrug/urls.py)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from werkbrug.clients.access import get_visible, get_visible_once, readable_sections
from werkbrug.clients.models import Client
from werkbrug.clients.provenance import sight
from werkbrug.clients.views import consent_rows
from werkbrug.core import audit
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
    referrals = with_outcome_flag(
        Referral.objects.for_organisation(org)
        .filter(client=client)
        .select_related("line", "line__organisation", "referring_organisation", "assigned_coach"),
        org,
    )
    # A trajectory from the organisation's own referral, led by another: only with the client's
    # consent that it follows the outcome (for_organisation applies referrals.status).
    trajectories = (
        Trajectory.objects.for_organisation(org)
        .filter(client=client)
        .select_related("type", "lead_organisation", "coach")
    )
    # Other organisations' consents only as far as the client agreed (clients.provenance).
    seen = sight(actor, client.pk)
    consents = seen.own_rows(
        client.consents.order_by("-recorded_at", "-pk"), "recipient", "recorded_by_organisation"
    )
    shown_referrals = list(referrals)
    for referral in shown_referrals:
        if not referral.outcome_shared:  # type: ignore[attr-defined]
            referral.line = submitted_line(referral)  # for display: nothing about a redirect
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "referrals": shown_referrals,
            "trajectories": trajectories,
            "consents": consent_rows(consents),
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
