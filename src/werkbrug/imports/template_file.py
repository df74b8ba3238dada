"""The downloadable template: an XLSX with one sheet per kind (header and one example row) and a
sheet explaining every column, and the CSV variant (one file, a `soort` column)."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _

from werkbrug.imports.columns import (
    CHOICE,
    COLUMNS,
    DATE,
    KIND_COLUMN,
    KINDS,
    NUMBER,
    YES_NO,
    Column,
    csv_headers,
    dutch_labels,
)


def allowed(column: Column) -> str:
    if column.kind == CHOICE and column.choices is not None:
        return "; ".join(f"{code} = {label}" for code, label in dutch_labels(column.choices.choices))
    if column.kind == DATE:
        return _("dd-mm-jjjj or jjjj-mm-dd (or an Excel date), 1900 up to 2100")
    if column.kind == NUMBER:
        return _("a whole number")
    if column.kind == YES_NO:
        return _("ja or nee")
    return _("text, at most %(n)s characters") % {"n": column.max_length}


def xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    book.remove(first)
    bold = Font(bold=True)
    for kind in KINDS:
        sheet = book.create_sheet(kind)
        sheet.append([c.name for c in COLUMNS[kind]])
        sheet.append([c.example for c in COLUMNS[kind]])
        for cell in sheet[1]:
            cell.font = bold
        for index, column in enumerate(COLUMNS[kind], start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(column.name) + 4)
    with translation.override("nl"):
        notes = book.create_sheet("uitleg")
        notes.append([_("sheet"), _("column"), _("required"), _("meaning"), _("allowed values")])
        for cell in notes[1]:
            cell.font = bold
        for kind in KINDS:
            for column in COLUMNS[kind]:
                notes.append(
                    [
                        kind,
                        column.name,
                        _("yes") if column.required else _("no"),
                        str(column.help),
                        allowed(column),
                    ]
                )
        for letter, width in zip("ABCDE", (12, 24, 10, 70, 80), strict=True):
            notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text() -> str:
    headers = csv_headers()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for kind in KINDS:
        row = dict.fromkeys(headers, "")
        row[KIND_COLUMN] = kind
        row.update({c.name: c.example for c in COLUMNS[kind]})
        writer.writerow([row[h] for h in headers])
    return "\ufeff" + out.getvalue()
