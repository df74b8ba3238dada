"""The form of a profile section. It checks shape and length; who may write which section is the
rule of exchange.actions.save_section."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.exchange.actions import UNCHECKED, BasedOn, section_text
from werkbrug.exchange.models import MAX_SECTION_TEXT


class SectionTextField(forms.CharField):
    """Counts characters as the browser does: a textarea submits a line break as CRLF but counts it
    as one character for its maxlength."""

    def to_python(self, value: Any) -> str:
        return section_text(super().to_python(value) or "")


class SectionForm(forms.Form):
    """The text, and the version the page was opened on (hidden `based_on`: the id of the section's
    latest version then, empty when it had none). A POST without `based_on` (an older page) saves
    unchecked, as before."""

    text = SectionTextField(
        label=_("Text"),
        max_length=MAX_SECTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Every save is kept as a new version; earlier versions stay readable."),
    )
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)

    def opened_on(self) -> BasedOn:
        """What the posted page was opened on; ValueError when `based_on` is not a version id."""
        value = self.data.get(self.add_prefix("based_on")) if self.is_bound else None
        if value is None:
            return UNCHECKED
        if not value.strip():
            return None
        if not value.strip().isdigit() or int(value) < 1:
            raise ValueError(value)
        return int(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["based_on"] = self.opened_on()
        except ValueError:
            raise forms.ValidationError(
                _("Someone else changed this in the meantime. Reload the page and try again.")
            ) from None
        return cleaned

    def rebase(self, version: int | None) -> None:
        """Carry `version` from now on (after a refusal: the newer one the writer has now seen),
        keeping what was typed."""
        based_on = "" if version is None else str(version)
        data = {key: self.data[key] for key in self.data}  # one value each (a QueryDict keeps lists)
        self.data = {**data, self.add_prefix("based_on"): based_on}
