"""Client files: list, registration, details, consents, the access log and the access report. The
file page itself and the export read across areas and live in `dossier`."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from werkbrug.clients import actions
from werkbrug.clients.access import get_visible, scope, visible_clients
from werkbrug.clients.forms import (
    ClientForm,
    ClientSearchForm,
    ConsentForm,
    RegisterClientForm,
    category_labels,
)
from werkbrug.clients.models import Client, Consent
from werkbrug.clients.provenance import Sight, sight
from werkbrug.clients.records import (
    CONSENT_STATUS_LABELS,
    access_events,
    consent_status,
    details_changed,
    details_version,
)
from werkbrug.core import audit
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.core.paging import paginate
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import client_view
from werkbrug.core.privatefiles import pdf_download


@client_view
@lists_clients("clients:list")
def client_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    search = ClientSearchForm(request.GET or None)
    clients = visible_clients(actor).select_related("subregion")
    if search.is_valid() and search.cleaned_data["q"]:
        for word in search.cleaned_data["q"].split():
            clients = clients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = paginate(request, clients.order_by("last_name", "first_name", "pk"))
    return render(request, "clients/list.html", {"page": page, "search": search})


client_action = functools.partial(action_view, policy=client_view, refused_status=200)


def _client(step: Step) -> Client:
    return get_visible(step.actor, Client.objects.all(), step.kwargs["pk"], client_path="")


def _registration_form(step: Step) -> RegisterClientForm:
    """A valid registration also looks for the person among the actor's own clients: with possible
    duplicates it is refused until the user confirms that this is a different person."""
    form = RegisterClientForm(step.data, initial={"evidence": "signed_form"})
    if form.is_valid():
        data = form.cleaned_data
        form.duplicates = actions.possible_duplicates(
            step.actor,
            insz=data.get("insz", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
        )
        if form.duplicates and not data.get("confirm_new"):
            form.add_error(
                None,
                _(
                    "This person may already be known to you. Open the file below, or confirm that "
                    "this is a different person."
                ),
            )
    return form


def _register(step: Step, data: dict[str, Any]) -> Client:
    form = cast(RegisterClientForm, step.form)
    return actions.register_client(step.actor, form.instance, form.evidence_value())


client_create = client_action(
    form=_registration_form,
    run=_register,
    success=_("The client was registered."),
    done=lambda step, client: reverse("clients:detail", args=[client.pk]),
    title=_("Register a client"),
    submit_label=_("Register"),
    template="clients/create.html",
    context=lambda step: {
        "crumbs": [(reverse("clients:list"), _("Clients"))],
        "duplicates": cast(RegisterClientForm, step.form).duplicates,
    },
)


def _to_file(step: Step, result: object = None) -> str:
    return reverse("clients:detail", args=[step.kwargs["pk"]])


def _details_changed(client: Client) -> str:
    """Who saved the details first and what; the user's own input stays in the form below."""
    return details_changed(client) + " " + gettext("Check what you typed below and save again.")


client_edit = client_action(
    load=_client,
    form=lambda step: ClientForm(step.data, instance=step.target),
    run=lambda step, data: actions.update_client(step.actor, step.target, step.form.changed_data),
    success=_("The details were saved."),
    done=_to_file,
    title=_("Edit details"),
    context=lambda step: {"crumbs": [(_to_file(step), step.target)]},
    version=details_version,
    changed=_details_changed,
)


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


def _grant(step: Step, data: dict[str, Any]) -> Consent:
    """The form's evidence fields make one Evidence; the other fields are the consent's own."""
    consent = {name: value for name, value in data.items() if name not in ("evidence", "evidence_note")}
    evidence = cast(ConsentForm, step.form).evidence_value()
    return actions.grant_consent(step.actor, step.target, evidence=evidence, **consent)


consent_create = client_action(
    load=_client,
    form=lambda step: ConsentForm(
        step.data,
        step.request.FILES or None,
        organisation=step.actor.organisation,
        initial={"evidence": "signed_form", "given_on": timezone.localdate()},
    ),
    run=_grant,
    success=_("The consent was recorded."),
    done=_to_file,
    template="clients/consent_form.html",
)


def _after_withdrawal(step: Step, result: object = None) -> str:
    """The withdrawing organisation may itself have lost access: go where it still may look."""
    if scope(step.actor, Client.objects.filter(pk=step.kwargs["pk"]), client_path="").exists():
        return _to_file(step)
    return reverse("clients:list")


def _withdrawal_refused(step: Step) -> HttpResponse:
    for error in step.form.non_field_errors():
        messages.error(step.request, str(error))
    return redirect(_after_withdrawal(step))


consent_withdraw = client_action(
    load=lambda step: get_visible(
        step.actor,
        Consent.objects.filter(client_id=step.kwargs["pk"]),
        step.kwargs["consent_pk"],
        audit_view=False,
    ),
    form=forms.Form,
    run=lambda step, data: actions.withdraw_consent(step.actor, step.target),
    success=_("The consent was withdrawn. It takes effect at once."),
    done=_after_withdrawal,
    post_only=True,
    refused=_withdrawal_refused,
)


@client_view
@require_safe
def consent_evidence(request: HttpRequest, pk: int, consent_pk: int) -> FileResponse:
    """The signed consent form: only through this access-checked, audited view, never MEDIA_URL."""
    actor = Actor.from_request(request)
    consent = _consent(actor, pk, consent_pk, audit_view=False)
    response = pdf_download(
        consent.evidence_file, download_name(gettext("consent"), consent.pk, extension="pdf")
    )
    audit.record(actor, AuditAction.VIEW, consent, client_id=consent.client_id, summary="signed consent form")
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
        download_name(gettext("consent"), consent.pk, extension="pdf"),
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
    # Other organisations' accesses only as far as the client agreed (clients.provenance).
    events = paginate(
        request,
        sight(actor, client.pk)
        .own_rows(AuditEvent.objects.filter(client_id=client.pk), "organisation")
        .select_related("user", "organisation")
        .order_by("-at", "-pk"),
        size=100,
    )
    rows = [(event, audit.describe(event)) for event in events]
    return render(request, "clients/access_log.html", {"client": client, "page": events, "rows": rows})


@dataclass(frozen=True)
class ReportRow:
    at: datetime.datetime
    person: str
    organisation: str
    action: str
    what: str
    via_api: bool = False


def access_report_rows(client_id: int, seen: Sight | None = None) -> list[ReportRow]:
    """The access report's lines: every view and change of the client's data, oldest first; with
    `seen`, other organisations' only as far as the client agreed (clients.provenance)."""
    events = access_events(client_id)
    if seen is not None:
        events = seen.own_rows(events, "organisation")
    return [
        ReportRow(
            at=timezone.localtime(e.at),
            person=str(e.user) if e.user else "—",
            organisation=str(e.organisation) if e.organisation else "—",
            action=e.get_action_display() + (" (API)" if e.via_api else ""),
            what=audit.describe(e),
            via_api=e.via_api,
        )
        for e in events
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
        {
            "client": client,
            "rows": access_report_rows(client.pk, sight(actor, client.pk)),
            "printed_at": timezone.now(),
        },
        request,
        download_name(gettext("access report"), client.pk, extension="pdf"),
    )
    audit.record(actor, AuditAction.EXPORT, client, client_id=client.pk, summary="access report (PDF)")
    return response
