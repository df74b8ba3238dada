"""Local dates of stored timestamps, computed by the database itself (the reports' one way).

Timestamps are stored in UTC; a person's "day of the referral" is its date in the configured time
zone. PostgreSQL converts time zones itself; SQLite does not, and Django's own date functions run
there as a Python function once per row, which is too slow for a report over a year of data.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from typing import Any

from django.db.models import DateField, F, Field, Func, IntegerField
from django.utils import timezone


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the configured time zone (a day's lower bound for timestamps)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@functools.lru_cache(maxsize=16)
def utc_offsets(zone: str, first_year: int, last_year: int) -> tuple[tuple[datetime.datetime, int], ...]:
    """The changes of the zone's UTC offset from `first_year` to `last_year`: (UTC instant, offset in
    minutes from then on), newest first, ending with the offset in force when `first_year` began."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset(moment: datetime.datetime) -> int:
        delta = moment.astimezone(tz).utcoffset() or datetime.timedelta()
        return int(delta.total_seconds() // 60)

    moment = datetime.datetime(first_year, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(last_year + 1, 1, 1, tzinfo=datetime.UTC)
    changes = [(moment, offset(moment))]
    while moment < end:
        following = moment + datetime.timedelta(days=1)
        if offset(following) != offset(moment):
            low, high = moment, following  # the change lies in (low, high]: narrow it to the minute
            while high - low > datetime.timedelta(minutes=1):
                middle = (low + (high - low) / 2).replace(second=0, microsecond=0)
                if offset(middle) == offset(low):
                    low = middle
                else:
                    high = middle
            changes.append((high, offset(high)))
        moment = following
    return tuple(reversed(changes))


class DaysFromLocalDate(Func):
    """Whole days from the local date of the timestamp `since` to the date `until` (NULL when either
    is NULL).

    PostgreSQL converts the timestamp to a local date itself. On SQLite, Django's TruncDate calls a
    Python function per row, well over a second for a year of rows at full scale; here SQLite's own
    date() shifts the UTC timestamp by the offset in force at that moment, chosen by a CASE over the
    zone's changes (summer time) in the `years` around the period. A timestamp before them gets the
    oldest offset."""

    output_field = IntegerField()

    def __init__(self, since: str, until: str, *, years: tuple[int, int]) -> None:
        """`since` and `until` are field names; `years` must cover the years the timestamps lie in."""
        super().__init__(F(since), F(until))
        self.years = years

    def _operands(self, compiler: Any) -> tuple[str, list[Any], str, list[Any]]:
        since, since_params = compiler.compile(self.source_expressions[0])
        until, until_params = compiler.compile(self.source_expressions[1])
        return since, list(since_params), until, list(until_params)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        since, since_params, until, until_params = self._operands(compiler)
        zone = timezone.get_current_timezone_name()
        return f"({until} - ({since} AT TIME ZONE %s)::date)", [*until_params, *since_params, zone]

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        since, since_params, until, until_params = self._operands(compiler)
        changes = utc_offsets(timezone.get_current_timezone_name(), *self.years)
        whens: list[str] = []
        params: list[Any] = []
        for moment, minutes in changes[:-1]:
            whens.append(f"WHEN {since} >= %s THEN %s")
            params += [
                *since_params,
                connection.ops.adapt_datetimefield_value(moment),
                f"{minutes:+d} minutes",
            ]
        params.append(f"{changes[-1][1]:+d} minutes")
        shifted = f"date({since}, CASE {' '.join(whens)} ELSE %s END)" if whens else f"date({since}, %s)"
        sql = f"CAST(julianday({until}) - julianday({shifted}) AS INTEGER)"
        return sql, [*until_params, *since_params, *params]


class Scanned(Func):
    """A column compared as is, but not through its index on SQLite (`+column`).

    A report's period condition (`started_on <= end of the year`) keeps nearly every row. PostgreSQL
    sees that from its statistics and reads the table; SQLite walks the index and fetches each row
    from it, three times slower at full scale (docs/bench.md). The other way round, an index on a
    column that one organisation's rows share with the whole network's can lead SQLite away from
    the organisation's own rows (`reports/annex.py`). The unary plus is SQLite's own way of keeping
    a term off the index; the value and its type stay the same (a date unless `output_field` says)."""

    output_field = DateField()

    def __init__(self, column: str, output_field: Field[Any, Any] | None = None) -> None:
        super().__init__(F(column), output_field=output_field)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", list(params)
