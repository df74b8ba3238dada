"""A long report table pages through its rows on the report page (issue 14: a funder's tables have a
row per organisation or referral line, and the page must not grow with the network). Every download
keeps all the rows. The page size is set to one row here, so that the test world's two organisations
make two pages."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from werkbrug.reports import formats
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import pdf_text

URL = reverse("reports:report", args=["yearly"])


def sections(page: str) -> dict[str, str]:
    """Each report section's HTML by its key."""
    return dict(
        re.findall(r'<section class="report-section"[^>]*data-section="(\w+)">(.*?)</section>', page, re.S)
    )


def body_rows(section: str) -> list[list[str]]:
    """The cells of the table body's rows, as a person reads them."""
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.S)
    assert body is not None, section[:300]
    return [
        [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1))
    ]


def total_row(section: str) -> str:
    found = re.search(r"<tfoot>(.*?)</tfoot>", section, re.S)
    assert found is not None
    return found.group(1)


def link(section: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', section)
    return html.unescape(found.group(1)) if found else None


def csv_section(content: bytes, title: str) -> list[list[str]]:
    """The body rows of the CSV table titled `title` (a title line, a header, the rows, a total)."""
    lines = rd.csv_rows(content)
    start = next(i for i, line in enumerate(lines) if line == [title])
    block = []
    for line in lines[start + 2 :]:
        if not line:
            break
        block.append(line)
    return block[:-1]  # the last line is the total


@pytest.fixture
def one_row_a_page(monkeypatch):
    monkeypatch.setattr(formats, "ROWS_PER_PAGE", 1)


def test_the_organisations_table_pages_through_every_row_of_the_download(frozen, net, login, monkeypatch):
    rd.build(net, [rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, True, "2025-03-03")] * 6
             + [rd.Spec(rd.GTB, "gtb", "M", rd.NORTH, False, "2025-03-03")] * 7)  # fmt: skip
    client = login(net.funder)
    download = client.get(URL, {"year": rd.YEAR, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    title = next(t for t, key in rd.YEARLY_TITLES.items() if key == "organisation")
    assert sorted(row[0] for row in csv_section(download.content, title)) == sorted([rd.SARA, rd.GTB])
    # The whole table as one page shows it, then one row a page.
    whole = client.get(URL, {"year": rd.YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    in_one_page = body_rows(sections(whole)["organisation"])
    assert [row[0] for row in in_one_page] == [row[0] for row in csv_section(download.content, title)]
    monkeypatch.setattr(formats, "ROWS_PER_PAGE", 1)

    seen, pages, totals, genders = [], [], set(), set()
    url = f"{URL}?year={rd.YEAR}"
    while url is not None:
        response = client.get(url if url.startswith("/") else URL + url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = response.content.decode()
        shown = sections(page)
        organisations = shown["organisation"]
        rows = body_rows(organisations)
        assert len(rows) == 1
        seen += rows
        pages.append(re.search(r"Rows \d+-\d+ of \d+", organisations).group(0))
        totals.add(total_row(organisations))
        # The other sections stay on their first page while this one pages on.
        genders.add(tuple(map(tuple, body_rows(shown["gender"]))))
        # A download from any page has every row: the page's choice of rows is not in its links.
        assert "rows-" not in "".join(
            re.findall(r'data-format="\w+"', page) + re.findall(r'href="\?[^"]*format=[^"]*"', page)
        )
        url = link(organisations, "next")
        if url is not None:
            assert "rows-organisation=" in url and url.endswith("#section-organisation")
    assert seen == in_one_page
    assert pages == ["Rows 1-1 of 2", "Rows 2-2 of 2"]
    assert len(totals) == 1  # the total stands under every page
    assert len(genders) == 1


@pytest.mark.parametrize(("asked", "shown"), [("x", 1), ("0", 2), ("-1", 2), ("99", 2), ("2", 2), ("", 1)])
def test_a_page_number_that_is_not_one_shows_a_page_never_an_error(
    frozen, net, login, one_row_a_page, asked, shown
):
    rd.build(net, [rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, True, "2025-03-03")] * 6
             + [rd.Spec(rd.GTB, "gtb", "M", rd.NORTH, False, "2025-03-03")] * 7)  # fmt: skip
    client = login(net.funder)
    response = client.get(URL, {"year": rd.YEAR, "rows-organisation": asked}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    organisations = sections(response.content.decode())["organisation"]
    assert f"Rows {shown}-{shown} of 2" in organisations
    assert (link(organisations, "prev") is not None, link(organisations, "next") is not None) == (
        shown == 2,
        shown == 1,
    )


def test_a_table_within_the_page_size_has_no_pages(frozen, net, login):
    rd.build(net, [rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, True, "2025-03-03")] * 6
             + [rd.Spec(rd.GTB, "gtb", "M", rd.NORTH, False, "2025-03-03")] * 7)  # fmt: skip
    page = login(net.funder).get(URL, {"year": rd.YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(body_rows(sections(page)["organisation"])) == 2
    assert "data-rows-pager" not in page


def test_the_pdf_has_every_row(frozen, net, login, one_row_a_page):
    rd.build(net, [rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, True, "2025-03-03")] * 6
             + [rd.Spec(rd.GTB, "gtb", "M", rd.NORTH, False, "2025-03-03")] * 7)  # fmt: skip
    response = login(net.funder).get(URL, {"year": rd.YEAR, "format": "pdf"}, HTTP_ACCEPT_LANGUAGE="en")
    text = pdf_text(response.content)
    squeezed = re.sub(r"\s", "", text)  # a long name wraps in its cell
    assert all(re.sub(r"\s", "", name) in squeezed for name in (rd.SARA, rd.GTB))
    assert "Rows 1-1" not in text
