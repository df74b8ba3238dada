"""Delete self-bookings nobody handled within OUTREACH_UNHANDLED_BOOKING_DAYS (docs/outreach.md).

manage.py purge_unhandled_bookings --dry-run   # count them, change nothing
manage.py purge_unhandled_bookings             # delete them
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from werkbrug.outreach.retention import purge_unhandled, unhandled


class Command(BaseCommand):
    help = "Delete self-bookings that no coach confirmed or rejected within the retention days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count the bookings due; change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = timezone.localdate()
        if dry_run:
            self.stdout.write(f"Dry run: {unhandled(today).count()} unhandled booking(s) would be deleted.")
            return
        self.stdout.write(self.style.SUCCESS(f"{purge_unhandled(today)} unhandled booking(s) deleted."))
