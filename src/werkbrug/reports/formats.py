"""Formatters: one Result, five formats. They only lay out what the report computed (and suppressed);
none of them computes a figure of its own."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import numberformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from werkbrug.core import spreadsheet
from werkbrug.core.downloads import download_name
from werkbrug.core.pdf import render_pdf
from werkbrug.core.rows import html_row
from werkbrug.reports.charts import render_chart
from werkbrug.reports.framework import LABEL, PERCENT, STAT, Column, Result, Row, Section, Suppressed


def legend() -> str:
    """What the two marks of a suppressed report mean; every format carries it."""
    # The literal sign, so that makemessages extracts the msgid as it reads.
    return _("<5: between 1 and 4; ×: hidden so that a small number cannot be worked out")  # noqa: RUF001


def raw(value: object) -> Any:
    """The value for a machine-readable format: a number, None, "<5" (a count from 1 to 4) or "\u00d7"
    (hidden to protect a small count)."""
    if isinstance(value, Suppressed):
        return str(value)
    return value


def one_decimal() -> Callable[[float], str]:
    """Django's `number_format(value, 1)` in the active language, with the language's number format
    looked up once. A table lays out hundreds of cells; looking the format up for each cell took about
    a quarter of the time of laying out a funder's yearly report at full scale (issue 14, docs/bench.md
    s51)."""
    language = get_language()
    return functools.partial(
        numberformat.format,
        decimal_sep=get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        decimal_pos=1,
        grouping=get_format("NUMBER_GROUPING", language, use_l10n=True),
        thousand_sep=get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        force_grouping=False,
        use_l10n=True,
    )


def display(value: object, column: Column, decimal: Callable[[float], str] | None = None) -> str:
    """The value as a person reads it (HTML, PDF). `decimal` formats a number with one decimal
    (`one_decimal()`, made once for a whole table); without it the format is looked up here."""
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return "—"
    if column.kind == PERCENT and isinstance(value, int | float):
        return f"{(decimal or one_decimal())(value)} %"
    if column.kind == STAT and isinstance(value, float):
        return (decimal or one_decimal())(value) if value != int(value) else str(int(value))
    return str(value)


def header(section: Section) -> list[str]:
    return [str(column.label) for column in section.columns]


def cells(section: Section, row: Row) -> list[Any]:
    return [
        row.label if column.kind == LABEL else raw(row.values.get(column.key)) for column in section.columns
    ]


def filename(result: Result, extension: str) -> str:
    params = result.params
    return download_name(
        f"werkbrug {result.report.title}",
        f"{params.start:%Y%m%d}",
        f"{params.end:%Y%m%d}",
        extension=extension,
    )


def _download(content: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


def to_csv(result: Result, request: HttpRequest) -> HttpResponse:
    """One file: per section a title line, a header line, the rows and the total, then a blank line;
    the legend last on a suppressed report. For the spreadsheet of the reader's language
    (core.spreadsheet: in Dutch and French ";" and decimal commas, and a BOM)."""
    lines: list[list[Any]] = []
    for section in result.sections:
        lines.append([str(section.title)])
        lines.append(header(section))
        lines.extend(cells(section, row) for row in section.all_rows)
        lines.append([])
    if result.suppressed:
        lines.append([legend()])
    return _download(
        spreadsheet.csv_text(lines).encode("utf-8"), "text/csv; charset=utf-8", filename(result, "csv")
    )


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:25]} {n}", n + 1
    taken.add(name.lower())
    return name


def to_xlsx(result: Result, request: HttpRequest) -> HttpResponse:
    """A first sheet with what was asked, then one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    info = workbook.active
    if info is None:  # a new workbook always has one sheet
        info = workbook.create_sheet()
    taken: set[str] = set()
    info.title = _sheet_title(_("Report"), taken)
    info.append([str(result.report.title)])
    info["A1"].font = Font(bold=True, size=14)
    for label, value in result.params.describe():
        info.append([label, value])
    info.append([_("Made on"), timezone.localtime(result.generated_at).strftime("%d/%m/%Y %H:%M")])
    if result.definition:
        info.append([_("Definition"), result.definition])
    if result.suppressed:
        info.append([legend()])
    for section in result.sections:
        sheet = workbook.create_sheet(_sheet_title(str(section.title), taken))
        sheet.append([str(section.title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append(header(section))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append(cells(section, row))
        if section.total is not None:
            sheet.append(cells(section, section.total))
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        if section.note:
            sheet.append([])
            sheet.append([str(section.note)])
        sheet.column_dimensions["A"].width = 36
    # openpyxl takes any text starting with "=" for a formula; nothing here is one.
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename(result, "xlsx"),
    )


def as_json(result: Result) -> dict[str, Any]:
    def row_json(section: Section, row: Row) -> dict[str, Any]:
        return {
            "label": row.label,
            **{c.key: raw(row.values.get(c.key)) for c in section.columns if c.kind != LABEL},
        }

    return {
        "report": result.report.slug,
        "title": str(result.report.title),
        "params": result.params.as_json(),
        "generated_at": result.generated_at.isoformat(),
        "definition": result.definition,
        "small_cells_suppressed": result.suppressed,
        "legend": legend() if result.suppressed else None,
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in section.columns],
                "rows": [row_json(section, row) for row in section.rows],
                "total": row_json(section, section.total) if section.total is not None else None,
            }
            for section in result.sections
        ],
    }


