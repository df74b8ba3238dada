"""The report pages: who reaches them, what bad parameters do, the coordinator's fixed organisation,
the audit of downloads and a constant number of queries."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Organisation
from werkbrug.reports.framework import REGISTRY
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import actor_for

INDEX = reverse("reports:index")
DOWNLOADS = ("csv", "xlsx", "json", "pdf")


def report_url(slug: str = "yearly") -> str:
    return reverse("reports:report", args=[slug])


def some_trajectories(net, sara: int = 1, gtb: int = 0, started: str = "2025-03-03") -> None:
    specs = [rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, True, started)] * sara + [
        rd.Spec(rd.GTB, "gtb", "M", rd.NORTH, False, started)
    ] * gtb
    rd.build(net, specs)


def no_figures(page: str) -> bool:
    return "report-section" not in page and "report-table" not in page and "data-format" not in page


@pytest.mark.parametrize(
    "persona", ["coach", "screener", "care", "gtb_coach", "gtb_screener", "admin", "outsider"]
)
def test_roles_without_reports_get_404_on_the_index_and_every_report(frozen, net, login, persona):
    client = login(getattr(net, persona))
    assert client.get(INDEX).status_code == 404
    for slug in REGISTRY:
        assert client.get(report_url(slug)).status_code == 404, slug
        assert client.get(report_url(slug), {"year": rd.YEAR, "format": "csv"}).status_code == 404, slug
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(frozen, net, client):
    for url in (INDEX, report_url(), report_url() + "?format=csv", report_url("no-such-report")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login")), url


@pytest.mark.parametrize("persona", ["funder", "coordinator"])
def test_the_funder_and_the_coordinator_reach_the_index_and_their_reports(frozen, net, login, persona):
    user = getattr(net, persona)
    client = login(user)
    page = client.get(INDEX)
    assert page.status_code == 200
    actor = actor_for(user)
    for slug, report in REGISTRY.items():
        listed = f'href="{report_url(slug)}"' in page.content.decode()
        reached = client.get(report_url(slug)).status_code
        assert (listed, reached) == ((True, 200) if report.is_available_to(actor) else (False, 404)), slug
    assert f'href="{report_url("yearly")}"' in page.content.decode()


@pytest.mark.parametrize("persona", ["funder", "coordinator"])
def test_an_unknown_report_or_format_is_404(frozen, net, login, persona):
    client = login(getattr(net, persona))
    assert client.get(report_url("no-such-report")).status_code == 404
    assert client.get(report_url("no-such-report"), {"format": "csv"}).status_code == 404
    for fmt in ("docx", "HTML", "CSV", "xml", ""):
        assert client.get(report_url(), {"year": rd.YEAR, "format": fmt}).status_code == 404, fmt
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_without_parameters_the_page_shows_this_years_figures(frozen, net, login):
    some_trajectories(net, sara=2, started="2026-01-05")
    page = login(net.coordinator).get(report_url())
    assert page.status_code == 200
    assert "01/01/2026 - 31/12/2026" in page.content.decode()
    assert rd.from_html(page.content.decode())["summary"]["total"]["active"] == 2


BAD_PARAMS = [
    ({"start": "2025-06-30", "end": "2025-01-01"}, "The end lies before the start."),
    ({"start": "2025-01-01"}, "Give both a start and an end date, or neither."),
    ({"end": "2025-01-01"}, "Give both a start and an end date, or neither."),
    ({"start": "2019-01-01", "end": "2025-01-02"}, "Choose a period of at most five years."),
    ({"start": "2025-02-30", "end": "2025-03-01"}, "Enter a valid date."),
    ({"year": "2009"}, "Select a valid choice."),
    ({"year": "2027"}, "Select a valid choice."),
    ({"year": "twenty"}, "Select a valid choice."),
]


@pytest.mark.parametrize(("params", "message"), BAD_PARAMS)
def test_bad_parameters_show_the_error_on_the_page_and_refuse_the_download(
    frozen, net, login, params, message
):
    some_trajectories(net)
    client = login(net.funder)
    page = client.get(report_url(), params)
    assert page.status_code == 200
    content = page.content.decode()
    assert message in content
    assert no_figures(content)
    for fmt in DOWNLOADS:
        response = client.get(report_url(), {**params, "format": fmt})
        assert response.status_code == 400, fmt
        assert response["Content-Type"] == "text/plain"
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_period_of_five_years_is_allowed(frozen, net, login):
    response = login(net.funder).get(
        report_url(), {"start": "2021-01-01", "end": "2025-12-31", "format": "json"}
    )
    assert response.status_code == 200
    assert response.json()["params"]["start"] == "2021-01-01"


def test_the_coordinator_cannot_choose_another_organisations_line_or_team(frozen, net, login):
    client = login(net.coordinator)
    page = client.get(report_url(), {"year": rd.YEAR, "line": net.gtb_line.pk})
    assert page.status_code == 200
    assert "Select a valid choice." in page.content.decode()
    assert no_figures(page.content.decode())
    response = client.get(report_url(), {"year": rd.YEAR, "line": net.gtb_line.pk, "format": "json"})
    assert response.status_code == 400
    response = client.get(report_url(), {"year": rd.YEAR, "trajectory_type": "999999", "format": "json"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_the_coordinators_report_ignores_an_organisation_parameter(frozen, net, login):
    some_trajectories(net, sara=1, gtb=6)
    client = login(net.coordinator)
    page = client.get(report_url(), {"year": rd.YEAR, "organisation": net.gtb.pk})
    assert page.status_code == 200
    assert 'name="organisation"' not in page.content.decode()
    for fmt in ("html", "json", "csv"):
        response = client.get(report_url(), {"year": rd.YEAR, "organisation": net.gtb.pk, "format": fmt})
        parsed = rd.read(fmt, response, {})
        assert parsed["summary"]["total"]["active"] == 1, fmt
        assert list(parsed["type"]["rows"]) == ["Arbeidscoach-voortraject"], fmt
    json = client.get(report_url(), {"year": rd.YEAR, "organisation": net.gtb.pk, "format": "json"}).json()
    assert json["params"]["organisation"] == rd.SARA
    # Nor does the funder's: a funder gets the network's fixed tables (one organisation's figures
    # subtracted from the network's would give the others' small counts away).
    funder = (
        login(net.funder)
        .get(report_url(), {"year": rd.YEAR, "organisation": net.gtb.pk, "format": "json"})
        .json()
    )
    assert funder["params"]["organisation"] is None
    assert funder["sections"][0]["total"]["active"] == 1 + 6


@pytest.mark.parametrize("persona", ["funder", "coordinator"])
def test_every_download_is_audited_and_the_page_itself_is_not(frozen, net, login, persona):
    user = getattr(net, persona)
    client = login(user)
    AuditEvent.objects.all().delete()
    client.get(report_url(), {"year": rd.YEAR})
    assert not AuditEvent.objects.exists()
    for fmt in DOWNLOADS:
        assert client.get(report_url(), {"year": rd.YEAR, "format": fmt}).status_code == 200
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.object_type, e.client_id, e.user) for e in events] == [
        (AuditAction.EXPORT, "report", None, user)
    ] * len(DOWNLOADS)
    assert [e.organisation for e in events] == [actor_for(user).organisation] * len(DOWNLOADS)
    for event, fmt in zip(events, DOWNLOADS, strict=True):
        assert f"yearly ({fmt}) 2025-01-01 - 2025-12-31" in event.summary


def test_the_csv_opens_in_a_belgian_spreadsheet_and_in_an_english_one(frozen, net, login):
    """Dutch: a BOM, ";" between the cells and decimal commas (Excel nl-BE); English: "," and points."""
    some_trajectories(net, sara=6, gtb=7)
    client = login(net.funder)
    dutch = rd.csv_rows(
        client.get(report_url(), {"year": rd.YEAR, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="nl-be").content,
        delimiter=";",
    )
    cells = [cell for row in dutch for cell in row]
    assert any(re.fullmatch(r"\d+,\d+", cell) for cell in cells), dutch[:4]
    assert not any(re.fullmatch(r"\d+\.\d+", cell) for cell in cells)

    english = client.get(report_url(), {"year": rd.YEAR, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en").content
    cells = [cell for row in rd.csv_rows(english) for cell in row]
    assert any(re.fullmatch(r"\d+\.\d+", cell) for cell in cells)
    assert not any(re.fullmatch(r"\d+,\d+", cell) for cell in cells)
    assert len(cells) == len([cell for row in dutch for cell in row])


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv_and_the_xlsx(frozen, net, login):
    some_trajectories(net, sara=6)
    formula = '=HYPERLINK("http://example.org","klik")'
    Organisation.objects.filter(pk=net.sara.pk).update(name=formula)
    client = login(net.funder)

    rows = rd.csv_rows(client.get(report_url(), {"year": rd.YEAR, "format": "csv"}).content)
    labels = [row[0] for row in rows if row]
    assert "'" + formula in labels
    assert formula not in labels

    workbook = load_workbook(
        io.BytesIO(client.get(report_url(), {"year": rd.YEAR, "format": "xlsx"}).content)
    )
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == formula
    ]
    assert found
    assert {cell.data_type for cell in found} == {"s"}


def test_the_page_shows_the_csvs_rows_and_escapes_markup_in_a_name(frozen, net, login):
    """The table rows are laid out in Python, not by the template (issue 14): every row of every
    section is on the page as it is in the CSV, and a name with markup stays text."""
    some_trajectories(net, sara=6, gtb=7)
    name = '<b onclick="x()">Sara & co</b>'
    Organisation.objects.filter(pk=net.sara.pk).update(name=name)
    client = login(net.funder)
    page = client.get(report_url(), {"year": rd.YEAR}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert name not in page
    assert html.escape(name) in page
    csv_rows = rd.csv_rows(
        client.get(report_url(), {"year": rd.YEAR, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en").content
    )
    labels = {row[0] for row in csv_rows if len(row) > 1}
    assert name in labels
    shown = [
        [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for body in re.findall(r"<tbody>(.*?)</tbody>", page, re.DOTALL)
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    # Every section's rows: the same labels, one cell per column, as the CSV has them.
    assert name in {row[0] for row in shown}
    assert {row[0] for row in shown} <= labels
    widths = {len(row) for row in csv_rows if len(row) > 1}
    assert {len(row) for row in shown} <= widths


# Measured (funder, HTML): the session and the user's memberships, the form's choices, the two grouped
# queries and the names of types, regions and organisations: 11; the unique persons, one query for the
# total and one per breakdown (gender, sub-region, type, organisation): 5 more; 2 for the index. One to
# spare; never one per trajectory. Issue 13: funders and coordinators log in with a second factor, and
# the device their session was verified with is read on each request (one more on the index).
MAX_QUERIES_INDEX = (
    5  # +1 since issue 13: the session is read from the database, so that logout ends it on every worker
)
MAX_QUERIES_REPORT = 17


@pytest.mark.parametrize("trajectories", [1, 20])
@pytest.mark.parametrize("persona", ["funder", "coordinator"])
def test_the_index_and_the_yearly_report_run_a_constant_number_of_queries(
    frozen, net, login, django_assert_max_num_queries, trajectories, persona
):
    some_trajectories(net, sara=trajectories - trajectories // 2, gtb=trajectories // 2)
    client = login(getattr(net, persona))
    with django_assert_max_num_queries(MAX_QUERIES_INDEX):
        assert client.get(INDEX).status_code == 200
    for fmt in ("html", "json"):
        with django_assert_max_num_queries(MAX_QUERIES_REPORT):
            response = client.get(report_url(), {"year": rd.YEAR, "format": fmt})
        assert response.status_code == 200
    active = rd.from_json(response.json())["summary"]["total"]["active"]
    expected = trajectories if persona == "funder" else trajectories - trajectories // 2
    assert active == (expected if persona == "coordinator" or expected >= 5 else rd.SUPPRESSED)
