"""Writes on case teams: teams and members (network admin), cases, meetings and their agenda,
attendance, minutes, guests, decisions and action items. Each is atomic, checks who may act,
validates, saves and writes the audit trail; a rule raises DomainError (nothing is written then).

Anonymity: a case is shown by name only while the client consents to discussion in the team
(teams.access). While that consent is missing, the free texts of the case (question, minutes, next
steps, actions) must not carry the client's identity either: `identifying_in()` refuses them on
write, and pages pass every such text through `redact()` (a consent withdrawn after writing).

Registering a case does NOT involve the host organisation with the client (clients.Involvement):
that would open the client file to it. The team sees the case through the team rules only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import Client, EvidenceKind
from werkbrug.core import audit
from werkbrug.core.access import can_see_client
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.network.models import (
    CLIENT_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReferralLine,
    Role,
    User,
)
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.teams import notify
from werkbrug.teams.access import is_member, is_named
from werkbrug.teams.identity import identifying_in
from werkbrug.teams.models import (
    MAX_TEXT,
    ActionItem,
    AgendaItem,
    Attendance,
    Case,
    CaseReason,
    CaseStatus,
    ItemGuest,
    Meeting,
    Team,
    TeamKind,
    TeamMember,
)
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import (
    Contact,
    Handover,
    Outcome,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
    TrajectoryType,
)

# Titles of the agenda items that are not a registered case. Stored as these English msgids (never
# a client's name) and translated when rendered: {% translate item.title %}.
OPEN_ACTIONS_TITLE = gettext_noop("Open action items")
TRAJECTORY_UPDATE_TITLE = gettext_noop("Trajectory update")

ACTION_MAX = ActionItem._meta.get_field("description").max_length or 500
PLACE_MAX = Meeting._meta.get_field("place").max_length or 200
MAX_MEETING_HOURS = 12
DEFAULT_MEETING_HOURS = 2
# Who may sit in a team or be invited for an item: the roles whose work needs client data.
TEAM_ROLES = CLIENT_ROLES


# --- helpers ---------------------------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can manage the teams."))


def _require_member(actor: Actor, team: Team) -> None:
    if not actor.sees_clients or not is_member(actor, team):
        raise DomainError(_("Only the team's members can do this."))


def _text(value: str | None, *, field: str, max_length: int, required: str | None = None) -> str:
    """Stripped text; `required` is the message when it is empty."""
    text = (value or "").strip()
    if required and not text:
        raise DomainError(required, field=field)
    if len(text) > max_length:
        raise DomainError(
            _("This text is too long (at most %(n)s characters).") % {"n": max_length}, field=field
        )
    return text


def _url(value: str | None, *, field: str) -> str:
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


def _refuse_identifying(case: Case, text: str, *, field: str, named: bool | None = None) -> None:
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


# --- teams and members (network admin) ---------------------------------------------------------------


def _team_values(
    *,
    name: str,
    kind: str,
    organisation: Organisation | None,
    cadence: str,
    default_place: str,
    video_link: str,
    pk: int | None,
) -> dict[str, object]:
    clean_name = _text(name, field="name", max_length=150, required=_("Give the team a name."))
    same_name = Team.objects.filter(name__iexact=clean_name)
    if (same_name.exclude(pk=pk) if pk is not None else same_name).exists():
        raise DomainError(_("A team with this name already exists."), field="name")
    if kind not in TeamKind.values:
        raise DomainError(_("Choose the kind of team."), field="kind")
    if organisation is None or not organisation.is_active:
        raise DomainError(_("Choose an active host organisation."), field="organisation")
    return {
        "name": clean_name,
        "kind": kind,
        "organisation": organisation,
        "cadence": _text(cadence, field="cadence", max_length=100),
        "default_place": _text(default_place, field="default_place", max_length=PLACE_MAX),
        "video_link": _url(video_link, field="video_link"),
    }


def _save_team(team: Team) -> None:
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as exc:  # a concurrent request took the name first
        raise DomainError(_("A team with this name already exists."), field="name") from exc


@transaction.atomic
def create_team(
    actor: Actor,
    *,
    name: str,
    kind: str,
    organisation: Organisation | None,
    cadence: str = "",
    default_place: str = "",
    video_link: str = "",
) -> Team:
    """A new team. The host organisation is the one a client's consent to discussion names."""
    _require_admin(actor)
    values = _team_values(
        name=name,
        kind=kind,
        organisation=organisation,
        cadence=cadence,
        default_place=default_place,
        video_link=video_link,
        pk=None,
    )
    team = Team(**values)
    _save_team(team)
    audit.record(actor, AuditAction.CREATE, team, client_id=None, summary=f"team {team.name}")
    return team


