"""Reading an uploaded caseload: an XLSX workbook (one sheet per kind) or one CSV with a `soort`
column (`;` or `,`, UTF-8 with or without BOM). What comes out is raw cells per row, with the row
number as Excel or a text editor shows it; rows.py turns them into values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from werkbrug.imports.columns import COLUMNS, KIND_COLUMN, KINDS, csv_headers, normalise

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# A sheet with formatting far below its data reports a million rows: stop after this many empty ones.
MAX_EMPTY_RUN = 1000
XLSX, CSV = "xlsx", "csv"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Where:
    """A cell's place, as the user sees it: the sheet (or the CSV row's kind) and the row number."""

    kind: str
    row: int
    csv: bool = False

    def describe(self, column: str, message: str) -> str:
        params = {"sheet": self.kind, "row": self.row, "column": column, "message": message}
        if self.csv:
            return _("Row %(row)s (%(sheet)s), column %(column)s: %(message)s") % params
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % params


@dataclass
class RawRow:
    where: Where
    cells: dict[str, Any]


@dataclass
class Table:
    """The rows of the file per kind, in file order."""

    rows: dict[str, list[RawRow]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def file_type(name: str, head: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not head.startswith(b"PK"):
            raise FileProblem(_("This file is not a valid Excel file (.xlsx)."))
        return XLSX
    if lower.endswith(".csv"):
        return CSV
    if lower.endswith(".xls"):
        raise FileProblem(
            _("This is the old Excel format (.xls): save the file as .xlsx and upload it again.")
        )
    raise FileProblem(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))


def read(name: str, content: bytes) -> Table:
    """The rows of the file; raises FileProblem when it cannot be read as a caseload at all."""
    if not content:
        raise FileProblem(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileProblem(_("The file is too large: at most %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    kind = file_type(name, content[:4])
    table = _read_xlsx(content) if kind == XLSX else _read_csv(content)
    if table.total == 0:
        raise FileProblem(_("The file holds no rows to import."))
    return table


def _header(names: list[Any], kind: str, label: str, allowed: list[str]) -> list[str]:
    headers = [normalise(str(n)).replace(" ", "_") if n is not None else "" for n in names]
    unknown = [h for h in headers if h and h not in allowed]
    if unknown:
        raise FileProblem(
            _("%(where)s: unknown column(s) %(columns)s. Use the columns of the template.")
            % {"where": label, "columns": ", ".join(unknown)}
        )
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in headers] if kind else []
    if missing:
        raise FileProblem(
            _("%(where)s: the column(s) %(columns)s are missing.")
            % {"where": label, "columns": ", ".join(missing)}
        )
    return headers


def _empty(values: Any) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _count(table: Table) -> None:
    if table.total > MAX_ROWS:
        raise FileProblem(
            _("The file has more than %(n)s rows: split it into smaller files.") % {"n": MAX_ROWS}
        )


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # heavy; only needed for Excel files

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook raises many kinds (zip, XML, KeyError): never a 500
        raise FileProblem(_("This file is not a valid Excel file (.xlsx).")) from exc
    table = Table()
    try:
        sheets = {normalise(ws.title).replace("ë", "e"): ws for ws in book.worksheets}
        if not any(kind in sheets for kind in KINDS):
            raise FileProblem(
                _("The workbook has none of the sheets %(sheets)s.") % {"sheets": ", ".join(KINDS)}
            )
        for kind in KINDS:
            if kind in sheets:
                _read_sheet(sheets[kind], kind, table)
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem(_("This file is not a valid Excel file (.xlsx).")) from exc
    finally:
        book.close()
    return table


def _read_sheet(sheet: Any, kind: str, table: Table) -> None:
    rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None or _empty(first):
        return
    allowed = [c.name for c in COLUMNS[kind]]
    headers = _header(list(first), kind, _("Sheet %(sheet)s") % {"sheet": kind}, allowed)
    empty_run = 0
    for number, values in enumerate(rows, start=2):
        if _empty(values):
            empty_run += 1
            if empty_run > MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        cells = {h: v for h, v in zip(headers, values, strict=False) if h}
        table.rows[kind].append(RawRow(Where(kind, number), cells))
        _count(table)


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("The CSV file is not in UTF-8: in Excel, save it as “CSV UTF-8 (comma delimited)”.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        first = next(reader, None)
        if first is None or _empty(first):
            raise FileProblem(_("The file holds no rows to import."))
        headers = _header(first, "", _("The CSV file"), csv_headers())
        if KIND_COLUMN not in headers:
            raise FileProblem(
                _("The CSV file needs the column soort (clienten, trajecten, contacten or resultaten).")
            )
        table = Table()
        line = reader.line_num
        for values in reader:
            number, line = line + 1, reader.line_num
            if _empty(values):
                continue
            cells = {h: v for h, v in zip(headers, values, strict=False) if h}
            kind = normalise(str(cells.pop(KIND_COLUMN, "") or "")).replace("ë", "e")
            if kind not in KINDS:
                raise FileProblem(
                    Where("?", number, csv=True).describe(
                        KIND_COLUMN, _("choose clienten, trajecten, contacten or resultaten")
                    )
                )
            allowed = {c.name for c in COLUMNS[kind]}
            cells = {h: v for h, v in cells.items() if h in allowed}
            table.rows[kind].append(RawRow(Where(kind, number, csv=True), cells))
            _count(table)
    except csv.Error as exc:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return table
