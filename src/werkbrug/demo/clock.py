"""Back-dating the demo's history.

Actions date what they write "today". To give the demo a history, every step runs inside
`Clock.at(day)`, which afterwards moves the timestamps of the rows that step wrote (and of the
rows it changed) back to that day with queryset `.update()` — no frozen time is needed. Dates the
actions accept as arguments (contact, ladder, outcome and closing dates) are passed directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from werkbrug.clients.models import Client, Consent, Involvement
from werkbrug.core.models import AuditEvent
from werkbrug.exchange.models import Feedback, SectionVersion
from werkbrug.referrals.models import Referral, ReferralEvent
from werkbrug.trajectories.models import (
    Contact,
    Handover,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
)

M = TypeVar("M", bound=Model)


def fresh(obj: M) -> M:
    """Re-read a row after a step re-dated it: actions that save() the whole row would otherwise write
    the stale "today" values back."""
    obj.refresh_from_db()
    return obj


# Rows an action creates with a "now"/"today" default: after the step they get the step's day.
_NEW_ROWS: list[tuple[type[Model], dict[str, str]]] = [
    (Client, {"created_at": "dt"}),
    (Consent, {"recorded_at": "dt", "given_on": "d"}),
    (Involvement, {"since": "dt"}),
    (Referral, {"created_at": "dt"}),
    (ReferralEvent, {"at": "dt"}),
    (Trajectory, {"started_on": "d"}),
    (TrajectoryPartner, {"since": "d"}),
    (TrajectoryEvent, {"at": "dt"}),
    (Contact, {"recorded_at": "dt"}),
    (PlanGoal, {"created_at": "dt"}),
    (Handover, {"proposed_at": "dt"}),
    (SectionVersion, {"created_at": "dt"}),
    (Feedback, {"created_at": "dt"}),
    (AuditEvent, {"at": "dt"}),
]
# Timestamps an action sets on rows that already exist.
_TOUCHED: list[tuple[type[Model], list[str]]] = [
    (Referral, ["decided_at", "waiting_since"]),
    (Handover, ["decided_at"]),
    (Consent, ["withdrawn_at"]),
]


class Clock:
    """Runs a step of the story on a past day: rows the step writes are re-dated afterwards."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self._minutes: dict[datetime.date, int] = {}

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    @contextmanager
    def at(self, days_ago: int) -> Iterator[datetime.date]:
        day = self.day(days_ago)
        if days_ago <= 0:
            yield day
            return
        # Steps on one day follow each other from 8:00 on, so the timelines keep their order.
        minute = self._minutes.get(day, 0)
        self._minutes[day] = minute + 3
        when = datetime.datetime.combine(
            day, datetime.time(8 + minute // 60 % 10, minute % 60), tzinfo=timezone.get_current_timezone()
        )
        marks, _ = _snapshot(None)
        started = timezone.now()
        yield day
        after, touched = _snapshot(started)
        for model, fields in _NEW_ROWS:
            if after[model] > marks[model]:
                values = {name: when if kind == "dt" else day for name, kind in fields.items()}
                model._default_manager.filter(pk__gt=marks[model]).update(**values)
        for model, name in touched:
            model._default_manager.filter(**{f"{name}__gte": started}).update(**{name: when})


def _snapshot(
    started: datetime.datetime | None,
) -> tuple[dict[type[Model], int], list[tuple[type[Model], str]]]:
    """In one query: the highest primary key of each table a step may add to and, after the step,
    which timestamps it set on existing rows."""
    qn = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({qn(m._meta.pk.column)}) FROM {qn(m._meta.db_table)})"  # noqa: S608 - model names
        for m, _ in _NEW_ROWS
    ]
    params: list[Any] = []
    candidates = [(m, name) for m, names in _TOUCHED for name in names] if started is not None else []
    for model, name in candidates:
        column = str(model._meta.get_field(name).column)  # type: ignore[union-attr]
        parts.append(
            f"(SELECT 1 FROM {qn(model._meta.db_table)} WHERE {qn(column)} >= %s LIMIT 1)"  # noqa: S608
        )
        params.append(connection.ops.adapt_datetimefield_value(started))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    maxima = {m: row[i] or 0 for i, (m, _) in enumerate(_NEW_ROWS)}
    touched = [c for i, c in enumerate(candidates) if row[len(_NEW_ROWS) + i]]
    return maxima, touched
