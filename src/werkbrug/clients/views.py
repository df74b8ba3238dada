"""Client files: list, registration, the file itself, consents and the access log."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.clients import actions
from werkbrug.clients.forms import ClientForm, ClientSearchForm, ConsentForm, RegisterClientForm
from werkbrug.clients.models import Client, Consent
from werkbrug.core.access import get_visible, scope, visible_clients
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import submit
from werkbrug.core.models import AuditEvent
from werkbrug.core.paging import paginate
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
    consents = client.consents.select_related("recipient", "recorded_by").order_by("-recorded_at")
    return render(
        request,
        "clients/detail.html",
        {"client": client, "referrals": referrals, "trajectories": trajectories, "consents": consents},
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


@client_view
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible(actor, Client.objects.all(), pk, client_path="")
    form = ConsentForm(request.POST or None, initial={"evidence": "signed_form"})
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
