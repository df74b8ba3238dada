"""The outreach area's daily job (docs/jobs.md): self-bookings nobody handled in time are deleted
(outreach.retention), keyed by the day: the deletion and the day's done-marker commit together, and a
second run on the same day does nothing."""

from __future__ import annotations

import datetime

from werkbrug.jobs import daily
from werkbrug.jobs.runner import job
from werkbrug.outreach.retention import purge_unhandled

JOB = "purge_unhandled"


@job
def purge_unhandled_bookings(day: str) -> int:
    deleted = [0]

    def work() -> None:
        deleted[0] = purge_unhandled(datetime.date.fromisoformat(day))

    daily.once(JOB, datetime.date.fromisoformat(day), work)
    return deleted[0]
