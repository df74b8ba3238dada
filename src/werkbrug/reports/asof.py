"""Figures as of a date (issue 12 point 5, docs/reports.md "As of a date").

A report counts what was known on its `as_of` date, from dated facts, in the database:
- a trajectory's type and lead organisation at the end of the period (or on `as_of`, if earlier) come
  from its handover history: the last accepted handover decided by then gives its new type and
  organisation; before its first accepted handover a trajectory had that handover's previous type
  and organisation; without any, its own (they never changed);
- GGZ contact is a period (`clients.GgzContact`): a trajectory counts as "in contact" when its client
  was in contact at some time in the period, in a period recorded by `as_of`;
- an outcome counts as verified when it was verified by `as_of`.

These are annotations and conditions (correlated subqueries on indexed columns), used as the cube's
dimensions and in the filters: no query per row, and the number of queries stays the same.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BigIntegerField, Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from werkbrug.clients.models import GgzContact
from werkbrug.core.dbdates import local_midnight
from werkbrug.core.dbsets import InRows
from werkbrug.reports.framework import Params
from werkbrug.trajectories.models import Certainty, Economy, Handover, HandoverStatus, Trajectory

# The annotations `with_type_and_lead` adds: the type and lead organisation as of the report's date.
TYPE = "asof_type"
LEAD = "asof_lead"


def known_until(params: Params) -> datetime.datetime:
    """The first moment after the report's date: what was recorded before it was known."""
    return local_midnight(params.as_of + datetime.timedelta(days=1))


def situation_day(params: Params) -> datetime.date:
    """The day whose situation a trajectory is counted in: the end of the period, or `as_of` if
    earlier."""
    return min(params.end, params.as_of)


def has_any(params: Params, rows: QuerySet[Any], link: str, column: str = "pk") -> Q:
    """The row's `column` is the `link` of one of `rows` (e.g. a referral with a redirection).

    Over the whole network the set of links is read once (PostgreSQL hashes it, SQLite builds an
    index of it): per row it would be hundreds of thousands of lookups. A run for one organisation
    looks each of its own rows up through the index on `link` instead: reading the set would read
    the whole network's (at full scale 17,000 redirections: more than half of the time of a
    coordinator's funnel statement) for a few hundred rows, and grow with the network."""
    if params.organisation is None:
        return Q(**{f"{column}__in": rows.values(link)})
    return Q(Exists(rows.filter(**{link: OuterRef(column)})))


def with_type_and_lead(qs: QuerySet[Trajectory], params: Params) -> QuerySet[Trajectory]:
    """Annotate TYPE and LEAD on trajectories. Filter on them with `qs.filter(**{TYPE: type})`."""
    accepted = Handover.objects.filter(trajectory=OuterRef("pk"), status=HandoverStatus.ACCEPTED)
    moment = local_midnight(situation_day(params) + datetime.timedelta(days=1))
    last = accepted.filter(decided_at__lt=moment).order_by("-decided_at", "-pk")
    first = accepted.order_by("decided_at", "pk")

    # Only the few trajectories ever handed over need the lookups: CASE evaluates the subqueries for
    # those rows only. Which they are is a column of the row (`Trajectory.handed_over`): looking
    # each row up in the handovers, three times per row, took about a fifth of the yearly report's
    # SQL for one organisation (PostgreSQL, full scale; docs/reports.md).
    def as_of(new: str, previous: str, own: str) -> Case:
        return Case(
            When(
                handed_over=True,
                then=Coalesce(Subquery(last.values(new)[:1]), Subquery(first.values(previous)[:1]), F(own)),
            ),
            default=F(own),
            output_field=BigIntegerField(),
        )

    return qs.annotate(
        **{
            TYPE: as_of("new_type_id", "from_type_id", "type_id"),
            LEAD: as_of("to_organisation_id", "from_organisation_id", "lead_organisation_id"),
        }
    )


def led_by(qs: QuerySet[Trajectory], organisation_id: int) -> QuerySet[Trajectory]:
    """Trajectories (annotated by `with_type_and_lead`) whose LEAD is the organisation.

    LEAD is computed per row. It is always the trajectory's own lead organisation or one side of one
    of its accepted handovers, so the trajectories the organisation leads now, took over or handed
    on (read from indexes) hold every match: narrowing to them first spares computing LEAD for every
    trajectory in the network. The exact LEAD condition still decides. `InRows` lets PostgreSQL read
    both sets from their indexes in one pass over the rows (core.dbsets)."""
    handed = (
        Handover.objects.filter(status=HandoverStatus.ACCEPTED)
        .filter(Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id))
        .values("trajectory_id")
        .order_by()
    )
    return qs.filter(Q(lead_organisation_id=organisation_id) | Q(InRows("pk", handed))).filter(
        **{LEAD: organisation_id}
    )


def in_ggz_contact(params: Params, client: str = "client_id") -> Q:
    """The client (the row's `client` column) was in contact with mental-health care at some time in
    the period, in a period recorded by `as_of`. A period closed after `as_of` was open then; it
    overlaps the period all the same when it started in time."""
    periods = GgzContact.objects.filter(
        client_id=OuterRef(client),
        since__lte=situation_day(params),
        recorded_at__lt=known_until(params),
    ).filter(Q(until__isnull=True) | Q(until__gte=params.start))
    # Correlated, so that a report for one organisation looks up its own few hundred clients instead
    # of building the set of every client in contact (60 of its 75 ms at full scale); PostgreSQL still
    # hashes the set once for the whole network, and SQLite's network run costs 4% more.
    return Q(Exists(periods))


def verified_by(params: Params, prefix: str = "") -> Q:
    """An outcome (at `prefix`, e.g. "outcomes__") in the regular economy, verified by `as_of`. A
    verification without a date (none is recorded without one since the date exists) counts."""
    return Q(**{f"{prefix}economy": Economy.NEC, f"{prefix}certainty": Certainty.VERIFIED}) & (
        Q(**{f"{prefix}verified_on__lte": params.as_of}) | Q(**{f"{prefix}verified_on__isnull": True})
    )
