"""Test helpers for the real job queue: the database backend and the library's worker."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def job_queue(settings):
    """Jobs go to the database queue (not run at once) and wait for `run_worker()`."""
    settings.TASKS = DATABASE_QUEUE
    return settings


def run_worker(worker_id: str = "test-worker") -> None:
    """The library's worker, in this process, until no job is ready (`db_worker --batch`). It keeps
    the test's connection (a worker closes old connections between jobs, which would end the test's
    transaction)."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker(worker_id).run()


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
