from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.exceptions import DomainError
from werkbrug.core.privatefiles import pdf_problem

T = TypeVar("T")


def form_data(request: HttpRequest) -> Any:
    """The data to bind a form to: the POST on a POST, else None. Not `request.POST or None`: a
    button-only form posts no fields and must still be bound."""
    return request.POST if request.method == "POST" else None


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    success: str,
) -> T | None:
    """The one way a page runs an action: validate the form, call the action, turn a DomainError
    into a message on the form (nothing is written then: actions are atomic), flash on success."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None
    except ValidationError as exc:
        # A model's full_clean() inside the action: show its messages on the form's own fields.
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None
    if success:
        messages.success(request, success)
    return result


class DateInput(forms.DateInput):
    """A native date picker; keyboard-friendly and locale-aware in the browser."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- the one rule for dates -----------------------------------------------------------------------
# No date of a person's file lies outside these years: year 0001 is a typing slip, and a date near
# the calendar's ends overflows date arithmetic (a 500). Every form date field is a `DateField` or
# `DateTimeField` below (core/tests/test_date_bounds.py walks every form); the API uses the same
# bounds (api.schemas.Date).
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)
DATE_RANGE_MESSAGE = _("Enter a date from %(first)s up to and including %(last)s.")


def date_in_range(value: datetime.date) -> bool:
    """Whether a date (or the day of a date-time) lies within the years Werkbrug accepts."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return FIRST_DATE <= day <= LAST_DATE


def date_range_params() -> dict[str, int]:
    return {"first": FIRST_DATE.year, "last": LAST_DATE.year}


def date_range_message() -> str:
    """The refusal, translated in the active language."""
    return str(DATE_RANGE_MESSAGE) % date_range_params()


def validate_date_range(value: datetime.date) -> None:
    if not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range", params=date_range_params())


class DateField(forms.DateField):
    """The form date field of every page: a native date picker, bounded to FIRST_DATE-LAST_DATE."""

    widget = DateInput
    default_validators = [validate_date_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":  # the browser's picker keeps to the bounds too
            attrs.update(min=FIRST_DATE.isoformat(), max=LAST_DATE.isoformat())
        return attrs


class DateTimeField(forms.DateTimeField):
    """The form date-and-time field of every page, bounded like DateField (on its day)."""

    default_validators = [validate_date_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "datetime-local":
            attrs.update(min=f"{FIRST_DATE.isoformat()}T00:00", max=f"{LAST_DATE.isoformat()}T23:59")
        return attrs


class FormPart:
    """Some fields of one form, to render with core/_form.html in a section of the page: one <form>
    element whose fields sit in several places (the referral form around its triage suggestion, an
    agenda item's minutes and decision). Hidden fields and the form's own errors come with the first
    part (`first=True`), and so does the error summary of the whole form (core/_form_errors.html)."""

    is_part = True

    def __init__(self, form: forms.BaseForm, names: Sequence[str], *, first: bool = False) -> None:
        self.form = form
        self.names = [name for name in names if name in form.fields]
        self.first = first
        self.grouped_field = getattr(form, "grouped_field", None)
        self.field_groups = getattr(form, "field_groups", None)

    def visible_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names if not self.form[name].is_hidden]

    def hidden_fields(self) -> list[forms.BoundField]:
        return self.form.hidden_fields() if self.first else []

    def non_field_errors(self) -> Any:
        return self.form.non_field_errors() if self.first else []

    @property
    def errors(self) -> dict[str, Any]:
        return {name: self.form.errors[name] for name in self.names if name in self.form.errors}


def signed_document_field() -> forms.FileField:
    """The optional signed agreement of a `SignedDocumentForm`, declared where it stands in the form."""
    return forms.FileField(
        label=_("Signed agreement (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class SignedDocumentForm(forms.Form):
    """A form with an optional signed agreement (`signed_document = signed_document_field()`): its
    help gives the size limit, and the upload is kept only as a PDF, checked as a signed consent form
    is (core.privatefiles.pdf_problem)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_document"].help_text = _("Optional. A PDF of at most %(mb)s MB.") % {
            "mb": f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"
        }

    def clean_signed_document(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("signed_document")
        if not upload:
            return None
        problem = pdf_problem(upload, gettext("Upload the signed form as a PDF file."))
        if problem:
            raise forms.ValidationError(problem, code="invalid_signed_form")
        return cast(UploadedFile, upload)
