"""The jobs pages: the network admin's queue (what waits, runs and failed, with the error; the
arguments are ids only) and a prepared download's progress page and file, for the user who asked."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.core.actor import Actor
from werkbrug.core.policy import login_view, role_view
from werkbrug.jobs import files
from werkbrug.jobs.models import PreparedFile
from werkbrug.network.models import Role

SHOWN = 50
# How often the progress page reloads itself while the file is prepared (Refresh header, no script).
REFRESH_SECONDS = 2


def _row(result: DBTaskResult) -> dict[str, object]:
    kwargs = dict(result.args_kwargs.get("kwargs", {}))
    attempt = kwargs.pop("attempt", 1)
    lines = [line for line in result.traceback.strip().splitlines() if line.strip()]
    return {
        "id": result.id,
        "name": result.task_path.rsplit(".", 1)[-1],
        "path": result.task_path,
        "arguments": ", ".join(
            [*map(str, result.args_kwargs.get("args", [])), *(f"{k}={v}" for k, v in kwargs.items())]
        ),
        "attempt": attempt,
        "enqueued_at": result.enqueued_at,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "run_after": result.run_after if result.run_after.year < 9999 else None,
        "error": lines[-1] if lines else "",
        "error_class": result.exception_class_path,
    }


@role_view(Role.NETWORK_ADMIN)
def queue(request: HttpRequest) -> HttpResponse:
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    since = timezone.now() - datetime.timedelta(days=7)
    labels = {
        TaskResultStatus.RUNNING: _("Running"),
        TaskResultStatus.READY: _("Waiting"),
        TaskResultStatus.FAILED: _("Failed in the last 7 days"),
    }
    groups = [
        (
            TaskResultStatus.RUNNING,
            DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at"),
        ),
        (
            TaskResultStatus.READY,
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("run_after", "enqueued_at"),
        ),
        (
            TaskResultStatus.FAILED,
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=since).order_by(
                "-finished_at"
            ),
        ),
    ]
    sections = [
        {
            "status": status,
            "label": labels[status],
            "count": counts.get(status.value, 0),
            "rows": [_row(r) for r in rows[:SHOWN]],
        }
        for status, rows in groups
    ]
    return render(
        request,
        "jobs/queue.html",
        {
            "sections": sections,
            "depth": counts.get(TaskResultStatus.READY.value, 0),
            "succeeded": counts.get(TaskResultStatus.SUCCESSFUL.value, 0),
            "section": "jobs",
        },
    )


def _owned(request: HttpRequest, pk: int) -> PreparedFile:
    prepared = files.owned(Actor.from_request(request), pk)
    if prepared is None or files.expired(prepared):
        raise Http404
    return prepared


@login_view
def prepared(request: HttpRequest, pk: int) -> HttpResponse:
    row = _owned(request, pk)
    busy = row.status in {PreparedFile.Status.QUEUED, PreparedFile.Status.RUNNING}
    response = render(request, "jobs/prepared.html", {"prepared": row, "busy": busy})
    if busy:
        # The browser reloads the page by itself (the Refresh header works without JavaScript).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_view
def download(request: HttpRequest, pk: int) -> FileResponse:
    row = _owned(request, pk)
    if row.status != PreparedFile.Status.READY or not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=row.filename, content_type=row.content_type)
    response["Cache-Control"] = "no-store, private"
    return response
