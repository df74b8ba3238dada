"""Network-admin pages in a real browser: the confirm step and keyboard-only use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.network.models import Organisation, SubRegion
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deactivating_an_organisation_asks_first_and_cancel_changes_nothing(net, browse):
    page = browse(net.admin)
    page.goto(reverse("network:org_list"))
    button = page.locator(f"form[action='{reverse('network:org_toggle', args=[net.gtb.pk])}'] button")
    page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    assert Organisation.objects.get(pk=net.gtb.pk).is_active
    page.once("dialog", lambda dialog: dialog.accept())
    click_through(page, button)
    assert not Organisation.objects.get(pk=net.gtb.pk).is_active


def test_admin_adds_a_subregion_with_the_keyboard_only(net, browse):
    page = browse(net.admin)
    page.goto(reverse("network:region_create"))
    page.focus("input[name=name]")
    page.keyboard.type("Kempen")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('network:region_list')}")
    assert SubRegion.objects.filter(name="Kempen").exists()
