"""Registering a client in a real browser, including the error path."""

from __future__ import annotations

import pytest

from werkbrug.clients.models import Client
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_care_professional_registers_a_client_and_fixes_a_bad_insz(net, browse):
    page = browse(net.care)
    page.goto("/clients/new/")
    page.fill("input[name=first_name]", "Lotte")
    page.fill("input[name=last_name]", "Wouters")
    page.fill("input[name=birth_date]", "1992-04-09")
    page.select_option("select[name=gender]", "F")
    page.fill("input[name=insz]", "92040912300")
    click_through(page, "main form[method=post] button[type=submit]")
    assert page.locator(".field-error").count() >= 1
    assert page.input_value("input[name=first_name]") == "Lotte"  # nothing typed is lost
    assert not Client.objects.filter(last_name="Wouters").exists()
    page.fill("input[name=insz]", "")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/clients/*/")
    assert "Lotte Wouters" in page.locator("h1").inner_text()
