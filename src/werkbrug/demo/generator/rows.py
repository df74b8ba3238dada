"""The row buffers of the generator: primary keys, the dates of the five-year window as text, one
list of rows per table (flushed by `run` after every batch), and the picks every row needs
(a coach by capacity, a registering organisation by weight)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import models

from werkbrug.core.models import AuditEvent
from werkbrug.demo.generator.config import HANDOVER_TARGETS, YEARS
from werkbrug.demo.generator.network import Org, cumulative, pick
from werkbrug.demo.generator.writer import WRITE_ORDER, Ids


class Rows:
    """Rows in the model's concrete-field order, with their values as text both databases parse."""

    def __init__(self, net: dict[str, Any], rng: random.Random, today: datetime.date, postgres: bool) -> None:
        self.rng = rng
        self.net = net
        self.horizon = YEARS * 365
        self.start_date = today - datetime.timedelta(days=self.horizon)
        self.days = [
            (self.start_date + datetime.timedelta(days=d)).isoformat() for d in range(self.horizon + 400)
        ]
        suffix = "+00" if postgres else ""
        self.times = [f" {h:02d}:{m:02d}:00{suffix}" for h in range(7, 19) for m in range(0, 60, 5)]
        self.ids = Ids(*WRITE_ORDER)
        # A person's number (Client.person_number): the first record written under the person key.
        self.person_numbers: dict[str, int] = {}
        work = net["work"]
        self.work = work
        self.coach_pool: list[tuple[Org, int]] = [(o, c) for o in work for c in o.coaches]
        self.coach_cum = cumulative([w for o in work for w in o.coach_weights])
        self.registering = net["registering"]
        self.reg_cum = cumulative([o.weight for o in self.registering])
        self.handover_targets = [o for o in work if o.org_type in HANDOVER_TARGETS] or work
        self.reset()
        self.contact_rate = 0.0

    def reset(self) -> None:
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {m: [] for m in self.ids.next}

    def dt(self, day: int) -> str:
        return self.days[day] + self.times[int(self.rng.random() * len(self.times))]

    def coach(self) -> tuple[Org, int]:
        return pick(self.coach_pool, self.coach_cum, self.rng)

    def registering_org(self) -> Org:
        if self.rng.random() < 0.12:
            return self.rng.choice(self.work)
        return pick(self.registering, self.reg_cum, self.rng)

    def audit(
        self, day: int, user: int, org: int, client: int, action: str, obj: str, obj_id: int, summary: str
    ) -> None:
        self.rows[AuditEvent].append(
            (self.ids.take(AuditEvent), self.dt(day), user, org, client, action, obj, obj_id, summary, False)
        )
