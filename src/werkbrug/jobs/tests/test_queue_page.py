"""Retries with back-off, the network admin's job page (queued, running, failed with the error, the
queue depth) and who may not see it; the prepared downloads and who may not open them."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs import files
from werkbrug.jobs.models import PreparedFile
from werkbrug.jobs.runner import backoff
from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.jobs.tests.sample_jobs import failing
from werkbrug.network.models import Membership
from werkbrug.testing import client_of

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = reverse("jobs:queue")


def due_now() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_a_failed_job_is_tried_again_later_with_growing_waits_up_to_the_limit(tnet, job_queue):
    job_queue.JOBS_MAX_ATTEMPTS = 3
    failing.enqueue(7)
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        run_worker()
        retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
        if retry is None:
            break
        waits.append(round((retry.run_after - before).total_seconds() / 60))
        due_now()
    assert waits == [2, 4]  # 2^1, 2^2 minutes; the third failure is the last
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert [backoff(n) for n in (1, 2, 3)] == [datetime.timedelta(minutes=m) for m in (2, 4, 8)]


def test_the_network_admin_sees_failed_waiting_and_running_jobs_with_the_error_and_the_depth(tnet, job_queue):
    failing.enqueue(41)
    run_worker()  # fails; attempt 2 waits
    failing.enqueue(42)  # waits its turn
    running = failing.enqueue(43)
    DBTaskResult.objects.filter(pk=running.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    page = client_of(tnet.admin).get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Queue depth: 2 jobs waiting." in html
    assert "Broken: job 41 broke" in html  # the error's last line
    assert "<td>41</td><td>2</td>" in html  # the retry: its arguments, and attempt 2 apart
    rows = {status: DBTaskResult.objects.filter(status=status).count() for status in TaskResultStatus}
    assert rows[TaskResultStatus.READY] == 2 and rows[TaskResultStatus.FAILED] == 1
    assert html.count('data-job="') == 4  # 2 waiting, 1 running, 1 failed
    assert str(running.id) in html


@pytest.mark.parametrize("who", ["coach", "care", "screener", "coordinator", "funder", "outsider"])
def test_nobody_but_the_network_admin_sees_the_job_page(tnet, job_queue, who):
    failing.enqueue(1)
    assert client_of(getattr(tnet, who)).get(QUEUE).status_code == 404


def prepared_for(
    user, *, status=PreparedFile.Status.READY, expires_in=datetime.timedelta(hours=1)
) -> PreparedFile:
    membership = Membership.objects.filter(user=user).first()
    row = PreparedFile.objects.create(
        user=user,
        organisation=membership.organisation,
        kind="test",
        title="A prepared file",
        filename="file.csv",
        status=status,
        rows_written=3,
        expires_at=timezone.now() + expires_in if status == PreparedFile.Status.READY else None,
    )
    row.file.save("prepared/test.csv", ContentFile(b"a,b\r\n1,2\r\n"), save=True)
    return row


def test_only_the_user_who_asked_opens_the_progress_page_and_the_file(tnet):
    row = prepared_for(tnet.coach)
    mine = client_of(tnet.coach)
    assert mine.get(reverse("jobs:prepared", args=[row.pk])).status_code == 200
    response = mine.get(reverse("jobs:download", args=[row.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"a,b\r\n1,2\r\n"
    assert response["Cache-Control"] == "no-store, private"
    for other in (tnet.coordinator, tnet.admin, tnet.gtb_coach, tnet.funder):  # same organisation too
        client = client_of(other)
        assert client.get(reverse("jobs:prepared", args=[row.pk])).status_code == 404
        assert client.get(reverse("jobs:download", args=[row.pk])).status_code == 404


def test_an_expired_file_is_gone_and_deleted_by_the_daily_job(tnet):
    row = prepared_for(tnet.coach, expires_in=datetime.timedelta(seconds=-1))
    name = row.file.name
    assert client_of(tnet.coach).get(reverse("jobs:download", args=[row.pk])).status_code == 404
    assert row.file.storage.exists(name)
    assert files.delete_expired() == 1
    assert not row.file.storage.exists(name) and not PreparedFile.objects.filter(pk=row.pk).exists()


def test_the_progress_page_refreshes_itself_while_the_file_is_prepared_and_offers_no_file_yet(tnet):
    row = prepared_for(tnet.coach, status=PreparedFile.Status.RUNNING)
    client = client_of(tnet.coach)
    page = client.get(reverse("jobs:prepared", args=[row.pk]))
    assert page["Refresh"] == "2"
    assert "3 rows written." in page.content.decode()
    assert reverse("jobs:download", args=[row.pk]) not in page.content.decode()
    assert client.get(reverse("jobs:download", args=[row.pk])).status_code == 404