@transaction.atomic
def update_team(
    actor: Actor,
    team: Team,
    *,
    name: str,
    kind: str,
    organisation: Organisation | None,
    cadence: str = "",
    default_place: str = "",
    video_link: str = "",
    is_active: bool = True,
) -> Team:
    _require_admin(actor)
    values = _team_values(
        name=name,
        kind=kind,
        organisation=organisation,
        cadence=cadence,
        default_place=default_place,
        video_link=video_link,
        pk=team.pk,
    )
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


def _next_position(meeting: Meeting) -> int:
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
    text = _text(
        question, field="question", max_length=MAX_TEXT, required=_("Write the question for the team.")
    )
    case = Case(team=team, client=client)
    _refuse_identifying(case, text, field="question")
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
        AgendaItem.objects.create(meeting=upcoming, case=case, position=_next_position(upcoming))
    return case


@transaction.atomic
def close_case(actor: Actor, case: Case) -> Case:
    """The team ends its follow-up of the case; it leaves the coming agendas."""
    _require_member(actor, case.team)
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("This case is already closed."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    audit.record(actor, AuditAction.UPDATE, case, client_id=case.client_id, summary="case closed")
    return case


# --- meetings and the agenda -------------------------------------------------------------------------


def _changed_since(since: datetime.datetime) -> Q:
    """Cases whose trajectory has an event, a contact or an outcome after `since`."""
    trajectory = OuterRef("trajectory_id")
    day = timezone.localdate(since)
    return (
        Q(Exists(TrajectoryEvent.objects.filter(trajectory_id=trajectory, at__gt=since)))
        | Q(Exists(Contact.objects.filter(trajectory_id=trajectory, recorded_at__gt=since)))
        | Q(
            Exists(
                Outcome.objects.filter(trajectory_id=trajectory).filter(
                    Q(on__gte=day) | Q(verified_on__gte=day)
                )
            )
        )
    )


@transaction.atomic
def build_agenda(meeting: Meeting) -> list[AgendaItem]:
    """Add what the meeting should discuss and is not on its agenda yet (so it can run again):
    - every open case of the team not decided yet, in the order of registration;
    - "Open action items" when the team has any;
    - a "Trajectory update" for every open case whose trajectory changed since the previous meeting.
    Titles are fixed msgids; a case's label is built when the page is rendered."""
    team = meeting.team
    present = set(meeting.items.filter(case__isnull=False).values_list("case_id", flat=True))
    position = _next_position(meeting)
    new: list[AgendaItem] = []
    undecided = (
        team.cases.filter(status=CaseStatus.OPEN)
        .exclude(items__decided_at__isnull=False)
        .exclude(pk__in=present)
        .order_by("created_at", "pk")
    )
    for case in undecided:
        new.append(AgendaItem(meeting=meeting, case=case, position=position))
        present.add(case.pk)
        position += 1
    if (
        team.actions.filter(done_on__isnull=True).exists()
        and not meeting.items.filter(case__isnull=True, title=OPEN_ACTIONS_TITLE).exists()
    ):
        new.append(AgendaItem(meeting=meeting, title=OPEN_ACTIONS_TITLE, position=position))
        position += 1
    previous = (
        team.meetings.filter(starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )
    if previous is not None:
        changed = (
            team.cases.filter(status=CaseStatus.OPEN, trajectory__isnull=False)
            .exclude(pk__in=present)
            .filter(_changed_since(previous.starts_at))
            .order_by("created_at", "pk")
        )
        for case in changed:
            new.append(
                AgendaItem(meeting=meeting, case=case, title=TRAJECTORY_UPDATE_TITLE, position=position)
            )
            position += 1
    AgendaItem.objects.bulk_create(new)
    return new


def _meeting_times(
    starts_at: datetime.datetime | None, ends_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    if starts_at is None:
        raise DomainError(_("Give the date and time of the meeting."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        raise DomainError(_("A new meeting cannot be in the past."), field="starts_at")
    if ends_at is None:
        ends_at = starts_at + datetime.timedelta(hours=DEFAULT_MEETING_HOURS)
    elif timezone.is_naive(ends_at):
        ends_at = timezone.make_aware(ends_at)
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(hours=MAX_MEETING_HOURS):
        raise DomainError(
            _("A meeting lasts at most %(n)s hours.") % {"n": MAX_MEETING_HOURS}, field="ends_at"
        )
    return starts_at, ends_at


@transaction.atomic
def schedule_meeting(
    actor: Actor,
    team: Team,
    *,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    video_link: str = "",
) -> Meeting:
    """A member plans the next meeting (never in the past); the agenda is built at once. Place and
    video link default to the team's; the end to two hours after the start."""
    _require_member(actor, team)
    if not team.is_active:
        raise DomainError(_("This team is not active."))
    start, end = _meeting_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        team=team,
        starts_at=start,
        ends_at=end,
        place=_text(place, field="place", max_length=PLACE_MAX) or team.default_place,
        video_link=_url(video_link, field="video_link") or team.video_link,
        created_by=actor.user,
    )
    build_agenda(meeting)
    audit.record(actor, AuditAction.CREATE, meeting, client_id=None, summary=f"team {team.pk} meeting")
    transaction.on_commit(lambda: notify.notify_meeting(meeting))
    return meeting


@transaction.atomic
def refresh_agenda(actor: Actor, meeting: Meeting) -> list[AgendaItem]:
    """A member adds what came up since the meeting was planned (see build_agenda)."""
    _require_member(actor, meeting.team)
    return build_agenda(meeting)


def expected_people(meeting: Meeting) -> list[User]:
    """Who attendance is recorded for: the fixed members and every guest of the meeting."""
    members = User.objects.filter(team_memberships__team_id=meeting.team_id)
    guests = User.objects.filter(pk__in=ItemGuest.objects.filter(item__meeting=meeting).values("user_id"))
    return list((members | guests).distinct().order_by("last_name", "first_name", "pk"))


@transaction.atomic
def record_attendance(actor: Actor, meeting: Meeting, *, present: Iterable[User]) -> list[Attendance]:
    """Who was there: everyone expected gets a row, present or not."""
    _require_member(actor, meeting.team)
    expected = {user.pk: user for user in expected_people(meeting)}
    there = {user.pk for user in present}
    if there - expected.keys():
        raise DomainError(_("Only members and invited guests can attend."), field="present")
    rows = []
    for pk, user in expected.items():
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"present": pk in there}
        )
        rows.append(row)
    audit.record(
        actor, AuditAction.UPDATE, meeting, client_id=None, summary=f"attendance: {len(there)} present"
    )
    return rows


def _item_client_id(item: AgendaItem) -> int | None:
    return item.case.client_id if item.case_id is not None and item.case is not None else None


@transaction.atomic
def record_minutes(actor: Actor, item: AgendaItem, *, minutes: str) -> AgendaItem:
    """The members write the minutes of an item; without consent to discussion by name they stay
    anonymous."""
    _require_member(actor, item.meeting.team)
    text = _text(minutes, field="minutes", max_length=MAX_TEXT)
    if item.case is not None:
        _refuse_identifying(item.case, text, field="minutes")
    item.minutes = text
    item.save(update_fields=["minutes"])
    audit.record(actor, AuditAction.UPDATE, item, client_id=_item_client_id(item), summary="minutes")
    return item


# --- guests ----------------------------------------------------------------------------------------------


@transaction.atomic
def invite_guest(
    actor: Actor, item: AgendaItem, *, user: User | None, organisation: Organisation | None = None
) -> ItemGuest:
    """A member invites someone from the network for one case item; the guest sees that item only.
    Only for a case: the other items list several cases at once."""
    _require_member(actor, item.meeting.team)
    if item.case is None:
        raise DomainError(_("Guests are invited for the item of a case."))
    membership = network_membership(user, organisation)
    guest_user = membership.user
    if TeamMember.objects.filter(team_id=item.meeting.team_id, user=guest_user).exists():
        raise DomainError(
            _("%(person)s is a member of the team and sees the whole meeting.") % {"person": guest_user},
            field="user",
        )
    if item.guests.filter(user=guest_user).exists():
        raise DomainError(_("%(person)s is already invited.") % {"person": guest_user}, field="user")
    guest = ItemGuest.objects.create(
        item=item, user=guest_user, organisation=membership.organisation, invited_by=actor.user
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        guest,
        client_id=_item_client_id(item),
        summary=f"guest {guest_user.pk} ({membership.organisation}) invited for item {item.pk}",
    )
    transaction.on_commit(lambda: notify.notify_guest(guest))
    return guest


@transaction.atomic
def remove_guest(actor: Actor, guest: ItemGuest) -> None:
    item = guest.item
    _require_member(actor, item.meeting.team)
    audit.record(
        actor,
        AuditAction.DELETE,
        guest,
        client_id=_item_client_id(item),
        summary=f"guest {guest.user_id} no longer invited for item {item.pk}",
    )
    guest.delete()


# --- decisions -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionResult:
    """What deciding did: the decided item and, when asked to start, the handover proposed or the
    referral redirected, or why nothing needed starting."""

    item: AgendaItem
    handover: Handover | None = None
    referral: Referral | None = None
    not_started: str = ""


def default_trajectory_type(organisation: Organisation) -> TrajectoryType:
    """The type a trajectory gets at `organisation`: GTB's own, else the default of its first active
    referral line, else VDAB guidance."""
    if organisation.org_type == OrganisationType.GTB:
        code = "gtb"
    else:
        line = (
            ReferralLine.objects.filter(organisation=organisation, is_active=True)
            .exclude(default_trajectory_type="")
            .order_by("name", "pk")
            .first()
        )
        code = line.default_trajectory_type if line is not None else "vdab"
    found = (
        TrajectoryType.objects.filter(code=code).first() or TrajectoryType.objects.filter(code="vdab").first()
    )
    if found is None:
        raise DomainError(_("No trajectory type is set up for %(org)s.") % {"org": organisation})
    return found


def _trajectory_of(case: Case) -> Trajectory | None:
    if case.trajectory is not None:
        return case.trajectory
    if case.referral is not None:
        return Trajectory.objects.filter(referral=case.referral).first()
    return None


def _triagers(line: ReferralLine) -> str:
    names = [str(user) for user in line.screeners.filter(is_active=True).order_by("last_name", "first_name")]
    coordinators = _("a coordinator of %(org)s") % {"org": line.organisation}
    return ", ".join([*names, coordinators])


def _start_handover(
    actor: Actor, case: Case, trajectory: Trajectory, lead: Organisation, note: str, evidence: Evidence
) -> Handover:
    if not trajectory_actions.is_lead(actor, trajectory):
        coach = trajectory.coach or trajectory.lead_organisation
        raise DomainError(
            _(
                "The handover is proposed by the lead coach: ask %(coach)s to record this decision with "
                "“start” ticked, or to propose the handover to %(org)s from the trajectory."
            )
            % {"coach": coach, "org": lead},
            field="start",
        )
    handover = trajectory_actions.propose_handover(
        actor,
        trajectory,
        to_organisation=lead,
        new_type=default_trajectory_type(lead),
        note=note,
        evidence=evidence,
    )
    if case.trajectory_id is None:
        case.trajectory = trajectory
        case.save(update_fields=["trajectory"])
    return handover


def _start_redirect(
    actor: Actor, referral: Referral, lead: Organisation, note: str, evidence: Evidence
) -> Referral:
    line = ReferralLine.objects.filter(organisation=lead, is_active=True).order_by("name", "pk").first()
    if line is None:
        raise DomainError(
            _("%(org)s has no active referral line to send the referral to.") % {"org": lead},
            field="lead_organisation",
        )
    if not referral_actions.can_triage(actor, referral.line):
        raise DomainError(
            _(
                "The referral is redirected by whoever triages the line “%(line)s”: ask %(who)s to record "
                "this decision with “start” ticked, or to redirect the referral to %(org)s."
            )
            % {"line": referral.line, "who": _triagers(referral.line), "org": lead},
            field="start",
        )
    return referral_actions.redirect_referral(actor, referral, line=line, note=note, evidence=evidence)


@transaction.atomic
def decide_case(
    actor: Actor,
    item: AgendaItem,
    *,
    lead_organisation: Organisation | None,
    next_steps: str = "",
    start: bool = False,
    evidence: Evidence | None = None,
) -> DecisionResult:
    """The team's decision on a case: which service leads and the next steps. With `start`, the
    matching step begins at once, in the same transaction (if it is refused, the decision is not
    saved either):
    - the case's trajectory is led elsewhere → its lead coach proposes the handover to that service;
    - the case's referral waits for the case team → its screener redirects it to that service's line.
    `evidence` says how the client consented to sharing with the new service (a verbal consent noted
    as decided in the team when not given)."""
    team = item.meeting.team
    _require_member(actor, team)
    case = item.case
    if case is None:
        raise DomainError(_("Only the item of a case takes a decision."))
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("This case is closed."))
    lead = lead_organisation
    if lead is None or not lead.is_active or lead.kind not in (OrganisationKind.WORK, OrganisationKind.CARE):
        raise DomainError(
            _("Choose the service that leads: an active work or care partner."), field="lead_organisation"
        )
    steps = _text(next_steps, field="next_steps", max_length=MAX_TEXT)
    _refuse_identifying(case, steps, field="next_steps")
    now = timezone.now()
    item.lead_organisation = lead
    item.next_steps = steps
    item.decided_at = now
    item.decided_by = actor.user
    item.save(update_fields=["lead_organisation", "next_steps", "decided_at", "decided_by"])
    audit.record(
        actor, AuditAction.UPDATE, item, client_id=case.client_id, summary=f"team decision: {lead} leads"
    )
    if not start:
        return DecisionResult(item=item)

    in_team = _("decided in case team %(team)s") % {"team": team.name}
    if evidence is None:
        evidence = Evidence(EvidenceKind.VERBAL, in_team)
    elif not evidence.note.strip() and evidence.kind != EvidenceKind.VERBAL_WITNESS:
        evidence = Evidence(evidence.kind, in_team)
    note = steps or _("Decided in case team %(team)s: %(org)s leads.") % {"team": team.name, "org": lead}

    trajectory = _trajectory_of(case)
    if trajectory is not None and trajectory.status != TrajectoryStatus.CLOSED:
        if trajectory.lead_organisation_id == lead.pk:
            return DecisionResult(
                item=item, not_started=_("%(org)s already leads the trajectory.") % {"org": lead}
            )
        handover = _start_handover(actor, case, trajectory, lead, note, evidence)
        return DecisionResult(item=item, handover=handover)
    referral = case.referral
    if referral is not None and referral.status == ReferralStatus.CASE_TEAM:
        if referral.line.organisation_id == lead.pk:
            return DecisionResult(
                item=item,
                not_started=_("The referral is already on a line of %(org)s: its screener assigns it.")
                % {"org": lead},
            )
        return DecisionResult(item=item, referral=_start_redirect(actor, referral, lead, note, evidence))
    return DecisionResult(
        item=item,
        not_started=_("The case has no open trajectory or referral waiting for the team: nothing to start."),
    )


# --- action items ------------------------------------------------------------------------------------------


def possible_owners(item: AgendaItem) -> QuerySet[User]:
    """Who may own an action on this item: a fixed member of the team or a guest of this very item —
    the people who know the case. Anyone else would learn of it through their action list."""
    return (
        User.objects.filter(
            Q(team_memberships__team_id=item.meeting.team_id)
            | Q(pk__in=ItemGuest.objects.filter(item=item).values("user_id"))
        )
        .filter(is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def create_action(
    actor: Actor,
    item: AgendaItem,
    *,
    description: str,
    owner: User | None,
    due_on: datetime.date | None,
) -> ActionItem:
    """A member records an action on an item: what, who (a member or a guest of the item), by when."""
    team = item.meeting.team
    _require_member(actor, team)
    text = _text(description, field="description", max_length=ACTION_MAX, required=_("Describe the action."))
    if item.case is not None:
        _refuse_identifying(item.case, text, field="description")
    if owner is None:
        raise DomainError(_("Choose who owns this action."), field="owner")
    if not possible_owners(item).filter(pk=owner.pk).exists():
        raise DomainError(
            _("The owner must be a member of the team or a guest invited for this item."), field="owner"
        )
    if due_on is None:
        raise DomainError(_("Give the due date."), field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(_("The due date lies in the past."), field="due_on")
    action = ActionItem.objects.create(
        team=team,
        case=item.case,
        item=item,
        description=text,
        owner=owner,
        due_on=due_on,
        created_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        action,
        client_id=_item_client_id(item),
        summary=f"team action for {owner.pk}",
    )
    return action


@transaction.atomic
def complete_action(actor: Actor, action: ActionItem, *, on: datetime.date | None = None) -> ActionItem:
    """The owner or a fixed member of the team marks an action done (today unless told otherwise)."""
    if not actor.sees_clients or not (action.owner_id == actor.user.pk or is_member(actor, action.team)):
        raise DomainError(_("Only the owner or a member of the team can mark this action done."))
    if action.done_on is not None:
        raise InvalidTransition(_("This action is already done."))
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise DomainError(_("An action cannot be done in the future."), field="on")
    action.done_on = day
    action.save(update_fields=["done_on"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        action,
        client_id=action.case.client_id if action.case is not None else None,
        summary="team action done",
    )
    return action
