"""In a real browser (Debian's Chromium): a coach records a work-care agreement with all seven
elements and prints it; a supervisor fills in a month of hours for a group of five in one grid; the
coordinator opens the subsidy statement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from werkbrug.testing import click_through
from werkbrug.workcare.forms import cell_name
from werkbrug.workcare.hours import month_days
from werkbrug.workcare.models import DayHours, WorkCareAgreement
from werkbrug.workcare.tests.data import SEVEN, agreement, workcare_trajectory, workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR, MONTH = 2026, 3


def test_coach_records_and_prints_an_agreement(net, browse):
    at, trajectory = workshop(net), workcare_trajectory(net)
    page = browse(net.coach)
    page.goto(f"/trajectories/{trajectory.pk}/")
    click_through(page, f"a[href='/workcare/trajectories/{trajectory.pk}/agreements/new/']")
    page.select_option("select[name=workshop]", str(at.pk))
    page.select_option("select[name=form]", "atelier")
    page.select_option("select[name=aim]", "onward")
    page.fill("input[name=starts_on]", "2026-02-01")
    for name, value in SEVEN.items():
        page.fill(f"textarea[name={name}]", value)
    page.fill("input[name=liability_insurance]", "Ethias 1")
    page.fill("input[name=accident_insurance]", "Ethias 2")
    click_through(page, "main form button[type=submit]")
    saved = WorkCareAgreement.objects.get()
    assert saved.missing == []
    assert page.url.endswith(f"/workcare/trajectories/{trajectory.pk}/agreements/{saved.pk}/")
    with page.expect_response(lambda r: r.url.endswith("/print.pdf")) as printed:
        page.evaluate("url => fetch(url)", page.locator("a[data-print]").get_attribute("href"))
    response = printed.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    click_through(page, f"a[href='/workcare/trajectories/{trajectory.pk}/agreements/{saved.pk}/sign/']")
    page.fill("input[name=signed_on]", "2026-01-30")
    click_through(page, "main form button[type=submit]")
    assert page.locator("[data-signed]").count() == 1


def test_supervisor_fills_in_a_month_for_five_and_the_coordinator_opens_the_statement(net, browse):
    at = workshop(net)
    people = []
    for i in range(5):
        trajectory = workcare_trajectory(net, first_name=f"Deelnemer{i}")
        agreement(net, trajectory, at)
        people.append(trajectory)
    days = month_days(YEAR, MONTH)
    page = browse(net.coach)
    page.goto(f"/workcare/workshops/{at.pk}/hours/{YEAR}/{MONTH}/")
    for t in people:
        for d in days[:20]:
            page.fill(f"input[name='{cell_name(t.pk, d)}']", "6.5")
    click_through(page, "main form button[type=submit]")
    # 5 x 20 x 6.5 = 650 h: 150 h a week, D = 20 caps A at 4 -> 0.8 support FTE -> 1,466.67 a month.
    assert DayHours.objects.count() == 100
    assert sum(DayHours.objects.values_list("hours", flat=True)) == Decimal(650)
    assert page.locator("[data-grand-total]").inner_text().strip() == "650,00"  # Dutch: a decimal comma

    statement = browse(net.coordinator)
    statement.goto(f"/workcare/workshops/{at.pk}/subsidy/?year={YEAR}")
    row = statement.locator(f"tr[data-month='{MONTH}']")
    assert row.locator("[data-hours]").inner_text().strip() == "650,00"  # Dutch: a decimal comma
    assert row.locator("[data-amount]").inner_text().strip() == "€ 1466,67"
