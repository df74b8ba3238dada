"""The outreach area's forms: sites, recruitment steps, agreements, hours, appointments, and the
coach's side of a booking. The public page's form is in `public_forms.py`."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.forms import EvidenceFields
from werkbrug.clients.models import Gender
from werkbrug.core.actor import Actor
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField, SignedDocumentForm, signed_document_field
from werkbrug.network.choosers import organisations, own_coaches
from werkbrug.network.models import SubRegion
from werkbrug.outreach.models import WEEKDAYS, AppointmentState, Every, SiteKind, Stage
from werkbrug.outreach.schedule import BRUSSELS, Slot, parse_slot

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    subregion = forms.ModelChoiceField(
        label=_("Sub-region"), queryset=SubRegion.objects.all(), required=False
    )
    host = ChooserField(
        chooser="active_organisations",
        label=_("Organisation of the site (a network member)"),
        required=False,
    )
    host_name = forms.CharField(
        label=_("Or: the organisation's name, when it is not a member"), max_length=200, required=False
    )
    champion_name = forms.CharField(label=_("Internal champion (name)"), max_length=200, required=False)
    champion_role = forms.CharField(label=_("Internal champion (role)"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ChooserField, self.fields["host"]).queryset = organisations(actor)


class StepForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("Stage"), choices=Stage.choices, coerce=int)
    on = DateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Required when going back to an earlier stage."),
    )


class AgreementForm(SignedDocumentForm):
    starts_on = DateField(label=_("Start"))
    ends_on = DateField(label=_("End"), required=False)
    min_inflow_per_year = forms.IntegerField(
        label=_("Minimum inflow per year"), min_value=0, max_value=100_000, required=False
    )
    dpo_signed_on = DateField(label=_("DPO sign-off"), required=False)
    signed_on = DateField(label=_("Signed on"), required=False)
    signed_document = signed_document_field()


class HoursForm(forms.Form):
    coach = ChooserField(chooser="coaches", label=_("Coach"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("Until"), widget=TIME)
    every = forms.TypedChoiceField(label=_("Repeats"), choices=Every.choices, coerce=int, initial=Every.WEEK)
    valid_from = DateField(label=_("First day"))
    valid_until = DateField(label=_("Last day"), required=False)
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), initial=30, min_value=10, max_value=240
    )
    place = forms.CharField(label=_("Where at the site"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ChooserField, self.fields["coach"]).queryset = own_coaches(actor)


class CancelDateForm(forms.Form):
    on = DateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


def slot_label(slot: Slot) -> str:
    local = slot.starts_at.astimezone(BRUSSELS)
    return f"{formats.date_format(local.date(), 'D j M')} {local:%H:%M}"


class SlotField(forms.ChoiceField):
    """One of the free slots offered; cleaned to (hours id, start). The action checks again that the
    slot is still free, with the hours locked."""

    def __init__(self, *, slots: list[Slot], extra: tuple[tuple[str, Any], ...] = (), **kwargs: Any) -> None:
        super().__init__(choices=[*((s.value, slot_label(s)) for s in slots), *extra], **kwargs)

    def clean(self, value: Any) -> tuple[int, datetime.datetime] | None:
        chosen = super().clean(value)
        return parse_slot(chosen) if chosen else None


class AppointmentForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"] = SlotField(slots=slots, label=_("Time"))
        self.order_fields(["slot", "first_name", "phone", "email"])


class AppointmentStateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[(s.value, s.label) for s in AppointmentState if s != AppointmentState.BOOKED],
    )


class ConfirmBookingForm(EvidenceFields):
    """Confirm a booking: its slot (or one the coach chose after calling back), and optionally
    register the person as a client (then the last name, birth date, gender and their consent)."""

    register = forms.BooleanField(label=_("Register this person as a client too"), required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = DateField(label=_("Birth date"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)

    def __init__(self, *args: Any, slots: list[Slot], needs_slot: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].required = False
        self.fields["slot"] = SlotField(
            slots=slots,
            label=_("Time"),
            required=needs_slot,
            help_text=_("Leave empty to keep the time the person booked."),
        )
        self.order_fields(
            ["slot", "register", "last_name", "birth_date", "gender", "evidence", "evidence_note"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("register"):
            for name in ("last_name", "birth_date", "gender", "evidence"):
                if not data.get(name):
                    self.add_error(name, _("Needed to register the person."))
        return data
