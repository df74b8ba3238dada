"""Writing the audit trail. Every read of a client file and every write of client data calls record()."""

from __future__ import annotations

from django.db import models

from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction, AuditEvent


def record(
    actor: Actor,
    action: AuditAction | str,
    obj: models.Model,
    *,
    client_id: int | None,
    summary: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        client_id=client_id,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        summary=summary[:300],
        via_api=actor.via_api,
    )
