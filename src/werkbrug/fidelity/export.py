"""A review as an XLSX workbook: the items with their scores and notes, the figures, the totals."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from werkbrug.core.spreadsheet import text_safe


def review_xlsx(context: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    review = context["review"]
    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:  # a new workbook always has one sheet
        sheet = workbook.create_sheet()
    sheet.title = _("Review")[:31]
    sheet.append([str(review._meta.verbose_name), text_safe(review.scope_name)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("scale"), str(context["scale"].name)])
    sheet.append([_("period"), f"{review.period_from:%d/%m/%Y} - {review.period_to:%d/%m/%Y}"])
    sheet.append([_("status"), review.get_status_display()])
    for column in context["columns"]:
        sheet.append([str(column["label"]), column["total"], column["maximum"], str(column["band"].name)])
    sheet.append([])
    labels = [str(c["label"]) for c in context["columns"]]
    header = [_("item"), _("name"), _("how"), *labels, _("note")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in context["rows"]:
        notes = "; ".join(text_safe(c.note) for c in row.cells if c is not None and c.note)
        scores: list[Any] = [("" if c is None or c.score is None else c.score) for c in row.cells]
        how = _("computed") if row.item.is_computed else _("reviewers")
        sheet.append([row.item.number, str(row.item.name), how, *scores, text_safe(notes)])
    figures = workbook.create_sheet(_("Figures")[:31])
    figures.append([_("item"), _("figure"), _("value"), _("score"), _("counts")])
    for cell in figures[1]:
        cell.font = Font(bold=True)
    for row in context["rows"]:
        for figure in row.figures:
            counts = ", ".join(f"{k}: {v}" for k, v in figure["counts"])
            value = "" if figure["value"] is None else figure["value"]
            figures.append([row.item.number, str(figure["name"]), value, figure["score"] or "", counts])
    sheet.column_dimensions["B"].width = 40
    figures.column_dimensions["B"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
