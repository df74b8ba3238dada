"""The whole referral-to-work path in a real browser (Debian's Chromium), as the people who use it:
a care professional refers → the screener triages to the arbeidscoach line → the coach accepts,
records a contact, a plan goal and an outcome, and hands over to GTB → the GTB coach accepts →
the referrer sees the new status."""

from __future__ import annotations

import re

import pytest

from werkbrug.clients.models import Client
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.testing import click_through
from werkbrug.trajectories.models import Contact, Outcome, PlanGoal, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, action_suffix: str) -> None:
    """Click the submit button of the form that posts to a URL ending with `action_suffix`."""
    click_through(page, page.locator(f"main form[action$='{action_suffix}'] button[type=submit]").first)


def submit_page(page) -> None:
    """Submit the one form of an action page (it posts to its own URL)."""
    click_through(page, page.locator("main form[method=post] button[type=submit]").first)


def test_referral_to_handover_to_gtb_end_to_end(net, browse):
    # 1. The care professional registers the person and refers them to the arbeidscoach line.
    care = browse(net.care)
    care.goto("/clients/new/")
    care.fill("input[name=first_name]", "Sofie")
    care.fill("input[name=last_name]", "Maes")
    care.fill("input[name=birth_date]", "1988-02-14")
    care.select_option("select[name=gender]", "F")
    care.locator("main form[method=post] button[type=submit]").click()
    care.wait_for_url(re.compile(r"/clients/\d+/$"))
    client = Client.objects.get(last_name="Maes")

    care.click(f"a[href='/referrals/new/{client.pk}/']")
    care.fill("input[name=line__q]", "arbeidscoach")
    care.locator("[data-chooser-pick]", has_text=net.coach_line.name).click()
    care.fill(
        "textarea[name=question]", "Wil na de opname stap voor stap naar werk; nood aan laagdrempelige start."
    )
    for code in ("low_threshold", "psychiatric_expertise", "shared_focus"):
        care.check(f"input[name=indications][value={code}]")
    # The triage suggestion updates as indications are ticked (htmx).
    care.wait_for_selector("#suggestion >> text=SaRA arbeidscoach")
    care.check("input[name=consent]")
    # The client agrees that PZ follows the outcome (without it PZ sees only "received", issue 12).
    care.check("input[name=follow_outcome]")
    care.locator("main form[method=post] button[type=submit]").last.click()
    care.wait_for_url(re.compile(r"/referrals/\d+/$"))
    referral = Referral.objects.get(client=client)
    assert referral.line == net.coach_line

    # 2. The line's screener sees it in the inbox, with the suggestion, and assigns the coach.
    screener = browse(net.screener)
    screener.goto("/referrals/inbox/")
    screener.click(f"a[href='/referrals/{referral.pk}/']")
    assert "SaRA arbeidscoach" in screener.locator("#suggestion").inner_text()
    assign = screener.locator(f"form[action$='/referrals/{referral.pk}/assign/']")
    assign.locator("input[name=coach__q]").fill(net.coach.last_name or net.coach.username)
    assign.locator("[data-chooser-pick]").first.click()
    assert assign.locator("input[name=coach]").input_value() == str(net.coach.pk)
    submit(screener, f"/referrals/{referral.pk}/assign/")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSIGNED

    # 3. The coach finds it on the caseload, accepts, and works the trajectory.
    coach = browse(net.coach)
    coach.goto("/trajectories/caseload/")
    coach.click(f"a[href='/referrals/{referral.pk}/']")
    submit(coach, f"/referrals/{referral.pk}/accept/")
    coach.wait_for_url(re.compile(r"/trajectories/\d+/$"))
    trajectory = Trajectory.objects.get(referral=referral)

    coach.fill("input[name=text]", "tel 20 belde over vacature in de groendienst")
    submit(coach, f"/trajectories/{trajectory.pk}/contacts/quick/")
    contact = Contact.objects.get(trajectory=trajectory)
    assert (contact.kind, contact.duration_minutes) == ("phone", 20)

    coach.goto(f"/trajectories/{trajectory.pk}/goals/new/")
    coach.fill("input[name=goal]", "Sollicitatiebrief opstellen")
    coach.fill("input[name=due_on]", "2030-01-31")
    submit_page(coach)
    assert PlanGoal.objects.filter(trajectory=trajectory, goal="Sollicitatiebrief opstellen").exists()

    coach.goto(f"/trajectories/{trajectory.pk}/outcomes/new/")
    coach.select_option("select[name=kind]", "vdab_registration")
    submit_page(coach)
    assert Outcome.objects.filter(trajectory=trajectory, kind="vdab_registration").exists()

    coach.goto(f"/trajectories/{trajectory.pk}/handovers/new/")
    coach.fill("input[name=to_organisation__q]", "GTB Antw")
    coach.locator("[data-chooser-pick]", has_text="GTB Antwerpen").click()
    coach.select_option("select[name=new_type]", label="GTB-trajectbegeleiding")
    coach.fill("textarea[name=note]", "Klaar voor een regulier traject; werkt graag buiten.")
    submit_page(coach)
    assert trajectory.handovers.get().status == "proposed"

    # 4. The GTB coach accepts the handover from their handover inbox.
    gtb = browse(net.gtb_coach)
    gtb.goto("/trajectories/handovers/")
    handover = trajectory.handovers.get()
    submit(gtb, f"/trajectories/{trajectory.pk}/handovers/{handover.pk}/accept/")
    trajectory.refresh_from_db()
    assert trajectory.lead_organisation == net.gtb and trajectory.coach == net.gtb_coach

    # 5. The referrer sees the new status: the trajectory is now led by GTB.
    care.goto("/referrals/")
    row = care.locator("main table tbody tr", has_text="Sofie Maes")
    assert "GTB Antwerpen" in row.inner_text()
