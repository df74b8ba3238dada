"""`manage.py restore PATH [--yes]`: replace the database and the uploaded files with a backup's,
after checking the archive (werkbrug.core.backup; docs/deploy.md, "Backup and restore")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkbrug.core.backup import KEYS_WARNING, BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `manage.py backup`. This REPLACES the current database and "
        "the uploaded files (MEDIA_ROOT). Stop the application first; start it after the checks pass."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup archive (.tar).")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: replace the current database and files."
        )

    def handle(self, *args: Any, path: Path, yes: bool = False, **options: Any) -> None:
        if not yes and not sys.stdin.isatty():
            raise CommandError(
                "Refusing to restore without --yes: a restore replaces the current database and the "
                "uploaded files, and nobody is here to confirm. Nothing was changed."
            )

        def confirm(manifest: dict[str, Any]) -> bool:
            counts = manifest["row_counts"]
            self.stdout.write(
                f"The archive checks out: a {manifest['engine']} backup made at {manifest['created_at']} "
                f"by Werkbrug {manifest['app_version']}, {sum(counts.values())} rows in {len(counts)} "
                f"tables, {manifest['media_files']} uploaded files."
            )
            if yes:
                return True
            answer = input("This REPLACES the current database and the uploaded files. Type 'yes' to go on: ")
            return answer.strip().lower() == "yes"

        try:
            report = restore_backup(path, confirm, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"Restore FAILED: {exc}") from exc
        if report is None:
            raise CommandError("Restore cancelled. Nothing was changed.")
        counts = report.counts
        self.stdout.write(
            f"Restored {sum(counts.values())} rows in {len(counts)} tables and {report.media_files} "
            f"uploaded files from {path}."
        )
        for notice in report.notices:
            self.stderr.write(self.style.WARNING(f"Note: {notice}"))
        self.stderr.write(self.style.WARNING(KEYS_WARNING))
        if report.problems:
            raise CommandError("The checks after the restore FAILED:\n  - " + "\n  - ".join(report.problems))
        restored = (
            "integrity check" if report.manifest["engine"] == "sqlite" else "pg_restore in one transaction"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Checks passed: {restored}, row counts equal the backup's, no pending migrations."
            )
        )
