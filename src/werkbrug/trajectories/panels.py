"""Sections that areas above `trajectories` add to its pages, without `trajectories` importing them.

An area (e.g. `ips`: placements and follow-along; `employers`: job development contacts) registers
a `Panel` in its `AppConfig.ready`. The trajectory page and the coach's caseload render each
registered panel after their own sections, in registration order:

    register_trajectory_panel(Panel("ips-placements", "ips/_trajectory_panel.html", placements_panel))

`context(actor, subject, today)` returns the panel's template context, or None when the panel has
nothing to show this actor (not an IPS trajectory, not on the trajectory team, …). The subject is
the trajectory (already read through `clients.access`) on the trajectory page, and None on the
caseload, where the panel scopes its own rows with `clients.access.scope`. A panel runs a constant
number of queries (the query-count tests of both pages cover the registered panels).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkbrug.core.actor import Actor


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[Actor, Any, datetime.date], dict[str, Any] | None]


_TRAJECTORY: dict[str, Panel] = {}
_CASELOAD: dict[str, Panel] = {}


def register_trajectory_panel(panel: Panel) -> None:
    _TRAJECTORY[panel.name] = panel


def register_caseload_panel(panel: Panel) -> None:
    _CASELOAD[panel.name] = panel


@dataclass(frozen=True)
class Shown:
    """A panel ready to render: its template and its context."""

    name: str
    template: str
    context: dict[str, Any]


def _render(panels: dict[str, Panel], actor: Actor, subject: Any, today: datetime.date) -> list[Shown]:
    shown = []
    for panel in panels.values():
        context = panel.context(actor, subject, today)
        if context is not None:
            shown.append(Shown(panel.name, panel.template, context))
    return shown


def trajectory_panels(actor: Actor, trajectory: Any, today: datetime.date) -> list[Shown]:
    return _render(_TRAJECTORY, actor, trajectory, today)


def caseload_panels(actor: Actor, today: datetime.date) -> list[Shown]:
    return _render(_CASELOAD, actor, None, today)
