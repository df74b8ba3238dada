"""Network-admin pages: organisations, users and memberships, referral lines, sub-regions.

Only a network admin reaches them (others get 404). They show no client data at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import submit
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network import actions
from werkbrug.network.forms import (
    ActiveForm,
    MembershipEditForm,
    MembershipForm,
    OrganisationForm,
    ReferralLineForm,
    SearchForm,
    SubRegionForm,
    UserCreateForm,
    UserForm,
)
from werkbrug.network.models import Membership, Organisation, ReferralLine, Role, SubRegion, User
from werkbrug.trajectories.models import TrajectoryType


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return paginate(request, queryset)


def _search(request: HttpRequest, queryset: QuerySet[Any], *fields: str) -> tuple[QuerySet[Any], SearchForm]:
    """Every word must match one of the fields."""
    form = SearchForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split():
            match = Q()
            for field in fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
    return queryset, form


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    section: str,
    back: str,
    back_label: str,
    submit_label: str,
) -> HttpResponse:
    """The page of a plain form; `back` is the list it belongs to, shown as the breadcrumb."""
    context = {
        "form": form,
        "title": title,
        "section": section,
        "back": reverse(back),
        "back_label": back_label,
        "submit_label": submit_label,
    }
    return render(request, "network/form.html", context)


@role_view(Role.NETWORK_ADMIN)
def home(request: HttpRequest) -> HttpResponse:
    counts = {
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "users": User.objects.filter(is_active=True).count(),
        "lines": ReferralLine.objects.filter(is_active=True).count(),
        "regions": SubRegion.objects.count(),
    }
    return render(request, "network/home.html", {"counts": counts, "section": "home"})


# --- organisations ---------------------------------------------------------------------------------


@role_view(Role.NETWORK_ADMIN)
def org_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("subregion").annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    organisations, search = _search(request, organisations, "name")
    page = _page(request, organisations.order_by("name", "pk"))
    return render(request, "network/org_list.html", {"page": page, "search": search, "section": "orgs"})


@role_view(Role.NETWORK_ADMIN)
def org_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = OrganisationForm(request.POST or None)
    organisation = submit(
        request,
        form,
        lambda data: actions.create_organisation(actor, **data),
        _("The organisation was added."),
    )
    if organisation is not None:
        return redirect("network:org_list")
    return _form_page(
        request,
        form,
        title=_("New organisation"),
        section="orgs",
        back="network:org_list",
        back_label=_("Organisations"),
        submit_label=_("Add organisation"),
    )


@role_view(Role.NETWORK_ADMIN)
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    # Named before binding: a bound ModelForm writes the submitted values onto the instance.
    title = organisation.name
    form = OrganisationForm(request.POST or None, instance=organisation)
    saved = submit(
        request,
        form,
        lambda data: actions.update_organisation(actor, organisation, **data),
        _("The organisation was saved."),
    )
    if saved is not None:
        return redirect("network:org_list")
    members = (
        Membership.objects.filter(organisation_id=pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    return render(
        request,
        "network/org_edit.html",
        {"form": form, "organisation": organisation, "title": title, "members": members, "section": "orgs"},
    )


@role_view(Role.NETWORK_ADMIN)
@require_POST
def org_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    form = ActiveForm(request.POST)
    active = form.is_valid() and form.cleaned_data["active"]
    try:
        organisation = actions.set_organisation_active(actor, organisation, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s is active again.") % {"name": organisation.name}
            if active
            else _("%(name)s was deactivated.") % {"name": organisation.name},
        )
    return redirect("network:org_list")


# --- users and memberships -------------------------------------------------------------------------


@role_view(Role.NETWORK_ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by("organisation__name", "role"),
        )
    )
    users, search = _search(request, users, "first_name", "last_name", "username")
    page = _page(request, users.order_by("last_name", "first_name", "username", "pk"))
    return render(request, "network/user_list.html", {"page": page, "search": search, "section": "users"})


@role_view(Role.NETWORK_ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = UserCreateForm(request.POST or None)
    user = submit(
        request,
        form,
        lambda data: actions.create_user(actor, **form.action_data()),
        _("The user was added. Give them the initial password in person."),
    )
    if user is not None:
        return redirect("network:user_edit", pk=user.pk)
    return _form_page(
        request,
        form,
        title=_("New user"),
        section="users",
        back="network:user_list",
        back_label=_("Users"),
        submit_label=_("Add user"),
    )


@role_view(Role.NETWORK_ADMIN)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    user = get_object_or_404(User, pk=pk)
    title = str(user)  # before binding, see org_edit
    form = UserForm(request.POST or None, instance=user)
    saved = submit(
        request,
        form,
        lambda data: actions.update_user(actor, user, **data),
        _("The user was saved."),
    )
    if saved is not None:
        return redirect("network:user_list")
    memberships = Membership.objects.filter(user_id=pk).select_related("organisation")
    return render(
        request,
        "network/user_edit.html",
        {"form": form, "person": user, "title": title, "memberships": memberships, "section": "users"},
    )


@role_view(Role.NETWORK_ADMIN)
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    user = get_object_or_404(User, pk=pk)
    form = MembershipForm(request.POST or None)
    membership = submit(
        request,
        form,
        lambda data: actions.add_membership(actor, user, **data),
        _("The membership was added."),
    )
    if membership is not None:
        return redirect("network:user_edit", pk=user.pk)
    return render(
        request,
        "network/membership_form.html",
        {"form": form, "person": user, "title": _("New membership"), "section": "users"},
    )


@role_view(Role.NETWORK_ADMIN)
def membership_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_pk, user_id=pk
    )
    form = MembershipEditForm(request.POST or None, instance=membership)
    saved = submit(
        request,
        form,
        lambda data: actions.update_membership(actor, membership, **data),
        _("The membership was saved."),
    )
    if saved is not None:
        return redirect("network:user_edit", pk=pk)
    title = _("Membership at %(organisation)s") % {"organisation": membership.organisation.name}
    return render(
        request,
        "network/membership_form.html",
        {"form": form, "person": membership.user, "title": title, "section": "users"},
    )


@role_view(Role.NETWORK_ADMIN)
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    membership = get_object_or_404(Membership, pk=membership_pk, user_id=pk)
    try:
        actions.remove_membership(actor, membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The membership was removed."))
    return redirect("network:user_edit", pk=pk)


# --- referral lines --------------------------------------------------------------------------------


@role_view(Role.NETWORK_ADMIN)
def line_list(request: HttpRequest) -> HttpResponse:
    type_name = TrajectoryType.objects.filter(code=OuterRef("default_trajectory_type")).values("name")[:1]
    lines = (
        ReferralLine.objects.select_related("organisation")
        .prefetch_related(Prefetch("screeners", queryset=User.objects.order_by("last_name", "first_name")))
        .annotate(trajectory_type_name=Subquery(type_name))
    )
    lines, search = _search(request, lines, "name", "organisation__name")
    page = _page(request, lines.order_by("name", "pk"))
    return render(request, "network/line_list.html", {"page": page, "search": search, "section": "lines"})


@role_view(Role.NETWORK_ADMIN)
def line_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = ReferralLineForm(request.POST or None, initial={"is_active": True})
    line = submit(
        request,
        form,
        lambda data: actions.create_line(actor, **data),
        _("The referral line was added."),
    )
    if line is not None:
        return redirect("network:line_list")
    return _form_page(
        request,
        form,
        title=_("New referral line"),
        section="lines",
        back="network:line_list",
        back_label=_("Referral lines"),
        submit_label=_("Add referral line"),
    )


@role_view(Role.NETWORK_ADMIN)
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    line = get_object_or_404(ReferralLine.objects.select_related("organisation"), pk=pk)
    title = _("Referral line %(name)s") % {"name": line.name}  # before binding, see org_edit
    form = ReferralLineForm(request.POST or None, instance=line)
    saved = submit(
        request,
        form,
        lambda data: actions.update_line(actor, line, **data),
        _("The referral line was saved."),
    )
    if saved is not None:
        return redirect("network:line_list")
    return _form_page(
        request,
        form,
        title=title,
        section="lines",
        back="network:line_list",
        back_label=_("Referral lines"),
        submit_label=_("Save"),
    )


# --- sub-regions -----------------------------------------------------------------------------------


@role_view(Role.NETWORK_ADMIN)
def region_list(request: HttpRequest) -> HttpResponse:
    # Organisations only: clients also point at a sub-region, and this page shows no client data.
    regions = SubRegion.objects.annotate(organisation_count=Count("organisation"))
    page = _page(request, regions.order_by("name", "pk"))
    return render(request, "network/region_list.html", {"page": page, "section": "regions"})


@role_view(Role.NETWORK_ADMIN)
def region_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = SubRegionForm(request.POST or None)
    region = submit(
        request,
        form,
        lambda data: actions.create_subregion(actor, **data),
        _("The sub-region was added."),
    )
    if region is not None:
        return redirect("network:region_list")
    return _form_page(
        request,
        form,
        title=_("New sub-region"),
        section="regions",
        back="network:region_list",
        back_label=_("Sub-regions"),
        submit_label=_("Add sub-region"),
    )


@role_view(Role.NETWORK_ADMIN)
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    region = get_object_or_404(SubRegion, pk=pk)
    title = _("Sub-region %(name)s") % {"name": region.name}  # before binding, see org_edit
    form = SubRegionForm(request.POST or None, instance=region)
    saved = submit(
        request,
        form,
        lambda data: actions.update_subregion(actor, region, **data),
        _("The sub-region was saved."),
    )
    if saved is not None:
        return redirect("network:region_list")
    return _form_page(
        request,
        form,
        title=title,
        section="regions",
        back="network:region_list",
        back_label=_("Sub-regions"),
        submit_label=_("Save"),
    )
