"""A coordinator imports a caseload in a real browser: the Dutch dry run with the counts, then the
import itself, which lands the file's clients and trajectories; a file with a bad row names it and
writes nothing."""

from __future__ import annotations

import pytest

from werkbrug.clients.models import Client
from werkbrug.imports.tests.test_import import caseload, counts, csv_file, xlsx
from werkbrug.testing import click_through
from werkbrug.trajectories.models import Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_coordinator_checks_then_imports_a_caseload(net, browse, tmp_path):
    rows = caseload(4, contacts_per=2)
    path = tmp_path / "caseload.xlsx"
    path.write_bytes(xlsx(rows).read())
    before = counts()

    page = browse(net.coordinator)
    page.goto("/")
    page.click("nav >> text=Importeren")
    page.set_input_files("input[type=file]", str(path))
    assert page.locator("form[data-busy]").count() == 1, "the button says it is busy while the file is read"
    click_through(page, "main form[method=post] button[type=submit]")
    for kind in rows:
        assert page.locator(f'[data-kind="{kind}"]').first.inner_text().strip() == str(len(rows[kind]))
    assert counts() == before, "the check writes nothing"

    click_through(page, "main form[method=post] button[type=submit]")
    imported = Client.objects.filter(last_name__startswith="Achternaam")
    assert imported.count() == len(rows["clienten"])
    assert Trajectory.objects.filter(client__in=imported).count() == len(rows["trajecten"])


def test_a_bad_row_is_named_in_dutch_and_nothing_is_written(net, browse, tmp_path):
    rows = caseload(3)
    rows["clienten"][1]["geboortedatum"] = "31-02-1980"
    path = tmp_path / "caseload.csv"
    path.write_bytes(csv_file(rows).read())
    before = counts()

    page = browse(net.coordinator)
    page.goto("/import/")
    page.set_input_files("input[type=file]", str(path))
    click_through(page, "main form[method=post] button[type=submit]")
    text = page.locator("main").inner_text().lower()
    assert "rij 3" in text and "kolom geboortedatum" in text, text[:1000]
    assert counts() == before
