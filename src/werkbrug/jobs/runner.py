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
- `@job(on_give_up=hook)`: when the last attempt failed (nothing will try again: the limit is
  reached, or the backend cannot run a job later), `hook(error, *args, **kwargs)` is called with the
  exception and the job's own arguments, e.g. to mark the job's row failed. A hook that raises is
  logged; the job's own error is still the one the worker records.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from typing import Any, overload

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


GiveUp = Callable[..., object]


@overload
def job(func: Callable[..., Any], /) -> Task[..., Any]: ...
@overload
def job(*, on_give_up: GiveUp) -> Callable[[Callable[..., Any]], Task[..., Any]]: ...


def job(
    func: Callable[..., Any] | None = None, /, *, on_give_up: GiveUp | None = None
) -> Task[..., Any] | Callable[[Callable[..., Any]], Task[..., Any]]:
    """Declare a background job with retries (see the module's docstring): `@job` or
    `@job(on_give_up=hook)`."""
    if func is None:
        return functools.partial(_declare, on_give_up=on_give_up)
    return _declare(func, on_give_up=on_give_up)


def _declare(func: Callable[..., Any], *, on_give_up: GiveUp | None) -> Task[..., Any]:
    declared: list[Task[..., Any]] = []

    @functools.wraps(func)
    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as error:
            if not retry(declared[0], args, kwargs, attempt) and on_give_up is not None:
                give_up(declared[0], on_give_up, error, args, kwargs)
            raise

    declared.append(task()(run))
    return declared[0]


def give_up(
    declared: Task[..., Any], hook: GiveUp, error: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    try:
        hook(error, *args, **kwargs)
    except Exception:
        logger.exception("job %s: its give-up hook failed", declared.name)


def retry(declared: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], attempt: int) -> bool:
    """Queue the next attempt; False when nothing will try again (the last attempt failed)."""
    limit = settings.JOBS_MAX_ATTEMPTS
    if attempt >= limit:
        logger.error("job %s failed %s times: not tried again", declared.name, attempt)
        return False
    if not declared.get_backend().supports_defer:
        return False  # the immediate backend (tests, TASKS_BACKEND): nothing to come back to later
    when = timezone.now() + backoff(attempt)
    declared.using(run_after=when).enqueue(*args, **{**kwargs, ATTEMPT: attempt + 1})
    logger.warning("job %s failed (attempt %s): tried again after %s", declared.name, attempt, when)
    return True


def enqueue_on_commit(declared: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue the job once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: declared.enqueue(*args, **kwargs))
