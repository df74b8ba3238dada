"""A worker killed in the middle of a job: the next worker to start queues the job again (it was
RUNNING for longer than the lease) and runs it to completion (issue 19, acceptance). The workers are
real `manage.py run_jobs` processes on the test database file."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs.tests.queue import job_queue  # noqa: F401 (fixture)
from werkbrug.jobs.tests.sample_jobs import blocking

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 120  # seconds: the machine is shared and a worker imports all of Django first


def manage_py() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "manage.py").exists():
            return parent / "manage.py"
    raise AssertionError("manage.py not found")


def worker(worker_id: str, *, lease: int, batch: bool) -> subprocess.Popen[bytes]:
    if connection.vendor == "postgresql":
        db = settings.DATABASES["default"]
        url = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        url = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "JOBS_LEASE_SECONDS": str(lease)}
    env.pop("TASKS_BACKEND", None)  # the database backend, as in production
    args = [
        sys.executable,
        str(manage_py()),
        "run_jobs",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
    ]
    args += ["--worker-id", worker_id, *(["--batch"] if batch else [])]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603 - our own manage.py


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT} s for {what}"
        time.sleep(0.2)


def test_a_job_whose_worker_was_killed_runs_again_to_completion_on_the_next_worker(job_queue, tmp_path):
    (tmp_path / "block").touch()
    result = blocking.enqueue(str(tmp_path))
    first = worker("first", lease=0, batch=False)
    try:
        wait_for(lambda: list(tmp_path.glob("started-*")), "the first worker to start the job")
        first.send_signal(signal.SIGKILL)
        first.wait(WAIT)
    finally:
        if first.poll() is None:
            first.kill()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING and row.worker_ids == ["first"]  # left behind
    assert not (tmp_path / "done").exists()
    (tmp_path / "block").unlink()

    # Within the lease the job may still be running somewhere: a new worker leaves it alone.
    patient = worker("patient", lease=3600, batch=True)
    output = patient.communicate(timeout=WAIT)[0].decode()
    assert patient.returncode == 0, output
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    assert not (tmp_path / "done").exists()

    # Past the lease the next worker queues it again and runs it to the end.
    second = worker("second", lease=0, batch=True)
    output = second.communicate(timeout=WAIT)[0].decode()
    assert second.returncode == 0, output
    assert "queued again" in output
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.worker_ids == ["first", "second"]
    assert (tmp_path / "done").read_text() == str(second.pid) == str(row.return_value)
    assert len(list(tmp_path.glob("started-*"))) == 2
