"""Forms of the team pages. Each maps its cleaned data onto one of the team actions (teams.actions,
teams.meeting_actions, …); the rules themselves live in the actions, the forms check shape and
length and offer sensible choices.

Field names are part of the pages' contract (browser tests select by them): keep them stable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from werkbrug.clients.actions import Evidence
from werkbrug.clients.forms import EvidenceFields
from werkbrug.clients.models import EvidenceKind
from werkbrug.core.choosers import ChooserField
from werkbrug.core.forms import DateField, DateTimeField, FormPart
from werkbrug.network.models import Organisation, User
from werkbrug.referrals.models import Referral
from werkbrug.teams.actions import PLACE_MAX
from werkbrug.teams.choosers import lead_organisations, team_people
from werkbrug.teams.followup_actions import ACTION_MAX
from werkbrug.teams.models import MAX_TEXT, CaseReason, TeamKind
from werkbrug.trajectories.models import Trajectory

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """A native date-and-time picker; the value is read in the site's time zone (Europe/Brussels)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class PersonField(forms.Field):
    """A person picked from the network. Any existing user is accepted here, so that the action can
    say why someone cannot take part ("outside the network") instead of "not a valid choice"."""

    widget = forms.Select
    default_error_messages = {"required": _("Choose a person."), "invalid": _("Choose a person.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.choices = []  # type: ignore[attr-defined]

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        self.widget.choices = [("", "---------"), *choices]  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> User | None:
        if value in self.empty_values:
            return None
        if not str(value).isdigit():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        user = User.objects.filter(pk=int(value)).first()
        if user is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return user


class PersonChooserField(ChooserField):
    """A person of the network, chosen with a search box (teams.choosers "team_people"). A posted
    pk of any existing user is accepted here, so that the action can say why someone cannot take
    part ("outside the network") instead of "not a valid choice"."""

    default_error_messages = {"required": _("Choose a person."), "invalid_choice": _("Choose a person.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(chooser="team_people", queryset=team_people(), **kwargs)

    def lookup(self, value: Any) -> Any:
        return super().lookup(value) or (
            User.objects.filter(pk=int(value)).first() if str(value).isdigit() else None
        )


class _PersonForm(forms.Form):
    user = PersonChooserField(label=_("Person"))
    organisation = ChooserField(
        chooser="active_organisations",
        label=_("For the organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("Only needed when the person works for several organisations."),
    )

    def __init__(self, *args: Any, exclude: Iterable[int] = (), **kwargs: Any) -> None:
        # Shares a page with other forms that have an `organisation` field: own element ids (the
        # field names stay plain).
        kwargs.setdefault("auto_id", "person-%s")
        super().__init__(*args, **kwargs)
        # The search offers the network's people but those who are in already (`exclude`); the
        # action checks the person who is posted.
        self.fields["user"].queryset = team_people().exclude(pk__in=list(exclude))  # type: ignore[attr-defined]


class MemberForm(_PersonForm):
    """A fixed member of a team."""


class InviteForm(_PersonForm):
    """A guest for one agenda item."""


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    organisation = ChooserField(
        chooser="active_organisations",
        label=_("Host organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        help_text=_("A client's consent to discussion in the team names this organisation."),
    )
    cadence = forms.CharField(
        label=_("Cadence"), max_length=100, required=False, help_text=_("e.g. monthly, 2nd Tuesday")
    )
    default_place = forms.CharField(label=_("Default place"), max_length=PLACE_MAX, required=False)
    video_link = forms.URLField(label=_("Video link"), max_length=200, required=False, assume_scheme="https")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]


class CaseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CaseReason.choices)
    question = forms.CharField(
        label=_("Question for the team"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Without the client's consent to discussion in this team, the case is discussed anonymously: "
            "leave out the name and anything else that identifies the client."
        ),
    )
    referral = forms.ModelChoiceField(
        label=_("Referral sent to the case team"), queryset=Referral.objects.none(), required=False
    )
    trajectory = forms.ModelChoiceField(
        label=_("Trajectory"), queryset=Trajectory.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        referrals: QuerySet[Referral],
        trajectories: QuerySet[Trajectory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        referral_field = self.fields["referral"]
        trajectory_field = self.fields["trajectory"]
        referral_field.queryset = referrals  # type: ignore[attr-defined]
        # The client's name is on neither label: the page is about this client already.
        referral_field.label_from_instance = lambda r: f"{r.line} · {r.created_at:%d/%m/%Y}"  # type: ignore[attr-defined]
        trajectory_field.queryset = trajectories  # type: ignore[attr-defined]
        trajectory_field.label_from_instance = lambda t: f"{t.type} · {t.lead_organisation}"  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    starts_at = DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput())
    ends_at = DateTimeField(
        label=_("Ends at"),
        widget=DateTimeLocalInput(),
        required=False,
        help_text=_("Two hours after the start when left empty."),
    )
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    video_link = forms.URLField(label=_("Video link"), max_length=200, required=False, assume_scheme="https")


class AttendanceForm(forms.Form):
    """One box per person expected (meeting_actions.expected_people). The choices are the people the
    caller read already: rendering or checking the form reads no user again."""

    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["present"].choices = [(pk, str(person)) for pk, person in self.people.items()]  # type: ignore[attr-defined]

    def clean_present(self) -> list[User]:
        return [self.people[pk] for pk in self.cleaned_data["present"]]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=pgettext_lazy("meeting", "Minutes"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DecisionForm(EvidenceFields):
    lead_organisation = ChooserField(
        chooser="lead_organisations", label=_("Which service leads"), queryset=lead_organisations()
    )
    next_steps = forms.CharField(
        label=_("Next steps"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    start = forms.BooleanField(
        label=_("Start the handover or referral now"),
        required=False,
        help_text=_(
            "The lead coach proposes the handover of the trajectory; the line's screener redirects a "
            "referral waiting for the team."
        ),
    )
    field_order = ["lead_organisation", "next_steps", "start", "evidence", "evidence_note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("evidence", EvidenceKind.VERBAL)
        super().__init__(*args, **kwargs)
        self.fields["evidence"].label = _("The client's consent to share with that service, given by")
        self.fields["evidence"].help_text = _("Used when starting: the new service sees the file.")


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=ACTION_MAX)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose who owns this action."),
            "invalid_choice": _("The owner must be a member of the team or a guest invited for this item."),
        },
    )
    due_on = DateField(label=_("Due on"))

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class ButtonForm(forms.Form):
    """No fields: the button is the whole form (a CSRF-protected POST)."""


class ItemForm(EvidenceFields):
    """One form per agenda item (issue 13): the minutes, the decision, a guest to invite and a new
    action, saved together by teams.item_actions.save_item, so that saving one never throws away
    what was typed in another. Every part but the minutes is optional here; the action says what a
    part that was started still needs."""

    PARTS = {
        "minutes": ("minutes",),
        "decision": ("lead_organisation", "next_steps", "start", "evidence", "evidence_note"),
        "guest": ("user", "organisation"),
        "action": ("description", "owner", "due_on"),
    }

    minutes = MinutesForm.base_fields["minutes"]
    # Posted by the page with the decision (verbal by default); only read when starting a step.
    evidence = forms.ChoiceField(
        label=_("Consent given by"), choices=[("", "---------"), *EvidenceKind.choices], required=False
    )
    lead_organisation = ChooserField(
        chooser="lead_organisations",
        label=_("Which service leads"),
        queryset=lead_organisations(),
        required=False,
    )
    next_steps = DecisionForm.base_fields["next_steps"]
    start = DecisionForm.base_fields["start"]
    user = PersonChooserField(label=_("Person"), required=False)
    organisation = _PersonForm.base_fields["organisation"]
    description = forms.CharField(label=_("Action"), max_length=ACTION_MAX, required=False)
    # Any person is read here (the action checks the owner): the guest invited in the same save may
    # own the new action.
    owner = PersonField(label=_("Owner"), required=False)
    due_on = DateField(label=_("Due on"), required=False)

    def __init__(
        self, *args: Any, case: bool, owners: QuerySet[User], exclude: Iterable[int] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("evidence", EvidenceKind.VERBAL)
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["owner"].set_choices([(user.pk, str(user)) for user in owners])  # type: ignore[attr-defined]
        if not case:  # a general item: minutes and actions, no decision and no guests
            for name in (*self.PARTS["decision"], *self.PARTS["guest"]):
                del fields[name]
            return
        fields["evidence"].label = _("The client's consent to share with that service, given by")
        fields["evidence"].help_text = _("Used when starting: the new service sees the file.")
        fields["user"].queryset = team_people().exclude(pk__in=list(exclude))  # type: ignore[attr-defined]

    def part(self, name: str) -> FormPart:
        return FormPart(self, self.PARTS[name], first=name == "minutes")

    def parts(self) -> dict[str, FormPart]:
        return {name: self.part(name) for name in self.PARTS}

    def evidence_or_none(self) -> Evidence | None:
        if not self.cleaned_data.get("evidence"):
            return None
        return self.evidence_value()

    def given(self, name: str) -> dict[str, Any]:
        """The cleaned values of one part (empty for a part the form does not have)."""
        return {field: self.cleaned_data.get(field) for field in self.PARTS[name] if field in self.fields}
