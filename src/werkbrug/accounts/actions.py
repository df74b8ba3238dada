"""Writes of the two-step login: set a device up, give a code, reset a user's devices.

A second factor is a TOTP device (an authenticator app) plus a static device holding ten recovery
codes, each usable once (django-otp). Wrong codes are throttled by django-otp: after each failure
the next try must wait 1, 2, 4, … seconds (settings.OTP_TOTP_THROTTLE_FACTOR). Setting up, using a
recovery code and a reset are audited; none touches client data (client_id=None).
"""

from __future__ import annotations

import secrets
from binascii import unhexlify

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts import twofactor
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Role, User


def new_secret() -> str:
    """A new TOTP secret, 20 random bytes as hex (django-otp's key format)."""
    return secrets.token_hex(20)


def _locked_user(pk: int) -> User:
    """The user row, locked until the transaction ends: two setups at once cannot both succeed."""
    return User.objects.select_for_update().get(pk=pk)


def code_matches(key: str, code: str) -> bool:
    """Whether `code` is the authenticator's current code (one step either side) for the hex `key`."""
    digits = code.strip().replace(" ", "")
    if not digits.isdigit() or len(digits) != 6:
        return False
    return bool(TOTP(unhexlify(key)).verify(int(digits), tolerance=1))


@transaction.atomic
def confirm_device(actor: Actor, *, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms the secret shown on the setup page: the device is stored
    confirmed, with ten new recovery codes. Returns the device and the codes (shown once)."""
    user = _locked_user(actor.user.pk)
    if twofactor.has_device(user):
        raise DomainError(_("Two-step verification is already set up."))
    if not code_matches(key, code):
        raise DomainError(_("This code is not right. Type the 6 digits your app shows now."), field="code")
    device = TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(twofactor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    audit.record(actor, AuditAction.CREATE, device, client_id=None, summary="two-step verification set up")
    return device, codes


def verify_code(actor: Actor, code: str) -> Device | None:
    """The device that accepts `code` (the app's code, or an unused recovery code), or None.

    Not atomic as a whole: a wrong code must leave its throttle count behind. A recovery code is
    deleted as it is used (django-otp), so it works once.
    """
    user = actor.user
    token = code.strip().replace(" ", "").lower()
    if not token:
        return None
    app = twofactor.confirmed_totp(user)
    if app is not None and token.isdigit() and app.verify_token(token):
        return app
    recovery = twofactor.recovery_device(user)
    if recovery is not None and not token.isdigit():
        with transaction.atomic():
            # Locked: the same code sent twice at once is used once.
            recovery = StaticDevice.objects.select_for_update().get(pk=recovery.pk)
            if recovery.verify_token(token):
                left = recovery.token_set.count()
                audit.record(
                    actor,
                    AuditAction.UPDATE,
                    recovery,
                    client_id=None,
                    summary=f"recovery code used for two-step login ({left} left)",
                )
                return recovery
    return None


def wait_seconds(user: User) -> int:
    """How long django-otp's throttle still makes this user wait before the next code, 0 if not."""
    longest = 0
    for device in (twofactor.confirmed_totp(user), twofactor.recovery_device(user)):
        if device is None:
            continue
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            longest = max(longest, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
    return longest


@transaction.atomic
def reset_two_factor(actor: Actor, user: User) -> None:
    """The network admin removes a user's devices (a lost phone): the user sets up anew at the next
    login, if their role requires it. A session verified with the old device is no longer verified."""
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can reset two-step verification."))
    user = _locked_user(user.pk)
    apps = TOTPDevice.objects.filter(user=user)
    if not apps.exists():
        raise DomainError(_("This user has not set up two-step verification."))
    apps.delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(
        actor,
        AuditAction.DELETE,
        user,
        client_id=None,
        summary=f"two-step verification reset for {user.username}",
    )
