"""`manage.py backup [--output PATH]`: one verified archive with the database, the uploaded files
and a manifest (werkbrug.core.backup; docs/deploy.md, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkbrug.core.backup import KEYS_WARNING, BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one backup archive (database, uploaded files, manifest), read it back and verify it. "
        "SECRET_KEY and PSEUDONYM_KEY are not included: keep them separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="A folder (the archive is named werkbrug-backup-YYYYMMDD-HHMMSS.tar, UTC) or a .tar "
            "file name; default: var/backups/. An existing file is never overwritten.",
        )

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        try:
            path, manifest = create_backup(output, say=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup FAILED, no archive was written: {exc}") from exc
        counts = manifest["row_counts"]
        self.stdout.write(self.style.SUCCESS(f"Backup written and verified: {path}"))
        self.stdout.write(
            f"  {manifest['engine']} database, {len(counts)} tables, {sum(counts.values())} rows; "
            f"{manifest['media_files']} uploaded files; {path.stat().st_size} bytes; "
            f"created at {manifest['created_at']} by Werkbrug {manifest['app_version']}."
        )
        self.stderr.write(self.style.WARNING(KEYS_WARNING))
