"""Client files: list, registration, the file itself, consents, the access log and the client's
own view of their data (access report, export)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from werkbrug.clients import actions
from werkbrug.clients.export import (
    CONSENT_STATUS_LABELS,
    access_events,
    consent_status,
    export_client,
    object_type_labels,
)
from werkbrug.clients.forms import (
    ClientForm,
    ClientSearchForm,
    ConsentForm,
    RegisterClientForm,
    category_labels,
)
from werkbrug.clients.models import Client, Consent
from werkbrug.core import audit
from werkbrug.core.access import get_visible, scope, visible_clients
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import submit
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.core.paging import paginate
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import client_view
from werkbrug.referrals.models import Referral
from werkbrug.trajectories.models import Trajectory


@client_view
def client_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    search = ClientSearchForm(request.GET or None)
    clients = visible_clients(actor).select_related("subregion")
    if search.is_valid() and search.cleaned_data["q"]:
        for word in search.cleaned_data["q"].split():
            clients = clients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = paginate(request, clients.order_by("last_name", "first_name", "pk"))
    return render(request, "clients/list.html", {"page": page, "search": search})


@client_view
def client_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = RegisterClientForm(request.POST or None, initial={"evidence": "signed_form"})
    duplicates: list[Client] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = actions.possible_duplicates(
            actor,
            insz=data.get("insz", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
        )
        if duplicates and not data.get("confirm_new"):
            form.add_error(
                None,
                _(
                    "This person may already be known to you. Open the file below, or confirm that "
                    "this is a different person."
                ),
            )
    client = submit(
        request,
        form,
        lambda data: actions.register_client(actor, form.instance, form.evidence_value()),
        _("The client was registered."),
    )
    if client is not None:
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/create.html", {"form": form, "duplicates": duplicates})


@client_view
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible(
        actor, Client.objects.select_related("subregion", "registered_by_organisation"), pk, client_path=""
    )
    org = actor.organisation
    referrals = (
        Referral.objects.for_organisation(org)
        .filter(client=client)
        .select_related("line", "line__organisation", "referring_organisation", "assigned_coach")
    )
    trajectories = (
        Trajectory.objects.for_organisation(org)
        .filter(client=client)
        .select_related("type", "lead_organisation", "coach")
    )
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
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible(actor, Client.objects.all(), pk, client_path="")
    form = ClientForm(request.POST or None, instance=client)
    saved = submit(
        request,
        form,
        lambda data: actions.update_client(actor, form.instance, form.changed_data),
        _("The details were saved."),
    )
    if saved is not None:
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/edit.html", {"form": form, "client": client})


@dataclass(frozen=True)
class ConsentRow:
    """A consent as the pages and the receipt show it: category labels and its status."""

    consent: Consent
    categories: list[str]
    status: str
    status_label: str


def consent_row(consent: Consent, today: datetime.date) -> ConsentRow:
    status = consent_status(consent, today)
    return ConsentRow(
        consent, category_labels(consent.categories), status, str(CONSENT_STATUS_LABELS[status])
    )


def consent_rows(consents: QuerySet[Consent]) -> list[ConsentRow]:
    today = timezone.localdate()
    related = consents.select_related("recipient", "recorded_by", "recorded_by_organisation", "withdrawn_by")
    return [consent_row(consent, today) for consent in related]


def _consent(actor: Actor, pk: int, consent_pk: int, *, audit_view: bool = True) -> Consent:
    """A consent of a client the actor may see, or 404."""
    return get_visible(
        actor,
        Consent.objects.filter(client_id=pk).select_related(
            "client", "recipient", "recorded_by", "recorded_by_organisation", "withdrawn_by"
        ),
        consent_pk,
        audit_view=audit_view,
    )


@client_view
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible(actor, Client.objects.all(), pk, client_path="")
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"evidence": "signed_form", "given_on": timezone.localdate()},
    )
    consent = submit(
        request,
        form,
        lambda data: actions.grant_consent(
            actor,
            client,
            purpose=data["purpose"],
            recipient=data["recipient"],
            categories=data["categories"],
            evidence=form.evidence_value(),
            given_on=data["given_on"],
            valid_until=data["valid_until"],
            evidence_file=data.get("evidence_file"),
        ),
        _("The consent was recorded."),
    )
    if consent is not None:
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/consent_form.html", {"form": form, "client": client})


@client_view
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    consent = get_visible(actor, Consent.objects.filter(client_id=pk), consent_pk, audit_view=False)
    try:
        actions.withdraw_consent(actor, consent)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The consent was withdrawn. It takes effect at once."))
    # The withdrawing organisation may itself have lost access: go where it still may look.
    if scope(actor, Client.objects.filter(pk=pk), client_path="").exists():
        return redirect("clients:detail", pk=pk)
    return redirect("clients:list")


@client_view
@require_safe
def consent_evidence(request: HttpRequest, pk: int, consent_pk: int) -> FileResponse:
    """The signed consent form: only through this access-checked, audited view, never MEDIA_URL."""
    actor = Actor.from_request(request)
    consent = _consent(actor, pk, consent_pk, audit_view=False)
    if not consent.evidence_file:
        raise Http404
    try:
        handle = consent.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record(actor, AuditAction.VIEW, consent, client_id=consent.client_id, summary="signed consent form")
    response = FileResponse(
        handle, as_attachment=True, filename=f"consent-{consent.pk}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store, private"
    return response


@client_view
@require_safe
def consent_receipt(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """An A4 receipt of one consent, for the client to keep, in the active language."""
    actor = Actor.from_request(request)
    consent = _consent(actor, pk, consent_pk, audit_view=False)
    row = consent_row(consent, timezone.localdate())
    response = pdf_response(
        "clients/pdf_consent_receipt.html",
        {"client": consent.client, "row": row, "consent": row.consent, "printed_at": timezone.now()},
        request,
        f"consent-{consent.pk}.pdf",
    )
    audit.record(
        actor, AuditAction.EXPORT, consent, client_id=consent.client_id, summary="consent receipt (PDF)"
    )
    return response


@client_view
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who saw or changed this file, and when (DESIGN §5; the client's right to know)."""
    actor = Actor.from_request(request)
    client = get_visible(actor, Client.objects.all(), pk, client_path="")
    events = paginate(
        request,
        AuditEvent.objects.filter(client_id=client.pk)
        .select_related("user", "organisation")
        .order_by("-at", "-pk"),
        size=100,
    )
    return render(request, "clients/access_log.html", {"client": client, "page": events})


