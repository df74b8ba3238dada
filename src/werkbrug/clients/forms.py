from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.actions import Evidence, signed_form_problem
from werkbrug.clients.models import (
    COMPETENCY_SECTIONS,
    CONSENT_CATEGORIES,
    VOCATIONAL_SECTIONS,
    Client,
    ConsentPurpose,
    DataCategory,
    EvidenceKind,
    normalise_insz,
)
from werkbrug.core.forms import DateField
from werkbrug.network.models import Organisation, OrganisationType

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


class EvidenceFields(forms.Form):
    """How the client gave consent; mixed into every form that records a consent."""

    evidence = forms.ChoiceField(label=_("Consent given by"), choices=EvidenceKind.choices)
    evidence_note = forms.CharField(
        label=_("Witness or note"),
        max_length=200,
        required=False,
        help_text=_("Required for verbal consent with a witness."),
    )

    def evidence_value(self) -> Evidence:
        return Evidence(self.cleaned_data["evidence"], self.cleaned_data.get("evidence_note", ""))


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        field_classes = {"birth_date": DateField}
        help_texts = {"insz": _("Optional. 11 digits; dots and dashes are allowed.")}

    def clean_insz(self) -> str:
        return normalise_insz(self.cleaned_data.get("insz") or "")


class RegisterClientForm(ClientForm, EvidenceFields):
    confirm_new = forms.BooleanField(
        label=_("I checked the possible duplicates: this is a different person"), required=False
    )

    class Meta(ClientForm.Meta):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[Client] = []  # possible duplicates among the actor's clients, once valid


# The data categories a consent can name, in the groups the consent form shows them in.
CATEGORY_GROUPS: list[tuple[Any, list[tuple[str, Any]]]] = [
    (_("Client file"), list(DataCategory.choices)),
    (_("Competency profile"), [(s.value, s.label) for s in COMPETENCY_SECTIONS]),
    (_("Vocational profile (IPS)"), [(s.value, s.label) for s in VOCATIONAL_SECTIONS]),
]


def category_labels(codes: Iterable[str]) -> list[str]:
    """The labels of these data categories, in the order the consent form shows them."""
    wanted = set(codes)
    known = [str(label) for code, label in CONSENT_CATEGORIES if code in wanted]
    return known + sorted(wanted - {code for code, _label in CONSENT_CATEGORIES})


class ConsentForm(EvidenceFields):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        error_messages={"required": _("Choose the organisation that receives the data.")},
        # Funders and evaluators get aggregates, never a person's data (BRIEF §5).
        queryset=Organisation.objects.filter(is_active=True).exclude(org_type=OrganisationType.FUNDER),
    )
    categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=CATEGORY_GROUPS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one data category.")},
    )
    given_on = DateField(label=_("Given on"))
    valid_until = DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Optional. Leave empty for a consent without an end date."),
    )
    evidence_file = forms.FileField(
        label=_("Signed form (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    field_order = [
        "purpose",
        "recipient",
        "categories",
        "given_on",
        "valid_until",
        "evidence",
        "evidence_note",
        "evidence_file",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _(
            "Optional. The form the client signed, as a PDF of at most %(mb)s MB."
        ) % {"mb": f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"}

    # core/_form.html shows this field's checkboxes per group, a fieldset each.
    grouped_field = "categories"

    def field_groups(self) -> list[tuple[str, list[BoundWidget]]]:
        """The category checkboxes per group."""
        boxes = {str(box.data["value"]): box for box in self["categories"]}
        return [(str(label), [boxes[code] for code, _label in choices]) for label, choices in CATEGORY_GROUPS]

    def clean_evidence_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        problem = signed_form_problem(upload)
        if problem:
            raise forms.ValidationError(problem, code="invalid_signed_form")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_on") and data.get("valid_until") and data["valid_until"] < data["given_on"]:
            self.add_error("valid_until", _("The end date lies before the start date."))
        return data


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
