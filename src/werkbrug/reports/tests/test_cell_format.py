"""A report table's numbers read as Django's `number_format` gives them in each language, with the
language's number format looked up once per table (`formats.one_decimal`, issue 14): the same
strings, percentages and statistics alike, with and without thousands separators."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.formats import number_format

from werkbrug.reports.formats import display, one_decimal
from werkbrug.reports.framework import PERCENT, SECONDARY, SMALL, STAT, Column

VALUES = [0, 1, 7, 0.0, 0.1 + 0.2, 2.25, 33.3, 42.56, 99.99, 100.0, -3.5, 1234.5, 98765.4321, 1e-7, 1e16]
PERCENT_COLUMN = Column("share", "share", PERCENT)
STAT_COLUMN = Column("days", "days", STAT)


def expected(value: object, column: Column) -> str:
    """What the cell read before, with the format looked up for each number."""
    if column.kind == PERCENT and isinstance(value, int | float):
        return f"{number_format(value, 1)} %"
    if column.kind == STAT and isinstance(value, float):
        return number_format(value, 1) if value != int(value) else str(int(value))
    return str(value)


@pytest.mark.parametrize("language", ["nl-be", "fr", "en"])
@pytest.mark.parametrize("grouping", [False, True])
def test_one_decimal_reads_as_number_format(language: str, grouping: bool) -> None:
    with override_settings(USE_THOUSAND_SEPARATOR=grouping), translation.override(language):
        decimal = one_decimal()
        for column in (PERCENT_COLUMN, STAT_COLUMN):
            for value in VALUES:
                assert display(value, column, decimal) == expected(value, column), (value, column.kind)
                assert display(value, column) == expected(value, column), (value, column.kind)


def test_the_language_of_the_table_decides_the_separator() -> None:
    with translation.override("nl-be"):
        dutch = one_decimal()
    with translation.override("en"):
        english = one_decimal()
    assert display(42.5, PERCENT_COLUMN, dutch) == "42,5 %"
    assert display(42.5, PERCENT_COLUMN, english) == "42.5 %"


def test_marks_and_missing_values_are_not_numbers() -> None:
    decimal = one_decimal()
    assert display(None, PERCENT_COLUMN, decimal) == "—"
    assert display(SMALL, PERCENT_COLUMN, decimal) == str(SMALL)
    assert display(SECONDARY, STAT_COLUMN, decimal) == str(SECONDARY)
    assert display(12.0, STAT_COLUMN, decimal) == "12"
