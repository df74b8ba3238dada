"""In a real browser (Debian's Chromium): the network admin changes an indication's wording and
publishes a new draaiboek version; a care professional sees the announcement on the start page and
the new wording on the referral form. The library's pages fit a phone (390 px)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.library.tests.data import NEW_WORDING
from werkbrug.library.tests.pages import library_pages
from werkbrug.network.indications import FIRST
from werkbrug.network.models import DraaiboekStatus, DraaiboekVersion
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_admin_publishes_a_new_wording_and_a_care_professional_sees_it(net, browse):
    client = net.new_client()
    admin = browse(net.admin)
    admin.goto(reverse("library:draaiboek"))
    click_through(admin, f"a[href='{reverse('library:indication_edit', args=['low_threshold'])}']")
    admin.fill("textarea[name=label]", NEW_WORDING)
    click_through(admin, "main form button[type=submit]")
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    click_through(admin, f"a[href='{reverse('library:publish', args=[draft.pk])}']")
    admin.fill("textarea[name=note]", "De eerste indicatie eenvoudiger verwoord.")
    admin.once("dialog", lambda dialog: dialog.accept())
    click_through(admin, "main form button[type=submit]")
    assert DraaiboekVersion.objects.get(pk=draft.pk).number == 2

    care = browse(net.care, viewport=PHONE)
    care.goto("/")
    notice = care.locator("[data-notice]")
    assert notice.count() == 1
    assert "De eerste indicatie eenvoudiger verwoord." in notice.inner_text()
    assert care.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    care.goto(reverse("referrals:create", args=[client.pk]))
    labels = care.locator("input[name=indications]").evaluate_all(
        "inputs => inputs.map((i) => i.closest('label') ? i.closest('label').innerText : '')"
    )
    text = care.locator("main").inner_text()
    assert NEW_WORDING in text and FIRST["low_threshold"] not in text, labels
    # Dismissed, the notice is gone from the start page.
    care.goto("/")
    click_through(care, "[data-notice] form button[type=submit]")
    assert care.locator("[data-notice]").count() == 0


def test_the_library_pages_fit_a_phone(net, browse):
    pages = library_pages(net)
    too_wide = []
    for user, paths in [(net.care, pages["member"]), (net.admin, pages["network_admin"])]:
        page = browse(user, viewport=PHONE)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{path}: {width}px")
    assert not too_wide, too_wide
