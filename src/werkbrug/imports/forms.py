from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.imports.parsing import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Caseload file (.xlsx or .csv)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_(
            "At most 5 MB and 10,000 rows. Nothing is written yet: you first see what would be imported."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)s MB."), params={"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ConfirmForm(forms.Form):
    """Nothing to fill in: the file was checked in the dry run."""
