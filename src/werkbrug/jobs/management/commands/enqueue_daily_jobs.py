"""`manage.py enqueue_daily_jobs`: queue today's periodic jobs (settings.JOBS_DAILY) for the worker.
Run it daily from cron or a systemd timer (docs/jobs.md); running it twice sends nothing twice,
since each job keeps done-markers for its day."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkbrug.jobs.daily import enqueue_daily


class Command(BaseCommand):
    help = "Queue the daily jobs (reminders, retention, expired downloads) for today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, day: datetime.date | None = None, **options: Any) -> None:
        for path in enqueue_daily(day):
            self.stdout.write(f"queued {path}")
