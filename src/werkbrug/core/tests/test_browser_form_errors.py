"""Forms after an error (issue 13, point 6), in Chromium: a refused submit opens with an error summary
at the top of the form that has the focus, each of its links focuses the field it names, and a
required field, a required tick box included, carries a visible marker."""

from __future__ import annotations

import datetime

import pytest

from werkbrug.clients.models import Client
from werkbrug.network.models import Role
from werkbrug.testing import click_through, make_user, valid_insz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_ID = "document.activeElement && document.activeElement.id"
IN_SUMMARY = "!!(document.activeElement && document.activeElement.closest('.error-summary'))"


def summary_links_focus_their_fields(page, expected_fields: set[str]) -> None:
    """Each link of the summary focuses the field it names; together they name `expected_fields`."""
    links = page.locator("form .error-summary a")
    named = set()
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert target and target.startswith("#")
        links.nth(index).click()
        assert page.evaluate(FOCUSED_ID) == target[1:], f"the link {target} focuses its field"
        named.add(page.evaluate("document.activeElement.name"))
    assert named == expected_fields


def test_a_refused_registration_puts_the_focus_on_the_error_summary(net, browse):
    page = browse(net.care)
    page.goto("/clients/new/")
    # The required fields carry the marker (and the required attribute); optional ones do not.
    assert page.locator("label[for=id_last_name] .required-marker").count() == 1
    assert page.get_attribute("#id_last_name", "required") is not None
    assert page.locator("label[for=id_insz] .required-marker").count() == 0
    assert page.locator(".error-summary").count() == 0, "no summary before a submit"

    page.fill("input[name=first_name]", "Lotte")
    page.fill("input[name=birth_date]", "1992-04-09")
    page.select_option("select[name=gender]", "F")
    page.fill("input[name=insz]", "92040912300")  # a wrong check digit; the last name is missing too
    click_through(page, "main form[method=post] button[type=submit]")

    assert not Client.objects.filter(first_name="Lotte").exists()
    summary = page.locator("main form .error-summary")
    assert summary.count() == 1
    assert page.evaluate(IN_SUMMARY), "the focus is on the error summary"
    box = summary.bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"], "and the summary is on screen"
    assert page.input_value("input[name=first_name]") == "Lotte", "nothing typed is lost"
    summary_links_focus_their_fields(page, {"last_name", "insz"})


def test_a_required_tick_box_is_marked_and_a_refusal_focuses_the_summary_then_the_box(net, browse):
    birth = datetime.date(1987, 3, 14)
    client = net.new_client(
        first_name="Wannes", last_name="Vlierbessen", birth_date=birth, insz=valid_insz(birth, "215")
    )
    officer = make_user("privacy", net.network_org, Role.PRIVACY_OFFICER)
    page = browse(officer)
    page.goto(f"/privacy/clients/{client.pk}/erase/")
    box_label = page.locator("label[for=id_confirm]")
    assert box_label.locator(".required-marker").is_visible(), "the required tick box has a visible marker"
    assert page.get_attribute("#id_confirm", "required") is not None

    page.fill("textarea[name=reason]", "Vraagt om wissing na afloop van het traject.")
    page.fill("input[name=requested_by]", "de cliënt, per brief")
    page.on("dialog", lambda dialog: dialog.accept())  # the browser's "are you sure?" before erasing
    click_through(page, "main form[method=post] button[type=submit]")  # the tick box is still empty

    assert Client.objects.get(pk=client.pk).erased_at is None
    assert page.evaluate(IN_SUMMARY), "the focus is on the error summary"
    summary_links_focus_their_fields(page, {"confirm"})
    assert page.input_value("textarea[name=reason]").startswith("Vraagt om wissing")
