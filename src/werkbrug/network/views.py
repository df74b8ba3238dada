"""Network-admin pages: organisations, users and memberships, referral lines, sub-regions.

Only a network admin reaches them (others get 404). They show no client data at all.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, Text, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network import actions
from werkbrug.network.forms import (
    ActiveForm,
    MembershipEditForm,
    MembershipForm,
    NetworkSettingsForm,
    OrganisationForm,
    ReferralLineForm,
    SearchForm,
    SubRegionForm,
    UserCreateForm,
    UserForm,
)
from werkbrug.network.models import (
    Membership,
    NetworkSettings,
    Organisation,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)

View = Callable[..., HttpResponse]

admin_view = role_view(Role.NETWORK_ADMIN)
admin_action = functools.partial(
    action_view, policy=admin_view, template="network/form.html", refused_status=200
)


def _pk(rows: Any) -> Callable[[Step], Any]:
    """Load the row the URL's `pk` names, or 404."""
    return lambda step: get_object_or_404(rows, pk=step.kwargs["pk"])


@dataclass(frozen=True)
class Part:
    """A part of the network pages (`org`, `user`, …): its list and the form pages below it."""

    name: str
    title: Promise
    new_label: Promise  # the link to its create page, and that page's title
    add_label: Promise  # the create page's button
    placeholder: Promise | None = None  # the list's search box, if it has one

    @property
    def section(self) -> str:
        """Its entry in the network nav."""
        return f"{self.name}s"

    @property
    def list_url(self) -> str:
        return f"network:{self.name}_list"

    @property
    def new_url(self) -> str:
        return f"network:{self.name}_create"

    def list_page(
        self, request: HttpRequest, template: str, rows: QuerySet[Any], *search: str
    ) -> HttpResponse:
        """The list, paginated; with `search` fields, every word searched for must match one of them."""
        form = SearchForm(request.GET or None)
        if search and form.is_valid():
            for word in form.cleaned_data["q"].split():
                match = Q()
                for field in search:
                    match |= Q(**{f"{field}__icontains": word})
                rows = rows.filter(match)
        page = paginate(request, rows)
        return render(
            request, template, {"page": page, "search": form, "section": self.section, "part": self}
        )

    def crumbs(self, step: Step, *more: tuple[str, object]) -> dict[str, Any]:
        """The context of a form page below this part's list."""
        return {"section": self.section, "crumbs": [(reverse(self.list_url), self.title), *more]}

    def new(self, form: Any, action: Callable[..., Any], success: Text, **spec: Any) -> View:
        """The page that adds a row with `action(actor, **data)`, then shows the list again."""
        page = {"context": self.crumbs, "done": lambda step, result: self.list_url}
        return admin_action(
            form=form,
            run=lambda step, data: action(step.actor, **data),
            success=success,
            title=self.new_label,
            submit_label=self.add_label,
            **(page | spec),
        )

    def edit(
        self,
        load: Callable[[Step], Any],
        form: Any,
        action: Callable[..., Any],
        title: Text,
        success: Text,
        **spec: Any,
    ) -> View:
        """The page that changes the loaded row with `action(actor, row, **data)`. The form gets a copy:
        a bound ModelForm writes the submitted values onto its instance, and the page keeps naming
        the stored row."""
        page = {"context": self.crumbs, "done": lambda step, result: self.list_url}
        return admin_action(
            load=load,
            form=lambda step: form(step.data, instance=copy.copy(step.target)),
            run=lambda step, data: action(step.actor, step.target, **data),
            title=title,
            success=success,
            **(page | spec),
        )


ORGS = Part("org", _("Organisations"), _("New organisation"), _("Add organisation"), _("Search by name"))
USERS = Part("user", _("Users"), _("New user"), _("Add user"), _("Search by name or username"))
LINES = Part(
    "line",
    _("Referral lines"),
    _("New referral line"),
    _("Add referral line"),
    _("Search by line or organisation"),
)
REGIONS = Part("region", _("Sub-regions"), _("New sub-region"), _("Add sub-region"))


def _button(back: Callable[[Step], str], **spec: Any) -> View:
    """A button on another page: it posts, and goes back there whether the action ran or was refused
    (then with the reason as a message)."""

    def refused(step: Step) -> HttpResponse:
        for error in [str(e) for errors in step.form.errors.values() for e in errors]:
            messages.error(step.request, error)
        return redirect(back(step))

    return admin_action(post_only=True, refused=refused, done=lambda step, result: back(step), **spec)


@admin_view
def home(request: HttpRequest) -> HttpResponse:
    counts = {
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "users": User.objects.filter(is_active=True).count(),
        "lines": ReferralLine.objects.filter(is_active=True).count(),
        "regions": SubRegion.objects.count(),
    }
    return render(request, "network/home.html", {"counts": counts, "section": "home"})


# --- organisations ---------------------------------------------------------------------------------


@admin_view
def org_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("subregion").annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return ORGS.list_page(request, "network/org_list.html", organisations.order_by("name", "pk"), "name")


