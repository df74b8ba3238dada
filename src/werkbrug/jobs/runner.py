"""How Werkbrug declares and queues a background job (docs/jobs.md).

    @job
    def send_feedback_notice(feedback_id: int) -> int: ...

    enqueue_on_commit(send_feedback_notice, feedback.pk)

- A job is a django-tasks `Task`: the database backend keeps it in the queue table, the worker
  (`manage.py run_jobs`) runs it. Arguments are ids and dates only: the queue table and the network
  admin's job page show them, so never a name, a text or anything else about a client.
- `enqueue_on_commit` queues after the commit: a rolled-back write queues nothing.
- A job that raises is marked FAILED by the worker (with its traceback, visible to the network
  admin) and queued again with `run_after` = now + 2^attempt minutes, until JOBS_MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

ATTEMPT = "attempt"


def backoff(attempt: int) -> datetime.timedelta:
    """The wait before attempt `attempt + 1`: 2, 4, 8 … minutes."""
    return datetime.timedelta(minutes=2**attempt)


def job(func: Callable[..., Any]) -> Task[..., Any]:
    """Declare a background job with retries (see the module's docstring)."""
    declared: list[Task[..., Any]] = []

    @functools.wraps(func)
    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception:
            retry(declared[0], args, kwargs, attempt)
            raise

    declared.append(task()(run))
    return declared[0]


def retry(declared: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], attempt: int) -> None:
    limit = settings.JOBS_MAX_ATTEMPTS
    if attempt >= limit:
        logger.error("job %s failed %s times: not tried again", declared.name, attempt)
        return
    if not declared.get_backend().supports_defer:
        return  # the immediate backend (tests, TASKS_BACKEND): nothing to come back to later
    when = timezone.now() + backoff(attempt)
    declared.using(run_after=when).enqueue(*args, **{**kwargs, ATTEMPT: attempt + 1})
    logger.warning("job %s failed (attempt %s): tried again after %s", declared.name, attempt, when)


def enqueue_on_commit(declared: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue the job once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: declared.enqueue(*args, **kwargs))
