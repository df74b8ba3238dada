"""The coach's calendar feed by subscription (docs/outreach.md, "The coach's .ics"): create (which
replaces a live one), revoke, and find the coach behind a token. The token is shown once; only its
SHA-256 digest is kept, so the database alone does not give the URL away."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Membership
from werkbrug.outreach.access import OUTREACH_ROLES
from werkbrug.outreach.models import CalendarFeed

TOKEN_BYTES = 32


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(membership: Membership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).first()


def _membership(actor: Actor) -> Membership:
    if actor.membership is None or actor.role not in OUTREACH_ROLES:
        raise DomainError(_("Only coaches and coordinators have a calendar feed."))
    return actor.membership


@transaction.atomic
def create_feed(actor: Actor) -> str:
    """A new secret feed URL's token for the acting membership; a live one is revoked first."""
    membership = relock(_membership(actor))
    CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(membership=membership, token_digest=digest(token))
    audit.record(actor, AuditAction.CREATE, feed, client_id=None, summary="calendar feed")
    return token


@transaction.atomic
def revoke_feed(actor: Actor) -> CalendarFeed:
    membership = relock(_membership(actor))
    feed = live_feed(membership)
    if feed is None:
        raise InvalidTransition(_("There is no calendar feed to revoke."))
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit.record(actor, AuditAction.UPDATE, feed, client_id=None, summary="calendar feed revoked")
    return feed


def actor_for_token(token: str) -> Actor | None:
    """The coach behind a live token, as the membership it was made for, while that membership and
    its user are active and still an outreach role; else None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(token_digest=digest(token), revoked_at__isnull=True)
        .select_related("membership__user", "membership__organisation")
        .first()
    )
    if feed is None:
        return None
    membership = feed.membership
    if not (membership.is_active and membership.user.is_active and membership.role in OUTREACH_ROLES):
        return None
    return Actor(user=membership.user, membership=membership)
