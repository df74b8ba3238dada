"""Forms of the trajectory pages. Each maps its cleaned data onto one action in actions.py; the
domain rules themselves live in the actions and models, the forms only check shape and length."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.forms import EvidenceFields, past_field
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField
from werkbrug.network.choosers import coaches_of_organisation
from werkbrug.network.models import TrajectoryType, User
from werkbrug.trajectories import quick_entry
from werkbrug.trajectories.care_partner import care_organisations
from werkbrug.trajectories.choosers import handover_organisations_from
from werkbrug.trajectories.models import (
    OUTREACH_ATTEMPTS_REQUIRED,
    Certainty,
    CloseReason,
    ContactKind,
    Economy,
    LadderRung,
    OutcomeKind,
    Phase,
    Trajectory,
)

NOTE_MAX = 500


class IdPrefixMixin:
    """Several forms share the trajectory page: give each its own element ids (labels must point
    to the right input). Field *names* stay plain, so the action page reads the same POST."""

    id_prefix = "f"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


def _date(label: str | Any, *, required: bool = True) -> DateField:
    return DateField(
        label=label,
        required=required,
        initial=timezone.localdate if required else None,
    )


class ContactForm(IdPrefixMixin, forms.Form):
    id_prefix = "contact"

    on = _date(_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.FACE_TO_FACE)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=quick_entry.MAX_MINUTES, required=False
    )
    note = forms.CharField(label=_("Short note"), max_length=NOTE_MAX, required=False)
    informal = forms.BooleanField(label=_("Informal contact"), required=False)
    care_only = forms.BooleanField(
        label=_("Care note: only care partners see it"),
        required=False,
        help_text=_("Work partners do not see care notes."),
    )

    def __init__(self, *args: Any, care: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not care:
            # Only care partners write care notes (record_contact refuses them for others too).
            del self.fields["care_only"]


class QuickContactForm(IdPrefixMixin, forms.Form):
    id_prefix = "quick"

    text = forms.CharField(
        label=_("Quick entry"),
        max_length=NOTE_MAX + 100,
        help_text=_(
            "One line: [date] [kind] [minutes] note. E.g. “tel 15 belde over vacature”, "
            "“12/11 huisbezoek 45 kennismaking”, “informeel gesprek in de gang”, "
            "“poging geen gehoor”. Kinds: tel, mail, huisbezoek, werkgever, trio, gesprek, poging."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("tel 15 belde over vacature")}),
    )

    parsed: quick_entry.QuickContact | None = None

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        try:
            self.parsed = quick_entry.parse(text, timezone.localdate())
        except quick_entry.QuickEntryError as exc:
            raise forms.ValidationError(str(exc), code="unreadable") from exc
        if len(self.parsed.note) > NOTE_MAX:
            raise forms.ValidationError(
                _("The note is too long (at most %(n)s characters)."), code="too_long", params={"n": NOTE_MAX}
            )
        return text


class PhaseForm(IdPrefixMixin, forms.Form):
    id_prefix = "phase"

    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)


class LadderForm(IdPrefixMixin, forms.Form):
    id_prefix = "ladder"

    rung = forms.TypedChoiceField(label=_("Rung"), choices=LadderRung.choices, coerce=int)
    on = _date(_("Date"))


class GoalForm(IdPrefixMixin, forms.Form):
    id_prefix = "goal"

    goal = forms.CharField(label=_("Goal"), max_length=300)
    due_on = _date(_("Due on"), required=False)


class GoalDoneForm(IdPrefixMixin, forms.Form):
    id_prefix = "done"

    on = _date(_("Done on"), required=False)


class OutcomeForm(IdPrefixMixin, forms.Form):
    id_prefix = "outcome"

    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    on = _date(_("Date"))
    economy = forms.ChoiceField(
        label=_("Economy"),
        choices=[("", "—"), *Economy.choices],
        required=False,
        help_text=_("Required for paid work."),
    )
    certainty = forms.ChoiceField(
        label=_("Certainty"),
        choices=Certainty.choices,
        initial=Certainty.ESTIMATED,
        help_text=_("Paid work counts once verified, after three months of employment."),
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class VerifyOutcomeForm(IdPrefixMixin, forms.Form):
    id_prefix = "verify"

    on = _date(_("Verified on"))


class HandoverForm(IdPrefixMixin, EvidenceFields):
    id_prefix = "handover"

    to_organisation = ChooserField(chooser="handover_organisations", label=_("To organisation"))
    new_type = forms.ModelChoiceField(label=_("New trajectory type"), queryset=TrajectoryType.objects.all())
    note = forms.CharField(
        label=_("Handover note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the receiving coach needs to know for a warm handover."),
        error_messages={"required": _("Write a handover note for the receiving coach.")},
    )

    share = past_field(
        _(
            "Identity and the current trajectory always go along. Tick only what the client agreed to. "
            "For VDAB leave both unticked: it must not be known that the person came through a project."
        )
    )

    field_order = ["to_organisation", "new_type", "note", "share", "evidence", "evidence_note"]

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The chooser's own queryset for the lead organisation (trajectories.choosers).
        self.fields["to_organisation"].queryset = handover_organisations_from(  # type: ignore[attr-defined]
            trajectory.lead_organisation_id
        )
        self.fields["evidence"].label = _("The client's consent to share the file with them was given by")


class AcceptHandoverForm(IdPrefixMixin, forms.Form):
    """The coach who takes over, chosen with a search box (network.choosers "coaches": the
    receiving organisation's coaches). The coaches come from a list the page fetched once, so that a
    page with many incoming handovers runs no query per row."""

    id_prefix = "accept"

    coach = ChooserField(chooser="coaches", label=_("Coach who takes over"), required=False)

    def __init__(self, *args: Any, coaches: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coaches = {coach.pk: coach for coach in coaches}
        self.fields["coach"].queryset = User.objects.filter(pk__in=list(self.coaches))  # type: ignore[attr-defined]
        # The default coach as a row from that list: the field shows its name without a query.
        initial = self.initial.get("coach")
        if initial in self.coaches:
            self.initial = {**self.initial, "coach": self.coaches[initial]}


class DeclineHandoverForm(IdPrefixMixin, forms.Form):
    id_prefix = "decline"

    reason = forms.CharField(
        label=_("Why do you decline?"),
        max_length=1000,
        error_messages={"required": _("Say why the handover is declined.")},
    )


class PauseForm(IdPrefixMixin, forms.Form):
    id_prefix = "pause"

    reason = forms.CharField(
        label=_("Reason for the pause"),
        max_length=500,
        error_messages={"required": _("Say why the trajectory is paused.")},
    )


class CloseForm(IdPrefixMixin, forms.Form):
    id_prefix = "close"

    # Not required here: the model's rule gives the clearer message ("Choose a reason for closing").
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *CloseReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Explanation"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “other”."),
    )
    on = _date(_("Closed on"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set per request: the number goes into the translated sentence in the active language.
        self.fields["reason"].help_text = gettext(
            "Services never end for missed appointments alone: to close for lost contact, document "
            "at least %(n)s outreach attempts in the last 60 days first."
        ) % {"n": OUTREACH_ATTEMPTS_REQUIRED}


class ReopenForm(IdPrefixMixin, forms.Form):
    id_prefix = "reopen"

    note = forms.CharField(label=_("Why is it re-opened?"), max_length=1000, required=False)


class CoachForm(IdPrefixMixin, forms.Form):
    id_prefix = "coach"

    coach = ChooserField(chooser="coaches", label=_("New coach"))

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The chooser's own queryset: the coaches of the lead organisation (network.choosers).
        self.fields["coach"].queryset = coaches_of_organisation(  # type: ignore[attr-defined]
            trajectory.lead_organisation_id
        )


class CarePartnerForm(forms.Form):
    organisation = ChooserField(
        chooser="care_partner_organisations",
        label=_("Care organisation"),
        help_text=_("Only an organisation the client consented to share the file with."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The chooser's own queryset (trajectories.care_partner).
        self.fields["organisation"].queryset = care_organisations(actor)  # type: ignore[attr-defined]


class CarePartnerRequiredForm(forms.Form):
    required = forms.BooleanField(
        label=_("A care partner on call is required"),
        required=False,
        help_text=_(
            "The caseload flags a trajectory of this type that has no care organisation in the background."
        ),
    )
