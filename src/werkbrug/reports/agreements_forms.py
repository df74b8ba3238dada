"""Forms of the data-access agreement pages and the research export page."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.forms import DateField
from werkbrug.network.models import Membership, Role
from werkbrug.reports.forms import FIRST_YEAR


class ResearcherChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        return f"{obj.user.get_full_name() or obj.user.username} ({obj.organisation.name})"


class AgreementForm(forms.Form):
    researcher = ResearcherChoice(
        label=_("Researcher"),
        queryset=Membership.objects.filter(role=Role.RESEARCHER, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk"),
    )
    project = forms.CharField(label=_("Project"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the data are used for, as the agreement says."),
    )
    from_year = forms.IntegerField(label=_("From year"), min_value=FIRST_YEAR, max_value=2100)
    to_year = forms.IntegerField(label=_("To year"), min_value=FIRST_YEAR, max_value=2100)
    approved_on = DateField(label=_("Approved on"), initial=timezone.localdate)
    expires_on = DateField(label=_("Expires on"), help_text=_("The last day the agreement is valid."))


class EndAgreementForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The researcher can no longer download the export under this agreement."),
        error_messages={"required": _("Confirm that the agreement ends.")},
    )