@dataclass(frozen=True)
class ReportRow:
    at: datetime.datetime
    person: str
    organisation: str
    action: str
    what: str


def access_report_rows(client_id: int) -> list[ReportRow]:
    """The access report's lines: every view and change of the client's data, oldest first."""
    types = object_type_labels()
    return [
        ReportRow(
            at=timezone.localtime(e.at),
            person=str(e.user) if e.user else "—",
            organisation=str(e.organisation) if e.organisation else "—",
            action=e.get_action_display() + (" (API)" if e.via_api else ""),
            what=types.get(e.object_type, e.object_type),
        )
        for e in access_events(client_id)
    ]


@client_view
@require_safe
def access_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's access report (GDPR art. 15): a printable A4 PDF of who viewed or changed what,
    and when. Recorded as an export after it is drawn up, so the next report shows it."""
    actor = Actor.from_request(request)
    client = get_visible(actor, Client.objects.all(), pk, client_path="", audit_view=False)
    response = pdf_response(
        "clients/pdf_access_report.html",
        {"client": client, "rows": access_report_rows(client.pk), "printed_at": timezone.now()},
        request,
        f"access-report-{client.pk}.pdf",
    )
    audit.record(actor, AuditAction.EXPORT, client, client_id=client.pk, summary="access report (PDF)")
    return response


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
