"""E-mail for case teams: meeting invitations with the .ics attached, and reminders of actions.

E-mail is not a secure channel. No mail names a client — not for an anonymous case and not for a
named one either: a case is "a case of <team>", a meeting lists no cases at all (the attached .ics
carries anonymous labels only, see teams.ics), and the one free text that goes out, an action's
description, is scrubbed of the case client's identifying fields first. The reader logs in to see
more. Mail goes through Django's mail settings (EMAIL_BACKEND, DEFAULT_FROM_EMAIL), in the site's
language (the recipient's is not known), and a failed send is logged, never raised: the data is
saved and waits in Werkbrug.

Callers queue the mail as a background job after the commit (teams.tasks, docs/jobs.md), so that a
rolled-back write mails nothing and the request does not wait for the mail server:
    enqueue_on_commit(tasks.meeting_invitations, meeting.pk)
Reminders are sent once per action and day: a done-marker per action is written in the transaction
of its mail (werkbrug.jobs.daily), so a second run on the same day sends nothing twice.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from smtplib import SMTPException
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkbrug.clients.models import Client
from werkbrug.jobs.daily import claim
from werkbrug.network.models import Membership, User
from werkbrug.teams.ics import BRUSSELS, ics_filename, meeting_ics
from werkbrug.teams.identity import REDACTED, redact
from werkbrug.teams.models import ActionItem, AgendaItem, ItemGuest, Meeting, TeamMember

logger = logging.getLogger(__name__)

# A team member or an item guest: a person sitting somewhere for an organisation.
P = TypeVar("P", TeamMember, ItemGuest)

# Reminders cover actions due within this many days, and every overdue one.
REMIND_WITHIN_DAYS = 3
# The meeting page of the teams area, linked from the invitation once it exists.
MEETING_URL_NAME = "teams:meeting"
ICS_MIMETYPE = "text/calendar"


# --- scrubbing free text -----------------------------------------------------------------------

# Anything that looks like an INSZ / national number or an e-mail address, whoever it belongs to.
_INSZ_LIKE = re.compile(r"(?<!\d)\d{2}[.\- ]?\d{2}[.\- ]?\d{2}[.\- ]?\d{3}[.\- ]?\d{2}(?!\d)")
_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def scrub(text: str, client: Client | None) -> str:
    """Free text made fit for e-mail, stricter than a page: the client's identity (`redact`), and
    anything that looks like a national number or an e-mail address, replaced by "…"."""
    if client is not None:
        text = redact(client, text)
    text = _INSZ_LIKE.sub(REDACTED, text)
    return _EMAIL_LIKE.sub(REDACTED, text)


# --- sending -----------------------------------------------------------------------------------


def _send(messages: Sequence[EmailMessage], what: str) -> int:
    """Send each message on one connection; a failure is logged and the others still go."""
    sent = 0
    if not messages:
        return sent
    connection = get_connection()
    for message in messages:
        message.connection = connection
        try:
            sent += message.send()
        except (SMTPException, OSError):
            logger.warning("%s: an e-mail could not be sent", what, exc_info=True)
    return sent


def _active_membership(user_field: str, organisation_field: str) -> Exists:
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef(user_field), organisation_id=OuterRef(organisation_field), is_active=True
        )
    )


def _reachable(users: QuerySet[P]) -> QuerySet[P]:
    """Only people who still act for the organisation they sit in the team (or are invited) for."""
    return (
        users.filter(user__is_active=True)
        .exclude(user__email="")
        .filter(_active_membership("user_id", "organisation_id"))
        .select_related("user")
    )


# --- meeting invitations -----------------------------------------------------------------------


def meeting_path(meeting: Meeting) -> str:
    """The meeting's page, once the teams area has it ("" until then)."""
    try:
        return reverse(MEETING_URL_NAME, args=[meeting.pk])
    except NoReverseMatch:
        return ""


def _when(meeting: Meeting) -> tuple[str, str, str]:
    start = timezone.localtime(meeting.starts_at, BRUSSELS)
    end = timezone.localtime(meeting.ends_at, BRUSSELS)
    return start.strftime("%d/%m/%Y"), start.strftime("%H:%M"), end.strftime("%H:%M")


