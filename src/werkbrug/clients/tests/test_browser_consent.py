"""Consent drives sharing, in a real browser (Debian's Chromium): the care professional records a
profile consent for SaRA naming two sections → the SaRA coach sees exactly those two → the care
professional withdraws it → the coach's profile page answers 404. GTB (which sees the file through
its own referral, but has no profile consent) and an unrelated organisation never see the profile."""

from __future__ import annotations

import re

import pytest

from werkbrug.clients.models import Consent, ConsentPurpose, ProfileSection
from werkbrug.clients.tests.client_data import PDF
from werkbrug.exchange.models import SectionVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARED = (ProfileSection.SKILLS, ProfileSection.IPS_PREFERENCES)


def section_text(code: str) -> str:
    return f"Sectietekst «{code}»"


def status(page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


def test_profile_consent_shares_exactly_two_sections_until_it_is_withdrawn(net, browse, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    trajectory = net.trajectory()  # referred by PZ (care), led by SaRA (work partner B)
    client = trajectory.client
    net.refer(client, line=net.gtb_line)  # GTB (C) sees the file, but gets no profile consent
    for code in ProfileSection.values:
        SectionVersion.objects.create(
            client=client, section=code, text=section_text(code), author=net.care, organisation=net.hospital
        )
    profile = f"/exchange/clients/{client.pk}/profile/"
    coach, gtb, outsider = browse(net.coach), browse(net.gtb_coach), browse(net.outsider)
    assert status(coach, profile) == 404
    assert status(gtb, profile) == 404 and status(outsider, profile) == 404

    # The care professional records the consent through the form, with the signed form.
    care = browse(net.care)
    care.goto(f"/clients/{client.pk}/consents/new/")
    care.select_option("select[name=purpose]", ConsentPurpose.PROFILE.value)
    care.fill("input[name=recipient__q]", "sara arbeid")
    care.locator("[data-chooser-pick]", has_text=net.sara.name).click()
    for code in SHARED:
        care.check(f"input[name=categories][value={code.value}]")
    care.select_option("select[name=evidence]", "signed_form")
    care.set_input_files(
        "input[name=evidence_file]",
        files=[{"name": "toestemming.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    care.locator("main form[method=post] button[type=submit]").click()
    care.wait_for_url(re.compile(rf"/clients/{client.pk}/$"))
    consent = Consent.objects.get(client=client, purpose=ConsentPurpose.PROFILE)
    assert consent.recipient == net.sara and sorted(consent.categories) == sorted(c.value for c in SHARED)
    assert consent.evidence_file and consent.evidence_file.read() == PDF
    assert care.locator(f"a[href='/clients/{client.pk}/consents/{consent.pk}/signed-form.pdf']").count() == 1

    # The SaRA coach sees those two sections, and no others.
    assert status(coach, profile) == 200
    shown = coach.locator("main").inner_text()
    for code in ProfileSection.values:
        assert (section_text(code) in shown) == (code in SHARED), code
    assert status(gtb, profile) == 404 and status(outsider, profile) == 404

    # Withdrawal in one step, after the confirmation dialog.
    care.goto(f"/clients/{client.pk}/")
    care.once("dialog", lambda dialog: dialog.accept())
    with care.expect_navigation():
        care.locator(f"main form[action$='/consents/{consent.pk}/withdraw/'] button[type=submit]").click()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == net.care
    assert care.locator(f"main form[action$='/consents/{consent.pk}/withdraw/']").count() == 0

    # The same page now answers 404 for SaRA; GTB and the outsider never saw it.
    assert status(coach, profile) == 404
    assert status(gtb, profile) == 404 and status(outsider, profile) == 404
