"""The feedback form. It checks shape and length; who may send feedback to whom, and the consent it
needs, are the rules of exchange.actions.send_feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.exchange.actions import feedback_text
from werkbrug.exchange.models import MAX_FEEDBACK_TEXT


class FeedbackTextField(forms.CharField):
    """Counts characters as the browser does: a textarea submits a line break as CRLF but counts it
    as one character for its maxlength."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_FEEDBACK_TEXT)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return feedback_text(super().to_python(value) or "")


class FeedbackForm(forms.Form):
    discussed = FeedbackTextField(label=_("What was discussed"))
    steps = FeedbackTextField(label=_("Steps taken"), required=False)
    support_needed = FeedbackTextField(label=_("Support still needed"), required=False)