def _invitation(meeting: Meeting, user: User, ics: bytes, *, guest_items: int = 0) -> EmailMessage:
    team = meeting.team
    day, start, end = _when(meeting)
    place = meeting.place or team.default_place
    link = meeting.video_link or team.video_link
    if guest_items:
        opening = ngettext(
            "You are invited to the meeting of %(team)s for %(n)s item on its agenda.",
            "You are invited to the meeting of %(team)s for %(n)s items on its agenda.",
            guest_items,
        ) % {"team": team.name, "n": guest_items}
    else:
        opening = _("You are invited to the meeting of %(team)s.") % {"team": team.name}
    lines = [
        opening,
        _("When: %(day)s, %(start)s-%(end)s (Brussels time)") % {"day": day, "start": start, "end": end},
    ]
    if place:
        lines.append(_("Where: %(place)s") % {"place": place})
    if link:
        lines.append(_("Video link: %(link)s") % {"link": link})
    lines.append(
        _(
            "The invitation for your calendar is attached. To protect the people concerned, this "
            "e-mail names no client: log in to Werkbrug to see the agenda."
        )
    )
    path = meeting_path(meeting)
    if path:
        lines.append(path)
    message = EmailMessage(
        subject=_("Invitation: %(team)s meeting on %(day)s") % {"team": team.name, "day": day},
        body="\n\n".join(lines),
        to=[user.email],
    )
    message.attach(ics_filename(meeting), ics.decode("utf-8"), ICS_MIMETYPE)
    return message


def _fresh(meeting: Meeting) -> Meeting:
    # Called after the commit, maybe from another request's meeting object: read it again.
    return Meeting.objects.select_related("team").get(pk=meeting.pk)


def _guest_invitations(meeting: Meeting, guests: Iterable[ItemGuest]) -> list[EmailMessage]:
    """One mail per guest, with an .ics listing the items they are invited for only."""
    messages = []
    ordered = sorted(guests, key=lambda g: (g.user_id, g.item.position, g.item_id))
    for _user_id, group in itertools.groupby(ordered, key=lambda g: g.user_id):
        rows = list(group)
        items: list[AgendaItem] = [g.item for g in rows]
        user = rows[0].user
        ics = meeting_ics(meeting, user, items=items)
        messages.append(_invitation(meeting, user, ics, guest_items=len(items)))
    return messages


def notify_meeting(meeting: Meeting) -> int:
    """Mail every fixed member of the team, and every invited guest for their own items only, with
    the .ics attached. Returns the number of mails sent. Call it after the commit."""
    meeting = _fresh(meeting)
    with translation.override(settings.LANGUAGE_CODE):
        members = list(_reachable(TeamMember.objects.filter(team_id=meeting.team_id)))
        member_ids = {m.user_id for m in members}
        messages: list[EmailMessage] = []
        if members:
            # Members see every item; the file is the same for each of them.
            all_items = list(meeting.items.order_by("position", "pk"))
            ics = meeting_ics(meeting, members[0].user, items=all_items)
            messages.extend(_invitation(meeting, m.user, ics) for m in members)
        guests = _reachable(ItemGuest.objects.filter(item__meeting=meeting).exclude(user_id__in=member_ids))
        messages.extend(_guest_invitations(meeting, guests.select_related("item")))
    return _send(messages, f"meeting {meeting.pk}")


def notify_guest(guest: ItemGuest) -> int:
    """Mail one newly invited guest (all their items of that meeting). Call it after the commit."""
    row = ItemGuest.objects.select_related("item__meeting").filter(pk=guest.pk).first()
    if row is None:
        return 0
    meeting = _fresh(row.item.meeting)
    if TeamMember.objects.filter(team_id=meeting.team_id, user_id=row.user_id).exists():
        return 0  # a member already has the whole meeting
    with translation.override(settings.LANGUAGE_CODE):
        guests = _reachable(ItemGuest.objects.filter(item__meeting=meeting, user_id=row.user_id))
        messages = _guest_invitations(meeting, guests.select_related("item"))
    return _send(messages, f"meeting {meeting.pk} guest")


