"""Forms of the network-admin pages. They check the shape of the input; the rules live in actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choosers import ChooserField
from werkbrug.network.actions import SCREENING_ROLES
from werkbrug.network.indications import indication_choices
from werkbrug.network.models import (
    DraaiboekVersion,
    Membership,
    NetworkSettings,
    Organisation,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)


def organisation_choices(current: Organisation | None = None) -> QuerySet[Organisation]:
    """Active organisations, plus the one already chosen so that editing never drops it silently."""
    condition = Q(is_active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Organisation.objects.filter(condition)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class ActiveForm(forms.Form):
    """The target state of an activate/deactivate button."""

    active = forms.BooleanField(required=False)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "org_type", "subregion", "retention_years", "is_active"]
        error_messages = {"name": {"unique": _("An organisation with this name already exists.")}}


class SubRegionForm(forms.ModelForm):
    class Meta:
        model = SubRegion
        fields = ["name"]
        error_messages = {"name": {"unique": _("A sub-region with this name already exists.")}}


def fte_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("FTE"),
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        initial=1,
        help_text=_("Between 0 and 1, for example 0.8."),
    )


def capacity_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Capacity (files)"),
        required=False,
        min_value=0,
        max_value=500,
        help_text=_("How many files this person can carry; for coaches."),
    )


class MembershipFields(forms.ModelForm):
    """Role, capacity and FTE, shared by the membership forms."""

    capacity = capacity_field()
    fte = fte_field()

    class Meta:
        model = Membership
        fields = ["role", "capacity", "fte"]


class MembershipForm(MembershipFields):
    """A new membership for an existing user."""

    organisation = ChooserField(
        chooser="organisations", label=_("Organisation"), queryset=organisation_choices()
    )

    class Meta(MembershipFields.Meta):
        fields = ["organisation", "role", "capacity", "fte"]


class MembershipEditForm(MembershipFields):
    class Meta(MembershipFields.Meta):
        fields = ["role", "capacity", "fte", "is_active"]


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]
        help_texts = {"is_active": _("An inactive user can no longer log in.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A shared case file needs to say who did what: no anonymous accounts.
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class UserCreateForm(UserForm):
    """A new user with an initial password and a first membership."""

    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Initial password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    organisation = ChooserField(
        chooser="organisations", label=_("Organisation"), queryset=organisation_choices()
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    capacity = capacity_field()
    fte = fte_field()

    class Meta(UserForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]
        error_messages = {"username": {"unique": _("A user with this username already exists.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords differ."))
        elif password:
            probe = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data

    def action_data(self) -> dict[str, Any]:
        """What actions.create_user takes: everything but the confirmation."""
        return {k: v for k, v in self.cleaned_data.items() if k != "password_confirm"}


class ScreenerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        places = ", ".join(
            f"{m.organisation.name} ({m.get_role_display()})"
            for m in getattr(obj, "screening_memberships", [])
        )
        name = obj.get_full_name() or obj.username
        return f"{name} — {places}" if places else name


class ReferralLineForm(forms.ModelForm):
    organisation = ChooserField(chooser="organisations", label=capfirst(_("owning organisation")))
    indications = forms.MultipleChoiceField(
        label=_("Indications that point to this line"),
        choices=indication_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    default_trajectory_type = forms.ChoiceField(label=_("Default trajectory type"), required=False)
    screeners = ScreenerField(
        label=_("Screeners"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Only people with an active screener or coordinator membership at the owning organisation."
        ),
    )

    class Meta:
        model = ReferralLine
        fields = [
            "name",
            "organisation",
            "description",
            "indications",
            "default_trajectory_type",
            "screeners",
            "is_active",
        ]
        error_messages = {"name": {"unique": _("A referral line with this name already exists.")}}
        help_texts = {"description": _("Shown to the people who refer.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        line: ReferralLine = self.instance
        current = line.organisation if line.pk else None
        # The chooser's organisations, plus the line's own when it is no longer active.
        cast(ChooserField, self.fields["organisation"]).queryset = organisation_choices(current)
        cast(forms.ChoiceField, self.fields["default_trajectory_type"]).choices = [
            ("", "---------"),
            *TrajectoryType.objects.values_list("code", "name"),
        ]
        # Everyone who screens somewhere (the action checks it is at the owning organisation), plus the
        # line's current screeners so that one who no longer qualifies shows up rather than vanishing.
        candidates = Q(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=SCREENING_ROLES,
            memberships__organisation__is_active=True,
        )
        if line.pk:
            candidates |= Q(screened_lines=line)
        cast(ScreenerField, self.fields["screeners"]).queryset = (
            User.objects.filter(pk__in=User.objects.filter(candidates).values("pk"))
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.filter(
                        is_active=True, role__in=SCREENING_ROLES
                    ).select_related("organisation"),
                    to_attr="screening_memberships",
                )
            )
            .order_by("last_name", "first_name", "username")
        )


class NetworkSettingsForm(forms.ModelForm):
    class Meta:
        model = NetworkSettings
        fields = ["require_two_factor_for_all"]


class _Fresh:
    """A hidden field saying what a page showed. The posted value is what is checked; a refused form
    is shown again with the value of that moment (its initial), so that sending it again is a
    decision made on what the page shows now."""

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial


class _OpenedVersion(_Fresh, forms.ModelChoiceField):
    widget = forms.HiddenInput


class _OpenedDraft(_Fresh, forms.BooleanField):
    widget = forms.HiddenInput


class RemoveIndicationForm(forms.Form):
    """Removing a draaiboek indication: the page carries the version it showed (`opened`) and
    whether that was the draft (`on_draft`: a draft published since is another decision)."""

    opened = _OpenedVersion(queryset=DraaiboekVersion.objects.all())
    on_draft = _OpenedDraft(required=False)
