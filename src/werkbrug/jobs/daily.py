"""Periodic jobs keyed by their day (docs/jobs.md): a second run on the same day does nothing twice.

`claim(job, day, keys)` inserts the done-markers that do not exist yet and returns the keys it
inserted; call it inside the transaction of the work, so that the markers and the work commit (or
roll back) together. The unique constraint settles two workers racing for the same key: on
PostgreSQL the second insert waits for the first transaction and is then refused; SQLite writes one
transaction at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from werkbrug.jobs.models import DoneMarker


def claim(job: str, day: datetime.date, keys: Iterable[str]) -> set[str]:
    """Markers for the `keys` of `job` on `day` not yet done; inserts them and returns those keys."""
    wanted = set(keys)
    done = set(DoneMarker.objects.filter(job=job, day=day, key__in=wanted).values_list("key", flat=True))
    claimed = set()
    for key in sorted(wanted - done):
        try:
            with transaction.atomic():
                DoneMarker.objects.create(job=job, day=day, key=key)
        except IntegrityError:
            continue  # another run took it meanwhile
        claimed.add(key)
    return claimed


def once(job: str, day: datetime.date, work: Callable[[], Any]) -> bool:
    """Run `work` for `job` on `day` unless it was done already, in one transaction with its marker.
    Returns whether it ran."""
    with transaction.atomic():
        if not claim(job, day, [""]):
            return False
        work()
    return True


def enqueue_daily(day: datetime.date | None = None) -> list[str]:
    """Queue every job of settings.JOBS_DAILY for `day` (today); each is idempotent for its day."""
    day = day or timezone.localdate()
    queued = []
    for path in settings.JOBS_DAILY:
        import_string(path).enqueue(day.isoformat())
        queued.append(path)
    return queued
