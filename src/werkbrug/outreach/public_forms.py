"""The public booking page's form: a first name, a phone number or an e-mail address, a free slot or
"call me", the consent in plain language, and a honeypot field that people never see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.outreach.forms import SlotField
from werkbrug.outreach.schedule import Slot

CALL_ME = "call"

# Shown on the page and stored with the booking, in the language the person read it in.
CONSENT_TEXT = _(
    "I agree that the job coaches who work at this site keep my first name and my phone number or "
    "e-mail address, to contact me about this conversation. Nothing else is asked, and nobody else "
    "sees it. If the coach does not take the booking, it is deleted."
)

# The honeypot: hidden from people by app.css (class "hp"), filled in by form-filling robots.
HONEYPOT = "website"


def consent_text() -> str:
    """The consent text in the active language."""
    return str(CONSENT_TEXT)


class BookingForm(forms.Form):
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    email = forms.EmailField(label=_("Or e-mail address"), required=False)
    consent = forms.BooleanField(
        label=_("I agree with the text above"),
        error_messages={"required": _("Tick the box to agree, or we cannot contact you.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"] = SlotField(
            slots=slots,
            extra=((CALL_ME, _("No time suits me: please call me or mail me")),),
            label=_("When?"),
            widget=forms.RadioSelect,
        )
        self.order_fields(["slot", "first_name", "phone", "email", "consent", HONEYPOT])
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and (len(digits) < 8 or any(not (ch.isdigit() or ch in " +./-()") for ch in phone)):
            raise forms.ValidationError(_("Enter a phone number with at least 8 digits, e.g. 0470 12 34 56."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("phone")
            and not data.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            self.add_error(
                "phone", _("Give a phone number or an e-mail address, so that the coach can reach you.")
            )
        return data
