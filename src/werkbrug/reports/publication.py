"""Published reports (issue 12 point 5, docs/reports.md "Published reports"): a report's figures as of a
date, stored once and never changed, shown again through the same formatters, next to the revisions a
run as of today finds.

The sections are stored as JSON with their texts in English (the msgids) and shown through gettext,
so a published report reads in the viewer's language; a name (an organisation, a line) stays as it
was when published.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from werkbrug.core import audit, replica
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.jobs.runner import enqueue_on_commit
from werkbrug.network.models import Organisation, Role
from werkbrug.reports.formats import raw
from werkbrug.reports.framework import (
    LABEL,
    REGISTRY,
    Chart,
    Column,
    Params,
    Report,
    Result,
    Row,
    Section,
    Value,
)
from werkbrug.reports.models import PublicationStatus, PublishedReport
from werkbrug.reports.publish_tasks import publish_figures

# --- sections to JSON and back --------------------------------------------------------------------


def _plain(key: Any) -> Any:
    """A cell key (nested tuples of str, int, None) as JSON."""
    return [_plain(part) for part in key] if isinstance(key, tuple) else key


def _key(value: Any) -> Hashable:
    return tuple(_key(part) for part in value) if isinstance(value, list) else value


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "label": str(row.label),
        "values": dict(row.values),
        "keys": {k: _plain(v) for k, v in row.keys.items()},
    }


def dump_sections(sections: Sequence[Section]) -> list[dict[str, Any]]:
    """Unsuppressed sections as JSON (call it with English active, so the texts are msgids)."""
    return [
        {
            "key": section.key,
            "title": str(section.title),
            "note": str(section.note),
            "columns": [
                {
                    "key": c.key,
                    "label": str(c.label),
                    "kind": c.kind,
                    "part": c.part,
                    "whole": c.whole,
                    "basis": c.basis,
                    "guard_complement": c.guard_complement,
                }
                for c in section.columns
            ],
            "rows": [_row_json(row) for row in section.rows],
            "total": _row_json(section.total) if section.total is not None else None,
            "chart": (
                {
                    "kind": section.chart.kind,
                    "columns": list(section.chart.columns),
                    "title": str(section.chart.title),
                }
                if section.chart is not None
                else None
            ),
            "partitions": [[whole, list(parts)] for whole, parts in section.partitions],
            "subsets": [list(pair) for pair in section.subsets],
            "rows_add_up": section.rows_add_up,
        }
        for section in sections
    ]


def _text(stored: str, translate: bool) -> str:
    return _(stored) if translate and stored else stored


def _row(stored: dict[str, Any], translate: bool) -> Row:
    return Row(
        label=_text(stored["label"], translate),
        values=dict(stored["values"]),
        keys={k: _key(v) for k, v in stored["keys"].items()},
    )


def load_sections(stored: Iterable[dict[str, Any]], *, translate: bool = True) -> list[Section]:
    """Section objects again, for the formatters and for suppression."""
    return [
        Section(
            key=s["key"],
            title=_text(s["title"], translate),
            note=_text(s["note"], translate),
            columns=[
                Column(
                    c["key"],
                    _text(c["label"], translate),
                    c["kind"],
                    part=c["part"],
                    whole=c["whole"],
                    basis=c["basis"],
                    guard_complement=c["guard_complement"],
                )
                for c in s["columns"]
            ],
            rows=[_row(row, translate) for row in s["rows"]],
            total=_row(s["total"], translate) if s["total"] is not None else None,
            chart=(
                Chart(s["chart"]["kind"], tuple(s["chart"]["columns"]), _text(s["chart"]["title"], translate))
                if s["chart"] is not None
                else None
            ),
            partitions=tuple((whole, tuple(parts)) for whole, parts in s["partitions"]),
            subsets=tuple((part, whole) for part, whole in s["subsets"]),
            rows_add_up=s["rows_add_up"],
        )
        for s in stored
    ]


def _public(report: Report, sections: Sequence[Section]) -> dict[str, Any]:
    return {
        "sections": dump_sections(sections),
        "hidden_cells": [[_plain(k), v] for k, v in report.hidden_cells.items()],
        "hidden_relations": [
            [_plain(whole), [_plain(p) for p in parts]] for whole, parts in report.hidden_relations
        ],
    }


# --- who may publish and see ----------------------------------------------------------------------


def visible_to(actor: Actor) -> QuerySet[PublishedReport]:
    """A coordinator: the reports published about their own organisation. A funder: every published
    report of a report they may run (shown suppressed). Anyone else: none."""
    slugs = [slug for slug, report in REGISTRY.items() if report.is_available_to(actor)]
    rows = PublishedReport.objects.filter(slug__in=slugs).select_related("published_by", "organisation")
    if actor.role == Role.FUNDER:
        # A publication whose job gave up was never published: its coordinators only see it.
        return rows.exclude(status=PublicationStatus.FAILED)
    if actor.role == Role.COORDINATOR and actor.organisation is not None:
        return rows.filter(organisation=actor.organisation)
    return rows.none()


@transaction.atomic
def publish_report(actor: Actor, report_class: type[Report], params: Params) -> PublishedReport:
    """Store the report's exact figures as of `params.as_of`, for good. The same report, with the
    same parameters, date and definition, is published once: two people publishing it at once (or
    one pressing twice) get one publication, and the other is told who published it. The request
    records the publication (pending); the job `reports.publish_tasks.publish_figures` counts and
    stores the figures after the commit."""
    if not report_class.may_publish(actor) or actor.organisation is None:
        raise DomainError(_("Your role cannot publish this report."))
    if report_class.own_organisation_only(actor) and params.organisation != actor.organisation:
        raise DomainError(_("You can publish the figures of your own organisation only."))
    # Publications of one organisation are serialised on its row; the check below then sees the
    # other's publication once it is committed.
    Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
    stored_params = params.stored()
    earlier = next(
        (
            row
            for row in PublishedReport.objects.filter(
                slug=report_class.slug,
                start=params.start,
                end=params.end,
                as_of=params.as_of,
                definition=report_class.definition,
                published_by_organisation=actor.organisation,
            )
            # A failed publication (its job gave up) does not count: the report can be published again.
            .exclude(status=PublicationStatus.FAILED)
            .select_related("published_by")
            if row.params == stored_params
        ),
        None,
    )
    if earlier is not None:
        raise DomainError(
            _("This report was already published by %(name)s (%(when)s).")
            % {
                "name": earlier.published_by.get_full_name() or earlier.published_by.username,
                "when": moment(earlier.published_at),
            }
        )

    published = PublishedReport(
        slug=report_class.slug,
        params=stored_params,
        start=params.start,
        end=params.end,
        as_of=params.as_of,
        definition=report_class.definition,
        sections=[],
        public_sections={},
        organisation=params.organisation,
        published_by=actor.user,
        published_by_organisation=actor.organisation,
        status=PublicationStatus.PENDING,
    )
    published.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        published,
        client_id=None,
        summary=f"report {report_class.slug} {params.start} - {params.end} as of {params.as_of} published",
    )
    # The figures are counted by a job after the commit (the report's id only); until then the
    # row is pending, and the check above already sees it.
    enqueue_on_commit(publish_figures, published.pk)
    return published


def store_figures(published_id: int) -> bool:
    """The job's work: count the pending report's figures as of its date and store them, once.
    Returns whether they were stored now (False: gone, or published already)."""
    pending = PublishedReport.objects.filter(pk=published_id, status=PublicationStatus.PENDING).first()
    if pending is None:
        return False
    report_class = REGISTRY[pending.slug]
    params = Params.restore(pending.params)

    def figures() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        report = report_class()
        exact = dump_sections(report.sections(params, detail=True))
        public = report_class()
        return exact, _public(public, public.sections(params, detail=False))

    # Only the figures' reads go to the replica (core.replica); the row is written on the primary.
    with translation.override("en"):
        (sections, public_sections), _source = replica.run_reports(figures)
        note = str(report_class.definition_note)
    return PublishedReport.objects.store_figures(
        pending.pk, sections=sections, public_sections=public_sections, definition_note=note
    )


@transaction.atomic
def give_up(error: Exception, published_id: int) -> bool:
    """The job's last attempt failed: the pending report, re-read locked, is marked failed with the
    error's kind (a class name, never its message, which may quote data). Returns whether it was
    still pending (False: gone, published meanwhile, or failed already)."""
    pending = (
        PublishedReport.objects.select_for_update()
        .filter(pk=published_id, status=PublicationStatus.PENDING)
        .first()
    )
    if pending is None:
        return False
    return PublishedReport.objects.mark_failed(pending.pk, reason=type(error).__name__)


# --- showing one: the stored figures, and what a run today says -----------------------------------


def _sections_for(
    published: PublishedReport, actor: Actor, report: Report, *, translate: bool
) -> list[Section]:
    if not report.suppresses_for(actor):
        return load_sections(published.sections, translate=translate)
    public = published.public_sections
    sections = load_sections(public["sections"], translate=translate)
    report.hidden_cells = {_key(k): v for k, v in public["hidden_cells"]}
    report.hidden_relations = [
        (_key(whole), [_key(p) for p in parts]) for whole, parts in public["hidden_relations"]
    ]
    report.suppress(sections)
    return sections


def stored_result(published: PublishedReport, actor: Actor) -> Result:
    """The published figures as `actor` may see them (suppressed for a funder), for any formatter."""
    report = REGISTRY[published.slug]()
    sections = _sections_for(published, actor, report, translate=True)
    result = Result(
        report,
        Params.restore(published.params),
        sections,
        published.published_at,
        report.suppresses_for(actor),
    )
    return dataclasses.replace(result, definition=published.definition)


@dataclasses.dataclass(frozen=True)
class Revision:
    section: str
    row: str
    column: str
    published: Value
    now: Value


def _cells(sections: Sequence[Section]) -> dict[tuple[str, str, str], tuple[str, str, str, Value]]:
    """(section key, row label, column key) -> (section title, row label, column label, shown value)."""
    cells = {}
    for section in sections:
        for row in section.all_rows:
            for column in section.columns:
                if column.kind != LABEL:
                    cells[(section.key, str(row.label), column.key)] = (
                        str(section.title),
                        str(row.label),
                        str(column.label),
                        raw(row.values.get(column.key)),
                    )
    return cells


def revisions(
    published: PublishedReport, actor: Actor, *, today: datetime.date | None = None
) -> list[Revision]:
    """Every figure that a run as of today (same parameters, as `actor` would see it) shows
    differently from the published report: (section, row, column, published value, value now)."""
    report_class = REGISTRY[published.slug]
    suppressed = report_class.suppresses_for(actor)
    params = Params.restore(published.params, as_of=today or timezone.localdate())
    with translation.override("en"):
        then = _cells(_sections_for(published, actor, report_class(), translate=False))
        report = report_class()
        current, _source = replica.run_reports(lambda: report.sections(params, detail=not suppressed))
        if suppressed:
            report.suppress(current)
        now = _cells(current)
    found = []
    for key in [*then, *(k for k in now if k not in then)]:
        before = then.get(key)
        after = now.get(key)
        value_then = before[3] if before else None
        value_now = after[3] if after else None
        if value_then != value_now:
            section, row, column, _value = before or after  # type: ignore[misc]
            found.append(Revision(_(section), _(row), _(column), value_then, value_now))
    return found
