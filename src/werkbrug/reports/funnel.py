"""The referral funnel: the referrals made in the period, per referral line, per channel and per
referring organisation; what became of them (accepted, on the waiting list, declined, still open;
redirected on the way); how long it took from the referral to the first contact in the trajectory;
and the outcomes of the trajectories that followed.

It is a cohort report: the population is the referrals *created* in the period (by their date in
Belgium), and what it shows about them (status, first contact, outcomes) is what is known when the
report is made. A referral counts on the line it is on now (after any redirection).

One query computes it all (`funnel_groups`): PostgreSQL rolls the referrals up per line, channel
and referring organisation itself; elsewhere the query's cells are summed in one pass in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import statements
from werkbrug.core.dbdates import DaysFromLocalDate, local_midnight
from werkbrug.network.models import Organisation, OrganisationType, ReferralLine
from werkbrug.referrals.models import Channel, Referral, ReferralEvent, ReferralEventKind, ReferralStatus
from werkbrug.reports import asof
from werkbrug.reports.framework import (
    LABEL,
    STAT,
    Chart,
    Column,
    Params,
    Report,
    Row,
    Section,
    percentile,
    register,
)
from werkbrug.reports.persons import add_persons, persons_column
from werkbrug.trajectories.models import Outcome, OutcomeKind, Trajectory

# The four parts of the referrals by their current status: every referral is in exactly one.
STATUS_PART = {
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.WAITING: "waiting",
    ReferralStatus.DECLINED: "declined",
    ReferralStatus.SUBMITTED: "open",
    ReferralStatus.CASE_TEAM: "open",
    ReferralStatus.ASSIGNED: "open",
}
PARTS = ("accepted", "waiting", "declined", "open")
# Counted by the query, per cell, next to the number of referrals.
FLAGS = ("redirected", "with_outcome", "paid_work", "nec")
MEASURES = ("referrals", *PARTS, "contacted", *FLAGS)

COLUMNS = [
    Column("label", "", LABEL),
    Column("referrals", gettext_lazy("Referrals")),
    persons_column("referrals"),
    Column("accepted", gettext_lazy("Accepted (trajectory started)")),
    Column("waiting", gettext_lazy("On the waiting list")),
    Column("declined", gettext_lazy("Declined")),
    Column("open", gettext_lazy("Still in triage or assigned")),
    Column("redirected", gettext_lazy("Redirected at least once")),
    Column("contacted", gettext_lazy("With a first contact")),
    Column("days_median", gettext_lazy("Days to first contact: median"), STAT, basis="contacted"),
    Column("days_p90", gettext_lazy("Days to first contact: 90th percentile"), STAT, basis="contacted"),
    Column("with_outcome", gettext_lazy("Trajectories with an outcome")),
    Column("paid_work", gettext_lazy("Of which paid work")),
    Column("nec", gettext_lazy("Of which paid work in the regular economy (NEC), verified")),
]
# Counts that are part of another: the rest is a count too, never shown, and protected as one.
SUBSETS = (
    ("redirected", "referrals"),
    ("contacted", "accepted"),
    ("with_outcome", "accepted"),
    ("paid_work", "with_outcome"),
    ("nec", "paid_work"),
)
PARTITIONS = (("referrals", PARTS),)
CHART = ("referrals", "accepted", "contacted", "paid_work")

NOTE = gettext_lazy(
    "Referrals made in the period, on the line they are on now, with what is known of them today. "
    "Accepted, on the waiting list, declined and still in triage or assigned add up to the referrals; "
    "redirected referrals are counted in their current status too. Days to first contact run from "
    "the day of the referral to the first contact recorded in the trajectory (a contact before the "
    "day of the referral counts as 0 days). Outcomes are those of the trajectories that followed, "
    "recorded at any time so far."
)


# --- the query ------------------------------------------------------------------------------------


def referrals_in(params: Params) -> QuerySet[Referral]:
    """Referrals created in the period (by the local date), narrowed by the report's filters.

    The trajectory type filter takes the type of the trajectory a referral led to; a referral that
    has not (yet) led to one counts under its line's default trajectory type, so that the whole
    funnel, not only its accepted part, is narrowed."""
    qs = Referral.objects.filter(
        created_at__gte=local_midnight(params.start),
        created_at__lt=local_midnight(params.end + datetime.timedelta(days=1)),
    )
    if params.organisation is not None:
        qs = qs.filter(line__organisation=params.organisation)
    if params.line is not None:
        qs = qs.filter(line=params.line)
    if params.type is not None:
        # The trajectory's type as of the report's date (reports.asof), not today's.
        typed = asof.with_type_and_lead(Trajectory.objects.all(), params).filter(
            **{asof.TYPE: params.type.pk}
        )
        qs = qs.filter(
            Q(trajectory__in=typed.values("pk"))
            | Q(trajectory__isnull=True, line__default_trajectory_type=params.type.code)
        )
    return qs


def _days_to_first_contact(params: Params) -> DaysFromLocalDate:
    return DaysFromLocalDate(
        "created_at", "trajectory__first_contact_on", years=(params.start.year, params.end.year)
    )


def _flags(params: Params) -> dict[str, Q]:
    """When a referral counts under each of FLAGS: one definition for both forms of the query."""
    redirected = ReferralEvent.objects.filter(kind=ReferralEventKind.REDIRECTED)
    outcomes = Outcome.objects.filter(trajectory=OuterRef("trajectory"))
    paid = outcomes.filter(kind=OutcomeKind.PAID_WORK)
    nec = paid.filter(asof.verified_by(params))
    return {
        "redirected": asof.has_any(params, redirected, "referral"),
        "with_outcome": Q(Exists(outcomes)),
        "paid_work": Q(Exists(paid)),
        "nec": Q(Exists(nec)),
    }


def funnel_cells(params: Params) -> QuerySet[Referral, tuple[Any, ...]]:
    """The query for databases that cannot roll up themselves: referrals grouped by line, channel,
    referring organisation, status and days from the referral to the first contact, counting the
    redirected ones and the outcomes of their trajectories alongside.
    Rows: (line, channel, referrer, status, days, referrals, *FLAGS)."""
    return (
        referrals_in(params)
        .annotate(days=_days_to_first_contact(params))
        .values_list("line_id", "channel", "referring_organisation_id", "status", "days")
        .annotate(
            referrals=Count("pk"),
            **{flag: Count("pk", filter=condition) for flag, condition in _flags(params).items()},
        )
        .order_by()
    )


def funnel_cohort(params: Params) -> QuerySet[Referral, tuple[Any, ...]]:
    """The referrals themselves, for the database to roll up: one row per referral, with its line,
    channel, referring organisation, status, days to the first contact and FLAGS (true or false).
    Never read as such: only inside `rollup_in_database`."""
    return (
        referrals_in(params)
        .annotate(
            days=_days_to_first_contact(params),
            **{
                flag: ExpressionWrapper(condition, output_field=BooleanField())
                for flag, condition in _flags(params).items()
            },
        )
        .values_list("line_id", "channel", "referring_organisation_id", "status", "days", *FLAGS)
        .order_by()
    )


# A group's counts (MEASURES), and the median and 90th percentile of the days to the first contact.
Figures = tuple[Mapping[str, int], float | None, float | None]
# The figures per line, per channel and per referring organisation (DIMENSIONS), and in total.
Groups = tuple[dict[str, dict[Any, Figures]], Figures]
DIMENSIONS = ("line", "channel", "referrer")


def funnel_groups(params: Params) -> Groups:
    """The funnel's figures per line, channel and referring organisation, from one query.

    The cells behind them are nearly one per referral at full scale (hundreds of lines times a
    thousand referring organisations times the days to the first contact). PostgreSQL rolls them up
    itself (GROUPING SETS, percentile_cont), which spares sending them all to Python; other
    databases send the cells, which `Rollup` sums. Both give the same figures (the tests run on
    both)."""
    if connections[Referral.objects.db].vendor == "postgresql":
        return rollup_in_database(params)
    # Only whole numbers, strings and NULLs: the driver's rows (`statements.fetched`) spare Django's
    # per-value converters, a fifth of the report's time at full scale.
    return Rollup(
        statements.fetched(params.statement_key("funnel cells"), lambda: funnel_cells(params))
    ).groups()


# GROUPING(line, channel, referrer) sets a bit for each dimension a grouping set leaves out.
GROUPING = {0b011: "line", 0b101: "channel", 0b110: "referrer", 0b111: None}


def rollup_in_database(params: Params) -> Groups:
    """The funnel per grouping set, rolled up by PostgreSQL from `funnel_cohort`."""

    def compose() -> statements.Composed:
        cohort = funnel_cohort(params)
        cohort_sql, cohort_params = cohort.query.get_compiler(using=cohort.db).as_sql()
        statuses = [[s for s, part in STATUS_PART.items() if part == name] for name in PARTS]
        columns = ", ".join(
            [
                "count(*)",
                *["count(*) FILTER (WHERE status = ANY(%s))"] * len(PARTS),
                "count(days)",
                *[f"count(*) FILTER (WHERE {flag})" for flag in FLAGS],
                # Not greatest(days, 0): that would make a missing first contact 0 days.
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN days < 0 THEN 0 ELSE days END)",
                "percentile_cont(0.9) WITHIN GROUP (ORDER BY CASE WHEN days < 0 THEN 0 ELSE days END)",
            ]
        )
        # Only constants and the ORM's own SQL go into the text; the values are parameters.
        sql = (
            f"SELECT GROUPING(line, channel, referrer), line, channel, referrer, {columns} "  # noqa: S608
            f"FROM ({cohort_sql}) AS cohort (line, channel, referrer, status, days, {', '.join(FLAGS)}) "
            "GROUP BY GROUPING SETS ((line), (channel), (referrer), ())"
        )
        return sql, (*statuses, *cohort_params), cohort.db

    statement = statements.composed(params.statement_key("funnel rollup"), compose)
    per: dict[str, dict[Any, Figures]] = {d: {} for d in DIMENSIONS}
    total: Figures = ({}, None, None)
    for grouping, line, channel, referrer, *numbers in statements.run(statement):
        *counts, median, p90 = numbers
        figures = (dict(zip(MEASURES, counts, strict=True)), median, p90)
        dimension = GROUPING[grouping]
        if dimension is None:
            total = figures
        else:
            key = {"line": line, "channel": channel, "referrer": referrer}[dimension]
            per[dimension][key] = figures
    return per, total


class Rollup:
    """The cells summed per line, per channel, per referring organisation and in total, each with a
    histogram of the days to the first contact, in one pass: every breakdown sums the very same
    cells, as with `framework.Cube`, at a fraction of the cost of one `Cube.by()` per breakdown and
    measure."""

    def __init__(self, cells: Iterable[tuple[Any, ...]]) -> None:
        def vector() -> list[int]:
            return [0] * len(MEASURES)

        self.sums: dict[str, defaultdict[Any, list[int]]] = {d: defaultdict(vector) for d in DIMENSIONS}
        # defaultdict(int) rather than Counter: its missing keys are filled in C, and nearly every
        # (group, days) pair is new.
        self.histograms: dict[str, defaultdict[Any, defaultdict[int | float, int]]] = {
            d: defaultdict(lambda: defaultdict(int)) for d in DIMENSIONS
        }
        self.all, self.all_histogram = vector(), defaultdict[int | float, int](int)
        part_index = {status: MEASURES.index(part) for status, part in STATUS_PART.items()}
        contacted = MEASURES.index("contacted")
        redirected_, with_outcome_, paid_, nec_ = (MEASURES.index(flag) for flag in FLAGS)
        by_line, by_channel, by_referrer = (self.sums[d] for d in DIMENSIONS)
        hist_line, hist_channel, hist_referrer = (self.histograms[d] for d in DIMENSIONS)
        total, all_histogram = self.all, self.all_histogram
        # Most cells are one referral with no flag set: adding their zeros is skipped.
        for line, channel, referrer, status, days, n, redirected, with_outcome, paid, nec in cells:
            part = part_index[status]
            targets = (by_line[line], by_channel[channel], by_referrer[referrer], total)
            for target in targets:
                target[0] += n
                target[part] += n
            if redirected:
                for target in targets:
                    target[redirected_] += redirected
            if with_outcome:  # paid work and NEC are outcomes: without one, they are 0 too
                for target in targets:
                    target[with_outcome_] += with_outcome
                    target[paid_] += paid
                    target[nec_] += nec
            if days is not None:
                days = max(days, 0)
                for target in targets:
                    target[contacted] += n
                hist_line[line][days] += n
                hist_channel[channel][days] += n
                hist_referrer[referrer][days] += n
                all_histogram[days] += n

    @staticmethod
    def _figures(values: list[int], histogram: Mapping[int | float, int]) -> Figures:
        return (
            dict(zip(MEASURES, values, strict=True)),
            percentile(histogram, 0.5),
            percentile(histogram, 0.9),
        )

    def groups(self) -> Groups:
        per = {
            d: {
                key: self._figures(values, self.histograms[d].get(key, {}))
                for key, values in self.sums[d].items()
            }
            for d in DIMENSIONS
        }
        return per, self._figures(self.all, self.all_histogram)


# --- the report -----------------------------------------------------------------------------------


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _row(label: str, figures: Figures, key: Hashable) -> Row:
    values, median, p90 = figures
    return Row(
        label=label,
        values={
            **{measure: values.get(measure, 0) for measure in MEASURES},
            "days_median": _days(median),
            "days_p90": _days(p90),
        },
        # The same figure under two breakdowns (the totals) is one cell for suppression.
        keys={measure: (measure, key) for measure in MEASURES},
    )


def _section(key: str, title: str, rows: list[Row], total: Row, note: str | Promise = "") -> Section:
    return Section(
        key=key,
        title=title,
        columns=COLUMNS,
        rows=rows,
        total=total,
        note=note,
        partitions=PARTITIONS,
        subsets=SUBSETS,
        # The overview has a total and no rows: that total is no sum of nothing (which suppression
        # would read as zero, and derive from).
        rows_add_up=bool(rows),
    )


@register
class FunnelReport(Report):
    slug = "funnel"
    title = gettext_lazy("Referral funnel")
    description = gettext_lazy(
        "Referrals made in the period, per referral line, channel and referring organisation: how many "
        "were accepted, redirected, put on the waiting list or declined; the days from the referral to "
        "the first contact (median and 90th percentile); and the outcomes of the trajectories that "
        "followed."
    )
    filters = ("organisation", "line", "trajectory_type")
    definition = "funnel/2"
    definition_note = gettext_lazy(
        "Referrals made in the period with what was known of them on the report's date; NEC only when "
        "verified by that date; the type filter takes the type the trajectory had then."
    )

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        # Nothing here is about one person; but a funder (detail=False) gets the referring
        # organisations per type (`_per_referrer_type`).
        per, all_figures = funnel_groups(params)
        per_line, per_channel, per_referrer = (per[d] for d in DIMENSIONS)
        line_names = dict(ReferralLine.objects.filter(pk__in=list(per_line)).values_list("pk", "name"))
        referrer_names = dict(
            Organisation.objects.filter(pk__in=list(per_referrer)).values_list("pk", "name")
        )

        def total() -> Row:
            return _row(_("Total"), all_figures, "all")

        def by_name(dimension: str, figures: Mapping[Any, Figures], names: Mapping[Any, str]) -> list[Row]:
            unknown = _("unknown")  # once: a coordinator's table has a row per referring organisation
            return [
                _row(names.get(k, unknown), figures[k], (dimension, k))
                for k in sorted(figures, key=lambda k: names.get(k, ""))
            ]

        # Every channel, in the order of the referral form, also those nobody used.
        channels = dict(Channel.choices)
        channel_rows = [
            _row(str(label), per_channel.get(code, ({}, None, None)), ("channel", code))
            for code, label in channels.items()
        ] + [
            _row(_("unknown"), figures, ("channel", code))
            for code, figures in per_channel.items()
            if code not in channels
        ]
        per_channel_section = _section("channel", _("Per channel"), channel_rows, total())
        per_channel_section.chart = Chart("bar", CHART, _("From referral to paid work, per channel"))
        sections = [
            _section("summary", _("Overview"), [], total(), note=NOTE),
            _section("line", _("Per referral line"), by_name("line", per_line, line_names), total()),
            per_channel_section,
            _section(
                "referrer",
                _("Per referring organisation"),
                by_name("referrer", per_referrer, referrer_names),
                total(),
            )
            if detail
            else _per_referrer_type(per_referrer, total()),
        ]
        return with_persons(params, sections)


def _per_referrer_type(per_referrer: Mapping[Any, Figures], total: Row) -> Section:
    """The referrals per type of referring organisation (psychiatric hospital, GP practice, ...):
    the funder's table in place of the one per organisation, whose nearly thousand rows are nearly
    all "<5" or hidden to protect one (docs/reports.md, "Fixed publication tables for funders").
    Counts only: the days to the first contact are not additive over organisations."""
    types = dict(
        Organisation.objects.filter(pk__in=[k for k in per_referrer if k is not None]).values_list(
            "pk", "org_type"
        )
    )
    sums: dict[str | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for referrer, (values, _median, _p90) in per_referrer.items():
        group = types.get(referrer)  # None: referred by no organisation
        for measure in MEASURES:
            sums[group][measure] += values.get(measure, 0)
    labels: dict[str | None, Any] = dict(OrganisationType.choices)
    order = [code for code in labels if code in sums] + [code for code in sums if code not in labels]
    rows = [
        _row(str(labels.get(code, _("unknown"))), (sums[code], None, None), ("referrer_type", code))
        for code in order
    ]
    section = _section("referrer_type", _("Per type of referring organisation"), rows, total)
    section.columns = [column for column in COLUMNS if column.kind != STAT]
    return section


# The funnel's breakdowns (DIMENSIONS) as fields of the referrals.
PERSON_FIELDS = {
    "line": "line_id",
    "channel": "channel",
    "referrer": "referring_organisation_id",
    "referrer_type": "referring_organisation__org_type",
}


def with_persons(params: Params, sections: list[Section]) -> list[Section]:
    """The unique persons referred, beside the referrals, per row and in total (reports.persons)."""
    add_persons(
        sections,
        params.statement_key("funnel persons"),
        lambda: referrals_in(params),
        anchor="referrals",
        fields=PERSON_FIELDS,
    )
    return sections
