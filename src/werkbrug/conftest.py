"""Shared fixtures: the persona network and fast settings (DESIGN §4.5-4.6)."""

from __future__ import annotations

import pytest

from werkbrug.testing import Network, build_network


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "nl-be"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def net(db) -> Network:
    return build_network()


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
