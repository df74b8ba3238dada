"""Forms of part 2: info sessions, paths and onward referrals, projects and the financing rule."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
from werkbrug.network.choosers import organisations, own_coaches
from werkbrug.network.models import OrganisationKind
from werkbrug.outreach.access import visible_sites
from werkbrug.outreach.models import Audience, Destination, MaatwerkKind, PathChannel, SessionKind


class SessionForm(forms.Form):
    held_on = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    reached = forms.IntegerField(label=_("Number reached"), min_value=0, max_value=10_000)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PathForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    channel = forms.ChoiceField(label=_("How did the person come?"), choices=PathChannel.choices)
    started_on = DateField(label=_("First conversation"))


class ConversationForm(forms.Form):
    on = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DecisionForm(forms.Form):
    on = DateField(label=_("Date"))
    note = forms.CharField(label=_("The decision"), max_length=300, required=False)


class WaitingForm(forms.Form):
    waiting_for = forms.CharField(
        label=_("Waiting for (an outside service)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when the person no longer waits."),
    )
    remind_on = DateField(label=_("Remind me on"), required=False)


class CloseForm(forms.Form):
    on = DateField(label=_("Date"))


class OnwardReferralForm(forms.Form):
    destination = forms.ChoiceField(label=_("Destination"), choices=Destination.choices)
    maatwerk_kind = forms.ChoiceField(
        label=_("Maatwerk"), choices=[("", "—"), *MaatwerkKind.choices], required=False
    )
    referred_on = DateField(label=_("Date"))
    work_incapacity = forms.BooleanField(
        label=_("Recognised work incapacity"),
        required=False,
        help_text=_("Only for a person without a client file: with a file, the benefit status is used."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VerifyForm(forms.Form):
    on = DateField(label=_("Verified on"))


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = DateField(label=_("Start"))
    ends_on = DateField(label=_("End"))


class ProjectSiteForm(forms.Form):
    site = ChooserField(chooser="outreach_sites", label=_("Care site"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ChooserField, self.fields["site"]).queryset = visible_sites(actor)


class ProjectCoachForm(forms.Form):
    coach = ChooserField(chooser="coaches", label=_("Coach"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ChooserField, self.fields["coach"]).queryset = own_coaches(actor)


class CommitmentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    registrations = forms.IntegerField(
        label=_("Committed VDAB registrations"), min_value=0, max_value=100_000
    )


class FinancingRuleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    per_person = forms.DecimalField(
        label=_("At most per committed person (EUR)"), min_value=0, max_digits=8, decimal_places=2
    )
    cost_percent = forms.IntegerField(label=_("Cost-based share (%)"), min_value=0, max_value=100)


class CarePartnerForm(forms.Form):
    organisation = ChooserField(
        chooser="active_organisations", label=_("Care organisation that sent the person")
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(ChooserField, self.fields["organisation"])
        field.queryset = organisations(actor).filter(kind=OrganisationKind.CARE)
