"""In a real browser (Debian's Chromium), on a phone: the network admin removes an indication from
the draaiboek; the confirmation can be declined (nothing happens) or accepted (the draft lacks it)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from werkbrug.network.indications import FIRST
from werkbrug.network.models import DraaiboekStatus, Indication
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CODE = "psychiatric_expertise"


def _nl(code: str) -> str:
    """Version 1's wording as the browser (in Dutch) shows it."""
    with translation.override("nl"):
        return gettext(FIRST[code])


def _in_draft() -> list[str]:
    return list(
        Indication.objects.filter(version__status=DraaiboekStatus.DRAFT).values_list("code", flat=True)
    )


def test_the_admin_removes_an_indication_after_confirming(net, browse):
    admin = browse(net.admin, viewport=PHONE)
    admin.goto(reverse("library:draaiboek"))
    click_through(admin, f"a[href='{reverse('network:indication_remove', args=[CODE])}']")
    assert _nl(CODE) != FIRST[CODE]
    assert _nl(CODE) in admin.locator("main").inner_text()
    assert admin.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    admin.once("dialog", lambda dialog: dialog.dismiss())
    admin.click("main form button[type=submit]")
    admin.wait_for_timeout(500)
    assert _in_draft() == []
    admin.once("dialog", lambda dialog: dialog.accept())
    click_through(admin, "main form button[type=submit]")
    assert admin.url.endswith(reverse("library:draaiboek"))
    assert CODE not in _in_draft() and len(_in_draft()) == len(FIRST) - 1
    draft = admin.locator("section.draft").inner_text()
    assert _nl(CODE) not in draft and _nl("low_threshold") in draft
