"""The outreach path on the client's trajectory page (trajectories.panels): the paths that hang on
an outreach trajectory, read through `outreach.access.visible_paths` (clients.access: involvement and
consent), in one query."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count

from werkbrug.core.actor import Actor
from werkbrug.outreach.access import visible_paths
from werkbrug.outreach.path_actions import OUTREACH_TYPE


def trajectory_panel(actor: Actor, trajectory: Any, today: datetime.date) -> dict[str, Any] | None:
    if trajectory is None or trajectory.type.code != OUTREACH_TYPE:
        return None  # only an outreach trajectory carries paths (`type` is loaded with the page)
    paths = list(
        visible_paths(actor)
        .filter(trajectory=trajectory)
        .select_related("site")
        .annotate(referral_count=Count("referrals", distinct=True))
        .order_by("-started_on", "-pk")
    )
    return {"paths": paths} if paths else None
