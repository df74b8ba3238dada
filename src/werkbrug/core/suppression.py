"""Small-cell suppression for aggregate figures shown to funders (DESIGN §5).

Primary suppression hides every count from 1 to 4. That alone is not enough: a table that shows a
total and all but one of its parts gives the hidden part away by subtraction, and two breakdowns of
the same total (per type, per organisation) can give a cell away through their cross-table.
`protect()` therefore also applies secondary suppression over every additive relation between cells
(a total and its parts, a whole and the part shown as a share of it, a breakdown and the cross-table
behind it): it follows what a reader can derive and hides more until no small count can be derived.
Cells are identified by a logical key, so that a figure repeated in several tables (the
same total under two breakdowns) is hidden everywhere or nowhere.

Subtraction is not the only attack: bounds are one too ("<5" says 1 to 4, and two "<5" cells that add
up to a shown 8 are both 4). After the derivation rules, `protect()` therefore audits the whole set
of relations as statistical offices do (`audit()`): for every hidden small count it solves the
minimum and maximum of that count over all tables consistent with what is shown (a linear program,
scipy's HiGHS), and hides more until every small count keeps a range at least as wide as the 1 to 4
its marker already concedes (docs/reports.md, "Disclosure control").
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from werkbrug.core.linear import Program

SMALL_CELL = 5
# The band a "<5" marker concedes. A hidden small count is protected when what a reader can work out
# leaves it a range at least as wide as that band (docs/reports.md, "Disclosure control").
PROTECTION_LOW, PROTECTION_HIGH = 1, SMALL_CELL - 1
PROTECTION_WIDTH = 2
# Slack for the solver's floating point: a bound within this of the band counts as reaching it.
TOLERANCE = 1e-6


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
    """The keys of `cells` to hide: the small ones (shown as "<5") and those hidden to protect them
    (shown as "\u00d7"; a hidden cell that is not small is never a count from 1 to 4).

    A reader knows every shown cell and every zero (also of cells never shown: that nobody is in a
    group is public knowledge, e.g. which organisations run which trajectory type). From a relation
    with one unknown member they derive it, and go on deriving from there. Whenever that reaches a
    small count, the smallest shown non-zero cell the derivation rested on is hidden too, and the
    reasoning starts over, until no small count can be derived.

    `hidden` cells are never shown (e.g. the complement of a share: the people *without* GGZ
    contact, or a cross-tabulation behind two breakdowns); they take part in the relations but are
    never chosen to be suppressed in anyone's place.

    After those rules, `audit()` checks what remains against bounds as well, and more is hidden
    until it finds nothing. The same figures get the same answer, so the last few answers are kept
    (`_DECIDED`), keyed by every input: a report asked again, or in another format, is not audited
    again, and changed figures never get an old answer.
    """
    relations = list(relations)
    never_shown = set(hidden)
    key = hashlib.sha256(
        repr((list(cells.items()), relations, sorted(map(repr, never_shown)))).encode()
    ).digest()
    with _DECIDED_LOCK:
        if key in _DECIDED:
            _DECIDED.move_to_end(key)
            return set(_DECIDED[key])
    suppressed = _protect(cells, relations, never_shown)
    with _DECIDED_LOCK:
        _DECIDED[key] = frozenset(suppressed)
        while len(_DECIDED) > DECIDED_KEPT:
            _DECIDED.popitem(last=False)
    return suppressed


DECIDED_KEPT = 16
_DECIDED: OrderedDict[bytes, frozenset[Hashable]] = OrderedDict()
_DECIDED_LOCK = threading.Lock()


def _protect(
    cells: Mapping[Hashable, int], relations: list[Relation], never_shown: set[Hashable]
) -> set[Hashable]:
    suppressed = _derive(cells, relations, never_shown)
    # Hiding more only ever takes knowledge away, so this ends (each round hides at least one cell),
    # and a cell found protected stays protected: each round solves the exposed cells only.
    cleared: set[Hashable] = set()
    hopeless: dict[Hashable, bool] = {}
    while True:
        given_up = [key for key, lost in hopeless.items() if lost]
        exposures = audit(cells, relations, suppressed, never_shown, cleared=cleared, skip=given_up)
        if not exposures:
            return suppressed
        added = _more_to_hide(cells, relations, suppressed, never_shown, exposures, hopeless)
        if not added:  # nothing shown left to hide around them (cannot happen with true relations)
            return suppressed
        suppressed |= added


def _derive(
    cells: Mapping[Hashable, int], relations: Sequence[Relation], never_shown: set[Hashable]
) -> set[Hashable]:
    """The derivation rules: hide until no small count follows from a relation with one unknown."""
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


# --- the table audit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """A hidden small count whose feasible range, from what is shown, is narrower than 1 to 4."""

    key: Hashable
    low: float
    high: float


def attacker_bounds(
    cells: Mapping[Hashable, int], suppressed: set[Hashable], never_shown: set[Hashable]
) -> dict[Hashable, tuple[float, float | None]]:
    """What a reader knows of each cell that is not shown: "<5" is 1 to 4; "\u00d7" is a hidden count that
    is not small and not zero (zeros are always shown), so at least 5; a cell never shown is at least
    0. Shown cells and never-shown zeros (public: nobody is in that group) are not in here: known."""
    bounds: dict[Hashable, tuple[float, float | None]] = {}
    for key in suppressed | never_shown:
        value = cells.get(key, 0)
        if key in never_shown:
            if value != 0:
                bounds[key] = (0, None)
        elif is_small(value):
            bounds[key] = (PROTECTION_LOW, PROTECTION_HIGH)
        else:
            bounds[key] = (SMALL_CELL, None)
    return bounds


def _true_relations(
    cells: Mapping[Hashable, int], relations: Iterable[Relation]
) -> list[tuple[Hashable, ...]]:
    """The relations as (total, *parts), once each, and only those the figures satisfy."""
    seen: set[tuple[Hashable, ...]] = set()
    kept = []
    for total, parts in relations:
        members = (total, *parts)
        if members in seen or cells.get(total, 0) != sum(cells.get(p, 0) for p in parts):
            continue
        seen.add(members)
        kept.append(members)
    return kept


def _components(
    members: list[tuple[Hashable, ...]], unknown: Mapping[Hashable, object]
) -> list[tuple[list[Hashable], list[tuple[Hashable, ...]]]]:
    """The unknown cells grouped by the relations that tie them together, with those relations. A
    relation with no unknown member says nothing; two groups share no relation, so each is solved
    on its own."""
    parent: dict[Hashable, Hashable] = {key: key for key in unknown}

    def find(key: Hashable) -> Hashable:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for relation in members:
        roots = [find(key) for key in relation if key in unknown]
        for other in roots[1:]:
            parent[find(other)] = find(roots[0])
    cells_of: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in unknown:
        cells_of[find(key)].append(key)
    relations_of: dict[Hashable, list[tuple[Hashable, ...]]] = defaultdict(list)
    for relation in members:
        first = next((key for key in relation if key in unknown), None)
        if first is not None:
            relations_of[find(first)].append(relation)
    return [(cells_of[root], relations_of[root]) for root in cells_of]


Ranges = dict[Hashable, tuple[float, float]]
# Tables tried before the exact programs (`_group_ranges`): random pushes of the small cells, from a
# fixed seed so that the same figures always get the same marks.
WITNESSES, SEED = 8, 12


def feasible_ranges(
    cells: Mapping[Hashable, int],
    relations: Iterable[Relation],
    bounds: Mapping[Hashable, tuple[float, float | None]],
    targets: Iterable[Hashable],
    *,
    enough: Callable[[Hashable, float, float], bool] | None = None,
) -> Ranges:
    """For each target (a key of `bounds`), its minimum and maximum over every real-valued table
    that satisfies the relations, with the cells not in `bounds` fixed at their value and the others
    within their bounds. Linear programs (HiGHS); an unbounded maximum is infinity.

    The unknown cells fall apart in groups that share no relation; each is solved on its own.

    With `enough`, a target's range is not solved exactly once `enough(key, low, high)` holds for the
    range seen so far in feasible tables (see `_group_ranges`): the range returned for it is then
    that, which may be narrower than the true one."""
    wanted = set(targets)
    ranges: Ranges = {}
    for group, members in _components(_true_relations(cells, relations), bounds):
        small = [key for key in group if key in wanted]
        if small:
            ranges.update(_group_ranges(cells, bounds, group, members, small, enough))
    return ranges


def _program(
    cells: Mapping[Hashable, int],
    bounds: Mapping[Hashable, tuple[float, float | None]],
    group: list[Hashable],
    members: Sequence[tuple[Hashable, ...]],
) -> tuple[Program, dict[Hashable, int]]:
    """The linear program of one group: its relations over its unknown cells within their bounds
    (the other cells fixed at their value), and the column of each unknown cell."""
    import numpy as np
    from scipy.sparse import coo_array

    from werkbrug.core.linear import Program

    index = {key: i for i, key in enumerate(group)}
    rows, cols, data = [], [], []
    b_eq = np.zeros(len(members))
    for row, (total, *parts) in enumerate(members):
        for key, sign in ((total, 1.0), *((part, -1.0) for part in parts)):
            if key in index:
                rows.append(row)
                cols.append(index[key])
                data.append(sign)
            else:
                b_eq[row] -= sign * cells.get(key, 0)
    a_eq = coo_array((data, (rows, cols)), shape=(len(members), len(group)))
    lower = [bounds[key][0] for key in group]
    upper = [math.inf if bounds[key][1] is None else bounds[key][1] for key in group]
    return Program(a_eq, b_eq, lower, upper), index


def _group_ranges(
    cells: Mapping[Hashable, int],
    bounds: Mapping[Hashable, tuple[float, float | None]],
    group: list[Hashable],
    members: list[tuple[Hashable, ...]],
    small: list[Hashable],
    enough: Callable[[Hashable, float, float], bool] | None,
) -> Ranges:
    """The ranges of the `small` cells of one group. Two programs per cell, unless `enough` clears
    it first on the range seen in feasible tables: the true table, the two tables that push every
    small cell of the group up and down at once, a few that push each up or down at random, and
    every table an earlier cell's own programs found. Each of them satisfies every relation and
    bound, so the cell's true range is at least as wide as what they show. At full scale that
    leaves tens of programs instead of thousands. One model serves them all (core.linear)."""
    import numpy as np

    from werkbrug.core.linear import Outcome

    program, index = _program(cells, bounds, group, members)
    at = np.array([index[key] for key in small])
    low = np.array([float(cells.get(key, 0)) for key in small])
    high = low.copy()

    def solve(objective: Any) -> tuple[Outcome, float]:
        outcome, x, value = program.solve(objective)
        if outcome is Outcome.OPTIMAL:
            np.minimum(low, x[at], out=low)
            np.maximum(high, x[at], out=high)
        return outcome, value

    def pending() -> list[int]:
        if enough is None:
            return list(range(len(small)))
        return [i for i, key in enumerate(small) if not enough(key, low[i], high[i])]

    if enough is not None:
        rng = np.random.default_rng(SEED)
        pushes = [np.ones(len(small)), -np.ones(len(small))]
        pushes += [rng.choice((-1.0, 1.0), len(small)) for _ in range(WITNESSES)]
        for push in pushes:
            open_ = pending()
            if not open_:
                break
            objective = np.zeros(len(group))
            objective[at[open_]] = push[open_]
            solve(objective)
    found: Ranges = {}
    for i in pending():
        if enough is not None and enough(small[i], low[i], high[i]):
            continue  # cleared by a table found for an earlier cell
        extremes: list[float] = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(group))
            objective[at[i]] = sign
            outcome, value = solve(objective)
            if outcome is Outcome.UNBOUNDED:  # only the maximum can be
                extremes.append(math.inf)
            elif outcome is Outcome.OPTIMAL:
                extremes.append(sign * value)
            else:  # infeasible or failed: no range to trust, so no protection to claim
                extremes.append(math.nan)
            if enough is not None and enough(small[i], low[i], high[i]):
                break  # its minimum and a table seen earlier span enough
        if len(extremes) == 2:
            found[small[i]] = (extremes[0], extremes[1])
    for i, key in enumerate(small):
        found.setdefault(key, (float(low[i]), float(high[i])))
    return found


def protected(key: Hashable, low: float, high: float, never_shown: set[Hashable]) -> bool:
    """The protection standard. A "<5" cell keeps the whole band 1 to 4 its marker concedes: the
    tables tell nothing more about it. A small count that is never shown (the complement of a share,
    a cell of the cross-table behind two breakdowns) must not be pinned to one value."""
    if math.isnan(low) or math.isnan(high):  # the solver found nothing: no protection to claim
        return False
    if key in never_shown:
        return high - low >= 1 - TOLERANCE
    return high - low >= PROTECTION_WIDTH - TOLERANCE


def audit(
    cells: Mapping[Hashable, int],
    relations: Iterable[Relation],
    suppressed: set[Hashable],
    never_shown: set[Hashable],
    *,
    cleared: set[Hashable] | None = None,
    skip: Iterable[Hashable] = (),
) -> list[Exposure]:
    """Every hidden small count that the shown figures, the relations and the markers narrow
    further than `protected()` allows.

    Hiding more only widens what a reader must allow for (the true table stays consistent with what
    is shown, and so does every table that was), so a cell once found protected stays protected.
    `cleared` holds those cells between audits of the same figures with more hidden: they are not
    solved again, and the audit adds the ones it clears. Cells in `skip` are not checked."""
    bounds = attacker_bounds(cells, suppressed, never_shown)
    settled = (cleared or set()) | set(skip)
    small = [key for key in bounds if is_small(cells.get(key, 0)) and key not in settled]
    exposures = []
    for key, (low, high) in feasible_ranges(
        cells, relations, bounds, small, enough=lambda key, low, high: protected(key, low, high, never_shown)
    ).items():
        if not protected(key, low, high, never_shown):
            exposures.append(Exposure(key, low, high))
        elif cleared is not None:
            cleared.add(key)
    return sorted(exposures, key=lambda e: str(e.key))


# An exposed cell gets nothing more hidden in a round where one of its this many nearest candidates
# was hidden for another cell.
TRIALS = 4


def _more_to_hide(
    cells: Mapping[Hashable, int],
    relations: Sequence[Relation],
    suppressed: set[Hashable],
    never_shown: set[Hashable],
    exposures: Sequence[Exposure],
    hopeless: dict[Hashable, bool],
) -> set[Hashable]:
    """For each exposed cell, the cells to hide so that its range gets wide enough, chosen among
    the shown non-zero cells nearest to it (in its relations, then in those of the hidden cells next
    to it, and so on): with all of them hidden, the table that reaches the width it lacks while
    changing those cells least (`_widening`) tells which of them a reader would have to doubt;
    those are hidden. (Hiding the smallest nearest cell one at a time can go through a whole
    column of 340 lines before it reaches the one that matters.) Nothing when one of its nearest
    was hidden this round already (the next audit tells whether that did), nor when hiding them all
    would not protect it either: then the marks alone narrow it (a "<5" total of three "<5" parts is
    at least 3), and hiding more gains nothing (`hopeless` keeps that between rounds)."""
    members = _true_relations(cells, relations)
    relations_of: dict[Hashable, list[int]] = defaultdict(list)
    for number, relation in enumerate(members):
        for key in relation:
            relations_of[key].append(number)
    added: set[Hashable] = set()
    for exposure in exposures:
        if hopeless.get(exposure.key):
            continue
        candidates = _nearest_shown(
            exposure.key, members, relations_of, cells, suppressed | added | never_shown
        )
        if not candidates or added.intersection(candidates[:TRIALS]):
            continue
        bounds = attacker_bounds(cells, suppressed | added | set(candidates), never_shown)
        chosen = _widening(cells, members, relations_of, bounds, exposure, set(candidates), never_shown)
        hopeless[exposure.key] = chosen is None
        added |= chosen or set()
    return added


def _widening(
    cells: Mapping[Hashable, int],
    members: Sequence[tuple[Hashable, ...]],
    relations_of: Mapping[Hashable, list[int]],
    bounds: Mapping[Hashable, tuple[float, float | None]],
    exposure: Exposure,
    candidates: set[Hashable],
    never_shown: set[Hashable],
) -> set[Hashable] | None:
    """The candidates (hidden in `bounds`) that differ from their true value in a table where the
    exposed cell lies just far enough beyond its range (above it, else below), changing the
    candidates as little as possible in total; None when no such table exists. Its range already
    holds what the audit found and now also that table's value, so hiding those cells protects it."""
    import numpy as np
    from scipy.sparse import coo_array, hstack, vstack

    from werkbrug.core.linear import Outcome, Program

    target = exposure.key
    group, seen, numbers = [target], {target}, set()
    for key in group:  # the unknown cells tied to the exposed one, and their relations
        for number in relations_of.get(key, []):
            if number in numbers:
                continue
            numbers.add(number)
            for other in members[number]:
                if other in bounds and other not in seen:
                    seen.add(other)
                    group.append(other)
    program, index = _program(cells, bounds, group, [members[n] for n in sorted(numbers)])
    # One more row per candidate: x - up + down = its true value, and the objective is up + down.
    doubted = [key for key in group if key in candidates]
    size, count = len(group), len(doubted)
    pick = coo_array(
        (np.ones(count), (np.arange(count), [index[key] for key in doubted])), shape=(count, size)
    )
    eye = coo_array((np.ones(count), (np.arange(count), np.arange(count))), shape=(count, count))
    a_eq = vstack(
        [
            hstack([program.a_eq, coo_array((program.a_eq.shape[0], 2 * count))]),
            hstack([pick, -eye, eye]),
        ]
    )
    b_eq = np.concatenate([program.b_eq, [float(cells.get(key, 0)) for key in doubted]])
    objective = np.concatenate([np.zeros(size), np.ones(2 * count)])
    width = 1 if target in never_shown else PROTECTION_WIDTH
    low, ceiling = bounds[target]
    high = math.inf if ceiling is None else ceiling
    for goal in (exposure.low + width, exposure.high - width):
        if not low - TOLERANCE <= goal <= high + TOLERANCE:
            continue
        lower = np.concatenate([program.lower, np.zeros(2 * count)])
        upper = np.concatenate([program.upper, np.full(2 * count, math.inf)])
        lower[index[target]] = upper[index[target]] = goal
        outcome, x, _value = Program(a_eq, b_eq, lower, upper).solve(objective)
        if outcome is Outcome.OPTIMAL:
            return {key for key in doubted if abs(x[index[key]] - cells.get(key, 0)) > TOLERANCE}
    return None


def _nearest_shown(
    start: Hashable,
    members: Sequence[tuple[Hashable, ...]],
    relations_of: Mapping[Hashable, list[int]],
    cells: Mapping[Hashable, int],
    unshown: set[Hashable],
) -> list[Hashable]:
    """Shown non-zero cells by distance from `start` through hidden cells, smallest first within
    a distance."""
    seen, frontier, found, used = {start}, [start], [], set()
    while frontier:
        ring: set[Hashable] = set()
        hidden_next: list[Hashable] = []
        for key in frontier:
            for number in relations_of.get(key, []):
                if number in used:
                    continue
                used.add(number)
                for other in members[number]:
                    if other in seen:
                        continue
                    seen.add(other)
                    if other in unshown:
                        if cells.get(other, 0) != 0:  # a never-shown zero is known
                            hidden_next.append(other)
                    elif cells.get(other, 0) > 0:
                        ring.add(other)
        found.extend(sorted(ring, key=lambda key: (cells[key], str(key))))
        frontier = hidden_next
    return found
