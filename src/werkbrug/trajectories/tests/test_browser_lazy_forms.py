"""The trajectory page's closed forms load when opened, and the handover's organisation is chosen
by typing (issue 14), in Chromium: on the trajectory page, open the handover, type part of a name,
pick it from the list, submit."""

from __future__ import annotations

import pytest

from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType
from werkbrug.testing import open_closed_form
from werkbrug.trajectories.models import HandoverStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coach_types_part_of_a_name_picks_it_and_proposes_the_handover(net, browse):
    Organisation.objects.bulk_create(
        Organisation(name=f"Werkplaats {i:02d}", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB)
        for i in range(30)
    )
    wanted = Organisation.objects.get(name="Werkplaats 17")
    trajectory = net.trajectory()
    page = browse(net.coach)
    page.goto(f"/trajectories/{trajectory.pk}/")
    open_closed_form(page, "#handover")
    form = page.locator("form[action$='/handovers/new/']")
    box = form.locator("input[name=to_organisation__q]")
    box.fill("werkplaats 1")
    options = form.locator("[data-chooser-pick]")
    options.first.wait_for()
    # Every word must occur: "Werkplaats" and "1" (01, 10-19, 21), nothing else.
    expected = sorted(f"Werkplaats {i:02d}" for i in range(30) if "1" in f"{i:02d}")
    assert sorted(options.all_inner_texts()) == expected
    form.locator("[data-chooser-pick]", has_text="Werkplaats 17").click()
    assert box.input_value() == "Werkplaats 17"
    assert form.locator("input[name=to_organisation]").input_value() == str(wanted.pk)
    form.locator("select[name=new_type]").select_option(label="GTB-trajectbegeleiding")
    form.locator("textarea[name=note]").fill("Klaar voor een regulier traject.")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/trajectories/{trajectory.pk}/#handover")
    handover = trajectory.handovers.get()
    assert (handover.to_organisation, handover.status) == (wanted, HandoverStatus.PROPOSED)


def test_the_keyboard_reaches_the_results_and_picks_one(net, browse):
    trajectory = net.trajectory()
    page = browse(net.coach)
    page.goto(f"/trajectories/{trajectory.pk}/handovers/new/")
    box = page.locator("input[name=to_organisation__q]")
    box.fill("gtb")
    page.locator("[data-chooser-pick]").first.wait_for()
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    assert box.input_value() == net.gtb.name
    assert page.locator("input[name=to_organisation]").input_value() == str(net.gtb.pk)


def test_a_closed_form_loads_when_opened_and_is_sent_from_the_page(net, browse):
    trajectory = net.trajectory()
    page = browse(net.coach)
    page.goto(f"/trajectories/{trajectory.pk}/")
    plan = page.locator("#plan")
    assert plan.locator("input[name=goal]").count() == 0  # not on the page until opened
    open_closed_form(page, plan)
    plan.locator("input[name=goal]").fill("Cv bijwerken")
    plan.locator("form[action$='/goals/new/'] button[type=submit]").click()
    page.wait_for_url(f"**/trajectories/{trajectory.pk}/#plan")
    assert trajectory.goals.get().goal == "Cv bijwerken"
