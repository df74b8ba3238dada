"""Writes on a team's meetings: planning one, its agenda, attendance, the minutes of an item and the
guests invited for one item. The shared rules (who may act, texts, anonymity) are in teams.actions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.jobs.runner import enqueue_on_commit
from werkbrug.network.models import Organisation, User
from werkbrug.teams import tasks
from werkbrug.teams.access import people_of
from werkbrug.teams.actions import (
    PLACE_MAX,
    audit_on_item,
    clean_text,
    clean_url,
    network_membership,
    next_position,
    refuse_identifying,
    require_member,
)
from werkbrug.teams.models import (
    MAX_TEXT,
    AgendaItem,
    Attendance,
    CaseStatus,
    ItemGuest,
    Meeting,
    Team,
    TeamMember,
)
from werkbrug.trajectories.models import Contact, Outcome, TrajectoryEvent

# Titles of the agenda items that are not a registered case. Stored as these English msgids (never
# a client's name) and translated when rendered: {% translate item.title %}.
OPEN_ACTIONS_TITLE = gettext_noop("Open action items")
TRAJECTORY_UPDATE_TITLE = gettext_noop("Trajectory update")

MAX_MEETING_HOURS = 12
DEFAULT_MEETING_HOURS = 2


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
    position = next_position(meeting)
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
    require_member(actor, team)
    if not team.is_active:
        raise DomainError(_("This team is not active."))
    start, end = _meeting_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        team=team,
        starts_at=start,
        ends_at=end,
        place=clean_text(place, field="place", max_length=PLACE_MAX) or team.default_place,
        video_link=clean_url(video_link, field="video_link") or team.video_link,
        created_by=actor.user,
    )
    build_agenda(meeting)
    audit.record(actor, AuditAction.CREATE, meeting, client_id=None, summary=f"team {team.pk} meeting")
    enqueue_on_commit(tasks.meeting_invitations, meeting.pk)
    return meeting


@transaction.atomic
def refresh_agenda(actor: Actor, meeting: Meeting) -> list[AgendaItem]:
    """A member adds what came up since the meeting was planned (see build_agenda)."""
    require_member(actor, meeting.team)
    return build_agenda(meeting)


def expected_people(meeting: Meeting) -> list[User]:
    """Who attendance is recorded for: the fixed members and every guest of the meeting."""
    return list(people_of(meeting.team_id, ItemGuest.objects.filter(item__meeting=meeting)))


@transaction.atomic
def record_attendance(actor: Actor, meeting: Meeting, *, present: Iterable[User]) -> list[Attendance]:
    """Who was there: everyone expected gets a row, present or not."""
    require_member(actor, meeting.team)
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


@transaction.atomic
def record_minutes(actor: Actor, item: AgendaItem, *, minutes: str) -> AgendaItem:
    """The members write the minutes of an item; without consent to discussion by name they stay
    anonymous."""
    require_member(actor, item.meeting.team)
    text = clean_text(minutes, field="minutes", max_length=MAX_TEXT)
    if item.case is not None:
        refuse_identifying(item.case, text, field="minutes")
    item.minutes = text
    item.save(update_fields=["minutes"])
    audit_on_item(actor, AuditAction.UPDATE, item, item, "minutes")
    return item


# --- guests ----------------------------------------------------------------------------------------------


@transaction.atomic
def invite_guest(
    actor: Actor, item: AgendaItem, *, user: User | None, organisation: Organisation | None = None
) -> ItemGuest:
    """A member invites someone from the network for one case item; the guest sees that item only.
    Only for a case: the other items list several cases at once."""
    require_member(actor, item.meeting.team)
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
    summary = f"guest {guest_user.pk} ({membership.organisation}) invited for item {item.pk}"
    audit_on_item(actor, AuditAction.CREATE, guest, item, summary)
    enqueue_on_commit(tasks.guest_invitation, guest.pk)
    return guest


@transaction.atomic
def remove_guest(actor: Actor, guest: ItemGuest) -> None:
    item = guest.item
    require_member(actor, item.meeting.team)
    audit_on_item(
        actor, AuditAction.DELETE, guest, item, f"guest {guest.user_id} no longer invited for item {item.pk}"
    )
    guest.delete()
