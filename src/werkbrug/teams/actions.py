"""Writes on case teams: the shared rules of the team actions, teams and members (network admin) and
cases. Meetings, their agenda, minutes and guests are in teams.meeting_actions, the team's decision
in teams.decision_actions, action items in teams.followup_actions. Each action is atomic, checks who
may act, validates, saves and writes the audit trail; a rule raises DomainError (nothing is written
then).

Anonymity: a case is shown by name only while the client consents to discussion in the team
(teams.access). While that consent is missing, the free texts of the case (question, minutes, next
steps, actions) must not carry the client's identity either: `identifying_in()` refuses them on
write, and pages pass every such text through `redact()` (a consent withdrawn after writing).

Registering a case does NOT involve the host organisation with the client (clients.Involvement):
that would open the client file to it. The team sees the case through the team rules only.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.access import can_see_client
from werkbrug.clients.models import Client
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import CLIENT_ROLES, Membership, Organisation, Role, User
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.teams.access import is_member, is_named
from werkbrug.teams.identity import identifying_in
from werkbrug.teams.models import (
    MAX_TEXT,
    AgendaItem,
    Case,
    CaseReason,
    CaseStatus,
    Meeting,
    Team,
    TeamKind,
    TeamMember,
)
from werkbrug.trajectories.models import Trajectory

PLACE_MAX = Meeting._meta.get_field("place").max_length or 200
# Who may sit in a team or be invited for an item: the roles whose work needs client data.
TEAM_ROLES = CLIENT_ROLES


# --- shared rules ------------------------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can manage the teams."))


def require_member(actor: Actor, team: Team) -> None:
    if not actor.sees_clients or not is_member(actor, team):
        raise DomainError(_("Only the team's members can do this."))


def clean_text(value: str | None, *, field: str, max_length: int, required: str | None = None) -> str:
    """Stripped text; `required` is the message when it is empty."""
    text = (value or "").strip()
    if required and not text:
        raise DomainError(required, field=field)
    if len(text) > max_length:
        raise DomainError(
            _("This text is too long (at most %(n)s characters).") % {"n": max_length}, field=field
        )
    return text


def clean_url(value: str | None, *, field: str) -> str:
    url = (value or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as exc:
        raise DomainError(_("Enter a valid web address (https://…)."), field=field) from exc
    if len(url) > 200:
        raise DomainError(_("This web address is too long."), field=field)
    return url


def network_membership(user: User | None, organisation: Organisation | None = None) -> Membership:
    """The active membership through which `user` sits in a team or is invited: a client role at an
    active organisation (at `organisation` if given). Refused for anyone outside the network."""
    if user is None:
        raise DomainError(_("Choose a person."), field="user")
    memberships = Membership.objects.filter(
        user=user, is_active=True, user__is_active=True, organisation__is_active=True
    ).select_related("organisation")
    if not memberships.exists():
        raise DomainError(
            _(
                "%(person)s is outside the network: only people with an active membership of a network "
                "organisation can take part."
            )
            % {"person": user},
            field="user",
        )
    usable = memberships.filter(role__in=TEAM_ROLES).order_by("organisation__name", "pk")
    if organisation is not None:
        usable = usable.filter(organisation=organisation)
        if not usable.exists():
            raise DomainError(
                _("%(person)s does not work with client files at %(org)s.")
                % {"person": user, "org": organisation},
                field="organisation",
            )
    membership = usable.first()
    if membership is None:
        raise DomainError(
            _(
                "%(person)s has no role that works with client files (coach, care professional, "
                "screener or coordinator)."
            )
            % {"person": user},
            field="user",
        )
    return membership


# --- anonymity of free text --------------------------------------------------------------------------


def refuse_identifying(case: Case, text: str, *, field: str, named: bool | None = None) -> None:
    """While the client does not consent to discussion by name, their identity stays out of the text."""
    if not text:
        return
    if named is None:
        named = is_named(case)
    if named:
        return
    found = identifying_in(case.client, text)
    if found:
        raise DomainError(
            _(
                "Leave out the client's %(what)s: the client has not consented to discussing the case "
                "by name in this team, so it is discussed anonymously."
            )
            % {"what": found},
            field=field,
        )


def audit_on_item(actor: Actor, action: AuditAction, obj: Model, item: AgendaItem, summary: str) -> None:
    """An audit row for a write on an agenda item: in the access log of the item's client (none for
    a general item)."""
    client_id = item.case.client_id if item.case_id is not None and item.case is not None else None
    audit.record(actor, action, obj, client_id=client_id, summary=summary)


# --- teams and members (network admin) ---------------------------------------------------------------


class TeamFields(TypedDict):
    """What the network admin sets on a team (create_team, update_team)."""

    name: str
    kind: str
    organisation: Organisation | None
    cadence: NotRequired[str]
    default_place: NotRequired[str]
    video_link: NotRequired[str]


def _team_values(fields: TeamFields, *, pk: int | None) -> dict[str, object]:
    name = clean_text(fields["name"], field="name", max_length=150, required=_("Give the team a name."))
    same_name = Team.objects.filter(name__iexact=name)
    if (same_name.exclude(pk=pk) if pk is not None else same_name).exists():
        raise DomainError(_("A team with this name already exists."), field="name")
    kind = fields["kind"]
    if kind not in TeamKind.values:
        raise DomainError(_("Choose the kind of team."), field="kind")
    organisation = fields["organisation"]
    if organisation is None or not organisation.is_active:
        raise DomainError(_("Choose an active host organisation."), field="organisation")
    return {
        "name": name,
        "kind": kind,
        "organisation": organisation,
        "cadence": clean_text(fields.get("cadence"), field="cadence", max_length=100),
        "default_place": clean_text(fields.get("default_place"), field="default_place", max_length=PLACE_MAX),
        "video_link": clean_url(fields.get("video_link"), field="video_link"),
    }


def _save_team(team: Team) -> None:
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as exc:  # a concurrent request took the name first
        raise DomainError(_("A team with this name already exists."), field="name") from exc


@transaction.atomic
def create_team(actor: Actor, **fields: Unpack[TeamFields]) -> Team:
    """A new team. The host organisation is the one a client's consent to discussion names."""
    _require_admin(actor)
    team = Team(**_team_values(fields, pk=None))
    _save_team(team)
    audit.record(actor, AuditAction.CREATE, team, client_id=None, summary=f"team {team.name}")
    return team


