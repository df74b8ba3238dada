"""Generating a whole network: the network first, then the clients planned and written batch by
batch (one transaction each), the sequences reset on PostgreSQL and the tables analysed."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from werkbrug.demo.generator.clients import RowFactory
from werkbrug.demo.generator.config import OPEN_CONTACT_DENSITY, Scale
from werkbrug.demo.generator.employers import generate_employers
from werkbrug.demo.generator.exchange import generate_exchange
from werkbrug.demo.generator.network import NetworkBuilder
from werkbrug.demo.generator.outreach import generate_outreach
from werkbrug.demo.generator.placements import generate_placements
from werkbrug.demo.generator.planner import Planner
from werkbrug.demo.generator.workcare import generate_workcare
from werkbrug.demo.generator.writer import WRITE_ORDER, Writer
from werkbrug.demo.network import ensure_trajectory_types


def generate(config: Scale, *, seed: int, batch: int, say: Callable[[str], None]) -> dict[str, int]:
    """Write a synthetic network of this scale (`batch` clients a transaction; 0: the scale's own),
    reporting progress through `say`. Returns the number of rows written per model name."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    ensure_trajectory_types()
    with transaction.atomic():
        net = NetworkBuilder(config, rng).build()
    say(
        f"{len(net['orgs'])} organisations, {net['users']} users ({net['coaches']} coaches), "
        f"{len(net['work'])} referral lines on {connection.vendor}"
    )
    today = timezone.localdate()
    factory = RowFactory(net, rng, today, connection.vendor == "postgresql")
    planner = Planner(config, rng, factory.horizon)
    plan = [(n, last_open, extra) for n, last_open, extra in planner.counts()]
    timelines = [planner.timeline(n, last_open, extra) for n, last_open, extra in plan]
    active_days = sum(
        (ep.end - ep.start) if ep.end is not None else (factory.horizon - ep.start) * OPEN_CONTACT_DENSITY
        for _registration, episodes in timelines
        for ep in episodes
        if ep.kind == "trajectory"
    )
    factory.contact_rate = config.contacts / max(1, active_days)
    writer = Writer()
    if writer.postgres is False:
        with connection.cursor() as cursor:
            # A bigger page cache for this connection only (nothing stays changed).
            cursor.execute("PRAGMA cache_size=-1000000")
    step = batch or config.batch
    totals: dict[str, int] = {}
    for first in range(0, len(timelines), step):
        for registration, episodes in timelines[first : first + step]:
            factory.client(registration, episodes)
        with transaction.atomic():
            for model in WRITE_ORDER:
                rows = factory.rows[model]
                writer.write(model, rows)
                totals[model.__name__] = totals.get(model.__name__, 0) + len(rows)
        factory.reset()
        done = min(first + step, len(timelines))
        say(
            f"clients {done:,}/{len(timelines):,} · trajectories {totals.get('Trajectory', 0):,}/"
            f"{config.trajectories:,} · contacts {totals.get('Contact', 0):,} · rows {writer.rows_written:,}"
        )
    if writer.postgres:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), WRITE_ORDER):
                cursor.execute(sql)
    # After the sequences are reset: these rows take their ids from the database.
    with transaction.atomic():
        extra = generate_exchange(rng)
    extra.update(generate_employers(config, rng))
    # After the employers generator (it writes the employers this reads): jobs on IPS trajectories.
    with transaction.atomic():
        extra.update(generate_placements(rng, config.trajectories, say))
    # Outreach at care sites (issue 16): sites, sessions, paths, projects; no client files.
    extra.update(generate_outreach(config, rng))
    # Work-care (issue 14): workshops, agreements and day hours on the arbeidszorg trajectories.
    with transaction.atomic():
        extra.update(generate_workcare(rng, config.trajectories, say))
    totals.update(extra)
    say(", ".join(f"{name} {n:,}" for name, n in extra.items()))
    say("analysing the tables for the query planner")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return totals
