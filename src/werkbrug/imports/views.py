"""The import pages: upload and dry run, the confirmation that runs the import, the templates.
Coordinators only (anyone else gets 404); the file waits between both steps in `pending`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.exceptions import DomainError
from werkbrug.core.policy import role_view
from werkbrug.imports import pending, template_file
from werkbrug.imports.actions import Report, import_caseload
from werkbrug.imports.columns import COLUMNS, KINDS, SHEET_NAMES
from werkbrug.imports.forms import ConfirmForm, UploadForm
from werkbrug.network.models import Role

coordinator_view = role_view(Role.COORDINATOR)
# The page lists every problem, up to this many (they are what the user needs to fix the file).
MAX_PROBLEMS_SHOWN = 200


def _page(step: Step) -> Mapping[str, Any]:
    return {"crumbs": [], "back": reverse("imports:upload")}


def _dry_run(step: Step, data: dict[str, Any]) -> tuple[Report, str | None]:
    upload = data["file"]
    content = upload.read()
    upload.seek(0)
    report = import_caseload(step.actor, upload, dry_run=True)
    token = None
    if not report.problems:
        token = pending.keep(step.request, step.actor, upload.name, content, report.counts)
    return report, token


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "kinds": [
            {
                "kind": kind,
                "label": SHEET_NAMES[kind],
                "count": report.counts[kind],
                "columns": [c.name for c in COLUMNS[kind]],
                "preview": report.preview[kind],
            }
            for kind in KINDS
        ],
        "problems": report.problems[:MAX_PROBLEMS_SHOWN],
        "more_problems": max(0, len(report.problems) - MAX_PROBLEMS_SHOWN),
    }


def _show_dry_run(step: Step, result: tuple[Report, str | None]) -> HttpResponse:
    report, token = result
    page = {**_report_context(report), "token": token, "form": ConfirmForm()}
    return render(step.request, "imports/result.html", page)


upload = action_view(
    policy=coordinator_view,
    form=lambda step: UploadForm(step.data, step.request.FILES or None),
    run=_dry_run,
    success="",
    done=_show_dry_run,
    title=gettext_lazy("Import a caseload"),
    submit_label=gettext_lazy("Check the file"),
    template="imports/upload.html",
    context=_page,
    refused_status=200,
)


def _load(step: Step) -> pending.Pending:
    return pending.load(step.request, step.actor, step.kwargs["token"])


def _run(step: Step, data: dict[str, Any]) -> Report:
    target: pending.Pending = step.target
    try:
        with target.path.open("rb") as handle:
            wrapped = _Named(handle, target.name)
            report = import_caseload(step.actor, wrapped, dry_run=False)  # type: ignore[arg-type]
    finally:
        pending.forget(step.request, target)
    if not report.imported:
        target.report = report
        raise DomainError(
            _("Nothing was imported: the file has problems (listed below). Fix them and upload it again.")
        )
    return report


class _Named:
    """A stored file with the uploaded file's name (its extension says how to read it)."""

    def __init__(self, handle: Any, name: str) -> None:
        self.handle, self.name = handle, name

    def read(self) -> bytes:
        return bytes(self.handle.read())


def _done(step: Step, report: Report) -> HttpResponse:
    counts = {str(SHEET_NAMES[kind]): report.counts[kind] for kind in KINDS}
    messages.info(step.request, ", ".join(f"{label}: {n}" for label, n in counts.items()))
    return redirect("imports:upload")


def _confirm_page(step: Step) -> Mapping[str, Any]:
    target: pending.Pending = step.target
    page: dict[str, Any] = {
        "crumbs": [(reverse("imports:upload"), _("Import a caseload"))],
        "back": reverse("imports:upload"),
    }
    page["count_rows"] = [(SHEET_NAMES[kind], target.counts.get(kind, 0)) for kind in KINDS]
    if target.report is not None:
        page.update(_report_context(target.report))
    return page


confirm = action_view(
    policy=coordinator_view,
    load=_load,
    form=ConfirmForm,
    run=_run,
    success=gettext_lazy("The caseload is imported."),
    done=_done,
    title=gettext_lazy("Run the import"),
    submit_label=gettext_lazy("Run the import"),
    intro=gettext_lazy("The file was checked. Run the import to write it; this may take a minute."),
    template="imports/confirm.html",
    context=_confirm_page,
    refused_status=200,
)


@coordinator_view
def template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_file.xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="werkbrug-import.xlsx"'
    return response


@coordinator_view
def template_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_file.csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="werkbrug-import.csv"'
    return response
