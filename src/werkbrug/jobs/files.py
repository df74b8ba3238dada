"""Large downloads prepared by a job (docs/jobs.md): the request only records what was asked and
queues the job; the job writes the file under MEDIA_ROOT (a random name, core.privatefiles' rules)
and counts the rows it wrote; the progress page shows them and offers the file to the user who
asked, and to no one else, until it expires (JOBS_FILE_HOURS, `expire_files` deletes it)."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import Task

from werkbrug.core.actor import Actor
from werkbrug.jobs.models import PreparedFile
from werkbrug.jobs.runner import enqueue_on_commit

Status = PreparedFile.Status
# Rows written are saved at most this often (seconds), so the progress page moves without a write
# per batch.
PROGRESS_EVERY = 1.0


def request_file(
    actor: Actor, *, kind: str, params: dict[str, Any], title: str, filename: str, job: Task[..., Any]
) -> PreparedFile:
    """Record the request and queue `job(prepared_file_id)` after the commit."""
    prepared = PreparedFile.objects.create(
        user=actor.user,
        organisation=actor.org,
        kind=kind,
        params=params,
        title=title,
        filename=filename,
    )
    enqueue_on_commit(job, prepared.pk)
    return prepared


def owned(actor: Actor, pk: int) -> PreparedFile | None:
    """The prepared file `pk` if this user asked for it through this organisation."""
    return PreparedFile.objects.filter(pk=pk, user=actor.user, organisation=actor.organisation).first()


def expired(prepared: PreparedFile) -> bool:
    return prepared.expires_at is not None and prepared.expires_at <= timezone.now()


def write(prepared_id: int, chunks: Callable[[PreparedFile, Callable[[int], None]], Iterator[bytes]]) -> int:
    """Write the file of `prepared_id` from `chunks(prepared, progress)`; `progress(rows)` reports the
    rows written so far. Starts over when run again (a worker died): the old file is deleted."""
    prepared = PreparedFile.objects.get(pk=prepared_id)
    if prepared.status == Status.READY:
        return prepared.rows_written
    old = prepared.file.name
    name = f"prepared/{uuid.uuid4().hex}"
    PreparedFile.objects.filter(pk=prepared.pk).update(status=Status.RUNNING, rows_written=0, file=name)
    if old:
        default_storage.delete(old)
    last_saved = [0.0]
    written = [0]

    def progress(rows: int) -> None:
        written[0] = rows
        now = time.monotonic()
        if now - last_saved[0] >= PROGRESS_EVERY:
            last_saved[0] = now
            _save_progress(prepared.pk, rows)

    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("wb") as out:
            for chunk in chunks(prepared, progress):
                out.write(chunk)
    except BaseException:
        PreparedFile.objects.filter(pk=prepared.pk).update(status=Status.FAILED, file="")
        default_storage.delete(name)
        raise
    now = timezone.now()
    PreparedFile.objects.filter(pk=prepared.pk).update(
        status=Status.READY,
        rows_written=written[0],
        ready_at=now,
        expires_at=now + datetime.timedelta(hours=settings.JOBS_FILE_HOURS),
    )
    return written[0]


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Delete the files (and rows) of prepared downloads past their expiry, and of failed ones."""
    now = now or timezone.now()
    gone = PreparedFile.objects.filter(expires_at__lte=now)
    count = 0
    for prepared in gone:
        if prepared.file.name:
            default_storage.delete(prepared.file.name)
        prepared.delete()
        count += 1
    return count


def _save_progress(pk: int, rows: int) -> None:
    """Note the rows written so far for the progress page. On PostgreSQL the file's own connection is
    busy with its COPY while the rows come in, so the note goes through a short connection of its
    own that never waits for a lock (SKIP LOCKED): progress is a hint, the file is what counts."""
    if connection.vendor != "postgresql":
        PreparedFile.objects.filter(pk=pk).update(rows_written=rows)
        return
    table = PreparedFile._meta.db_table
    side = connection.copy()
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_written = %s WHERE id IN "  # noqa: S608 - the model's own table name
                f"(SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [rows, pk],
            )
    except DatabaseError:
        pass  # a note missed; the next one or the end of the file says it
    finally:
        side.close()
