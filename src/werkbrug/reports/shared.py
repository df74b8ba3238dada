"""A funder's report figures, computed once and shared for a few minutes (issue 14, docs/reports.md
"Shared figures for funders").

A funder's run has no filters (`Report.filters_for`; `Report.run` keeps only the period), and
`Report.sections` reads nothing of who asks: every funder asking the same report for the same
period, on the same day, in the same language, gets exactly the same suppressed figures. The first
one computes them; the result, after suppression, is kept in Django's cache (the database cache in
production: shared by all workers and hosts) for `WERKBRUG_REPORT_SHARE_SECONDS` (0: off), and the
others get it with the moment it was computed.

What is stored is plain data: the suppressed sections (texts as strings in the active language, the
marks by name), when they were computed and from when the data is. Never a model instance, never an
unsuppressed figure: `run` stores a suppressed run only.

Beside the figures the cache holds a small stamp, a token drawn anew for each count. A worker keeps
the figures it last read or counted in memory, with their token, and reads them from the cache again
only when the stamp no longer matches: at full scale a funder's figures are some 100 KB, and reading
them from the database cache took longer than laying out the page (issue 14).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.functional import Promise

from werkbrug.core.actor import Actor
from werkbrug.core.statements import Memo
from werkbrug.reports.framework import (
    SECONDARY,
    SMALL,
    Chart,
    Column,
    Params,
    Report,
    Result,
    Row,
    Section,
    Suppressed,
)

# Change it whenever what is stored changes shape: older entries are then never read.
VERSION = 2
# A stored Suppressed mark in `Row.values` (a value is never a tuple otherwise).
_MARKS = {mark.name: mark for mark in (SMALL, SECONDARY)}
_MARK = "suppressed"


def seconds() -> int:
    """How long a funder's figures are shared; 0 turns sharing off."""
    return max(0, int(getattr(settings, "WERKBRUG_REPORT_SHARE_SECONDS", 300)))


def key(report: Report, params: Params) -> str:
    """All that decides a funder's figures: the report and its definition, the parameters (the
    period, and the day they are counted as of), the language of the texts, the stored format. One
    deployment is one network (there is no network above the organisations), so nothing else does."""
    parts = [VERSION, report.slug, report.definition, params.stored(), translation.get_language()]
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return f"werkbrug:report-share:{digest}"


