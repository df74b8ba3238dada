from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.actions import Evidence, signed_form_problem
from werkbrug.clients.models import (
    CARE_ONLY_SECTIONS,
    COMPETENCY_SECTIONS,
    CONSENT_CATEGORIES,
    OFFERED_PURPOSES,
    OWN_ORGANISATION_PURPOSES,
    PAST_CATEGORIES,
    VOCATIONAL_SECTIONS,
    Client,
    DataCategory,
    EvidenceKind,
    consent_recipients,
    normalise_insz,
)
from werkbrug.clients.provenance import proposed_past
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
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


# The data categories the consent form offers, in its groups. A care-only section is not offered:
# a work partner never reads it, and a care partner reads every section without a profile consent
# (clients.access.readable_sections), so naming it would record nothing that can happen.
CATEGORY_GROUPS: list[tuple[Any, list[tuple[str, Any]]]] = [
    (_("Client file"), list(DataCategory.choices)),
    (
        _("Competency profile"),
        [(s.value, s.label) for s in COMPETENCY_SECTIONS if s not in CARE_ONLY_SECTIONS],
    ),
    (_("Vocational profile (IPS)"), [(s.value, s.label) for s in VOCATIONAL_SECTIONS]),
]


def category_labels(codes: Iterable[str]) -> list[str]:
    """The labels of these data categories, in the order the consent form shows them."""
    wanted = set(codes)
    known = [str(label) for code, label in CONSENT_CATEGORIES if code in wanted]
    return known + sorted(wanted - {code for code, _label in CONSENT_CATEGORIES})


def past_field(help_text: Any) -> forms.MultipleChoiceField:
    """The question a handover or referral asks: what about the past did the client agree to pass on
    (clients.provenance)? Nothing is ticked to begin with: for a public employment service (VDAB)
    nothing of the past goes along, for others only what the professional ticks."""
    return forms.MultipleChoiceField(
        label=_("The client also agreed to pass on"),
        choices=[(c.value, c.label) for c in PAST_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=proposed_past(),
        help_text=help_text,
    )


def recipient_label(obj: Organisation, own: Organisation | None) -> str:
    if own is not None and obj.pk == own.pk:
        return str(
            _("%(org)s (your organisation: only for feedback to you or your own case team)") % {"org": obj}
        )
    return str(obj)


class RecipientField(ChooserField):
    """The organisations a consent may name, chosen with a search box (clients.choosers); the
    user's own organisation says what it is for."""

    own: Organisation | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(chooser="consent_recipients", **kwargs)

    def label_for(self, obj: Organisation) -> str:
        return self.label_from_instance(obj)

    def label_from_instance(self, obj: Organisation) -> str:
        return recipient_label(obj, self.own)


class ConsentForm(EvidenceFields):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[(p.value, p.label) for p in OFFERED_PURPOSES])
    recipient = RecipientField(
        label=_("Recipient organisation"),
        error_messages={"required": _("Choose the organisation that receives the data.")},
        # Never a funder or evaluator (aggregates only, BRIEF §5) nor the network itself.
        queryset=consent_recipients(),
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

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        cast(RecipientField, self.fields["recipient"]).own = organisation
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
        recipient, purpose = data.get("recipient"), data.get("purpose")
        own = self.organisation
        ours = recipient is not None and own is not None and recipient.pk == own.pk
        if ours and purpose and purpose not in OWN_ORGANISATION_PURPOSES:
            self.add_error(
                "recipient",
                _(
                    "Your own organisation already holds the file: choose the organisation that receives the data."
                ),
            )
        return data


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