def to_json(result: Result, request: HttpRequest) -> HttpResponse:
    content = json.dumps(as_json(result), ensure_ascii=False, indent=1).encode("utf-8")
    return _download(content, "application/json", filename(result, "json"))


def table_rows(rows: list[list[str]], width: int) -> SafeString:
    """The rows of a report table as HTML: the first of the `width` cells heads the row, the others
    are numbers. Written with `core.rows.html_row` rather than as template loops: a funder's table at
    full scale has some 5,000 cells, and Django's template engine took about 25 ms a page to lay them
    out (issue 14, docs/conventions.md)."""
    row = '<tr><th scope="row">{}</th>' + '<td class="num">{}</td>' * (width - 1) + "</tr>\n"
    return mark_safe("".join(html_row(row, *cells) for cells in rows))  # noqa: S308 - html_row escapes


def _shown(section: Section, row: Row, decimal: Callable[[float], str]) -> list[str]:
    """A row's cells as a person reads them (`display`, the label in its column): rows and total alike."""
    return [
        row.label if c.kind == LABEL else display(row.values.get(c.key), c, decimal) for c in section.columns
    ]


# A report page shows at most this many rows of a table; the table pages through them, and every
# download has them all. A funder's tables have a row per organisation or referral line: some 340 at
# full scale against a handful at small scale, and the page must not grow with the network (issue 14).
ROWS_PER_PAGE = 50


def page_parameter(section: Section) -> str:
    """The query parameter that holds which page of the section's rows a report page shows."""
    return f"rows-{section.key}"


def _laid_out(section: Section, query: QueryDict | None = None) -> dict[str, Any]:
    page = None
    shown_rows = section.rows
    if query is not None and len(section.rows) > ROWS_PER_PAGE:
        # A number that is not a page gives the first page, one past the end the last: never an error.
        page = Paginator(section.rows, ROWS_PER_PAGE).get_page(query.get(page_parameter(section)))
        shown_rows = list(page.object_list)
    decimal = one_decimal()
    rows = [_shown(section, row, decimal) for row in shown_rows]
    return {
        "section": section,
        "header": header(section),
        "rows": rows,
        "body": table_rows(rows, len(section.columns)),
        "total": _shown(section, section.total, decimal) if section.total is not None else None,
        "chart": render_chart(section),
        "page": page,
        "page_links": _page_links(section, page, query) if page is not None and query is not None else {},
    }


def _page_links(section: Section, page: Page, query: QueryDict) -> dict[str, str]:
    """The links to the previous and the next page of the section's rows: the same report, the other
    sections on the pages they were on, and back to this section."""

    def link(number: int) -> str:
        linked = query.copy()
        linked.pop("format", None)
        linked[page_parameter(section)] = str(number)
        return f"?{linked.urlencode()}#section-{section.key}"

    links = {}
    if page.has_previous():
        links["previous"] = link(page.previous_page_number())
    if page.has_next():
        links["next"] = link(page.next_page_number())
    return links


def context(result: Result, query: QueryDict | None = None) -> dict[str, Any]:
    """What the HTML page and the PDF template show: per section the display strings and chart.
    With `query` (a report page's GET) a table longer than ROWS_PER_PAGE shows the page of rows the
    query asks for; without it (the PDF) it shows every row."""
    return {
        "result": result,
        "report": result.report,
        "described_params": result.params.describe(),
        "legend": legend() if result.suppressed else "",
        "sections": [_laid_out(section, query) for section in result.sections],
    }


def without_pages(query: QueryDict) -> QueryDict:
    """The query without the report's choice of rows: a download has every row."""
    kept = query.copy()
    for name in [name for name in kept if name.startswith("rows-")]:
        del kept[name]
    return kept


def to_pdf(result: Result, request: HttpRequest) -> HttpResponse:
    content = render_pdf("reports/report_pdf.html", context(result), request)
    return _download(content, "application/pdf", filename(result, "pdf"), inline=True)


DOWNLOADS: dict[str, Callable[[Result, HttpRequest], HttpResponse]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "json": to_json,
    "pdf": to_pdf,
}
