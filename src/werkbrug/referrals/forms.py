from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.forms import EvidenceFields, past_field
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
from werkbrug.network.choosers import active_lines
from werkbrug.network.indications import indication_choices
from werkbrug.network.models import TrajectoryType, User
from werkbrug.referrals.actions import MAX_QUESTION
from werkbrug.referrals.models import Channel, DeclineReason, Urgency


class ReferralForm(EvidenceFields):
    # No line is chosen for the user: the triage suggestion preselects one, else they choose. A
    # search box (network.choosers "referral_lines"), not a list of every line.
    line = ChooserField(chooser="referral_lines", label=_("Referral line"), queryset=active_lines())
    question = forms.CharField(
        label=_("Question"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What does the person want, and what is asked of the line?"),
    )
    indications = forms.MultipleChoiceField(
        label=_("Indications (draaiboek)"),
        choices=indication_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    channel = forms.ChoiceField(label=_("How did the person reach us?"), choices=Channel.choices)
    consent = forms.BooleanField(
        label=_(
            "The client agrees that this referral and their file are shared with the line's organisation"
        ),
        required=True,
    )
    follow_outcome = forms.BooleanField(
        label=_("The client agrees that we follow the outcome"),
        help_text=_(
            "Without this consent you only see that the line received the referral: no status, coach or "
            "trajectory. The client can withdraw it at any time."
        ),
        required=False,
    )

    share = past_field(
        _(
            "The line always receives the identity, the question and the current trajectory. Tick only what "
            "the client agreed to. For VDAB leave both unticked."
        )
    )

    # The line follows the indications: the triage suggestion between them preselects it.
    field_order = [
        "question",
        "indications",
        "line",
        "urgency",
        "channel",
        "consent",
        "follow_outcome",
        "share",
        "evidence",
        "evidence_note",
    ]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(NoteForm):
    coach = ChooserField(chooser="coaches", label=_("Coach"))

    def __init__(self, *args: object, coaches: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["coach"].queryset = User.objects.filter(pk__in=[c.pk for c in coaches])  # type: ignore[attr-defined]
        self.order_fields(["coach", "note"])


class RedirectForm(EvidenceFields, NoteForm):
    line = ChooserField(chooser="referral_lines", label=_("New line"), queryset=active_lines())
    consent = forms.BooleanField(
        label=_("The client agrees that the referral is passed to the new line's organisation"), required=True
    )

    field_order = ["line", "note", "consent", "evidence", "evidence_note"]


class WaitlistForm(NoteForm):
    expected_start = DateField(label=_("Expected start"), required=False)

    field_order = ["expected_start", "note"]


class DeclineForm(NoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)

    field_order = ["reason", "note"]


class AcceptForm(forms.Form):
    trajectory_type = forms.ModelChoiceField(
        label=_("Trajectory type"), queryset=TrajectoryType.objects.all(), empty_label=None
    )
