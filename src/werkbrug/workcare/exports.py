"""The monthly statement of hours as files: XLSX and an A4 PDF, for the whole workshop or for one
participant (the prestatiestaat to hand over or sign). The same rows as the grid: the participants
the actor sees (workcare.hours.participants) and the hours stored for the month."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.pdf import pdf_response
from werkbrug.core.spreadsheet import text_safe
from werkbrug.workcare.hours import month_days, participants, stored
from werkbrug.workcare.models import Workshop

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statement(
    actor: Actor, workshop: Workshop, year: int, month: int, participant: int | None = None
) -> dict[str, Any]:
    """The month's rows: per participant the hours of each day and the total; 404 for a participant
    the actor does not see at this workshop."""
    days = month_days(year, month)
    people = participants(actor, workshop, days[0], days[-1])
    if participant is not None:
        people = [t for t in people if t.pk == participant]
        if not people:
            raise Http404
    cells = stored(workshop, [t.pk for t in people], days[0], days[-1])
    rows: list[dict[str, Any]] = []
    grand = Decimal(0)
    for trajectory in people:
        hours = [cells.get((trajectory.pk, d)) for d in days]
        total = sum((h for h in hours if h is not None), Decimal(0))
        grand += total
        rows.append(
            {"trajectory": trajectory, "name": str(trajectory.client), "hours": hours, "total": total}
        )
    return {
        "workshop": workshop,
        "days": days,
        "rows": rows,
        "total": grand,
        "month_start": days[0],
        "single": participant is not None,
    }


def _name(context: dict[str, Any], extension: str) -> str:
    start = context["month_start"]
    parts: list[object] = [context["workshop"].pk, f"{start:%Y-%m}"]
    if context["single"] and context["rows"]:
        parts.append(context["rows"][0]["trajectory"].pk)
    return download_name(gettext("hours statement"), *parts, extension=extension)


def xlsx_response(context: dict[str, Any]) -> HttpResponse:
    from openpyxl import Workbook  # heavy; only the download needs it
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:
        sheet = workbook.create_sheet()
    sheet.title = f"{context['month_start']:%Y-%m}"
    sheet.append([text_safe(context["workshop"].name), context["month_start"].strftime("%m/%Y")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([gettext("Participant"), *(d.day for d in context["days"]), gettext("Total")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in context["rows"]:
        sheet.append([text_safe(row["name"]), *(h for h in row["hours"]), row["total"]])
    sheet.append([gettext("Total"), *([None] * len(context["days"])), context["total"]])
    sheet.column_dimensions["A"].width = 30
    for worksheet in workbook.worksheets:  # a name that starts with "=" stays text
        for cells in worksheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_name(context, "xlsx")}"'
    response["Cache-Control"] = "no-store, private"
    return response


def pdf(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return pdf_response("workcare/hours_pdf.html", context, request, _name(context, "pdf"))
