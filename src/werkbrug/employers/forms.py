"""The forms of the employers area. Employers and clients are chosen with choosers (core.choosers):
both lists grow with the network."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
from werkbrug.employers.models import (
    ContactMode,
    ContactPerson,
    ContactPlace,
    ContactPurpose,
    Employer,
    IntroductionOutcome,
    Opening,
    Sector,
    normalise_enterprise_number,
    validate_enterprise_number,
)
from werkbrug.network.models import SubRegion


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("sector"), required=False, choices=[("", _("all sectors")), *Sector.choices]
    )
    subregion = forms.ModelChoiceField(
        label=_("sub-region"),
        required=False,
        queryset=SubRegion.objects.order_by("name"),
        empty_label=_("all sub-regions"),
    )


class EmployerForm(forms.ModelForm):
    enterprise_number = forms.CharField(
        label=_("enterprise number (KBO)"),
        max_length=20,
        required=False,
        help_text=_("Ten digits, e.g. 0123.456.749. Leave empty for a private person or abroad."),
    )

    class Meta:
        model = Employer
        fields = [
            "name",
            "enterprise_number",
            "sector",
            "size",
            "street",
            "postcode",
            "municipality",
            "subregion",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["enterprise_number"] = self.instance.enterprise_number_display

    def clean_enterprise_number(self) -> str:
        value = self.cleaned_data["enterprise_number"].strip()
        if not value:
            return ""
        validate_enterprise_number(value)
        number = normalise_enterprise_number(value)
        other = Employer.objects.filter(enterprise_number=number).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise forms.ValidationError(
                _("%(name)s already has this enterprise number: open that employer instead."),
                params={"name": other.name},
                code="duplicate",
            )
        return number


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "phone", "email"]


class ButtonForm(forms.Form):
    """A button only (removing a contact person, ticking off a week); a destructive one asks for
    confirmation before it posts."""


def _contact_fields() -> dict[str, forms.Field]:
    return {
        "on": DateField(label=_("date"), initial=timezone.localdate),
        "mode": forms.ChoiceField(
            label=_("kind"),
            choices=ContactMode.choices,
            initial=ContactMode.FACE_TO_FACE,
            widget=forms.RadioSelect,
        ),
        "purpose": forms.ChoiceField(label=_("purpose"), choices=ContactPurpose.choices),
        "place": forms.ChoiceField(
            label=_("where"),
            choices=ContactPlace.choices,
            initial=ContactPlace.COMMUNITY,
            widget=forms.RadioSelect,
        ),
    }


class EmployerContactForm(forms.Form):
    """A job development contact logged from the employer's page: the client is optional."""

    trajectory = ChooserField(
        chooser="employer_clients",
        label=_("about client (optional)"),
        required=False,
        help_text=_("Only a client who agreed to employer contact by your organisation."),
    )
    note = forms.CharField(label=_("one-line note"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {**_contact_fields(), **self.fields}
        self.fields["trajectory"].for_actor(actor)  # type: ignore[attr-defined]


class TrajectoryContactForm(forms.Form):
    """A job development contact logged from a trajectory: it names that trajectory's client."""

    employer = ChooserField(chooser="employers", label=_("employer"))
    note = forms.CharField(label=_("one-line note"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"employer": self.fields["employer"], **_contact_fields(), "note": self.fields["note"]}
        self.fields["employer"].for_actor(actor)  # type: ignore[attr-defined]


class OpeningForm(forms.ModelForm):
    opened_on = DateField(label=_("opened on"), initial=timezone.localdate)

    class Meta:
        model = Opening
        fields = ["title", "job_type", "hours_per_week", "opened_on"]
        widgets = {"hours_per_week": forms.NumberInput(attrs={"min": 1, "max": 60})}

    def clean_hours_per_week(self) -> int | None:
        hours = self.cleaned_data["hours_per_week"]
        if hours is not None and not 1 <= hours <= 60:
            raise forms.ValidationError(_("Between 1 and 60 hours a week."))
        return hours


class CloseOpeningForm(forms.Form):
    on = DateField(label=_("closed on"), initial=timezone.localdate)


class IntroduceForm(forms.Form):
    trajectory = ChooserField(
        chooser="employer_clients",
        label=_("client"),
        help_text=_("Only a client who agreed to employer contact by your organisation."),
    )
    on = DateField(label=_("introduced on"), initial=timezone.localdate)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].for_actor(actor)  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=IntroductionOutcome.choices)


class WeekForm(forms.Form):
    week = DateField(label=_("week of"), required=False)
