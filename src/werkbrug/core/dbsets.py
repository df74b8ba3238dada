"""Membership in a subquery's rows, written so each engine can use its indexes (issue 14).

`pk__in=rows` is the ORM's way, and it is fine on its own. Beside another indexed condition in an OR
(`lead_organisation = X OR id IN (…)`), PostgreSQL cannot combine a subquery with an index: it reads
the whole table and probes a hash of the subquery's rows for each. Written as the union of both sets
(`id IN (… UNION ALL …)`) it reads the rows' ids from the indexes, but then looks every row up again
by its primary key, one by one: at full scale, 8 of the 21 ms of a coordinator's yearly report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, F, Func, QuerySet, Subquery


class InRows(Func):
    """The row's `column` is among the values of `rows` (a values() queryset of one column).

    PostgreSQL: `column = ANY(ARRAY(subquery))`. The subquery runs once (an InitPlan) and its values
    are looked up in the column's index, so the condition joins a bitmap OR with other indexed
    conditions and each row is read once. SQLite combines the indexes of both sides of an OR itself
    (its MULTI-INDEX OR), with the plain `IN (subquery)`.

    A condition: use it in `filter()` or in a `Q`, e.g. `Q(lead_organisation_id=x) | Q(InRows("pk",
    handed))`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, rows: QuerySet[Any]) -> None:
        super().__init__(F(column), Subquery(rows))

    def _operands(self, compiler: Any) -> tuple[str, str, list[Any]]:
        column, column_params = compiler.compile(self.source_expressions[0])
        rows, rows_params = compiler.compile(self.source_expressions[1])
        return column, rows, [*column_params, *rows_params]

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, rows, params = self._operands(compiler)
        return f"{column} IN {rows}", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        column, rows, params = self._operands(compiler)
        return f"{column} = ANY(ARRAY{rows})", params
