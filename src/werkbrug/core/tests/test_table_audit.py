"""The table audit of core.suppression at speed (docs/reports.md, "Disclosure control"): a round
re-checks only the cells still exposed, since a cell found protected stays protected when more is
hidden; that must end where auditing everything again every round ends. And core.linear's reused
HiGHS model must give the ranges scipy's linprog gives, solved here on its own."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import coo_array

from werkbrug.core import linear, suppression
from werkbrug.core.suppression import is_small, protect


def grid(values: list[list[int]]) -> tuple[dict[Hashable, int], list[tuple[Hashable, list[Hashable]]]]:
    """A table with its row totals, column totals and grand total, and how they add up."""
    cells: dict[Hashable, int] = {}
    relations: list[tuple[Hashable, list[Hashable]]] = []
    rows, columns = range(len(values)), range(len(values[0]))
    for r in rows:
        cells |= {(r, c): values[r][c] for c in columns}
        cells[(r, "all")] = sum(values[r])
        relations.append(((r, "all"), [(r, c) for c in columns]))
    for c in columns:
        cells[("all", c)] = sum(values[r][c] for r in rows)
        relations.append((("all", c), [(r, c) for r in rows]))
    cells[("all", "all")] = sum(map(sum, values))
    relations += [
        (("all", "all"), [(r, "all") for r in rows]),
        (("all", "all"), [("all", c) for c in columns]),
    ]
    return cells, relations


def reaudited(cells, relations) -> tuple[set[Hashable], int]:
    """protect() as it was before the re-check: every round audits every hidden small count again
    (no cells carried over as cleared). The hidden cells and the number of rounds that hid more."""
    never_shown: set[Hashable] = set()
    hidden = suppression._derive(cells, relations, never_shown)
    hopeless: dict[Hashable, bool] = {}
    rounds = 0
    while True:
        exposures = [
            e for e in suppression.audit(cells, relations, hidden, never_shown) if not hopeless.get(e.key)
        ]
        added = suppression._more_to_hide(cells, relations, hidden, never_shown, exposures, hopeless)
        if not added:
            return hidden, rounds
        hidden |= added
        rounds += 1


@pytest.fixture
def one_at_a_time(monkeypatch):
    """Each round hides one cell only, so that a table needs several rounds."""
    choose = suppression._more_to_hide

    def first_only(*args):
        return set(sorted(choose(*args), key=str)[:1])

    monkeypatch.setattr(suppression, "_more_to_hide", first_only)
    monkeypatch.setattr(suppression, "_DECIDED", OrderedDict())  # answers of the real rounds stay apart


def ranges_by_linprog(cells, relations, hidden) -> dict[Hashable, tuple[float, float]]:
    """Min and max of every hidden small count, by scipy's linprog over the hidden cells: "<5" is 1
    to 4, a hidden larger count at least 5, the shown cells fixed."""
    unknown = sorted(hidden, key=str)
    index = {key: i for i, key in enumerate(unknown)}
    a_eq = np.zeros((len(relations), len(unknown)))
    b_eq = np.zeros(len(relations))
    for row, (total, parts) in enumerate(relations):
        for key, sign in ((total, 1), *((part, -1) for part in parts)):
            if key in index:
                a_eq[row, index[key]] += sign
            else:
                b_eq[row] -= sign * cells[key]
    bounds = [(1, 4) if is_small(cells[key]) else (5, None) for key in unknown]
    ranges = {}
    for key in unknown:
        if is_small(cells[key]):
            ends = []
            for sign in (1, -1):
                objective = np.zeros(len(unknown))
                objective[index[key]] = sign
                solved = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
                ends.append(math.inf if solved.status == 3 else sign * solved.fun)
            ranges[key] = (ends[0], ends[1])
    return ranges


def test_rechecking_the_exposed_cells_only_ends_where_auditing_everything_ends(one_at_a_time):
    # Three 4s and a 20: the bounds pin the 4s down (8 = two cells of at most 4), and one cell
    # hidden per round takes three rounds to protect them all.
    cells, relations = grid([[4, 4], [4, 20]])
    expected, rounds = reaudited(cells, relations)
    assert rounds == 3
    assert protect(cells, relations) == expected
    ranges = ranges_by_linprog(cells, relations, expected)
    assert set(ranges) == {(0, 0), (0, 1), (1, 0)}
    assert all(high - low >= 2 - 1e-6 for low, high in ranges.values()), ranges
    # Without the rounds after the first, the audit's own check would find a 4 pinned down.
    first = suppression._derive(cells, relations, set())
    assert any(high - low < 2 for low, high in ranges_by_linprog(cells, relations, first).values())


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.lists(st.sampled_from([0, 1, 3, 4, 4, 5, 9, 20]), min_size=3, max_size=3), min_size=2, max_size=4
    )
)
def test_on_any_table_the_re_check_hides_what_a_full_re_audit_hides(values):
    cells, relations = grid(values)
    with pytest.MonkeyPatch.context() as patch:
        choose = suppression._more_to_hide
        patch.setattr(suppression, "_more_to_hide", lambda *args: set(sorted(choose(*args), key=str)[:1]))
        patch.setattr(suppression, "_DECIDED", OrderedDict())
        expected, _rounds = reaudited(cells, relations)
        # (Not always protected: when the marks alone narrow a cell, e.g. a row of three "<5" is at
        # least 3, hiding more gains nothing; both ways then stop alike.)
        assert protect(cells, relations) == expected


@pytest.mark.parametrize("reuse", [True, False], ids=["highs model reused", "linprog"])
def test_a_program_solved_for_many_objectives_gives_linprog_s_answers(reuse):
    # x0 + x1 + x2 = 10, x2 = x3 + 4; 1 <= x0, x1 <= 4; x2, x3 >= 0; x3 unbounded above alone.
    a_eq = coo_array(np.array([[1.0, 1, 1, 0], [0, 0, 1, -1]]))
    b_eq = [10.0, 4.0]
    lower, upper = [1, 1, 0, 0], [4, 4, math.inf, math.inf]
    program = linear.Program(a_eq, b_eq, lower, upper, reuse=reuse)
    for column in range(4):
        for sign in (1.0, -1.0):
            objective = np.zeros(4)
            objective[column] = sign
            outcome, x, value = program.solve(objective)
            bounds = list(zip(lower, [None if math.isinf(u) else u for u in upper], strict=True))
            solved = linprog(objective, A_eq=a_eq.toarray(), b_eq=b_eq, bounds=bounds, method="highs")
            assert outcome is linear.Outcome.OPTIMAL
            assert value == pytest.approx(solved.fun)
            assert a_eq.toarray() @ x == pytest.approx(b_eq)
    # By hand: x2 = 10 - x0 - x1 lies in 2..8, and x2 = x3 + 4 is at least 4: 4..8, x3 0..4.
    assert program.solve([0, 0, 0, -1.0])[2] == pytest.approx(-4)
    assert program.solve([0, 0, 1.0, 0])[2] == pytest.approx(4)
    unbounded = linear.Program(
        coo_array(np.array([[1.0, -1]])), [0.0], [0, 0], [math.inf, math.inf], reuse=reuse
    )
    assert unbounded.solve([0, -1.0])[0] is linear.Outcome.UNBOUNDED
