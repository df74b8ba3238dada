"""Small-cell suppression for aggregate figures shown to funders (DESIGN §5).

Primary suppression hides every count from 1 to 4. That alone is not enough: a table that shows a
total and all but one of its parts gives the hidden part away by subtraction. `protect()` therefore
also applies secondary suppression: for every additive relation between cells (a total and its
parts, a whole and the part shown as a share of it), no hidden cell may be the only unknown. It
hides the smallest visible non-zero cell of such a relation until none is left with a single
unknown. Cells are identified by a logical key, so that a figure repeated in several tables (the
same total under two breakdowns) is hidden everywhere or nowhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

SMALL_CELL = 5


def is_small(count: int) -> bool:
    return 0 < count < SMALL_CELL


def suppress(count: int) -> str:
    """Counts below 5 are shown as "<5" so that no person can be singled out."""
    return "<5" if is_small(count) else str(count)


# (total, parts): total == sum(parts).
Relation = tuple[Hashable, Sequence[Hashable]]


def protect(
    cells: Mapping[Hashable, int],
    relations: Iterable[Relation],
    *,
    hidden: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys of `cells` to show as "<5".

    `hidden` cells are never shown (e.g. the complement of a share: the people *without* GGZ
    contact); they take part in the relations, so that a small hidden complement forces its visible
    partners to be hidden too, but they are never chosen to be suppressed in anyone's place.
    """
    never_shown = set(hidden)
    relations = [(total, tuple(parts)) for total, parts in relations]
    unknown = {key for key, value in cells.items() if is_small(value)}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = (total, *parts)
            unknowns = [key for key in members if key in unknown or key in never_shown]
            if len(unknowns) != 1:
                continue
            lone = unknowns[0]
            if lone in never_shown and lone not in unknown:
                # A hidden cell that is not small may be derived: that reveals nothing small.
                continue
            candidates = [
                key
                for key in members
                if key not in unknown and key not in never_shown and cells.get(key, 0) > 0
            ]
            if not candidates:
                continue
            # Prefer a part over the total: a reader needs totals most.
            parts_first = sorted(candidates, key=lambda key: (key == total, cells[key], str(key)))
            unknown.add(parts_first[0])
            changed = True
    return {key for key in unknown if key not in never_shown}
