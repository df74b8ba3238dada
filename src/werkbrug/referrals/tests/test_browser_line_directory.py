"""In Chromium: the referral form's line overview loads when opened, searches and pages inside the
form's page, and what was typed in the referral form stays (issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from werkbrug.network.models import ReferralLine
from werkbrug.referrals.tests.test_line_directory import add_lines
from werkbrug.referrals.views import LINES_PER_PAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_line_overview_loads_searches_and_pages_without_losing_the_referral(net, browse):
    add_lines(net, LINES_PER_PAGE + 5)
    client = net.new_client()
    page = browse(net.care)
    page.goto(f"/referrals/new/{client.pk}/")
    page.locator("textarea[name=question]").fill("Wil terug aan het werk.")
    page.locator("summary", has_text="lijn").first.click()
    directory = page.locator("#line-directory")
    directory.wait_for()
    assert directory.locator("article").count() == LINES_PER_PAGE
    directory.locator("a", has_text="Volgende").click()
    expect(directory.locator("nav.pager")).to_contain_text("2")
    total = ReferralLine.objects.filter(is_active=True, organisation__is_active=True).count()
    expect(directory.locator("article")).to_have_count(total - LINES_PER_PAGE)
    directory.locator("input[name=q]").fill("nummer 007")
    directory.locator("button[type=submit]").click()
    expect(directory.locator("article")).to_have_count(1)
    assert directory.locator("article h3").inner_text() == "Lijn 007"
    assert page.url.endswith(f"/referrals/new/{client.pk}/")
    assert page.locator("textarea[name=question]").input_value() == "Wil terug aan het werk."
