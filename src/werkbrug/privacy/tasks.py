"""The privacy area's daily job (docs/jobs.md): retention, keyed by its day.

Each client is erased in its own transaction and checked again on the locked row
(privacy.retention.apply_retention), so the work itself is safe to repeat; the day's done-marker is
written after the last client, and a second run on the same day finds it and does nothing."""

from __future__ import annotations

import datetime

from django.db import transaction

from werkbrug.jobs.daily import claim
from werkbrug.jobs.models import DoneMarker
from werkbrug.jobs.runner import job
from werkbrug.privacy.retention import apply_retention

JOB = "retention"


@job
def retention(day: str) -> int:
    today = datetime.date.fromisoformat(day)
    if DoneMarker.objects.filter(job=JOB, day=today).exists():
        return 0
    done = apply_retention(today)
    with transaction.atomic():
        claim(JOB, today, [""])
    return len(done)
