"""The survey's invitation mails go through the job queue (issue 19): the queue holds no token, the
worker makes the links and stores only their hashes, a retry sends only what failed."""

from __future__ import annotations

import json
import re
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.satisfaction import actions
from werkbrug.satisfaction.invitations import token_hash
from werkbrug.satisfaction.models import Invitation
from werkbrug.satisfaction.tasks import survey_invitations
from werkbrug.satisfaction.tests.test_satisfaction import draft
from werkbrug.testing import actor_for

pytestmark = pytest.mark.django_db

BASE = "http://testserver/satisfaction/answer/"
LINK = re.compile(re.escape(BASE) + r"([^/\s]+)/")


def _open(net):
    survey, _scale, _text = draft(net)
    with TestCase.captureOnCommitCallbacks(execute=True):
        invited = actions.open_survey(actor_for(net.admin), survey, base_url=BASE)
    return survey, invited


def _tokens():
    return {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}


def test_the_queue_holds_no_token_and_the_worker_mails_working_links(net, job_queue):  # noqa: F811
    survey, invited = _open(net)
    assert mail.outbox == []  # nothing sent in the request
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "werkbrug.satisfaction.tasks.survey_invitations"
    assert queued.args_kwargs["args"][0] == survey.pk
    hashes_before = set(Invitation.objects.values_list("token_hash", flat=True))
    assert len(hashes_before) == invited
    run_worker()
    tokens = _tokens()
    with_mail = Invitation.objects.filter(survey=survey).exclude(user__email="").count()
    assert len(tokens) == with_mail > 0
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    queue_text = json.dumps(list(DBTaskResult.objects.values_list("args_kwargs", "return_value")))
    for token in tokens.values():
        assert token_hash(token) in stored
        assert token_hash(token) not in hashes_before  # made by the job, not in the request
        assert token not in queue_text and token not in stored
        assert actions.invitation_for(token) is not None


def test_a_second_run_the_same_day_sends_nothing_again(net, job_queue):  # noqa: F811
    _open(net)
    run_worker()
    first = len(mail.outbox)
    hashes = set(Invitation.objects.values_list("token_hash", flat=True))
    job = DBTaskResult.objects.get()
    survey_invitations.enqueue(*job.args_kwargs["args"])
    run_worker()
    assert len(mail.outbox) == first > 0
    assert set(Invitation.objects.values_list("token_hash", flat=True)) == hashes


def test_a_failed_mail_is_sent_by_the_retry_and_the_others_not_again(net, job_queue):  # noqa: F811
    survey, _ = _open(net)
    real_send = EmailMessage.send
    failing = net.coach.email

    def send(message, *args, **kwargs):
        if message.to == [failing]:
            raise SMTPException("refused")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        run_worker()
    others = sorted(m.to[0] for m in mail.outbox)
    assert failing not in others and others
    coach_hash = Invitation.objects.get(survey=survey, user=net.coach).token_hash
    # The retry is queued for later (back-off): run it now.
    DBTaskResult.objects.filter(status="READY").update(
        run_after=DBTaskResult.objects.get(status="FAILED").enqueued_at
    )
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*others, failing])
    coach_token = _tokens()[failing]
    assert (
        Invitation.objects.get(survey=survey, user=net.coach).token_hash
        == token_hash(coach_token)
        != coach_hash
    )
    # Every mailed link works, including the first ones.
    assert all(actions.invitation_for(t) is not None for t in _tokens().values())
