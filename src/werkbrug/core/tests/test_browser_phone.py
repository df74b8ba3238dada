"""Werkbrug on a phone (issue 13, point 5), in Chromium at 390 x 844: the main pages of every role
fit the screen (no sideways scrolling of the page; wide tables scroll within themselves), the menu
folds behind a "Menu" button and logout stays reachable, and the trajectory page has the quick
contact entry in the first screen."""

from __future__ import annotations

import pytest

from werkbrug.core.tests.role_pages import build_role_pages
from werkbrug.testing import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
PHONE = {"width": WIDTH, "height": HEIGHT}

# The table wrappers that scroll sideways, with what makes them reachable by keyboard.
SCROLLING_TABLES = """() => [...document.querySelectorAll('.table-scroll')]
  .filter((w) => w.scrollWidth > w.clientWidth + 1)
  .map((w) => ({tabindex: w.getAttribute('tabindex'), role: w.getAttribute('role'),
                label: w.getAttribute('aria-label'), table: !!w.querySelector('table')}))"""

# The elements that stick out to the right of the screen, to name the culprit when a page is too wide.
WIDEST = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll'))
  .slice(0, 5)
  .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
       + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


def log_out_through_the_menu(page) -> None:
    """Open the folded menu, then the account menu, and press "Log out"."""
    toggle = page.locator("header button.menu-toggle")
    assert toggle.is_visible(), "a phone gets a Menu button"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-menu").is_visible(), "the menu is folded until asked for"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.get_attribute("aria-controls") == "site-menu"
    page.locator("#site-menu details.account > summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, "the open menu fits too"
    logout = page.locator("#site-menu form[action='/logout/'] button[type=submit]")
    box = logout.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"logout on screen: {box}"
    click_through(page, logout)


def test_the_main_pages_of_every_role_fit_a_phone_and_logout_is_reachable(tnet, browse):
    world = build_role_pages(tnet)
    too_wide: list[str] = []
    scrolling_tables = 0
    for role, (user, paths) in world.pages.items():
        page = browse(user, viewport=PHONE)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, (
                f"{role} {path}: {response and response.status}"
            )
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide.append(f"{role} {path}: {width}px {page.evaluate(WIDEST, WIDTH)}")
            for wrapper in page.evaluate(SCROLLING_TABLES):
                # A table wider than the phone scrolls within itself, and the keyboard can reach it.
                scrolling_tables += 1
                assert wrapper["table"] and wrapper["tabindex"] == "0" and wrapper["role"] == "region", (
                    path,
                    wrapper,
                )
                assert wrapper["label"], f"{role} {path}: a scrolling table is named"
        log_out_through_the_menu(page)
        assert "/login/" in page.url, f"{role} is logged out"
        page.goto(paths[-1])
        assert "/login/" in page.url, f"{role}: after logout the pages ask to log in again"
    assert not too_wide, "pages wider than the phone:\n" + "\n".join(too_wide)
    assert scrolling_tables >= 3, (
        "the wide tables (access log, caseload, waiting lists...) scroll within themselves"
    )


def test_the_quick_contact_entry_is_in_the_first_screen_of_the_trajectory_page(tnet, browse):
    world = build_role_pages(tnet)
    page = browse(tnet.coach, viewport=PHONE)
    page.goto(f"/trajectories/{world.trajectory.pk}/")
    quick = page.locator(f"form[action='/trajectories/{world.trajectory.pk}/contacts/quick/']")
    first_field = quick.locator("input:not([type=hidden]), select, textarea").first
    box = first_field.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= HEIGHT, (
        f"the quick entry's first field ends at {box['y'] + box['height']}px"
    )
    button = quick.locator("button[type=submit]").bounding_box()
    assert button is not None and button["y"] + button["height"] <= HEIGHT, "and its button too"


def test_on_a_wide_screen_the_menu_is_open_without_a_button(tnet, browse):
    page = browse(tnet.coach, viewport={"width": 1280, "height": 800})
    assert not page.locator("header button.menu-toggle").is_visible()
    assert page.locator("#site-menu a[href='/trajectories/caseload/']").is_visible()
    page.locator("#site-menu details.account > summary").click()
    click_through(page, "#site-menu form[action='/logout/'] button[type=submit]")
    assert "/login/" in page.url