# --- action reminders --------------------------------------------------------------------------


def due_actions(today: datetime.date, within_days: int = REMIND_WITHIN_DAYS) -> QuerySet[ActionItem]:
    """Open actions due by today + `within_days` (overdue ones included) whose owner can still be
    reached and still has access to them: a fixed member of the team, acting for an organisation
    they are still active in, or a guest of the item the action came from."""
    horizon = today + datetime.timedelta(days=within_days)
    member = TeamMember.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("owner_id")).filter(
        _active_membership("user_id", "organisation_id")
    )
    guest = ItemGuest.objects.filter(item_id=OuterRef("item_id"), user_id=OuterRef("owner_id"))
    return (
        ActionItem.objects.filter(done_on__isnull=True, due_on__lte=horizon, owner__is_active=True)
        .exclude(owner__email="")
        .filter(Q(Exists(member)) | Q(Exists(guest)))
        .select_related("team", "owner", "case__client")
        .order_by("owner_id", "due_on", "pk")
    )


def _action_line(action: ActionItem, today: datetime.date) -> str:
    where = (
        _("a case of %(team)s") % {"team": action.team.name}
        if action.case_id is not None
        else _("team %(team)s") % {"team": action.team.name}
    )
    client = action.case.client if action.case is not None else None
    due = action.due_on.strftime("%d/%m/%Y")
    state = (
        _("overdue since %(date)s") % {"date": due}
        if action.due_on < today
        else _("due %(date)s") % {"date": due}
    )
    return f"- {state} · {where}: {scrub(action.description, client)}"


def _reminder(owner: User, actions: list[ActionItem], today: datetime.date, within_days: int) -> EmailMessage:
    overdue = sum(1 for a in actions if a.due_on < today)
    lines = [
        ngettext(
            "These team actions are overdue or due within %(days)s day:",
            "These team actions are overdue or due within %(days)s days:",
            within_days,
        )
        % {"days": within_days},
        "\n".join(_action_line(a, today) for a in actions),
        _("See them and mark them done in Werkbrug: %(path)s") % {"path": reverse("teamfollowup:my_actions")},
    ]
    subject = (
        ngettext(
            "Werkbrug: %(n)s team action is overdue", "Werkbrug: %(n)s team actions are overdue", overdue
        )
        % {"n": overdue}
        if overdue
        else _("Werkbrug: team actions due soon")
    )
    return EmailMessage(subject=subject, body="\n\n".join(lines), to=[owner.email])


REMINDER_JOB = "action_reminder"


class ReminderNotSent(Exception):
    """Some reminders could not be sent; their markers were rolled back, so a retry sends them."""


def send_action_reminders(today: datetime.date | None = None, within_days: int = REMIND_WITHIN_DAYS) -> int:
    """One mail per owner listing their actions due soon or overdue that were not yet reminded of
    today. Returns the mails sent; raises ReminderNotSent (after trying every owner) when a mail
    failed, so that the job is tried again for those."""
    day = today or timezone.localdate()
    sent = failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        groups = itertools.groupby(due_actions(day, within_days), key=lambda a: a.owner_id)
        for _owner, group in groups:
            try:
                sent += _remind_once(list(group), day, within_days)
            except (SMTPException, OSError):
                failed += 1
                logger.warning("action reminders: an e-mail could not be sent", exc_info=True)
    if failed:
        raise ReminderNotSent(f"{failed} reminder mail(s) not sent")
    return sent


def _remind_once(actions: list[ActionItem], day: datetime.date, within_days: int) -> int:
    """Mail one owner about the actions not yet reminded of on `day`; the markers commit with the mail
    (a mail that fails rolls them back)."""
    with transaction.atomic():
        claimed = claim(REMINDER_JOB, day, [str(a.pk) for a in actions])
        todo = [a for a in actions if str(a.pk) in claimed]
        if not todo:
            return 0
        return _reminder(todo[0].owner, todo, day, within_days).send()
