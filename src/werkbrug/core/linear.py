"""One linear program solved for many objectives: the table audit of core.suppression asks for the
minimum and maximum of many cells over the same feasible tables (docs/reports.md, "Disclosure
control").

HiGHS, through its own Python interface `highspy` (pinned in pyproject.toml), keeps the model and its
last optimal basis between objectives, so each next objective starts from a vertex of the same
polytope and takes a few simplex steps instead of a fresh solve (scipy's `linprog`, the same solver,
rebuilds and presolves the model on every call: at full scale that is most of the time of a
funder's report). `Program(reuse=False)` solves with `linprog` instead; both give the same answers
(core/tests/test_table_audit.py checks it).
"""

from __future__ import annotations

import enum
import math
from typing import Any

import highspy as highs_core
import numpy as np


class Outcome(enum.Enum):
    OPTIMAL = "optimal"
    UNBOUNDED = "unbounded"
    FAILED = "failed"  # infeasible, or the solver gave up


class Program:
    """Minimise objective @ x subject to a_eq @ x == b_eq and lower <= x <= upper (upper may be
    infinite), for one objective after another."""

    def __init__(self, a_eq: Any, b_eq: Any, lower: Any, upper: Any, *, reuse: bool = True) -> None:
        self.a_eq, self.b_eq = a_eq.tocsc(), np.asarray(b_eq, dtype=float)
        self.lower, self.upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        self.size = self.a_eq.shape[1]
        self._highs = self._build() if reuse else None
        self._cost = np.zeros(self.size)

    def _build(self) -> Any:
        model = highs_core.HighsLp()
        rows, cols = self.a_eq.shape
        model.num_col_, model.num_row_ = cols, rows
        model.col_cost_ = np.zeros(cols)
        model.col_lower_ = self.lower
        model.col_upper_ = np.where(np.isinf(self.upper), highs_core.kHighsInf, self.upper)
        model.row_lower_ = model.row_upper_ = self.b_eq
        matrix = model.a_matrix_
        matrix.num_col_, matrix.num_row_ = cols, rows
        matrix.format_ = highs_core.MatrixFormat.kColwise
        matrix.start_, matrix.index_ = self.a_eq.indptr, self.a_eq.indices
        matrix.value_ = self.a_eq.data.astype(float)
        solver = highs_core.Highs()
        solver.setOptionValue("output_flag", False)
        solver.passModel(model)
        return solver

    def solve(self, objective: Any) -> tuple[Outcome, Any, float]:
        """The outcome, an optimal x (None unless OPTIMAL) and the optimal value."""
        objective = np.asarray(objective, dtype=float)
        if self._highs is None:
            return self._linprog(objective)
        changed = np.flatnonzero(objective != self._cost)
        if len(changed):
            self._highs.changeColsCost(len(changed), changed.astype(np.int32), objective[changed])
            self._cost = objective.copy()
        self._highs.run()
        status = self._highs.getModelStatus()
        if status == highs_core.HighsModelStatus.kOptimal:
            x = np.asarray(self._highs.getSolution().col_value)
            return Outcome.OPTIMAL, x, float(objective @ x)
        # The callers' programs are feasible (the true table satisfies them), so "unbounded or
        # infeasible" is unbounded.
        if status in (
            highs_core.HighsModelStatus.kUnbounded,
            highs_core.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return Outcome.UNBOUNDED, None, -math.inf
        return Outcome.FAILED, None, math.nan

    def _linprog(self, objective: Any) -> tuple[Outcome, Any, float]:
        from scipy.optimize import linprog

        bounds = list(zip(self.lower, [None if math.isinf(u) else u for u in self.upper], strict=True))
        solved = linprog(objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=bounds, method="highs")
        if solved.status == 0 and solved.x is not None:
            return Outcome.OPTIMAL, solved.x, float(solved.fun)
        if solved.status == 3:
            return Outcome.UNBOUNDED, None, -math.inf
        return Outcome.FAILED, None, math.nan
