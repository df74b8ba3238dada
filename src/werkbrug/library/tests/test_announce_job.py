"""The announcement mails go through the job queue: queued after the commit with the announcement's
id only, sent by the worker (issue 19)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.library.announce import announce, concerned
from werkbrug.library.models import Announcement, Document
from werkbrug.library.tests.data import pdf
from werkbrug.testing import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _new(page):
    data = {
        "title": "Visietekst",
        "kind": "vision",
        "audience": "care",
        "description": "",
        "note": "N.",
        "file": pdf("one"),
    }
    return page.post(reverse("library:document_new"), data)


def test_the_request_queues_the_mails_and_the_worker_sends_them(net, job_queue):  # noqa: F811
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert _new(client_of(net.admin)).status_code == 302
    assert mail.outbox == []  # nothing sent in the request
    announcement = Announcement.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "werkbrug.library.tasks.announcement_mails"
    assert queued.args_kwargs == {"args": [announcement.pk], "kwargs": {}}
    run_worker()
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([net.care.email, net.outsider.email])
    document = Document.objects.get()
    assert all(reverse("library:document", args=[document.pk]) in m.body for m in mail.outbox)
    assert all("Visietekst" in m.subject for m in mail.outbox)


def test_a_rolled_back_publish_queues_nothing(net, job_queue):  # noqa: F811
    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        announce(title="x", note="", organisations=concerned("all"))
        raise RuntimeError
    assert not DBTaskResult.objects.exists()
    assert not Announcement.objects.exists()
