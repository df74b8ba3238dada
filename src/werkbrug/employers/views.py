"""The employer pages: the list (search and filters) and an employer's page (data, contact persons,
openings, the network's recent job development contacts). Employers are network data; the clients
named in contacts and introductions are shown only through `clients.access`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.paging import paginate
from werkbrug.employers.access import employer_reader, may_write
from werkbrug.employers.forms import EmployerSearchForm
from werkbrug.employers.models import Employer, EmployerContact, Introduction, Opening
from werkbrug.trajectories.access import team_trajectories

RECENT_CONTACTS = 20


def get_employer(pk: Any) -> Employer:
    try:
        return Employer.objects.select_related("subregion").get(pk=pk)
    except (Employer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def employer_crumbs(employer: Employer | None = None) -> list[tuple[str, Any]]:
    crumbs: list[tuple[str, Any]] = [(reverse("employers:list"), _("Employers"))]
    if employer is not None:
        crumbs.append((reverse("employers:detail", args=[employer.pk]), employer.name))
    return crumbs


def search_employers(form: EmployerSearchForm) -> QuerySet[Employer]:
    employers = Employer.objects.filter(is_active=True).select_related("subregion")
    if not form.is_valid():
        return employers
    data = form.cleaned_data
    for word in data["q"].split():
        digits = word.replace(".", "")
        match = Q(name__icontains=word) | Q(municipality__icontains=word)
        if digits.isdigit():
            match |= Q(enterprise_number__contains=digits)
        employers = employers.filter(match)
    if data["sector"]:
        employers = employers.filter(sector=data["sector"])
    if data["subregion"]:
        employers = employers.filter(subregion=data["subregion"])
    return employers


@employer_reader
def employer_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    search = EmployerSearchForm(request.GET or None)
    page = paginate(request, search_employers(search).order_by("name", "pk"))
    return render(
        request, "employers/list.html", {"page": page, "search": search, "may_write": may_write(actor)}
    )


def named_contacts(actor: Actor, contacts: list[EmployerContact]) -> list[dict[str, Any]]:
    """Contacts with the client named only where the actor may see that trajectory: one query."""
    visible = {
        t.pk: t
        for t in team_trajectories(actor)
        .filter(pk__in={c.trajectory_id for c in contacts if c.trajectory_id})
        .select_related("client")
    }
    rows = []
    for contact in contacts:
        trajectory = visible.get(contact.trajectory_id) if contact.trajectory_id else None
        rows.append(
            {
                "contact": contact,
                "trajectory": trajectory,
                "anonymous": bool(contact.trajectory_id) and trajectory is None,
            }
        )
    return rows


@employer_reader
@lists_clients("employers:detail")
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    employer = get_employer(pk)
    contacts = list(
        EmployerContact.objects.filter(employer=employer).select_related("coach", "organisation")[
            :RECENT_CONTACTS
        ]
    )
    openings = list(Opening.objects.filter(employer=employer).order_by("closed_on", "-opened_on", "-pk"))
    by_opening: dict[int, list[Introduction]] = {o.pk: [] for o in openings}
    if openings:
        # Only the trajectories introduced to this employer, among those the team may see: without
        # the first filter SQLite listed every trajectory the organisation works on before looking
        # at the introductions (22-66 ms for a large organisation at full scale; docs/bench.md, s40).
        introductions = Introduction.objects.filter(opening__employer=employer)
        seen = team_trajectories(actor).filter(pk__in=introductions.values("trajectory_id")).values("pk")
        for intro in (
            introductions.filter(trajectory__in=seen)
            .select_related("trajectory__client")
            .order_by("-introduced_on", "-pk")
        ):
            by_opening[intro.opening_id].append(intro)
    for opening in openings:
        opening.visible_introductions = by_opening[opening.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "people": list(employer.people.all()),
            "contacts": named_contacts(actor, contacts),
            "openings": openings,
            "may_write": may_write(actor),
            "crumbs": employer_crumbs(),
        },
    )
