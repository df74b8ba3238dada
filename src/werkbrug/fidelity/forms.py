"""Forms of the fidelity review."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.forms import DateField
from werkbrug.fidelity.scale import SCALE_CHOICES
from werkbrug.network.models import Membership, Role, User
from werkbrug.teams.models import Team, TeamKind


def _last_year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=364), today


class OpenReviewForm(forms.Form):
    scale = forms.ChoiceField(label=_("scale"), choices=SCALE_CHOICES, initial="nl")
    team = forms.ModelChoiceField(
        label=_("IPS team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("all IPS coaches of the organisation"),
    )
    period_from = DateField(label=_("from"))
    period_to = DateField(label=_("to"))
    reviewers = forms.ModelMultipleChoiceField(
        label=_("reviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of your organisation who score the items with you."),
    )

    def __init__(self, actor: Actor, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        org = actor.organisation
        # Small fixed lists of one organisation: its IPS teams, its coaches and coordinators.
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            organisation=org, kind=TeamKind.IPS_TEAM, is_active=True
        )
        self.fields["reviewers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=Membership.objects.filter(
                organisation=org, role__in=(Role.COACH, Role.COORDINATOR), is_active=True
            ).values("user_id")
        ).order_by("last_name", "first_name", "pk")
        start, end = _last_year()
        self.fields["period_from"].initial = start
        self.fields["period_to"].initial = end


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("score"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("note"),
        max_length=500,
        help_text=_("Why this score: what you saw, read or heard."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ButtonForm(forms.Form):
    """A button without fields."""
