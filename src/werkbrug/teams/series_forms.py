"""Forms of the recurring rule and its exceptions (teams.series_actions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.forms import DateField, DateTimeField
from werkbrug.teams.forms import DateTimeLocalInput
from werkbrug.teams.models import ExceptionKind, Frequency, Weekday, WeekOfMonth


class SeriesForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    interval = forms.IntegerField(
        label=_("Every n weeks (weekly)"), min_value=1, max_value=8, required=False, initial=1
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which one in the month (monthly)"),
        choices=[("", "---------"), *WeekOfMonth.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=720, initial=120
    )
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("Until"), required=False)


class ExceptionForm(forms.Form):
    on = DateField(label=_("Date of the rule"))
    kind = forms.ChoiceField(label=_("What happens"), choices=ExceptionKind.choices)
    moved_to = DateTimeField(label=_("Moved to"), required=False, widget=DateTimeLocalInput())
