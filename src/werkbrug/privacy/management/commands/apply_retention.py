"""Anonymise the clients whose retention period has passed (docs/privacy.md, docs/deploy.md).

manage.py apply_retention --dry-run   # list who would be anonymised, change nothing
manage.py apply_retention             # anonymise them, through the same erasure as a request
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from werkbrug.privacy.retention import Due, apply_retention, clients_due


class Command(BaseCommand):
    help = "Anonymise clients whose file closed longer ago than the retention period of every organisation involved."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List the clients due; change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = timezone.localdate()
        if dry_run:
            due = clients_due(today)
            self._list(due)
            self.stdout.write(f"Dry run: {len(due)} client(s) would be anonymised; nothing was changed.")
            return
        done = apply_retention(today)
        self._list(done)
        self.stdout.write(self.style.SUCCESS(f"{len(done)} client(s) anonymised."))

    def _list(self, rows: list[Due]) -> None:
        for due in rows:
            self.stdout.write(f"client {due.client_id}: {due.reason}")
