"""axe-core over a chooser with its results open, its no-JavaScript pick list, and a closed form of
the trajectory page loaded by opening it (issue 14): no violation of impact serious or critical."""

from __future__ import annotations

import json

import pytest

from werkbrug.core.tests.test_browser_axe import serious_violations
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType
from werkbrug.testing import open_closed_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_finds_no_serious_violation_on_choosers_and_lazily_loaded_forms(tnet, browse):
    Organisation.objects.bulk_create(
        Organisation(name=f"Werkplaats {i:02d}", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB)
        for i in range(5)
    )
    trajectory = tnet.trajectory()
    page = browse(tnet.coach, bypass_csp=True)
    found: list[str] = []

    def check(where: str) -> None:
        found.extend(f"{where}: {json.dumps(v, ensure_ascii=False)}" for v in serious_violations(page))

    # The trajectory page with the handover form opened (loaded by htmx) and its results shown.
    page.goto(f"/trajectories/{trajectory.pk}/")
    open_closed_form(page, "#handover")
    page.locator("#handover input[name=to_organisation__q]").fill("werkplaats")
    page.locator("#handover [data-chooser-pick]").first.wait_for()
    check("trajectory page, handover opened")
    # The action page refused without JavaScript's help: several matches, a list to pick from.
    page.goto(f"/trajectories/{trajectory.pk}/handovers/new/")
    page.evaluate("document.querySelector('input[name=to_organisation__q]').value = 'werkplaats'")
    page.locator("main form[method=post] button[type=submit]").click()
    page.locator("input[type=radio][name=to_organisation]").first.wait_for()
    check("handover page, pick list")
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
