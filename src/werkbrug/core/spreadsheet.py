"""CSV files that open right in the spreadsheet program of the person downloading them (issue 13,
point 8; docs/conventions.md, "CSV downloads").

Excel reads a CSV with the list separator and decimal sign of the computer's regional settings, and
as UTF-8 only when the file starts with a byte order mark. In Belgium (nl-BE, fr-BE) the list
separator is ";" and the decimal sign ",": a comma-separated file without a BOM opens as one column
of garbled text. So every CSV download is written here: a BOM, and for Dutch and French ";" with
decimal commas; for English "," with decimal points.

Every text cell is also made safe against formula injection: a cell that starts like a formula gets
a leading apostrophe (OWASP "CSV injection"). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import translation

BOM = "\ufeff"
# A text cell starting with one of these is read as a formula by spreadsheet programs, also from a
# CSV file; names come from users and administrators, not from the code.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_safe(value: Any) -> Any:
    """A text cell kept as text: a leading apostrophe before what would start a formula. Numbers are
    left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def uses_decimal_comma(language: str | None = None) -> bool:
    """Whether the language's spreadsheets separate with ";" and write decimals with "," (Dutch and
    French, as in Belgium)."""
    language = (language or translation.get_language() or "nl").lower()
    return language.split("-")[0] in ("nl", "fr")


def cell(value: Any, *, decimal_comma: bool) -> Any:
    """One cell as the spreadsheet should read it."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    if isinstance(value, float) and decimal_comma:
        return repr(value).replace(".", ",")
    return text_safe(value)


def csv_text(rows: Iterable[Sequence[Any]], *, language: str | None = None) -> str:
    """The rows as CSV text for the active (or given) language, starting with a BOM."""
    decimal_comma = uses_decimal_comma(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if decimal_comma else ",", lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(value, decimal_comma=decimal_comma) for value in row])
    return BOM + out.getvalue()
