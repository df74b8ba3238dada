"""Deny by default: every view in the URLconf declares an access policy (DESIGN §4.2), and every view
that writes is built with the one action helper (`core.actionviews.action_view`)."""

from __future__ import annotations

import types

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


# Django's own login, logout and password-reset views take a POST and write no data of ours (the
# reset sets the password through Django's own form).
AUTH_ROUTES = {"login/", "logout/", "password-reset/", "password-reset/<uidb64>/<token>/"}
# What a view's code names when it handles a submitted form itself rather than through the helper.
WRITE_NAMES = {"POST", "FILES", "submit", "form_data"}


def wrapped_chain(callback):
    """The view and everything it wraps (policy decorators, Django's method decorators)."""
    while callback is not None:
        yield callback
        callback = getattr(callback, "__wrapped__", None)


def names_in(func) -> set[str]:
    """Every global and attribute name the function's code (nested functions included) uses."""
    names: set[str] = set()
    stack = [func.__code__] if hasattr(func, "__code__") else []
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return names


def allows_post(func) -> bool:
    """Django's `require_http_methods` (require_POST…) keeps the allowed methods in its closure."""
    code = getattr(func, "__code__", None)
    if code is None or "require_http_methods" not in code.co_qualname:  # wraps() copies __qualname__
        return False
    cells = [cell.cell_contents for cell in func.__closure__ or ()]
    return any(isinstance(value, list | tuple) and "POST" in value for value in cells)


def handles_a_post(callback) -> bool:
    if hasattr(callback, "view_class"):
        return hasattr(callback.view_class, "post")
    return any(allows_post(f) or WRITE_NAMES & names_in(f) for f in wrapped_chain(callback))


def hand_written_writers():
    for route, callback in walk(get_resolver().url_patterns):
        if route.startswith(EXEMPT_PREFIXES) or route in AUTH_ROUTES:
            continue
        if not hasattr(callback, "action_spec") and handles_a_post(callback):
            yield route


def test_every_view_that_writes_is_built_as_an_action_view():
    assert list(hand_written_writers()) == []


def test_the_walker_finds_the_action_views_of_every_area():
    routes = {
        route for route, callback in walk(get_resolver().url_patterns) if hasattr(callback, "action_spec")
    }
    for prefix in ("referrals/", "trajectories/", "teams/", "network/", "clients/", "switch/"):
        assert any(route.startswith(prefix) for route in routes), prefix
    assert all(
        getattr(callback, "accepts_post", False)
        for _route, callback in walk(get_resolver().url_patterns)
        if hasattr(callback, "action_spec")
    )


def test_the_write_check_sees_a_hand_written_form_view():
    from django.http import HttpResponse
    from django.views.decorators.http import require_POST, require_safe

    from werkbrug.core.policy import client_view, login_view

    @client_view
    def reads_the_post(request):
        return HttpResponse(request.POST.get("note", ""))

    @login_view
    @require_POST
    def post_only(request):
        return HttpResponse("done")

    @login_view
    @require_safe
    def read_only(request):
        return HttpResponse(request.GET.get("q", ""))

    assert handles_a_post(reads_the_post)
    assert handles_a_post(post_only)
    assert not handles_a_post(read_only)
