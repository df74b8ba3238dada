"""`@job(on_give_up=…)`: the hook runs once, after the last attempt failed, with the error and the
job's arguments; not after an attempt that will be tried again; a hook that breaks does not hide the
job's own error."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.jobs.tests.sample_jobs import GIVEN_UP, failing, failing_with_hook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clean():
    GIVEN_UP.clear()
    yield
    GIVEN_UP.clear()


def _due_now() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_the_hook_runs_once_after_the_last_attempt_with_the_error_and_the_arguments(job_queue):
    job_queue.JOBS_MAX_ATTEMPTS = 3
    failing_with_hook.enqueue(5)
    calls_after_each_run = []
    for _attempt in range(4):
        run_worker()
        calls_after_each_run.append(len(GIVEN_UP))
        _due_now()
    assert calls_after_each_run == [0, 0, 1, 1]
    assert GIVEN_UP == [("job 5 broke", 5)]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.FAILED).exists()


def test_a_broken_hook_is_logged_and_the_worker_records_the_job_s_own_error(job_queue, caplog):
    job_queue.JOBS_MAX_ATTEMPTS = 1
    failing_with_hook.enqueue(13)
    run_worker()
    assert GIVEN_UP == [("job 13 broke", 13)]
    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path.endswith("sample_jobs.Broken")
    assert "its give-up hook failed" in caplog.text


def test_without_a_deferring_backend_the_first_failure_is_the_last(settings):
    # The immediate backend (the tests' default) cannot run a job later: nothing retries it.
    settings.JOBS_MAX_ATTEMPTS = 4
    result = failing_with_hook.enqueue(8)
    assert result.status == TaskResultStatus.FAILED
    assert GIVEN_UP == [("job 8 broke", 8)]


def test_a_job_without_a_hook_still_fails_and_retries_as_before(job_queue):
    failing.enqueue(3)
    run_worker()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert GIVEN_UP == []
