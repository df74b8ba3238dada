from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the partner system that will use it."),
    )


def clean_with(form: forms.BaseForm, api_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Validate API input with the page's own form, so that the API accepts exactly what the page
    accepts. The form is bound to the payload's values under the form's field names; `api_names`
    maps a form field to the name the API gives it (`coach` -> `coach_id`). A refusal is raised as
    a Django ValidationError keyed by the API's names: a 422 with `loc: ["body", name]` (api.api)."""
    if form.is_valid():
        return form.cleaned_data
    names = api_names or {}
    raise DjangoValidationError(
        {names.get(field, field): errors for field, errors in form.errors.as_data().items()}
    )
