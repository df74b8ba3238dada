"""Forms of the group module pages; the rules live in groups.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
from werkbrug.groups.actions import organisation_coaches
from werkbrug.groups.models import Enrolment, ModulePhase, ModuleTemplate, Outcome, Presence
from werkbrug.network.models import User


class ButtonForm(forms.Form):
    """A button: nothing to fill in."""


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ModuleTemplate
        fields = ["name", "weeks", "cap", "description"]
        widgets = {
            "weeks": forms.NumberInput(attrs={"min": 1, "max": 104}),
            "cap": forms.NumberInput(attrs={"min": 1, "max": 100}),
        }


class PhaseForm(forms.ModelForm):
    class Meta:
        model = ModulePhase
        fields = ["name", "first_week", "last_week", "is_placement"]


class RunForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Module"), queryset=ModuleTemplate.objects.filter(is_active=True)
    )
    starts_on = DateField(label=_("Start"))
    place = forms.CharField(label=_("Place"), max_length=200)
    coaches = forms.ModelMultipleChoiceField(
        label=_("Coaches"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coaches"].queryset = organisation_coaches(actor).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "pk"
        )


class SessionForm(forms.Form):
    on = DateField(label=_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class EnrolForm(forms.Form):
    trajectory = ChooserField(chooser="group_clients", label=_("Client"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].for_actor(actor)  # type: ignore[attr-defined]


class PlacementForm(forms.Form):
    employer = ChooserField(chooser="employers", label=_("Employer"), required=False)
    name = forms.CharField(
        label=_("Or the name of the placement"),
        max_length=200,
        required=False,
        help_text=_("When the employer is not registered in Werkbrug."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].for_actor(actor)  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AttendanceForm(forms.Form):
    """One choice per enrolled participant of the session's run (the run's organisation only)."""

    def __init__(
        self, *args: Any, participants: list[Enrolment], current: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for enrolment in participants:
            self.fields[f"p{enrolment.pk}"] = forms.ChoiceField(
                label=str(enrolment.trajectory.client),
                choices=[("", "—"), *Presence.choices],
                required=False,
                initial=current.get(enrolment.pk, ""),
            )

    def presences(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("p")}
