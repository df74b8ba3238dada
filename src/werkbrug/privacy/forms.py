"""Forms of the privacy officer's pages: finding a client, recording an erasure request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import normalise_insz, validate_insz
from werkbrug.core.forms import DateField


class FindClientForm(forms.Form):
    """By national register number (exact, checked like the client form does) or by client number."""

    insz = forms.CharField(
        label=_("National register number (INSZ)"),
        required=False,
        max_length=20,
        validators=[validate_insz],
        help_text=_("11 digits; dots and dashes are allowed."),
    )
    number = forms.IntegerField(label=_("or client number"), required=False, min_value=1, max_value=2**62)

    def clean_insz(self) -> str:
        return normalise_insz(self.cleaned_data.get("insz") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("insz") and not data.get("number"):
            raise forms.ValidationError(_("Give a national register number or a client number."))
        return data


class ErasureForm(forms.Form):
    received_on = DateField(label=_("Request received on"), initial=timezone.localdate)
    requested_by = forms.CharField(
        label=_("Requested by"),
        max_length=200,
        help_text=_("For example: the client, by letter. Do not write the client's name."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write the client's name; it would be removed anyway."),
    )
    confirm = forms.BooleanField(
        label=_("I checked that this is the right person. Erasing cannot be undone."),
        error_messages={"required": _("Confirm that you checked the person: erasing cannot be undone.")},
    )