def _org_page(step: Step) -> dict[str, Any]:
    members = (
        Membership.objects.filter(organisation_id=step.target.pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    return ORGS.crumbs(step) | {"members": members}


def _toggled(step: Step) -> str:
    active = step.form.is_valid() and step.form.cleaned_data["active"]
    message = _("%(name)s is active again.") if active else _("%(name)s was deactivated.")
    return message % {"name": step.target.name}


org_create = ORGS.new(OrganisationForm, actions.create_organisation, _("The organisation was added."))
org_edit = ORGS.edit(
    _pk(Organisation),
    OrganisationForm,
    actions.update_organisation,
    lambda step: step.target.name,
    _("The organisation was saved."),
    template="network/org_edit.html",
    context=_org_page,
)
org_toggle = _button(
    lambda step: ORGS.list_url,
    load=_pk(Organisation),
    form=ActiveForm,
    run=lambda step, data: actions.set_organisation_active(step.actor, step.target, active=data["active"]),
    success=_toggled,
)


# --- users and memberships -------------------------------------------------------------------------


@admin_view
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by("organisation__name", "role"),
        )
    )
    users = users.order_by("last_name", "first_name", "username", "pk")
    return USERS.list_page(request, "network/user_list.html", users, "first_name", "last_name", "username")


def _person(step: Step) -> str:
    """The edit page of the user the URL names: where their memberships are managed."""
    return reverse("network:user_edit", args=[step.kwargs["pk"]])


def _user_page(step: Step) -> dict[str, Any]:
    memberships = Membership.objects.filter(user_id=step.target.pk).select_related("organisation")
    return USERS.crumbs(step) | {"memberships": memberships, "subject": step.target.username}


def _membership(rows: QuerySet[Membership]) -> Callable[[Step], Membership]:
    """Load the membership the URL names, of the user it names, or 404."""
    return lambda step: get_object_or_404(rows, pk=step.kwargs["membership_pk"], user_id=step.kwargs["pk"])


def _create_user(actor: Actor, *, password_confirm: str, **data: Any) -> User:
    """The confirmation was the form's to check; the action takes the rest."""
    return actions.create_user(actor, **data)


user_create = USERS.new(
    UserCreateForm,
    _create_user,
    _("The user was added. Give them the initial password in person."),
    done=lambda step, user: reverse("network:user_edit", args=[user.pk]),
)
user_edit = USERS.edit(
    _pk(User),
    UserForm,
    actions.update_user,
    lambda step: str(step.target),
    _("The user was saved."),
    template="network/user_edit.html",
    context=_user_page,
)
membership_add = admin_action(
    load=_pk(User),
    form=MembershipForm,
    run=lambda step, data: actions.add_membership(step.actor, step.target, **data),
    success=_("The membership was added."),
    done=lambda step, result: _person(step),
    title=_("New membership"),
    context=lambda step: USERS.crumbs(step, (_person(step), step.target)),
)
membership_edit = USERS.edit(
    _membership(Membership.objects.select_related("user", "organisation")),
    MembershipEditForm,
    actions.update_membership,
    lambda step: _("Membership at %(organisation)s") % {"organisation": step.target.organisation.name},
    _("The membership was saved."),
    done=lambda step, result: _person(step),
    context=lambda step: USERS.crumbs(step, (_person(step), step.target.user)),
)
membership_remove = _button(
    _person,
    load=_membership(Membership.objects.all()),
    form=forms.Form,
    run=lambda step, data: actions.remove_membership(step.actor, step.target),
    success=_("The membership was removed."),
)


# --- referral lines --------------------------------------------------------------------------------


@admin_view
def line_list(request: HttpRequest) -> HttpResponse:
    type_name = TrajectoryType.objects.filter(code=OuterRef("default_trajectory_type")).values("name")[:1]
    lines = (
        ReferralLine.objects.select_related("organisation")
        .prefetch_related(Prefetch("screeners", queryset=User.objects.order_by("last_name", "first_name")))
        .annotate(trajectory_type_name=Subquery(type_name))
        .order_by("name", "pk")
    )
    return LINES.list_page(request, "network/line_list.html", lines, "name", "organisation__name")


line_create = LINES.new(
    lambda step: ReferralLineForm(step.data, initial={"is_active": True}),
    actions.create_line,
    _("The referral line was added."),
)
line_edit = LINES.edit(
    _pk(ReferralLine.objects.select_related("organisation")),
    ReferralLineForm,
    actions.update_line,
    lambda step: _("Referral line %(name)s") % {"name": step.target.name},
    _("The referral line was saved."),
)


# --- sub-regions -----------------------------------------------------------------------------------


@admin_view
def region_list(request: HttpRequest) -> HttpResponse:
    # Organisations only: clients also point at a sub-region, and this page shows no client data.
    regions = SubRegion.objects.annotate(organisation_count=Count("organisation"))
    return REGIONS.list_page(request, "network/region_list.html", regions.order_by("name", "pk"))


region_create = REGIONS.new(SubRegionForm, actions.create_subregion, _("The sub-region was added."))
region_edit = REGIONS.edit(
    _pk(SubRegion),
    SubRegionForm,
    actions.update_subregion,
    lambda step: _("Sub-region %(name)s") % {"name": step.target.name},
    _("The sub-region was saved."),
)


# --- network-wide settings ---------------------------------------------------------------------------

settings_edit = admin_action(
    load=lambda step: NetworkSettings.load(),
    form=lambda step: NetworkSettingsForm(step.data, instance=copy.copy(step.target)),
    run=lambda step, data: actions.update_network_settings(step.actor, step.target, **data),
    success=_("The network settings were saved."),
    done=lambda step, result: reverse("network:settings"),
    title=_("Network settings"),
    context=lambda step: {"section": "settings"},
)
