"""The funder's and the coordinator's way through the yearly report, in a real browser (Debian's
Chromium): start page → report list → yearly report for the chosen year → XLSX download. The
funder sees small cells as "<5" on the page, in the chart and in the download; the coordinator
sees the exact numbers of their own organisation."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEN, WOMEN = 5, 2


def _dataset(net) -> None:
    for i in range(MEN):
        net.trajectory(net.new_client(first_name=f"Mannes{i}", last_name=f"Achternaam{i}", gender="M"))
    for i in range(WOMEN):
        net.trajectory(net.new_client(first_name=f"Vrouwke{i}", last_name=f"Familienaam{i}", gender="F"))


def _open_yearly_report(page, year: int) -> None:
    click_through(page, "a[href='/reports/yearly/']")
    page.focus("#id_year")
    page.select_option("#id_year", str(year))
    page.keyboard.press("Tab")
    click_through(page, "form.report-params button[type=submit]")


def _row_cells(page, section: str, label_index: int) -> list[str]:
    return page.locator(f"#section-{section} tbody tr").nth(label_index).locator("th, td").all_inner_texts()


def test_funder_reads_the_yearly_report_with_small_cells_hidden_and_downloads_it(net, browse):
    _dataset(net)
    year = timezone.localdate().year
    page = browse(net.funder)
    assert page.url.endswith("/reports/")
    _open_yearly_report(page, year)

    total = page.locator("#section-summary tfoot tr").all_inner_texts()[0]
    assert str(MEN + WOMEN) in total
    # Women (2) are hidden, and men too ("\u00d7", never "<5"): otherwise 7 - 5 would give the
    # women away. The legend under the report says what each mark means.
    women, men = _row_cells(page, "gender", 0), _row_cells(page, "gender", 1)
    assert women[1] == "<5" and men[1] == "\u00d7"
    legend = page.locator(".report-legend").inner_text()
    assert "<5" in legend and "\u00d7" in legend
    body = page.content()
    assert "Mannes0" not in body and "Achternaam0" not in body
    # The sub-region chart draws the visible figures: 7 active and 7 started in one sub-region.
    chart = page.locator("#section-subregion svg")
    assert chart.locator("rect").count() >= 2
    assert chart.locator("text", has_text=str(MEN + WOMEN)).count() == 2

    with page.expect_download() as download_info:
        page.click("a[data-format=xlsx]")
    # openpyxl wants a file name with an extension, or bytes; Playwright's temporary file has none.
    with open(download_info.value.path(), "rb") as downloaded:
        workbook = load_workbook(io.BytesIO(downloaded.read()))
    values = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "<5" in values
    assert MEN not in values and WOMEN not in values
    assert not any(isinstance(v, str) and ("Mannes" in v or "Vrouwke" in v) for v in values)


def test_coordinator_reads_the_exact_numbers_of_their_own_organisation(net, browse):
    _dataset(net)
    year = timezone.localdate().year
    page = browse(net.coordinator)
    click_through(page, "nav a[href='/reports/']")
    _open_yearly_report(page, year)
    women, men = _row_cells(page, "gender", 0), _row_cells(page, "gender", 1)
    assert (women[1], men[1]) == (str(WOMEN), str(MEN))
    # No organisation to choose: a coordinator's report is their own organisation's.
    assert page.locator("#id_organisation").count() == 0
