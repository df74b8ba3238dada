"""`manage.py run_jobs`: the background worker (docs/jobs.md). It queues again the jobs a dead
worker left RUNNING (werkbrug.jobs.recovery), then runs django-tasks-db's `db_worker` with the same
options (`--batch`, `--interval`, `--max-tasks`, …)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from werkbrug.jobs.recovery import requeue_stale


class Command(DbWorker):
    help = "Run the background jobs (queues again the jobs a stopped worker left running first)."

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = requeue_stale()
        if requeued and options.get("verbosity", 1):
            self.stdout.write(f"Jobs queued again after a stopped worker: {requeued}.")
        super().handle(*args, **options)
