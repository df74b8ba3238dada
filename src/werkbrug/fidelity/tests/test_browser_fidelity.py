"""In Chromium: the coordinator opens a new fidelity review and finds the computed items filled in,
with their figures and a link to the trajectories counted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from werkbrug.fidelity.models import Review
from werkbrug.fidelity.tests.build import employer_contact, placement, visible_ips
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_opens_a_review_and_sees_the_computed_items(tnet, browse):
    today = timezone.localdate()
    started = today - datetime.timedelta(days=100)
    trajectory = visible_ips(tnet, started)
    employer_contact(tnet, started + datetime.timedelta(days=12), trajectory=trajectory)
    placement(tnet, trajectory, started + datetime.timedelta(days=40), competitive=True)

    page = browse(tnet.coordinator)
    page.goto("/fidelity/")
    click_through(page, "a[href='/fidelity/new/']")
    page.select_option("select[name=scale]", "ips25")
    page.fill("input[name=period_from]", (today - datetime.timedelta(days=180)).isoformat())
    page.fill("input[name=period_to]", today.isoformat())
    click_through(page, "main form button[type=submit]")

    review = Review.objects.get()
    assert page.url.endswith(f"/fidelity/{review.pk}/")
    # 12 days to the first employer contact: a 5, filled in before anyone scored.
    rapid = page.locator("tr[data-item=rapid_search_work]")
    assert (
        rapid.locator("[data-figure=first_employer_contact_days] [data-value]").inner_text() == "12,0"
    )  # Dutch decimal comma
    assert rapid.locator("td[data-cell=total] [data-score]").inner_text() == "5"
    # One job, competitive: 100 %, a 5.
    competitive = page.locator("tr[data-item=competitive_jobs]")
    assert competitive.locator("td[data-cell=total] [data-score]").inner_text() == "5"
    # The caseload: 1 trajectory for 1 full-time coach; the link leads to it.
    caseload = page.locator("tr[data-item=caseload]")
    assert caseload.locator("td[data-cell=total] [data-score]").inner_text() == "5"
    click_through(page, f"tr[data-item=caseload] a[href='/fidelity/{review.pk}/rows/caseload/']")
    assert page.locator(f"a[href='/trajectories/{trajectory.pk}/']").count() == 1
    # An item for the reviewers stays open.
    page.goto(f"/fidelity/{review.pk}/")
    assert (
        page.locator("tr[data-item=disclosure] td[data-cell=total] [data-score]").inner_text() == "\u2013"
    )  # an en dash: not scored yet
