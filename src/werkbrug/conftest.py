"""Shared fixtures: the persona network and fast settings (DESIGN §4.5-4.6)."""

from __future__ import annotations

import pytest

from werkbrug.testing import Network, build_network, click_through


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Assertions read the English msgids; test_i18n.py checks that users get Dutch by default.
    settings.LANGUAGE_CODE = "en"
    # Jobs run at once, in the process that queues them, unless a test asks for the database queue
    # and a worker (werkbrug/jobs/tests: the `job_queue` fixture).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`Client.force_login` skips the login form, so it skips the second factor too: the session is
    marked verified as django_otp.login does (for a user with a device). The two-step tests log in
    through the real forms (accounts/tests)."""
    from django.test import Client

    from werkbrug.testing import mark_verified

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from werkbrug.core import statements, suppression
    from werkbrug.core.templatetags import site_menu

    cache.clear()
    suppression._DECIDED.clear()  # each test audits its own figures, whatever ran before it
    statements.clear()  # the menu counters' statements are built anew in each test
    site_menu.clear()


@pytest.fixture(autouse=True)
def _no_client_data_in_logs(caplog):
    """Issue 19: no log line of a test run names a client. Every client saved during the test is
    remembered (surname, INSZ), and every log record the test wrote, formatted as production writes
    it (core.logjson), must hold neither. core/tests/test_request_log.py does the same on purpose
    with searches for the name."""
    from django.db.models.signals import post_save

    from werkbrug.clients.models import Client
    from werkbrug.core.logjson import JsonFormatter

    seen: set[str] = set()

    def remember(sender, instance, **kwargs):
        seen.update(value for value in (instance.last_name, instance.insz) if value and len(value) >= 4)

    post_save.connect(remember, sender=Client, weak=False, dispatch_uid="werkbrug-no-client-data-in-logs")
    try:
        yield
    finally:
        post_save.disconnect(sender=Client, dispatch_uid="werkbrug-no-client-data-in-logs")
    if seen:
        formatter = JsonFormatter()
        for record in [*caplog.get_records("setup"), *caplog.get_records("call")]:
            line = formatter.format(record)
            found = sorted(value for value in seen if value in line)
            assert not found, f"a log line holds client data {found}: {line}"


@pytest.fixture
def net(db) -> Network:
    return build_network()


@pytest.fixture
def tnet(transactional_db) -> Network:
    """The personas in a database that threads share (races, docs/conventions.md)."""
    return build_network()


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. In CI a missing browser fails the run; elsewhere the
    browser tests are skipped with the reason."""
    import os
    import shutil

    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test itself are
    # still synchronous, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browse(browser, live_server):
    """browse(user) -> a Playwright page logged in as that user, in its own browser context, through
    the real forms: the password, then (for a user with an authenticator) the app's current code.
    `viewport={"width": 390, "height": 844}` sizes the window (a phone); `bypass_csp=True` lets a
    test inject a script (axe-core) past the app's CSP, which stays as it is for the app itself."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkbrug.testing import PASSWORD, totp_code

    contexts = []

    def _browse(user, *, viewport=None, bypass_csp=False):
        options = {"viewport": viewport} if viewport else {}
        context = browser.new_context(
            base_url=live_server.url, locale="nl-BE", bypass_csp=bypass_csp, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        click_through(page, "main form button[type=submit]")
        assert "/login/" not in page.url, f"login failed for {user.username}"
        if "/two-factor/verify/" in page.url:
            # A code is accepted once (django-otp); a second login of the same person in one test
            # may use the current code again.
            TOTPDevice.objects.filter(user=user).update(last_t=-1)
            page.fill("input[name=code]", totp_code())
            click_through(page, "main form:has(input[name=code]) button[type=submit]")
            assert "/two-factor/" not in page.url, f"second factor failed for {user.username}"
        return page

    yield _browse
    for context in contexts:
        context.close()


@pytest.fixture
def urlconf(settings):
    """urlconf() builds the URLconf again from the settings the test has set (werkbrug.urls mounts
    the admin only with DEBUG or WERKBRUG_ADMIN on, when it is imported: during collection, with the
    development default DEBUG on). Afterwards the production URLconf is built again."""
    import importlib

    from django.urls import clear_url_caches

    import werkbrug.urls

    def build():
        clear_url_caches()
        importlib.reload(werkbrug.urls)

    yield build
    settings.WERKBRUG_ADMIN = False
    settings.DEBUG = False
    build()
