"""A privacy officer erases a client in a real browser: finds the person by INSZ, records the
request, confirms twice (the tick box and the browser's question), and the file is gone."""

from __future__ import annotations

import datetime

import pytest

from werkbrug.clients.models import Client
from werkbrug.network.models import Role
from werkbrug.privacy.models import ErasureRequest
from werkbrug.testing import click_through, make_user, valid_insz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH = datetime.date(1987, 3, 14)
INSZ = valid_insz(BIRTH, "215")


def test_a_privacy_officer_finds_records_and_erases_a_client(net, browse):
    client = net.new_client(first_name="Wannes", last_name="Vlierbessen", birth_date=BIRTH, insz=INSZ)
    net.trajectory(client)
    officer = make_user("privacy", net.network_org, Role.PRIVACY_OFFICER)

    page = browse(officer)
    assert page.url.endswith("/privacy/"), "the officer starts on the erasure page"
    page.fill("input[name=insz]", INSZ)
    click_through(page, "main form[method=get] button[type=submit]")
    found = page.locator("main article").first.inner_text()
    assert "Vlierbessen" not in found and "Wannes" not in found, "only initials and counts"
    assert "1987" in found

    page.click("main a[href$='/erase/']")
    page.fill("textarea[name=reason]", "Vraagt om wissing na afloop van het traject.")
    page.fill("input[name=requested_by]", "de cliënt, per brief")
    page.click("main form[method=post] button[type=submit]")  # the tick box is still empty
    assert Client.objects.get(pk=client.pk).erased_at is None
    assert page.input_value("textarea[name=reason]").startswith("Vraagt om wissing"), "nothing typed is lost"

    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.check("input[name=confirm]")
    click_through(page, "main form[method=post] button[type=submit]")
    page.wait_for_url(lambda url: url.endswith("/privacy/"))
    assert questions, "the browser asks once more before erasing"
    erased = Client.objects.get(pk=client.pk)
    assert erased.erased_at is not None and erased.insz == "" and "Vlierbessen" not in str(erased)
    assert ErasureRequest.objects.get(client_ref=client.pk).erased_at is not None
