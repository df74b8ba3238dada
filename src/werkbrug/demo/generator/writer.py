"""Writing the generated rows: primary keys handed out in advance (`Ids`), the tables in the order
parents before children (`WRITE_ORDER`), and COPY on PostgreSQL or executemany on SQLite (`Writer`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models import Max

from werkbrug.clients.models import Client, Consent, GgzContact, Involvement
from werkbrug.core.models import AuditEvent
from werkbrug.referrals.models import Referral, ReferralEvent
from werkbrug.trajectories.models import (
    Contact,
    Handover,
    LadderPosition,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
)

# Order of writing: parents before children (PostgreSQL checks the foreign keys at commit anyway).
WRITE_ORDER: list[type[models.Model]] = [
    Client,
    GgzContact,
    Consent,
    Involvement,
    Referral,
    ReferralEvent,
    Trajectory,
    TrajectoryPartner,
    Handover,
    TrajectoryEvent,
    Contact,
    LadderPosition,
    PlanGoal,
    Outcome,
    AuditEvent,
]


class Writer:
    """Writes tuples in the model's concrete-field order (id included): COPY on PostgreSQL,
    executemany on SQLite. Values are already in a text form both databases parse."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows_written = 0

    def write(self, model: type[models.Model], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = [f.column for f in model._meta.concrete_fields]
        if len(rows[0]) != len(columns):
            raise CommandError(f"{model.__name__}: {len(rows[0])} values for {len(columns)} columns")
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        names = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                raw = cursor.cursor
                marks = ", ".join("?" * len(columns))
                # Plain sqlite3 executemany: Django's wrapper would re-format every statement.
                # Table and column names come from the models' metadata, never from input.
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                for start in range(0, len(rows), 50_000):
                    raw.executemany(sql, rows[start : start + 50_000])
        self.rows_written += len(rows)


class Ids:
    """Primary keys handed out here, from the table's current maximum on."""

    def __init__(self, *models_: type[models.Model]) -> None:
        self.next = {m: (m._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in models_}

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value
