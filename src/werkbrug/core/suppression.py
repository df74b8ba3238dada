"""Small-cell suppression for aggregate figures shown to funders (DESIGN §5).

Primary suppression hides every count from 1 to 4. That alone is not enough: a table that shows a
total and all but one of its parts gives the hidden part away by subtraction, and two breakdowns of
the same total (per type, per organisation) can give a cell away through their cross-table.
`protect()` therefore also applies secondary suppression over every additive relation between cells
(a total and its parts, a whole and the part shown as a share of it, a breakdown and the cross-table
behind it): it follows what a reader can derive and hides more until no small count can be derived.
Cells are identified by a logical key, so that a figure repeated in several tables (the
same total under two breakdowns) is hidden everywhere or nowhere.
"""

from __future__ import annotations

from collections import defaultdict, deque
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

    A reader knows every shown cell and every zero (also of cells never shown: that nobody is in a
    group is public knowledge, e.g. which organisations run which trajectory type). From a relation
    with one unknown member they derive it, and go on deriving from there. Whenever that reaches a
    small count, the smallest shown non-zero cell the derivation rested on is hidden too, and the
    reasoning starts over, until no small count can be derived.

    `hidden` cells are never shown (e.g. the complement of a share: the people *without* GGZ
    contact, or a cross-tabulation behind two breakdowns); they take part in the relations but are
    never chosen to be suppressed in anyone's place.
    """
    never_shown = set(hidden)
    members = _useful([(total, *parts) for total, parts in relations], cells, never_shown)
    by_cell: dict[Hashable, list[int]] = defaultdict(list)
    for index, relation in enumerate(members):
        for key in relation:
            by_cell[key].append(index)
    sensitive = {key for key, value in cells.items() if is_small(value)}
    suppressed = sensitive - never_shown

    while True:
        known = {
            key
            for key in by_cell
            if cells.get(key, 0) == 0 or (key not in suppressed and key not in never_shown)
        }
        derived_by: dict[Hashable, int] = {}
        missing = [sum(1 for key in relation if key not in known) for relation in members]
        queue = deque(index for index, count in enumerate(missing) if count == 1)
        breaches: list[tuple[int, Hashable]] = []
        while queue:
            index = queue.popleft()
            if missing[index] != 1:
                continue
            lone = next(key for key in members[index] if key not in known)
            if lone in sensitive:
                breaches.append((index, lone))
                missing[index] = -1
                continue
            known.add(lone)
            derived_by[lone] = index
            for other in by_cell[lone]:
                missing[other] -= 1
                if missing[other] == 1:
                    queue.append(other)
        if not breaches:
            return suppressed - never_shown
        added: set[Hashable] = set()
        unshown = suppressed | never_shown
        for index, lone in breaches:
            basis = _shown_basis(members, index, lone, derived_by, cells, unshown)
            if not basis or basis & added:
                continue
            # The smallest figure: parts before their total, which readers need most.
            choice = min(basis, key=lambda key: (cells[key], str(key)))
            added.add(choice)
        if not added:
            return suppressed - never_shown
        suppressed |= added


def _useful(
    members: list[tuple[Hashable, ...]], cells: Mapping[Hashable, int], never_shown: set[Hashable]
) -> list[tuple[Hashable, ...]]:
    """The relations that can give anything away. A never-shown cell that is not zero, not small and
    in no other relation (the complement of most shares) stays unknown for good: its relation can
    only ever derive that cell itself, which is harmless. Leaving such relations out changes nothing
    but the time (the funnel has thousands)."""
    relations_of: dict[Hashable, int] = defaultdict(int)
    for relation in members:
        for key in relation:
            relations_of[key] += 1
    inert = {key for key in never_shown if relations_of.get(key) == 1 and cells.get(key, 0) >= SMALL_CELL}
    return [relation for relation in members if inert.isdisjoint(relation)]


def _shown_basis(
    members: Sequence[tuple[Hashable, ...]],
    index: int,
    lone: Hashable,
    derived_by: Mapping[Hashable, int],
    cells: Mapping[Hashable, int],
    unshown: set[Hashable],
) -> set[Hashable]:
    """The shown non-zero cells from which `lone` was derived through relation `index`."""
    basis: set[Hashable] = set()
    seen = {lone}
    stack = [key for key in members[index] if key != lone]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        if key in derived_by:
            stack.extend(other for other in members[derived_by[key]] if other != key)
        elif key not in unshown and cells.get(key, 0) > 0:
            basis.add(key)
    return basis
