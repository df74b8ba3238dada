"""axe-core (shipped in core/tests/axe/, see its README) over the main pages of every role, on a wide
screen and on a phone: no violation of impact serious or critical. The test's browser context
bypasses the CSP to inject axe; the app's own CSP is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from werkbrug.core.tests.role_pages import build_role_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "axe.min.js"
SERIOUS = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => ({target: n.target, summary: n.failureSummary})),
  }));
}"""


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]


# On a phone every main page of every role; on a wide screen each role's first pages (start page and
# main list), which show the unfolded menu and the wide layout. axe takes about a second a page.
PHONE = ({"width": 390, "height": 844}, None)
DESKTOP = ({"width": 1280, "height": 900}, 2)


@pytest.mark.parametrize(("viewport", "pages_per_role"), [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_serious_violation_on_the_main_pages_of_every_role(
    tnet, browse, viewport, pages_per_role
):
    world = build_role_pages(tnet)
    found: list[str] = []
    checked = 0
    for role, (user, paths) in world.pages.items():
        page = browse(user, viewport=viewport, bypass_csp=True)
        for path in paths[:pages_per_role]:
            page.goto(path)
            checked += 1
            for violation in serious_violations(page):
                found.append(f"{role} {path}: {json.dumps(violation, ensure_ascii=False)}")
    assert checked >= 2 * len(world.pages)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


def test_axe_is_loaded_and_reports_a_violation_it_must_find(tnet, browse):
    """The check has teeth: an image without a text alternative is a critical violation for axe."""
    page = browse(tnet.coach, bypass_csp=True)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert "image-alt" in {v["id"] for v in serious_violations(page)}
