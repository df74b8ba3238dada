"""The person's file across areas: the file page (client, consents, the referrals and trajectories
the organisation takes part in) and the export of everything held (GDPR art. 15 and 20). Routes keep
their `clients:` names (werkbrug/urls.py)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from werkbrug.clients.access import get_visible
from werkbrug.clients.models import Client
from werkbrug.clients.views import consent_rows
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction
from werkbrug.core.policy import client_view
from werkbrug.dossier.export import export_client
from werkbrug.referrals.models import Referral
from werkbrug.referrals.status import hide_unshared_trajectories, with_outcome_flag
from werkbrug.trajectories.models import Trajectory


@client_view
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible(
        actor, Client.objects.select_related("subregion", "registered_by_organisation"), pk, client_path=""
    )
    org = actor.organisation
    referrals = with_outcome_flag(
        Referral.objects.for_organisation(org)
        .filter(client=client)
        .select_related("line", "line__organisation", "referring_organisation", "assigned_coach"),
        org,
    )
    # A trajectory from the organisation's own referral, led by another: only with the client's
    # consent that it follows the outcome (referrals.status).
    trajectories = hide_unshared_trajectories(
        Trajectory.objects.for_organisation(org).filter(client=client), org
    ).select_related("type", "lead_organisation", "coach")
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "referrals": referrals,
            "trajectories": trajectories,
            "consents": consent_rows(client.consents.order_by("-recorded_at", "-pk")),
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
