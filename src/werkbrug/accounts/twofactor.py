"""Who must log in with a second factor, and whether this session has given it (docs/security.md).

Required of network admins, coordinators, privacy officers and funders (any active membership with
one of those roles), and of everyone when the network setting asks it; optional for the others, who
can turn it on themselves. Whoever has a confirmed device gives a code at every login.

The answer is worked out at login and kept in the session for a few minutes (`RECHECK_SECONDS`), so
that an ordinary page costs no query for it; a new role or the network setting counts from the next
check, at most RECHECK_SECONDS later.
"""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import SessionBase
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.network.models import Membership, NetworkSettings, Role, User

REQUIRED_ROLES = frozenset({Role.NETWORK_ADMIN, Role.COORDINATOR, Role.PRIVACY_OFFICER, Role.FUNDER})
RECOVERY_CODES = 10
RECHECK_SECONDS = 300
SESSION_NEED = "werkbrug_two_factor"  # {"need": "none" | "setup" | "code", "at": epoch seconds}

NONE, SETUP, CODE = "none", "setup", "code"


def required_for(user: User) -> bool:
    """Whether this user must use a second factor."""
    if Membership.objects.filter(user=user, is_active=True, role__in=REQUIRED_ROLES).exists():
        return True
    return NetworkSettings.load().require_two_factor_for_all


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def need(user: User) -> str:
    """What this user still has to do after the password: nothing, set a device up, or give a code."""
    if has_device(user):
        return CODE
    return SETUP if required_for(user) else NONE


def session_need(session: SessionBase, user: User) -> str:
    """`need(user)`, remembered in the session for RECHECK_SECONDS."""
    kept = session.get(SESSION_NEED)
    now = time.time()
    if (
        isinstance(kept, dict)
        and kept.get("user") == user.pk
        and now - float(kept.get("at", 0)) < RECHECK_SECONDS
    ):
        return str(kept["need"])
    answer = need(user)
    session[SESSION_NEED] = {"user": user.pk, "need": answer, "at": now}
    return answer


def is_verified(user: object) -> bool:
    """Whether this request's session gave the second factor (set by django_otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def forget(session: SessionBase) -> None:
    """Check again on the next request (after a device was set up or reset)."""
    session.pop(SESSION_NEED, None)


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def check_at_login(sender: object, request: object, user: User, **kwargs: object) -> None:
    """At every login, work out afresh what the user owes (signal `user_logged_in`)."""
    session = getattr(request, "session", None)
    if session is not None:
        forget(session)
        session_need(session, user)
