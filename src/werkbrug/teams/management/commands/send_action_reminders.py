"""`manage.py send_action_reminders`: one e-mail per person listing their team actions that are
overdue or due within a few days, now, in this process. Each action is reminded of once a day (a
done-marker per action and day, werkbrug.jobs.daily): a second run on the same day sends nothing
twice. In production the worker sends them: `manage.py enqueue_daily_jobs` (docs/jobs.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkbrug.teams import notify


class Command(BaseCommand):
    help = "E-mail each owner one reminder of their team actions that are overdue or due soon."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=notify.REMIND_WITHIN_DAYS,
            help="Remind of actions due within this many days (default %(default)s); overdue ones always.",
        )

    def handle(self, *args: Any, days: int = notify.REMIND_WITHIN_DAYS, **options: Any) -> None:
        sent = notify.send_action_reminders(within_days=max(days, 0))
        self.stdout.write(f"Reminders sent: {sent}.")
