"""The report parameters: a period (a year, or from-to) and the filters the report offers. A
coordinator's reports are fixed to their own organisation. A funder chooses the period only and gets
the fixed publication tables (Report.filters_for): no filter to subtract one table from another."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.forms import DateField
from werkbrug.network.models import Organisation, ReferralLine, TrajectoryType
from werkbrug.outreach.models import Project
from werkbrug.reports.framework import Params, Report
from werkbrug.teams.models import Team

FIRST_YEAR = 2010
# A longer period is not a report but an extraction; it also bounds the work one request can ask.
MAX_PERIOD_DAYS = 5 * 366


class ReportParamsForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    start = DateField(label=_("Start date"), required=False)
    end = DateField(label=_("End date"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("all")
    )
    line = forms.ModelChoiceField(
        label=_("Referral line"), queryset=ReferralLine.objects.none(), required=False, empty_label=_("all")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("all")
    )
    trajectory_type = forms.ModelChoiceField(
        label=_("Trajectory type"),
        queryset=TrajectoryType.objects.none(),
        required=False,
        empty_label=_("all"),
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("all")
    )

    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("Count what was known on this day (default: today)."),
    )

    def __init__(self, report: type[Report], actor: Actor, data: Any = None) -> None:
        super().__init__(data)
        self.report, self.actor = report, actor
        this_year = timezone.localdate().year
        years = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["year"].choices = years  # type: ignore[attr-defined]
        self.fields["year"].help_text = _("Or choose a period with a start and an end date.")
        own = actor.organisation if report.own_organisation_only(actor) else None
        self.own_organisation = own
        if own is None:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                Q(lines__isnull=False) | Q(memberships__role="coach")
            ).distinct()
            self.fields["line"].queryset = ReferralLine.objects.select_related("organisation")  # type: ignore[attr-defined]
            self.fields["team"].queryset = Team.objects.all()  # type: ignore[attr-defined]
        else:
            self.fields["line"].queryset = ReferralLine.objects.filter(organisation=own)  # type: ignore[attr-defined]
            self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
                Q(organisation=own) | Q(members__organisation=own)
            ).distinct()
        self.fields["trajectory_type"].queryset = TrajectoryType.objects.all()  # type: ignore[attr-defined]
        projects = Project.objects.all() if own is None else Project.objects.filter(run_by=own)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        # Exact figures as of an earlier day are for the roles that see them exactly: two suppressed
        # runs a day apart would show one person's change.
        if not report.dated or report.suppresses_for(actor):
            del self.fields["as_of"]
        offered = report.filters_for(actor)
        for name in ("organisation", "line", "team", "trajectory_type", "project"):
            if name not in offered or (name == "organisation" and own is not None):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both a start and an end date, or neither."))
        as_of = cleaned.get("as_of")
        if as_of is not None and as_of > timezone.localdate():
            self.add_error("as_of", _("Choose today or a day in the past."))
        if start is not None and end is not None:
            if end < start:
                self.add_error("end", _("The end lies before the start."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Choose a period of at most five years."))
        return cleaned

    def params(self) -> Params:
        """The parameters of a valid form; the defaults (this year) for an unbound one."""
        cleaned = self.cleaned_data if self.is_bound else {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            year = cleaned.get("year") or timezone.localdate().year
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return Params(
            start=start,
            end=end,
            organisation=self.own_organisation or cleaned.get("organisation"),
            line=cleaned.get("line"),
            team=cleaned.get("team"),
            type=cleaned.get("trajectory_type"),
            project=cleaned.get("project"),
            as_of=cleaned.get("as_of") or timezone.localdate(),
        )
