"""The daily reminders as a job through the database queue and the worker: each reminder once a day,
however often the job runs (issue 19, acceptance)."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs.models import DoneMarker
from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.teams import tasks
from werkbrug.teams.tests.followup_data import action, days, zowezo

pytestmark = pytest.mark.django_db(transaction=True)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_reminders_job_run_twice_for_one_day_sends_each_reminder_once(tnet, job_queue):
    team, other = zowezo(tnet), zowezo(tnet, "MDO Noord")
    action(tnet, team, tnet.coach, days(-2), description="Verslag doorsturen")
    action(tnet, other, tnet.coach, days(1), description="Werkgever contacteren")
    action(tnet, team, tnet.care, days(0), description="Psychiater inlichten")
    today = datetime.date.today().isoformat()
    tasks.action_reminders.enqueue(today)
    tasks.action_reminders.enqueue(today)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2  # queued, not sent
    assert mail.outbox == []
    run_worker()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert recipients() == sorted([tnet.coach.email, tnet.care.email])
    assert (
        sum(m.body.count("Verslag doorsturen") + m.body.count("Werkgever contacteren") for m in mail.outbox)
        == 2
    )
    assert DoneMarker.objects.filter(job="action_reminder").count() == 3
    # The daily command queues it again on the same day: nothing more goes out.
    call_command("enqueue_daily_jobs")
    run_worker()
    assert len(mail.outbox) == 2


def test_an_action_added_later_that_day_is_still_reminded_of_and_the_next_day_all_are_again(tnet, job_queue):
    team = zowezo(tnet)
    action(tnet, team, tnet.coach, days(-1), description="Eerste")
    today = datetime.date.today()
    tasks.action_reminders.enqueue(today.isoformat())
    run_worker()
    action(tnet, team, tnet.coach, days(1), description="Tweede")
    tasks.action_reminders.enqueue(today.isoformat())
    run_worker()
    assert [("Eerste" in m.body, "Tweede" in m.body) for m in mail.outbox] == [(True, False), (False, True)]
    tasks.action_reminders.enqueue((today + datetime.timedelta(days=1)).isoformat())
    run_worker()
    assert len(mail.outbox) == 3 and "Eerste" in mail.outbox[2].body and "Tweede" in mail.outbox[2].body


def test_a_reminder_that_could_not_be_sent_is_sent_by_the_retry_and_the_others_not_again(
    tnet, job_queue, monkeypatch
):
    from django.core.mail import EmailMessage

    team = zowezo(tnet)
    action(tnet, team, tnet.coach, days(-1))
    action(tnet, team, tnet.care, days(-1))
    send = EmailMessage.send
    down = [True]

    def flaky(self, fail_silently=False):
        if down[0] and self.to == [tnet.care.email]:
            raise OSError("mail server down")
        return send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    tasks.action_reminders.enqueue(datetime.date.today().isoformat())
    run_worker()
    assert recipients() == [tnet.coach.email]
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path.endswith("ReminderNotSent")
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > failed.finished_at + datetime.timedelta(minutes=1)
    down[0] = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=failed.finished_at)  # its time has come
    run_worker()
    assert recipients() == sorted([tnet.coach.email, tnet.care.email])
