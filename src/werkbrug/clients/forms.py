from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import CONSENT_CATEGORIES, Client, ConsentPurpose, normalise_insz
from werkbrug.core.forms import DateInput, EvidenceFields
from werkbrug.network.models import Organisation

CLIENT_FIELDS = [
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "insz",
    "municipality",
    "subregion",
    "address",
    "phone",
    "email",
    "benefit_status",
    "ggz_contact",
]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {"birth_date": DateInput()}
        help_texts = {"insz": _("Optional. 11 digits; dots and dashes are allowed.")}

    def clean_insz(self) -> str:
        return normalise_insz(self.cleaned_data.get("insz") or "")


class RegisterClientForm(ClientForm, EvidenceFields):
    confirm_new = forms.BooleanField(
        label=_("I checked the possible duplicates: this is a different person"), required=False
    )

    class Meta(ClientForm.Meta):
        pass


class ConsentForm(EvidenceFields):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    categories = forms.MultipleChoiceField(
        label=_("Data categories"), choices=CONSENT_CATEGORIES, widget=forms.CheckboxSelectMultiple
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)

    field_order = [
        "purpose",
        "recipient",
        "categories",
        "given_on",
        "valid_until",
        "evidence",
        "evidence_note",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_on") and data.get("valid_until") and data["valid_until"] < data["given_on"]:
            self.add_error("valid_until", _("The end date lies before the start date."))
        return data


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
