"""The monthly statement of hours (prestatiestaat): who takes part in a workshop in a month, the
grid's stored values, and saving a whole month for the group at once (bulk writes: one delete and
one insert, whatever the size of the grid)."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.access import team_trajectories
from werkbrug.workcare.actions import require_keeper
from werkbrug.workcare.models import DayHours, WorkCareAgreement, Workshop, running_in


def month_days(year: int, month: int) -> list[datetime.date]:
    return [datetime.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def participants(
    actor: Actor, workshop: Workshop, first: datetime.date, last: datetime.date
) -> list[Trajectory]:
    """The work-care trajectories with an agreement at this workshop that runs in the period, whose
    client the actor may see (clients.access): one query."""
    running = WorkCareAgreement.objects.filter(running_in(first, last), workshop=workshop)
    return list(
        team_trajectories(actor)
        .filter(pk__in=running.values("trajectory_id"))
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "pk")
    )


def stored(
    workshop: Workshop, trajectory_ids: list[int], first: datetime.date, last: datetime.date
) -> dict[tuple[int, datetime.date], Decimal]:
    rows = DayHours.objects.filter(
        workshop=workshop, trajectory_id__in=trajectory_ids, day__gte=first, day__lte=last
    ).values_list("trajectory_id", "day", "hours")
    return {(t, d): h for t, d, h in rows}


def totals(cells: dict[tuple[int, datetime.date], Decimal]) -> dict[int, Decimal]:
    per: dict[int, Decimal] = defaultdict(Decimal)
    for (trajectory_id, _day), hours in cells.items():
        per[trajectory_id] += hours
    return dict(per)


def grid_version(cells: dict[tuple[int, datetime.date], Decimal]) -> str:
    """The version of a month's hours as a grid shows them: a digest of every stored cell. The grid
    carries it (hidden `seen`), so that a save made on an older grid is refused, not silently
    written over what someone else saved meanwhile (docs/conventions.md, "Two people at once")."""
    text = ";".join(
        f"{t}:{d.isoformat()}:{format(h.normalize(), 'f')}" for (t, d), h in sorted(cells.items()) if h
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@transaction.atomic
def save_month(
    actor: Actor,
    workshop: Workshop,
    *,
    year: int,
    month: int,
    cells: dict[tuple[int, datetime.date], Decimal],
    seen: str | None = None,
) -> int:
    """Replace the month's hours of the participants the actor sees with `cells` (empty cells are no
    hours). Cells for anyone else, or outside the month, refuse the whole grid. With `seen` (the
    version the grid was opened on), a month saved by someone else since is refused; the same grid
    posted twice is stored once."""
    relock(workshop)  # one save of the workshop's hours at a time: the second reads the first's
    require_keeper(actor, workshop)
    days = month_days(year, month)
    first, last = days[0], days[-1]
    people = {t.pk: t for t in participants(actor, workshop, first, last)}
    allowed = set(people)
    for (trajectory_id, day), hours in cells.items():
        if trajectory_id not in allowed or not first <= day <= last:
            raise DomainError(_("The grid holds a participant or day that is not part of this month."))
        if hours < 0 or hours > 24:
            raise DomainError(_("Hours lie between 0 and 24 a day."))
    now = stored(workshop, list(allowed), first, last)
    if seen is not None and seen != grid_version(now):
        if grid_version(now) == grid_version(cells):
            return len(cells)  # the same grid again (a double click): stored once
        raise InvalidTransition(
            _(
                "Someone saved this month's hours after you opened the grid. Your hours are not saved: "
                "open the grid again in a new tab to see theirs, and enter yours there."
            )
        )
    DayHours.objects.filter(
        workshop=workshop, trajectory_id__in=allowed, day__gte=first, day__lte=last
    ).delete()
    DayHours.objects.bulk_create(
        [
            DayHours(workshop=workshop, trajectory_id=t, day=d, hours=h, recorded_by=actor.user)
            for (t, d), h in cells.items()
            if h
        ],
        batch_size=500,
    )
    # Hours are client data: one row per participant in their access log.
    for trajectory in people.values():
        audit.record(
            actor,
            AuditAction.UPDATE,
            trajectory,
            client_id=trajectory.client_id,
            summary=f"work-care hours {year}-{month:02d} at workshop {workshop.pk}",
        )
    return len(cells)


def hours_by_month(workshop: Workshop, year: int) -> dict[int, Decimal]:
    """All hours performed at the workshop, per month of the year (no names: the subsidy counts them)."""
    rows = (
        DayHours.objects.filter(workshop=workshop, day__year=year)
        .annotate(m=ExtractMonth("day"))
        .values("m")
        .annotate(total=Sum("hours"))
        .values_list("m", "total")
    )
    return dict(rows)
