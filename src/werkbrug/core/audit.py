"""Writing the audit trail. Every read of a client file and every write of client data calls record()."""

from __future__ import annotations

from django.db import models

from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction, AuditEvent


def record(
    actor: Actor,
    action: AuditAction | str,
    obj: models.Model | None,
    *,
    client_id: int | None,
    summary: str = "",
    object_type: str = "",
) -> AuditEvent:
    """`obj` None with an `object_type` records something that is not a row, e.g. a report run."""
    return AuditEvent.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        client_id=client_id,
        action=action,
        object_type=object_type or (obj._meta.model_name if obj is not None else "") or "",
        object_id=obj.pk if obj is not None else None,
        summary=summary[:300],
        via_api=actor.via_api,
    )
