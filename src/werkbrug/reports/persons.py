"""Unique persons beside trajectories and referrals (issue 12, point 6; docs/reports.md, "Persons").

A person is a `Client.person_key` (clients.linkage): records of one person at several organisations,
with or without an INSZ, share it, so a person counts once in the network and once in each row they
appear in. Persons do not add up over the rows (one person can have two types), so their columns
are declared `adds_up=False`.

The database counts them: `COUNT(DISTINCT client__person_key)`, one grouped query per breakdown. The
dimension is any field or annotation on the queryset (e.g. `type_id`, or an as-of annotation of the
type a trajectory had on a date), so the persons follow the same rows as the other figures.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from werkbrug.reports.framework import Column, Section

PERSONS_KEY = "persons"


def persons_column(beside: str) -> Column:
    """The persons column beside the count `beside`. Persons are often exactly that count (one
    trajectory each), so a persons cell is hidden whenever the count beside it is."""
    return Column(
        PERSONS_KEY, gettext_lazy("Unique persons (across organisations)"), adds_up=False, basis=beside
    )


def persons_by(
    queryset: QuerySet[Any], dim: str | tuple[str, ...], *, person: str = "client__person_key"
) -> dict[Hashable, int]:
    """{value of `dim`: the number of distinct persons among the rows with that value}, in one query.
    A tuple of fields groups by all of them, keyed by the tuple of their values."""
    fields = (dim,) if isinstance(dim, str) else dim
    grouped = queryset.order_by().values(*fields).annotate(persons=Count(person, distinct=True))
    result: dict[Hashable, int] = {}
    for *values, persons in grouped.values_list(*fields, "persons"):
        result[values[0] if isinstance(dim, str) else tuple(values)] = persons
    return result


def persons_total(queryset: QuerySet[Any], *, person: str = "client__person_key") -> int:
    """The number of distinct persons among all the rows, in one query."""
    return int(queryset.aggregate(persons=Count(person, distinct=True))["persons"] or 0)


def add_persons(
    sections: Iterable[Section],
    queryset: QuerySet[Any],
    *,
    anchor: str,
    fields: Mapping[str, str | tuple[str, ...]] | None = None,
    person: str = "client__person_key",
) -> None:
    """Fill the persons column of every section that has one, beside the count `anchor`: a row keyed
    `(anchor, "all")` gets the persons of the whole queryset, a row keyed `(anchor, (dim, value))`
    those of the rows with that value of `fields.get(dim, dim)`. One query for the total and one
    per dimension, whatever the number of rows; the same logical key as the count it stands beside
    (("persons", group)), so a figure shown twice is hidden in both places or neither."""
    fields = fields or {}
    wanted = [
        row
        for section in sections
        if any(column.key == PERSONS_KEY for column in section.columns)
        for row in section.all_rows
        if anchor in row.keys
    ]
    groups = {row.keys[anchor][1] for row in wanted}  # type: ignore[index]
    per_dim: dict[str, dict[Hashable, int]] = {}
    for group in groups:
        if isinstance(group, tuple) and group[0] not in per_dim:
            per_dim[group[0]] = persons_by(queryset, fields.get(group[0], group[0]), person=person)
    total = persons_total(queryset, person=person) if "all" in groups else 0
    for row in wanted:
        group = row.keys[anchor][1]  # type: ignore[index]
        if group == "all":
            row.values[PERSONS_KEY] = total
        elif isinstance(group, tuple):
            row.values[PERSONS_KEY] = per_dim[group[0]].get(group[1], 0)
        else:
            continue
        row.keys[PERSONS_KEY] = (PERSONS_KEY, group)