@transaction.atomic
def update_team(actor: Actor, team: Team, *, is_active: bool = True, **fields: Unpack[TeamFields]) -> Team:
    _require_admin(actor)
    values = _team_values(fields, pk=team.pk)
    team = Team.objects.select_for_update().get(pk=team.pk)
    values["is_active"] = bool(is_active)
    changed = [key for key, value in values.items() if getattr(team, key) != value]
    for key, value in values.items():
        setattr(team, key, value)
    _save_team(team)
    audit.record(actor, AuditAction.UPDATE, team, client_id=None, summary=", ".join(changed))
    return team


@transaction.atomic
def add_member(
    actor: Actor, team: Team, *, user: User | None, organisation: Organisation | None = None
) -> TeamMember:
    """A fixed member: a person and the organisation they sit in the team for (one of their active
    memberships; their only one when not given)."""
    _require_admin(actor)
    membership = network_membership(user, organisation)
    if TeamMember.objects.filter(team=team, user=membership.user).exists():
        raise DomainError(_("%(person)s is already a member.") % {"person": membership.user}, field="user")
    member = TeamMember.objects.create(team=team, user=membership.user, organisation=membership.organisation)
    audit.record(
        actor,
        AuditAction.CREATE,
        member,
        client_id=None,
        summary=f"team {team.pk}: member {membership.user.pk} for {membership.organisation}",
    )
    return member


@transaction.atomic
def remove_member(actor: Actor, member: TeamMember) -> None:
    _require_admin(actor)
    audit.record(
        actor,
        AuditAction.DELETE,
        member,
        client_id=None,
        summary=f"team {member.team_id}: member {member.user_id} removed",
    )
    member.delete()


# --- cases ---------------------------------------------------------------------------------------------


def next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


def next_meeting(team: Team) -> Meeting | None:
    """The team's next meeting that has not started yet."""
    return team.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at", "pk").first()


@transaction.atomic
def register_case(
    actor: Actor,
    team: Team,
    client: Client,
    *,
    reason: str,
    question: str,
    referral: Referral | None = None,
    trajectory: Trajectory | None = None,
) -> Case:
    """Any network partner whose organisation may see the client registers the case for a team; it
    goes on the team's next meeting when one is planned. No involvement is written: the team sees the
    case through the team rules, by name only with the client's consent to discussion there."""
    if not actor.sees_clients or actor.organisation is None or not can_see_client(actor, client.pk):
        raise DomainError(_("You cannot register this client."))
    organisation = actor.organisation
    if not team.is_active:
        raise DomainError(_("This team is not active."))
    if reason not in CaseReason.values:
        raise DomainError(_("Choose the reason."), field="reason")
    text = clean_text(
        question, field="question", max_length=MAX_TEXT, required=_("Write the question for the team.")
    )
    case = Case(team=team, client=client)
    refuse_identifying(case, text, field="question")
    if referral is not None and not (
        referral.client_id == client.pk
        and referral.status == ReferralStatus.CASE_TEAM
        and Referral.objects.for_organisation(organisation).filter(pk=referral.pk).exists()
    ):
        raise DomainError(
            _("Choose a referral of this client that your organisation sent to the case team."),
            field="referral",
        )
    if trajectory is not None and not (
        trajectory.client_id == client.pk
        and trajectory.is_open
        and Trajectory.objects.for_organisation(organisation).filter(pk=trajectory.pk).exists()
    ):
        raise DomainError(
            _("Choose an open trajectory of this client that your organisation takes part in."),
            field="trajectory",
        )
    if team.cases.filter(client=client, status=CaseStatus.OPEN).exists():
        raise DomainError(_("This client already has an open case in this team."))
    case.reason = reason
    case.question = text
    case.referral = referral
    case.trajectory = trajectory
    case.registered_by = actor.user
    case.registered_by_organisation = organisation
    case.save()
    audit.record(
        actor, AuditAction.CREATE, case, client_id=client.pk, summary=f"case registered for team {team.pk}"
    )
    upcoming = next_meeting(team)
    if upcoming is not None:
        AgendaItem.objects.create(meeting=upcoming, case=case, position=next_position(upcoming))
    return case


@transaction.atomic
def close_case(actor: Actor, case: Case) -> Case:
    """The team ends its follow-up of the case; it leaves the coming agendas."""
    require_member(actor, case.team)
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("This case is already closed."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    audit.record(actor, AuditAction.UPDATE, case, client_id=case.client_id, summary="case closed")
    return case
