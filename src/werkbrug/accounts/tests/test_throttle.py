"""Login throttling with django-axes: per account, counted in the database, the address only from a
configured proxy header; the admin is mounted only when asked for (docs/security.md)."""

from __future__ import annotations

import datetime
import importlib
import re

import time_machine
from axes.models import AccessAttempt
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from werkbrug.network.models import User
from werkbrug.testing import PASSWORD

LOCKED_NL = "Te veel mislukte pogingen."


def attempt(page: WebClient, username: str, password: str, **headers: str):
    return page.post(reverse("core:login"), {"username": username, "password": password}, **headers)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(net, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    page = WebClient()
    for _ in range(4):
        assert attempt(page, "care", "wrong").status_code == 200
    assert attempt(page, "care", "wrong").status_code == 429
    locked = attempt(WebClient(), "care", PASSWORD)  # another browser: the lock is on the account
    assert locked.status_code == 429
    assert "Too many failed attempts. Wait a quarter of an hour and try again." in locked.content.decode()
    assert "_auth_user_id" not in page.session
    # Another account is not affected.
    assert attempt(WebClient(), "screener", PASSWORD).status_code == 302


def test_the_cool_off_comes_from_the_settings(net, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    for _ in range(5):
        attempt(WebClient(), "care", "wrong")
    assert "Wait 30 minutes" in attempt(WebClient(), "care", PASSWORD).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=False):
        assert attempt(WebClient(), "care", PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off(net):
    for _ in range(5):
        attempt(WebClient(), "care", "wrong")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16), tick=False):
        assert attempt(WebClient(), "care", PASSWORD).status_code == 302


def test_the_locked_page_is_dutch_and_the_same_for_an_unknown_username(net, settings):
    settings.LANGUAGE_CODE = "nl-be"
    pages = {}
    for username in ("care", "nobody-by-this-name"):
        for _ in range(5):
            attempt(WebClient(), username, "wrong")
        response = attempt(WebClient(), username, "wrong", HTTP_ACCEPT_LANGUAGE="nl-BE")
        assert response.status_code == 429
        # The page, less its CSRF tokens (new on every response).
        pages[username] = re.sub(r'[Tt]oken(": "|" value=")[^"]+', "", response.content.decode())
        assert LOCKED_NL in pages[username]
    assert pages["care"] == pages["nobody-by-this-name"]


def test_a_forwarded_for_header_is_not_trusted_by_default(net):
    attempt(WebClient(), "care", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.5")
    assert AccessAttempt.objects.get(username="care").ip_address == "10.0.0.5"


def test_the_address_comes_from_the_configured_proxy_header(net, settings):
    settings.WERKBRUG_PROXY_IP_HEADER = "X-Real-IP"
    attempt(
        WebClient(),
        "care",
        "wrong",
        HTTP_X_REAL_IP="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="10.0.0.5",
    )
    assert AccessAttempt.objects.get(username="care").ip_address == "198.51.100.7"


def test_the_admin_is_off_unless_turned_on(db, settings, urlconf):
    settings.DEBUG = False
    settings.WERKBRUG_ADMIN = False
    urlconf()
    assert WebClient().get("/django-admin/login/").status_code == 404
    settings.WERKBRUG_ADMIN = True
    urlconf()
    assert WebClient().get("/django-admin/login/").status_code == 200
    settings.WERKBRUG_ADMIN = False
    settings.DEBUG = True
    urlconf()
    assert "django-admin/" in [str(p.pattern) for p in importlib.import_module("werkbrug.urls").urlpatterns]


def test_the_admin_login_is_throttled_too(db, settings, urlconf):
    settings.WERKBRUG_ADMIN = True
    urlconf()
    User.objects.create_user(username="boss", password=PASSWORD, is_staff=True, is_superuser=True)
    for _ in range(5):
        WebClient().post("/django-admin/login/", {"username": "boss", "password": "wrong"})
    response = WebClient().post("/django-admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    # The same count as the main login: the account is locked there too.
    assert attempt(WebClient(), "boss", PASSWORD).status_code == 429
