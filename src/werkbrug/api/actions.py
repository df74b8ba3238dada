"""Issuing and revoking personal API tokens: atomic and in the audit trail (not client data)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.network.models import ApiToken


@transaction.atomic
def issue_token(actor: Actor, *, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's active membership. The key is returned once and never stored."""
    if actor.membership is None or not actor.membership.is_active:
        raise DomainError(_("You need an active membership of an organisation to create a token."))
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    token, key = ApiToken.issue(actor.membership, name)
    audit.record(actor, AuditAction.CREATE, token, client_id=None, summary=f"API token issued: {name}")
    return token, key


@transaction.atomic
def revoke_token(actor: Actor, token: ApiToken) -> ApiToken:
    """Revoking takes effect at once: the next request with the key gets 401."""
    if token.membership.user_id != actor.user.pk:
        raise DomainError(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        raise DomainError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, AuditAction.UPDATE, token, client_id=None, summary=f"API token revoked: {token.name}")
    return token
