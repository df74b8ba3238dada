"""CSV downloads for the reader's spreadsheet (core.spreadsheet)."""

from __future__ import annotations

from werkbrug.core.spreadsheet import csv_text


def test_dutch_and_french_get_semicolons_and_decimal_commas_after_a_bom():
    for language in ("nl-be", "fr-be", "nl"):
        assert csv_text([["Totaal", 12.5, 3, None], ["\u00d7", "<5"]], language=language) == (
            "\ufeffTotaal;12,5;3;\r\n\u00d7;<5\r\n"
        )


def test_english_gets_commas_and_decimal_points_after_a_bom():
    assert csv_text([["Total", 12.5, 3]], language="en") == "\ufeffTotal,12.5,3\r\n"


def test_a_text_that_starts_like_a_formula_stays_text_but_a_negative_number_stays_a_number():
    assert csv_text([["=1+1", "@SUM(A1)", "-2", -2.5]], language="nl") == "\ufeff'=1+1;'@SUM(A1);'-2;-2,5\r\n"
