"""Work-care forms: workshops, agreements and their signing, the month grid of hours. The domain
rules live in the actions; the forms check shape and length."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.forms import DateField, SignedDocumentForm, signed_document_field
from werkbrug.workcare.benefits import warnings
from werkbrug.workcare.models import (
    ELEMENTS,
    Aim,
    DocumentKind,
    Form,
    MilestoneKind,
    Regime,
    StageKind,
    Workshop,
)

TEXT = forms.Textarea(attrs={"rows": 2})
MAX_HOURS_A_DAY = Decimal(24)


class WorkshopForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    target_group_fte = forms.DecimalField(
        label=_("Recognised target-group employees (FTE)"),
        min_value=Decimal(0),
        max_value=Decimal(9999),
        decimal_places=2,
        help_text=_("D in the decree: the subsidy needs at least 10."),
    )


class AgreementForm(forms.Form):
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=Workshop.objects.none())
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    aim = forms.ChoiceField(label=_("Aim"), choices=Aim.choices)
    starts_on = DateField(label=_("Start"))
    ends_on = DateField(label=_("End"), required=False)
    liability_insurance = forms.CharField(
        label=_("The centre's civil liability insurance (insurer, policy)"), max_length=200, required=False
    )
    accident_insurance = forms.CharField(
        label=_("The centre's insurance for bodily and material damage, also on the way to and from work"),
        max_length=200,
        required=False,
    )
    allowance_per_day = forms.DecimalField(
        label=_("Expense allowance per day of activity (EUR)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text=_("Checked against the volunteer allowance ceilings of the year."),
    )

    def __init__(self, *args: Any, workshops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["workshop"]).queryset = workshops
        for name, label in ELEMENTS:
            self.fields[name] = forms.CharField(
                label=str(label), max_length=2000, required=False, widget=TEXT, help_text=_("Needed to sign.")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The end date lies before the start date."))
        return data


class SignForm(SignedDocumentForm):
    signed_on = DateField(label=_("Signed on"))
    signed_document = signed_document_field()


def cell_name(trajectory_id: int, day: datetime.date) -> str:
    return f"h-{trajectory_id}-{day.day}"


class GridForm(forms.Form):
    """The month grid: one cell per participant and day. Empty is no hours. A cell that is not a
    number, negative or above 24 h refuses the whole grid, with a message naming the person and day.
    Hours above a participant's benefit ceiling are a warning before saving: the grid is shown again
    with the warnings and saves only when "save anyway" is ticked."""

    confirm = forms.BooleanField(label=_("Save anyway, above the benefit ceiling"), required=False)
    # The version of the month the grid was opened on (workcare.hours.grid_version).
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        rows: list[tuple[int, str]],
        days: list[datetime.date],
        limits: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows, self.days, self.limits = rows, days, limits or {}
        self.warnings: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = self.data or {}
        cells: dict[tuple[int, datetime.date], Decimal] = {}
        problems: list[str] = []
        for trajectory_id, name in self.rows:
            for day in self.days:
                raw = str(source.get(cell_name(trajectory_id, day), "")).strip().replace(",", ".")
                if not raw:
                    continue
                where = {"name": name, "day": day.strftime("%d/%m")}
                try:
                    hours = Decimal(raw)
                except InvalidOperation:
                    problems.append(gettext("%(name)s, %(day)s: not a number of hours.") % where)
                    continue
                if not hours.is_finite():
                    problems.append(gettext("%(name)s, %(day)s: not a number of hours.") % where)
                elif hours < 0:
                    problems.append(gettext("%(name)s, %(day)s: hours cannot be negative.") % where)
                elif hours > MAX_HOURS_A_DAY:
                    problems.append(gettext("%(name)s, %(day)s: a day has at most 24 hours.") % where)
                elif hours != hours.quantize(Decimal("0.01")):
                    problems.append(gettext("%(name)s, %(day)s: at most two decimals.") % where)
                elif hours:
                    cells[(trajectory_id, day)] = hours
        for problem in problems[:20]:
            self.add_error(None, problem)
        if len(problems) > 20:
            self.add_error(None, gettext("And %(n)s more cells to correct.") % {"n": len(problems) - 20})
        data["cells"] = cells
        if not problems and self.limits:
            self.warnings = warnings(cells, dict(self.rows), self.limits)
            if self.warnings and not data.get("confirm"):
                self.add_error(
                    None,
                    gettext("Some hours pass a benefit ceiling. Check them, or tick “save anyway” to save."),
                )
        return data


class BenefitForm(forms.Form):
    regime = forms.ChoiceField(label=_("Benefit"), choices=Regime.choices)
    approved_on = DateField(
        label=_("Approval of the advising doctor on"),
        required=False,
        help_text=_("Only for the mutualiteit: its approval comes before any hours."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    dated = DateField(label=_("Date"))
    valid_until = DateField(label=_("Valid until"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=MilestoneKind.choices)
    on = DateField(label=_("Date"))
    note = forms.CharField(label=_("A few lines"), max_length=500, required=False, widget=TEXT)


class StageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Stage"), choices=StageKind.choices)
    starts_on = DateField(label=_("Start"))
    agreed_hours = forms.DecimalField(
        label=_("Hours agreed on the work floor"),
        min_value=Decimal("0.5"),
        max_value=Decimal(160),
        decimal_places=1,
        help_text=_("Observation: 16. Activation: at most 160, agreed before the start."),
    )


class AdminHoursForm(forms.Form):
    admin_hours = forms.DecimalField(
        label=_("Hours of administration and consultation"),
        min_value=Decimal(0),
        max_value=Decimal(8),
        decimal_places=1,
        help_text=_(
            "Registered apart: at most 4 for an observation stage, 8 for 160 hours of activation (pro rata)."
        ),
    )


# --- the yearly settings (network admin) ----------------------------------------------------------


class SubsidyRateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount_per_fte = forms.DecimalField(
        label=_("Amount per support FTE a year (EUR)"), min_value=0, max_digits=9, decimal_places=2
    )


class BenefitCeilingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    regime = forms.ChoiceField(
        label=_("Benefit"), choices=[(r.value, r.label) for r in (Regime.RVA, Regime.OCMW)]
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours a week at most"), min_value=0, max_value=168, max_digits=4, decimal_places=1
    )


class AllowanceCeilingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    per_day = forms.DecimalField(
        label=_("At most per day (EUR)"), min_value=0, max_digits=7, decimal_places=2
    )
    per_year = forms.DecimalField(
        label=_("At most per year (EUR)"), min_value=0, max_digits=9, decimal_places=2
    )