def _plain(value: Any) -> Any:
    """A field value as plain data: strings (a lazy text in the active language), numbers, None,
    lists, tuples and dicts of them. Anything else (a model instance) is refused."""
    if isinstance(value, Suppressed):
        return (_MARK, value.name)
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple):
        return tuple(_plain(part) for part in value)
    if isinstance(value, list):
        return [_plain(part) for part in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    raise TypeError(f"not plain data: {type(value).__name__}")


def _fields(obj: Any, **nested: Any) -> dict[str, Any]:
    """Every field of a dataclass as plain data; `nested` gives the dataclass-valued ones."""
    return {
        f.name: nested[f.name] if f.name in nested else _plain(getattr(obj, f.name))
        for f in dataclasses.fields(obj)
    }


def _value(stored: Any) -> Any:
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _MARK:
        return _MARKS[stored[1]]
    return stored


def _row(stored: dict[str, Any]) -> Row:
    return Row(**(stored | {"values": {k: _value(v) for k, v in stored["values"].items()}}))


def dump(sections: list[Section]) -> list[dict[str, Any]]:
    """Suppressed sections as plain data: every field of every dataclass, so `load` gives them back
    exactly (a field added later travels too)."""
    return [
        _fields(
            section,
            columns=[_fields(column) for column in section.columns],
            rows=[_fields(row) for row in section.rows],
            total=_fields(section.total) if section.total is not None else None,
            chart=_fields(section.chart) if section.chart is not None else None,
        )
        for section in sections
    ]


def load(stored: list[dict[str, Any]]) -> list[Section]:
    return [
        Section(
            **(
                s
                | {
                    "columns": [Column(**column) for column in s["columns"]],
                    "rows": [_row(row) for row in s["rows"]],
                    "total": _row(s["total"]) if s["total"] is not None else None,
                    "chart": Chart(**s["chart"]) if s["chart"] is not None else None,
                }
            )
        )
        for s in stored
    ]


# A stored answer is kept this much longer than it is fresh: when it is stale, the first funder to
# ask counts the figures again and the others meanwhile get the last ones, with when they were
# computed, instead of all counting them at once (at full scale a funnel is seconds of CPU).
STALE_SECONDS = 3600
# How long one funder's recount holds the others off (a recount that fails frees it at once).
RECOUNT_SECONDS = 120


def recount_key(name: str) -> str:
    """The cache key that says a funder is counting the figures stored under `name` again."""
    return f"{name}:recount"


def stamp_key(name: str) -> str:
    """The cache key of the token of the figures stored under `name`."""
    return f"{name}:stamp"


@dataclasses.dataclass(frozen=True)
class _Kept:
    token: str
    generated_at: datetime.datetime
    data_as_of: datetime.datetime | None
    # Loaded once: the formatters only read a result's sections, so every request can share them.
    sections: list[Section]


# The figures this worker last read or counted, per key, with their token: the few reports and
# periods funders ask for (a report is some 100 KB in memory at full scale).
KEPT_IN_MEMORY = 16
_kept: Memo[_Kept] = Memo(KEPT_IN_MEMORY)


def _stored(name: str) -> _Kept | None:
    """The figures stored under `name`: this worker's copy while the cache's stamp names it, else
    the cache's (read once, and kept)."""
    token = cache.get(stamp_key(name))
    kept = _kept.get(name)
    if kept is not None and token is not None and kept.token == token:
        return kept
    stored = cache.get(name)
    return _keep(name, stored) if stored is not None else None


def _keep(name: str, stored: dict[str, Any]) -> _Kept:
    kept = _Kept(stored["token"], stored["generated_at"], stored["data_as_of"], load(stored["sections"]))
    _kept.put(name, kept)
    return kept


def _fresh(kept: _Kept | None, now: datetime.datetime, timeout: int) -> bool:
    return kept is not None and now - kept.generated_at < datetime.timedelta(seconds=timeout)


def run(report: Report, actor: Actor, params: Params, *, now: datetime.datetime) -> Result:
    """`report.run`, except that a funder's (suppressed) figures come from the cache when a run of the
    last `seconds()` stored them, with when they were computed and from when the data is. Once they
    are older, the first funder to ask counts them again; while that runs, the others get the last
    ones (`STALE_SECONDS`). Any other run is computed now and never read from or written to the cache."""
    timeout = seconds()
    if not timeout or not report.suppresses_for(actor):
        return report.run(actor, params, now=now)
    params = report.params_for(actor, params)
    name = key(report, params)
    kept = _stored(name)
    if not _fresh(kept, now, timeout):
        recount = recount_key(name)
        holds = cache.add(recount, True, RECOUNT_SECONDS)
        if kept is None or holds:
            try:
                result = report.run(actor, params, now=now)
                stored = {
                    "sections": dump(result.sections),
                    "generated_at": now,
                    "data_as_of": result.data_as_of,
                    "token": uuid.uuid4().hex,
                }
                # The figures before their stamp: a worker that sees the new stamp finds them.
                cache.set(name, stored, timeout + STALE_SECONDS)
                cache.set(stamp_key(name), stored["token"], timeout + STALE_SECONDS)
                # The one who computed them sees them as the others will: from the stored form.
                kept = _keep(name, stored)
            finally:
                if holds:
                    cache.delete(recount)
    if kept is None:  # pragma: no cover - counted above when nothing was stored
        raise RuntimeError("no figures stored")
    return Result(
        report,
        params,
        kept.sections,
        kept.generated_at,
        True,
        report.definition,
        kept.data_as_of,
        timeout,
    )
