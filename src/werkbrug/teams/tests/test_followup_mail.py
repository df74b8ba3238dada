"""E-mail of the case teams: meeting invitations with the .ics attached, and the daily reminders of
actions. No mail names a client, not even for a named case."""

from __future__ import annotations

from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar

from werkbrug.network.models import Membership, User
from werkbrug.teams import notify
from werkbrug.teams.models import TeamMember
from werkbrug.teams.tests.followup_data import (
    SECRETS,
    WINTER,
    action,
    assert_no_identity,
    days,
    identified_client,
    invite,
    item,
    meeting,
    register_case,
    zowezo,
)


def by_recipient() -> dict[str, EmailMessage]:
    messages = {m.to[0]: m for m in mail.outbox}
    assert len(messages) == len(mail.outbox), "one mail per person"
    return messages


def attachment(message: EmailMessage) -> tuple[str, bytes, str]:
    [(name, content, mimetype)] = message.attachments
    return name, content.encode() if isinstance(content, str) else content, mimetype


def everything(message: EmailMessage) -> str:
    return "\n".join([message.subject, message.body, attachment(message)[1].decode()])


# --- meeting invitations -----------------------------------------------------------------------


def test_every_member_gets_the_invitation_with_the_ics_attached(net):
    team = zowezo(net)
    m = meeting(net, team, WINTER, video_link="https://meet.example.org/januari")
    case = register_case(net, team)
    item(m, case)
    assert notify.notify_meeting(m) == 3
    messages = by_recipient()
    assert set(messages) == {net.coach.email, net.care.email, net.gtb_coach.email}
    message = messages[net.care.email]
    assert message.subject == "Invitation: ZoWeZo Antwerpen meeting on 12/01/2027"
    assert "12/01/2027, 14:00-16:00" in message.body
    assert "SaRA, zaal 2" in message.body and "https://meet.example.org/januari" in message.body
    assert "log in to Werkbrug to see the agenda" in message.body
    assert notify.meeting_path(m) in message.body
    name, content, mimetype = attachment(message)
    assert (name, mimetype) == (f"meeting-{m.pk}.ics", "text/calendar")
    event = Calendar.from_ical(content).events[0]
    assert event.decoded("dtstart") == WINTER
    assert case.anonymous_label in str(event["DESCRIPTION"])


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_the_invitation_names_no_client(net, named):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    case = register_case(net, team, named=named)
    agenda_item = item(m, case)
    invite(net, agenda_item, net.gtb_screener, net.gtb)
    notify.notify_meeting(m)
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert_no_identity(everything(message))


def test_a_guest_gets_one_mail_for_their_own_items_only(net):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    first = item(m, register_case(net, team), position=0)
    second = item(m, register_case(net, team, identified_client(net, first_name="An")), position=1)
    hidden = item(m, register_case(net, team, identified_client(net, first_name="Piet")), position=2)
    invite(net, first, net.gtb_screener, net.gtb)
    invite(net, second, net.gtb_screener, net.gtb)
    invite(net, hidden, net.coach, net.sara)  # a member invited as well: no second mail
    notify.notify_meeting(m)
    messages = by_recipient()
    assert len(messages) == 4
    guest_mail = messages[net.gtb_screener.email]
    assert "for 2 items on its agenda" in guest_mail.body
    description = str(Calendar.from_ical(attachment(guest_mail)[1]).events[0]["DESCRIPTION"])
    assert first.case.anonymous_label in description and second.case.anonymous_label in description
    assert hidden.case.anonymous_label not in description
    member_description = str(
        Calendar.from_ical(attachment(messages[net.coach.email])[1]).events[0]["DESCRIPTION"]
    )
    assert hidden.case.anonymous_label in member_description


def test_notify_guest_mails_the_new_guest_only(net):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    guest = invite(net, item(m, register_case(net, team)), net.gtb_screener, net.gtb)
    assert notify.notify_guest(guest) == 1
    assert [message.to for message in mail.outbox] == [[net.gtb_screener.email]]
    assert notify.notify_guest(invite(net, item(m), net.coach, net.sara)) == 0  # a member


def test_nobody_unreachable_is_mailed(net):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    User.objects.filter(pk=net.care.pk).update(email="")
    User.objects.filter(pk=net.gtb_coach.pk).update(is_active=False)
    Membership.objects.filter(user=net.coach).update(is_active=False)
    assert notify.notify_meeting(m) == 0
    assert mail.outbox == []


def test_the_invitation_goes_after_the_commit_and_not_at_all_on_rollback(
    net, django_capture_on_commit_callbacks
):
    team = zowezo(net)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        m = meeting(net, team, WINTER)
        transaction.on_commit(lambda: notify.notify_meeting(m))
        raise RuntimeError("the write fails")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        m = meeting(net, team, WINTER)
        transaction.on_commit(lambda: notify.notify_meeting(m))
    assert len(mail.outbox) == 3


