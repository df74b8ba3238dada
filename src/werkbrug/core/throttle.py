"""Login throttling: after LOGIN_MAX_FAILURES failures for one username or address, wait."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= settings.LOGIN_MAX_FAILURES for key in _keys(username, address))


def register_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def reset(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
