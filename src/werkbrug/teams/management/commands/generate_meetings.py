"""`manage.py generate_meetings`: plan the meetings of every team's recurring rule three months ahead
(teams.series.generate_ahead). Run it daily; it is idempotent, so a second run adds nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkbrug.teams.series import MONTHS_AHEAD, generate_ahead


class Command(BaseCommand):
    help = "Plan the meetings of every team's recurring rule ahead (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months", type=int, default=MONTHS_AHEAD, help="How far ahead (default %(default)s)."
        )

    def handle(self, *args: Any, months: int = MONTHS_AHEAD, **options: Any) -> None:
        added = generate_ahead(months=max(months, 1))
        self.stdout.write(f"Meetings added: {added}.")