def test_a_mail_that_fails_is_logged_and_the_others_still_go(net, monkeypatch, caplog):
    team = zowezo(net)
    m = meeting(net, team, WINTER)
    send = EmailMessage.send

    def flaky(self, fail_silently=False):
        if self.to == [net.care.email]:
            raise SMTPException("refused")
        return send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    assert notify.notify_meeting(m) == 2
    assert "could not be sent" in caplog.text


# --- reminders ---------------------------------------------------------------------------------


def run_reminders(*args: str) -> str:
    out = StringIO()
    call_command("send_action_reminders", *args, stdout=out)
    return out.getvalue()


def test_each_owner_gets_one_reminder_of_overdue_and_soon_due_actions(net):
    team, other = zowezo(net), zowezo(net, "MDO Noord")
    action(net, team, net.coach, days(-2), description="Verslag doorsturen")
    action(net, other, net.coach, days(3), description="Werkgever contacteren")
    action(net, team, net.coach, days(4), description="Nog niet aan de orde")
    action(net, team, net.coach, days(-5), description="Al gedaan", done_on=days(-4))
    action(net, team, net.care, days(0), description="Psychiater inlichten")
    assert run_reminders() == "Reminders sent: 2.\n"
    messages = by_recipient()
    coach = messages[net.coach.email]
    assert coach.subject == "Werkbrug: 1 team action is overdue"
    assert "Verslag doorsturen" in coach.body and "Werkgever contacteren" in coach.body
    assert "Nog niet aan de orde" not in coach.body and "Al gedaan" not in coach.body
    assert coach.body.index("Verslag doorsturen") < coach.body.index("Werkgever contacteren")
    assert f"overdue since {days(-2):%d/%m/%Y}" in coach.body and f"due {days(3):%d/%m/%Y}" in coach.body
    assert "ZoWeZo Antwerpen" in coach.body and "MDO Noord" in coach.body
    assert reverse("teamfollowup:my_actions") in coach.body
    care = messages[net.care.email]
    assert care.subject == "Werkbrug: team actions due soon"
    assert "Psychiater inlichten" in care.body


def test_the_window_can_be_widened(net):
    action(net, zowezo(net), net.coach, days(6))
    assert run_reminders() == "Reminders sent: 0.\n"
    assert run_reminders("--days", "7") == "Reminders sent: 1.\n"


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_a_reminder_names_no_client_even_for_a_named_case(net, named):
    team = zowezo(net)
    case = register_case(net, team, named=named)
    action(
        net,
        team,
        net.coach,
        days(-1),
        case=case,
        description="Griet Vermeulen bellen (0470 12 34 56, griet.vermeulen@example.net) over 85.03.09-123.55",
    )
    run_reminders()
    [message] = mail.outbox
    assert "a case of ZoWeZo Antwerpen" in message.body
    assert "bellen" in message.body
    assert_no_identity(f"{message.subject}\n{message.body}", [*SECRETS, "85.03.09-123.55"])


def test_no_reminder_for_someone_who_left_the_team_or_cannot_be_reached(net):
    team = zowezo(net)
    for owner in (net.coach, net.care, net.gtb_coach):
        action(net, team, owner, days(-1))
    TeamMember.objects.filter(team=team, user=net.coach).delete()
    User.objects.filter(pk=net.care.pk).update(email="")
    Membership.objects.filter(user=net.gtb_coach).update(is_active=False)
    assert run_reminders() == "Reminders sent: 0.\n"


def test_a_guest_is_reminded_of_the_actions_of_their_item(net):
    team = zowezo(net)
    agenda_item = item(meeting(net, team), register_case(net, team))
    invite(net, agenda_item, net.gtb_screener, net.gtb)
    action(net, team, net.gtb_screener, days(1), agenda_item=agenda_item, description="Attest opvragen")
    action(net, team, net.gtb_screener, days(1), description="Niet van deze gast")
    run_reminders()
    [message] = mail.outbox
    assert "Attest opvragen" in message.body and "Niet van deze gast" not in message.body


def test_scrub_removes_identifying_fields_and_number_like_text(net):
    client = identified_client(net)
    text = "Griet (griet.vermeulen@example.net, 85030912355, 09/03/1985) en GRIET VERMEULEN; Grietje blijft"
    assert notify.scrub(text, client) == "… (…, …, …) en …; Grietje blijft"
    assert notify.scrub("Mail x@y.be of 85.03.09-123.55", None) == "Mail … of …"
