"""The form of a profile section. It checks shape and length; who may write which section is the
rule of exchange.actions.save_section."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.exchange.actions import section_text
from werkbrug.exchange.models import MAX_SECTION_TEXT


class SectionTextField(forms.CharField):
    """Counts characters as the browser does: a textarea submits a line break as CRLF but counts it
    as one character for its maxlength."""

    def to_python(self, value: Any) -> str:
        return section_text(super().to_python(value) or "")


class SectionForm(forms.Form):
    text = SectionTextField(
        label=_("Text"),
        max_length=MAX_SECTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Every save is kept as a new version; earlier versions stay readable."),
    )
