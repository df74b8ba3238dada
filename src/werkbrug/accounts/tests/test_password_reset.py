"""Password reset by e-mail (docs/security.md)."""

from __future__ import annotations

import datetime
import re
import time

import time_machine
from django.core import mail
from django.test import Client as WebClient
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.testing import PASSWORD, totp_code

NEW_PASSWORD = "een-nieuw-wachtwoord-77"


def ask(address: str):
    """The mail is a job queued after the commit (run at once in tests, the immediate backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return WebClient().post(reverse("accounts:password_reset"), {"email": address}, follow=True)


def link_in(message) -> str:
    (url,) = re.findall(r"https?://\S+", message.body)
    return url.split("testserver", 1)[1]


def test_the_login_page_links_to_the_reset(db):
    assert reverse("accounts:password_reset") in WebClient().get(reverse("core:login")).content.decode()


def test_the_mail_holds_the_greeting_the_link_and_its_validity_only(net, settings):
    client = net.new_client(first_name="Mieke", last_name="Vermeulen")
    net.refer(client)
    ask(net.care.email)
    (message,) = mail.outbox
    assert message.to == [net.care.email]
    lines = [line for line in message.body.splitlines() if line.strip()]
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    assert lines == [
        "Hello,",
        "Someone asked to choose a new password for your Werkbrug account. Open this link to do so:",
        "http://testserver" + link_in(message),
        f"The link works once, for {minutes} minutes. Did you not ask for it? Then ignore this mail: "
        "your password stays as it is.",
    ]
    for private in ("Mieke", "Vermeulen", net.care.username, net.care.first_name, net.care.last_name):
        assert private not in message.body + message.subject


def test_an_unknown_address_gets_the_same_answer_and_no_mail(net):
    known = ask(net.care.email)
    unknown = ask("nobody@example.org")
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("accounts:password_reset_sent"), 302)]

    def strip(content: bytes) -> str:  # less the CSRF tokens, new on every page
        return re.sub(r'[Tt]oken(": "|" value=")[^"]+', "", content.decode())

    assert strip(known.content) == strip(unknown.content)
    assert len(mail.outbox) == 1


def set_password(page: WebClient, link: str):
    form = page.get(link, follow=True)
    assert form.status_code == 200
    url = form.redirect_chain[-1][0] if form.redirect_chain else link
    return page.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)


def test_the_link_sets_a_new_password_once(net):
    ask(net.care.email)
    link = link_in(mail.outbox[0])
    done = set_password(WebClient(), link)
    assert done.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    net.care.refresh_from_db()
    assert net.care.check_password(NEW_PASSWORD)
    again = WebClient().get(link, follow=True)
    assert again.context["validlink"] is False
    login = WebClient().post(reverse("core:login"), {"username": "care", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_the_link_expires_after_an_hour(net):
    ask(net.care.email)
    link = link_in(mail.outbox[0])
    # A timestamp, not a datetime: Django's token clock is the naive local time.
    with time_machine.travel(time.time() + 61 * 60, tick=False):
        page = WebClient().get(link, follow=True)
        assert page.context["validlink"] is False
    net.care.refresh_from_db()
    assert net.care.check_password(PASSWORD)


def test_a_new_password_does_not_skip_the_second_factor(net):
    ask(net.funder.email)
    set_password(WebClient(), link_in(mail.outbox[0]))
    page = WebClient()
    response = page.post(reverse("core:login"), {"username": "funder", "password": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
    assert page.get(reverse("reports:index")).status_code == 302
    page.post(reverse("accounts:verify"), {"code": totp_code()})
    assert page.get(reverse("reports:index")).status_code == 200


def test_an_account_gets_a_few_reset_mails_an_hour_and_each_is_audited(net, settings):
    """Not a way to flood a mailbox: past the hourly limit the page answers the same, sends nothing."""
    limit = settings.PASSWORD_RESET_MAILS_PER_HOUR
    assert limit >= 1
    answers = [ask(net.care.email) for _ in range(limit + 2)]
    assert {tuple(a.redirect_chain) for a in answers} == {((reverse("accounts:password_reset_sent"), 302),)}
    assert len(mail.outbox) == limit
    assert (
        AuditEvent.objects.filter(
            user=net.care, action=AuditAction.CREATE, object_type="password_reset_mail"
        ).count()
        == limit
    )
    ask(net.coach.email)  # another account is not held back
    assert mail.outbox[-1].to == [net.coach.email]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        ask(net.care.email)
    assert mail.outbox[-1].to == [net.care.email] and len(mail.outbox) == limit + 2
