"""The jobs area's own periodic job: prepared downloads that expired are deleted."""

from __future__ import annotations

import datetime

from werkbrug.jobs import daily, files
from werkbrug.jobs.runner import job


@job
def expire_files(day: str) -> int:
    deleted = [0]

    def work() -> None:
        deleted[0] = files.delete_expired()

    # Not keyed strictly: deleting what expired is harmless to repeat, but once a day is enough.
    daily.once("expire_files", datetime.date.fromisoformat(day), work)
    return deleted[0]
