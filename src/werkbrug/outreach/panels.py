"""The outreach path on the client's trajectory page (trajectories.panels): the paths that hang on
an outreach trajectory, read through `outreach.access.visible_paths` (clients.access: involvement and
consent), in one query."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count

from werkbrug.core.actor import Actor
from werkbrug.outreach.access import visible_paths


def trajectory_panel(actor: Actor, trajectory: Any, today: datetime.date) -> dict[str, Any] | None:
    if trajectory is None:
        return None
    paths = list(
        visible_paths(actor)
        .filter(trajectory=trajectory)
        .select_related("site")
        .annotate(referral_count=Count("referrals", distinct=True))
        .order_by("-started_on", "-pk")
    )
    return {"paths": paths} if paths else None
