"""Deny by default: every view in the URLconf declares an access policy (DESIGN §4.2)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Views that are not ours and guard themselves: Django's admin (staff only) and the language switch
# (no data). The JSON API is checked per operation in api/tests.
EXEMPT_PREFIXES = ("django-admin/", "i18n/", "api/")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_view_declares_an_access_policy():
    missing = [
        route
        for route, callback in walk(get_resolver().url_patterns)
        if not route.startswith(EXEMPT_PREFIXES) and not getattr(callback, "access_policy", None)
    ]
    assert missing == []


def test_the_walker_finds_the_views_it_checks():
    routes = [route for route, _callback in walk(get_resolver().url_patterns)]
    assert "clients/<int:pk>/" in routes
    assert any(route.startswith("referrals/") for route in routes)


def test_no_view_still_points_at_a_placeholder():
    from werkbrug.core import todo

    assert [r for r, cb in walk(get_resolver().url_patterns) if cb is todo.todo] == []
