"""The site menu is kept per role, language and counter values (core.templatetags.site_menu): its
key must hold everything the menu shows."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from werkbrug.core.templatetags.site_menu import COUNTERS
from werkbrug.network.models import Role

ALL_COUNTERS = ("referrals", "handovers", "unread_feedback")


def nav(role: str, **counts: int) -> str:
    """core/_nav.html rendered directly, as base.html included it before the menu was kept."""
    return render_to_string(
        "core/_nav.html",
        {
            "membership": {"role": role},
            "menu_counts": {k: counts.get(k, 0) for k in ("referrals", "handovers")},
            "unread_feedback": counts.get("unread_feedback", 0),
        },
    )


@pytest.mark.parametrize("role", Role.values)
def test_a_roles_menu_changes_with_its_own_counters_and_no_other(role):
    plain = nav(role)
    for name in ALL_COUNTERS:
        changed = nav(role, **{name: 7})
        if name in COUNTERS.get(role, ()):
            assert changed != plain and ">7<" in changed, (role, name)
        else:
            assert changed == plain, (role, name)


class Counts:
    def __init__(self, referrals: int, handovers: int) -> None:
        self.referrals, self.handovers = referrals, handovers


def menu(role: str, referrals: int = 0, handovers: int = 0, unread: int = 0) -> str:
    context = {
        "membership": type("M", (), {"role": role})(),
        "menu_counts": Counts(referrals, handovers),
        "unread_feedback": unread,
    }
    return Template("{% load site_menu %}{% site_menu %}").render(Context(context))


@pytest.mark.parametrize("role", Role.values)
def test_the_kept_menu_is_the_menu_for_its_role_counters_and_language(role):
    for language in ("nl-be", "fr", "en"):
        with translation.override(language):
            for referrals, handovers, unread in ((0, 0, 0), (3, 0, 2), (3, 4, 0), (0, 0, 0)):
                expected = nav(role, referrals=referrals, handovers=handovers, unread_feedback=unread)
                assert menu(role, referrals, handovers, unread) == expected


def test_the_menu_follows_the_language():
    with translation.override("nl-be"):
        dutch = menu(Role.COACH)
    with translation.override("fr"):
        french = menu(Role.COACH)
    assert dutch != french


def test_no_membership_no_menu():
    assert Template("{% load site_menu %}{% site_menu %}").render(Context({})) == ""
