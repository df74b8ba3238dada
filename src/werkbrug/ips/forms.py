"""Forms of the ips pages: each maps its cleaned data onto one action of ips.actions. The domain
rules live in the actions; the forms check shape and length. Employers are chosen with the
`employers` chooser (a search box, never a list of every employer)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
from werkbrug.employers.models import JobType
from werkbrug.ips.models import DisclosureDecision, EndReason
from werkbrug.trajectories.models import Economy

YES_NO = [("yes", _("yes")), ("no", _("no"))]


def _yes_no(label: Any, initial: str = "yes") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        initial=initial,
        widget=forms.RadioSelect,
    )


def _hours() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Hours a week"), min_value=Decimal("0.5"), max_value=Decimal("60"), decimal_places=1
    )


def _today(label: Any) -> DateField:
    return DateField(label=label, initial=timezone.localdate)


class EmployerForm(forms.Form):
    """A form that names an employer: validated against the chooser's rows for this actor."""

    employer = ChooserField(chooser="employers", label=_("Employer"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].for_actor(actor)  # type: ignore[attr-defined]


class StartForm(EmployerForm):
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    job_type = forms.ChoiceField(label=_("Job type"), choices=JobType.choices)
    started_on = _today(_("Start"))
    hours_per_week = _hours()
    minimum_wage = _yes_no(_("Paid at least the minimum wage"))
    competitive = _yes_no(_("Competitive job (open to anyone, regular economy)"))
    economy = forms.ChoiceField(label=_("Economy"), choices=Economy.choices, initial=Economy.NEC)
    monthly_follow_along = _yes_no(_("Monthly follow-along after the first month (if the client wishes)"))


class ChangeForm(forms.Form):
    on = _today(_("From"))
    hours_per_week = _hours()
    minimum_wage = _yes_no(_("Paid at least the minimum wage"))


class EndForm(forms.Form):
    ended_on = _today(_("End"))
    end_reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *EndReason.choices])
    end_note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IncomePlanForm(forms.Form):
    made_on = _today(_("Date"))
    benefit_today = forms.CharField(
        label=_("Benefit today"),
        max_length=300,
        help_text=_("Which benefit and how much a month, e.g. “RIZIV incapacity benefit, € 1,450”."),
    )
    expected_income = forms.CharField(label=_("Expected income"), max_length=300)
    hours_limits = forms.CharField(label=_("Hours limits that apply"), max_length=300, required=False)
    forms_to_file = forms.CharField(label=_("Forms to file"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisclosureForm(forms.Form):
    on = _today(_("Date"))
    decision = forms.ChoiceField(
        label=_("What the client wants the employer to know"),
        choices=DisclosureDecision.choices,
        widget=forms.RadioSelect,
    )
    what_to_tell = forms.CharField(
        label=_("What the employer may know"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DcmCaseForm(EmployerForm):
    sick_since = DateField(label=_("On sick leave since"))
    advising_physician = forms.CharField(
        label=_("Advising physician of the insurer"), max_length=200, help_text=_("The referrer.")
    )
    insurer = forms.CharField(label=_("Health insurer"), max_length=200, required=False)


class ReturnStepForm(forms.Form):
    from_on = DateField(label=_("From"))
    hours_per_week = _hours()
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
