"""A coach's capacity: the number of open dossiers they can carry (BRIEF §3A, §3D).

One rule, used by the coordinator's capacity page and by the caseload report: the capacity set on
the coach's membership; without one, the norm per FTE of the trajectory type the coach mostly
carries (of the open trajectories the organisation leads), times the coach's FTE. A coach who
carries nothing yet gets the norm of the type the organisation mostly carries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from werkbrug.network.models import Membership, TrajectoryType


@dataclass(frozen=True)
class Capacity:
    dossiers: int | None  # None: neither a set capacity nor a norm to go by
    is_norm: bool = False  # computed from the type norm and the FTE, not set on the membership


def _main_type(carried: Counter[int]) -> int | None:
    """The type carried most; on a tie the oldest type (lowest id), so that the answer does not
    depend on the order the database returns its rows in."""
    if not carried:
        return None
    return min(carried, key=lambda type_id: (-carried[type_id], type_id))


def norm_capacity(per_fte: int, fte: Decimal) -> int:
    """The norm for a coach's FTE in whole dossiers, a half rounded up as people do (25 per FTE at
    0.5 FTE is 13), and as SQL's round() does; not Python's round(), which rounds a half to even."""
    return int((per_fte * fte).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def coach_capacities(
    memberships: Iterable[Membership],
    carried: Iterable[tuple[int | None, int, int]],
    types: Mapping[int, TrajectoryType],
) -> dict[int, Capacity]:
    """Per user id of the coach `memberships` (all of one organisation), their capacity.

    `carried` holds (coach id, type id, number of open trajectories) for the open trajectories the
    organisation leads, all of them: also those without a coach or with a coach who left (they
    count towards the type the organisation mostly carries)."""
    per_coach: dict[int | None, Counter[int]] = {}
    organisation: Counter[int] = Counter()
    for coach_id, carried_type, n in carried:
        per_coach.setdefault(coach_id, Counter())[carried_type] += n
        organisation[carried_type] += n
    fallback = _main_type(organisation)
    capacities: dict[int, Capacity] = {}
    for membership in memberships:
        if membership.capacity is not None:
            capacities[membership.user_id] = Capacity(membership.capacity)
            continue
        main = _main_type(per_coach.get(membership.user_id, Counter()))
        type_id = main if main is not None else fallback
        norm_type = types.get(type_id) if type_id is not None else None
        if norm_type is not None and membership.fte is not None:
            capacities[membership.user_id] = Capacity(
                norm_capacity(norm_type.capacity_per_fte, membership.fte), is_norm=True
            )
        else:
            capacities[membership.user_id] = Capacity(None)
    return capacities
