"""The site menu (core/_nav.html), rendered once per role, language and counter values and kept.

The menu is the same for everyone in one role but for its badges (referrals and handovers waiting,
unread feedback), and rendering it (some thirty role checks and a dozen URLs) was a few percent of
every page. `{% site_menu %}` keeps the rendered menu per process, keyed by what it depends on: the
role, the language, the URL prefix and the values of the counters that role's menu shows
(`COUNTERS`; a test checks that no other counter changes a role's menu)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from werkbrug.core.statements import Memo
from werkbrug.network.models import Role

register = template.Library()

# The counters each role's menu shows: `menu_counts.<name>`, or the context's `unread_feedback`.
COUNTERS: dict[str, tuple[str, ...]] = {
    Role.COACH: ("referrals", "handovers"),
    Role.COORDINATOR: ("referrals", "handovers"),
    Role.SCREENER: ("referrals",),
    Role.CARE_PROFESSIONAL: ("unread_feedback",),
}

_MENUS: Memo[SafeString] = Memo(256)


def _counter(context: Any, name: str) -> int:
    if name == "unread_feedback":
        return int(context.get("unread_feedback") or 0)
    return int(getattr(context.get("menu_counts"), name, 0) or 0)


@register.simple_tag(takes_context=True)
def site_menu(context: Any) -> SafeString:
    membership = context.get("membership")
    if not membership:
        return SafeString("")
    role = membership.role
    counters = {name: _counter(context, name) for name in COUNTERS.get(role, ())}
    key = (role, get_language(), get_script_prefix(), tuple(sorted(counters.items())))
    menu = _MENUS.get(key)
    if menu is None:
        shown: dict[str, Any] = {"membership": {"role": role}}
        shown["menu_counts"] = {name: n for name, n in counters.items() if name != "unread_feedback"}
        if "unread_feedback" in counters:
            shown["unread_feedback"] = counters["unread_feedback"]
        menu = SafeString(render_to_string("core/_nav.html", shown))
        _MENUS.put(key, menu)
    return menu


def clear() -> None:
    _MENUS.clear()
