from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from werkbrug.library.actions import MAX_NOTE, upload_problem
from werkbrug.library.models import Audience, DocumentKind
from werkbrug.network.draaiboek_actions import MAX_LABEL
from werkbrug.network.models import IndicationGroup


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("What changed"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF)"), widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"})
    )
    note = _note()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF of at most %(mb)s MB.") % {
            "mb": f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"
        }

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        problem = upload_problem(upload)
        if problem:
            raise forms.ValidationError(problem, code="invalid_file")
        return upload


class DocumentForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    audience = forms.ChoiceField(label=_("Concerns"), choices=Audience.choices, initial=Audience.ALL)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["title", "kind", "audience", "description", "file", "note"]


class IndicationForm(forms.Form):
    label = forms.CharField(
        label=_("Wording"), max_length=MAX_LABEL, widget=forms.Textarea(attrs={"rows": 2})
    )
    group = forms.ChoiceField(label=_("Points to"), choices=IndicationGroup.choices)
    to_case_team = forms.BooleanField(
        label=_("Checking it asks for the case team (triage rule)"), required=False
    )


class NewIndicationForm(IndicationForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short name of letters, digits and underscores that stays the same in every version."),
    )

    field_order = ["code", "label", "group", "to_case_team"]


class PublishForm(forms.Form):
    note = _note()


class DismissForm(forms.Form):
    pass
