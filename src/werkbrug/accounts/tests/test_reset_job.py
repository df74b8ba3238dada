"""The password-reset mail as a background job (docs/jobs.md, docs/security.md): the page queues the
account's id, never the link's token; the worker makes the token and sends the mail, with retries."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import json
import re
import time
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends import locmem
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.accounts.tests.test_password_reset import NEW_PASSWORD, link_in, set_password
from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
SENT = [(reverse("accounts:password_reset_sent"), 302)]


def ask(address: str, **headers: str):
    return WebClient(**headers).post(reverse("accounts:password_reset"), {"email": address}, follow=True)


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def logs_in(username: str, password: str) -> bool:
    page = WebClient().post(reverse("core:login"), {"username": username, "password": password})
    return page.status_code == 302


def test_the_page_queues_the_account_id_only_and_the_worker_sends_one_working_link(tnet, job_queue):
    answer = ask(tnet.care.email)
    assert answer.redirect_chain == SENT
    assert mail.outbox == []  # not sent in the request
    (row,) = queued()
    assert row.task_path == "werkbrug.accounts.tasks.password_reset_mail"
    assert row.args_kwargs == {"args": [tnet.care.pk, "en", "testserver", "http"], "kwargs": {}}
    run_worker()
    (message,) = mail.outbox
    assert message.to == [tnet.care.email]
    link = link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) > 20
    stored = json.dumps([r.args_kwargs for r in queued()])
    for secret in (token, link, tnet.care.email, message.subject, "Someone asked", "Hello"):
        assert secret not in stored
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    done = set_password(WebClient(), link)
    assert done.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    assert logs_in("care", NEW_PASSWORD)


def test_the_token_is_made_by_the_job_not_the_request(tnet, job_queue):
    """No token at queue time: the job runs two hours later (past the link's hour) and its link works."""
    made = mock.patch.object(default_token_generator, "make_token", wraps=default_token_generator.make_token)
    with made as make_token:
        ask(tnet.care.email)
        assert make_token.call_count == 0
        # A timestamp, not a datetime: Django's token clock is the naive local time.
        with time_machine.travel(time.time() + 2 * 3600, tick=False):
            run_worker()
            assert make_token.call_count == 1
            set_password(WebClient(), link_in(mail.outbox[0]))
    tnet.care.refresh_from_db()
    assert tnet.care.check_password(NEW_PASSWORD)


def test_an_unknown_or_inactive_address_queues_nothing_and_gets_the_same_page(tnet, job_queue):
    tnet.coach.is_active = False
    tnet.coach.save(update_fields=["is_active"])
    known = ask(tnet.care.email)
    unknown = ask("nobody@example.org")
    inactive = ask(tnet.coach.email)
    assert known.redirect_chain == unknown.redirect_chain == inactive.redirect_chain == SENT

    def strip(content: bytes) -> str:  # less the CSRF tokens, new on every page
        return re.sub(r'[Tt]oken(": "|" value=")[^"]+', "", content.decode())

    assert strip(known.content) == strip(unknown.content) == strip(inactive.content)
    assert [row.args_kwargs["args"][0] for row in queued()] == [tnet.care.pk]
    run_worker()
    assert [m.to for m in mail.outbox] == [[tnet.care.email]]


def test_the_hourly_limit_holds_for_the_queued_mails(tnet, job_queue, settings):
    limit = settings.PASSWORD_RESET_MAILS_PER_HOUR
    answers = [ask(tnet.care.email) for _ in range(limit + 2)]
    assert all(a.redirect_chain == SENT for a in answers)
    assert len(queued()) == limit
    run_worker()
    assert len(mail.outbox) == limit


def test_the_mail_is_in_the_language_of_the_page(tnet, job_queue):
    ask(tnet.care.email, HTTP_ACCEPT_LANGUAGE="fr")
    (row,) = queued()
    assert row.args_kwargs["args"][1] == "fr"
    run_worker()
    assert mail.outbox[0].subject == "Werkbrug : choisissez un nouveau mot de passe"


def test_a_refused_mail_is_tried_again_later_and_the_page_shows_no_error(tnet, job_queue, monkeypatch):
    send = locmem.EmailBackend.send_messages
    tries: list[int] = []

    def down_once(backend, messages):
        tries.append(len(messages))
        if len(tries) == 1:
            raise SMTPServerDisconnected("the mail server went away")
        return send(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", down_once)
    answer = ask(tnet.care.email)
    assert answer.status_code == 200 and answer.redirect_chain == SENT
    before = timezone.now()
    run_worker()
    assert tries == [1] and mail.outbox == []
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "SMTPServerDisconnected" in failed.exception_class_path
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == {"args": [tnet.care.pk, "en", "testserver", "http"], "kwargs": {"attempt": 2}}
    assert 1.9 <= (retry.run_after - before).total_seconds() / 60 <= 2.1  # the runner's first back-off
    run_worker()
    assert mail.outbox == []  # not before its time
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert tries == [1, 1] and len(mail.outbox) == 1
    set_password(WebClient(), link_in(mail.outbox[0]))
    assert logs_in("care", NEW_PASSWORD)
