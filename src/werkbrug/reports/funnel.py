"""The referral funnel: the referrals made in the period, per referral line, per channel and per
referring organisation; what became of them (accepted, on the waiting list, declined, still open;
redirected on the way); how long it took from the referral to the first contact in the trajectory;
and the outcomes of the trajectories that followed.

It is a cohort report: the population is the referrals *created* in the period (by their date in
Belgium), and what it shows about them (status, first contact, outcomes) is what is known when the
report is made. A referral counts on the line it is on now (after any redirection).

One grouped query computes it all. Its cells are nearly one per referral at full scale (hundreds of
lines times a thousand referring organisations times the days to the first contact), so the roll-up
is a single pass over the cells that adds each one to its line, its channel, its referring
organisation and the total at once: every breakdown sums the very same cells, as with
`framework.Cube`, at a fraction of the cost of one `Cube.by()` per breakdown and measure.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core.dbdates import DaysFromLocalDate
from werkbrug.network.models import Organisation, ReferralLine
from werkbrug.referrals.models import Channel, Referral, ReferralEvent, ReferralEventKind, ReferralStatus
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
from werkbrug.trajectories.models import Certainty, Economy, Outcome, OutcomeKind

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
# A group's counts, and how many of its referrals had their first contact after so many days.
Figures = tuple[Mapping[str, int], Mapping[int | float, int]]

NOTE = gettext_lazy(
    "Referrals made in the period, on the line they are on now, with what is known of them today. "
    "Accepted, on the waiting list, declined and still in triage or assigned add up to the referrals; "
    "redirected referrals are counted in their current status too. Days to first contact run from "
    "the day of the referral to the first contact recorded in the trajectory (a contact before the "
    "day of the referral counts as 0 days). Outcomes are those of the trajectories that followed, "
    "recorded at any time so far."
)


# --- the query ------------------------------------------------------------------------------------


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def referrals_in(params: Params) -> QuerySet[Referral]:
    """Referrals created in the period (by the local date), narrowed by the report's filters.

    The trajectory type filter takes the type of the trajectory a referral led to; a referral that
    has not (yet) led to one counts under its line's default trajectory type, so that the whole
    funnel, not only its accepted part, is narrowed."""
    qs = Referral.objects.filter(
        created_at__gte=_local_midnight(params.start),
        created_at__lt=_local_midnight(params.end + datetime.timedelta(days=1)),
    )
    if params.organisation is not None:
        qs = qs.filter(line__organisation=params.organisation)
    if params.line is not None:
        qs = qs.filter(line=params.line)
    if params.type is not None:
        qs = qs.filter(
            Q(trajectory__type=params.type)
            | Q(trajectory__isnull=True, line__default_trajectory_type=params.type.code)
        )
    return qs


def funnel_cells(params: Params) -> QuerySet[Referral, tuple[Any, ...]]:
    """The one query: referrals grouped by line, channel, referring organisation, status and days
    from the referral to the first contact, counting the redirected ones and the outcomes of their
    trajectories alongside. Rows: (line, channel, referrer, status, days, referrals, *FLAGS)."""
    redirected = ReferralEvent.objects.filter(kind=ReferralEventKind.REDIRECTED).values("referral_id")
    outcomes = Outcome.objects.filter(trajectory=OuterRef("trajectory"))
    paid = outcomes.filter(kind=OutcomeKind.PAID_WORK)
    nec = paid.filter(economy=Economy.NEC, certainty=Certainty.VERIFIED)
    days = DaysFromLocalDate(
        "created_at", "trajectory__first_contact_on", years=(params.start.year, params.end.year)
    )
    return (
        referrals_in(params)
        .annotate(days=days)
        .values_list("line_id", "channel", "referring_organisation_id", "status", "days")
        .annotate(
            referrals=Count("pk"),
            # Not correlated: the set of redirected referrals is built once.
            redirected=Count("pk", filter=Q(pk__in=redirected)),
            with_outcome=Count("pk", filter=Q(Exists(outcomes))),
            paid_work=Count("pk", filter=Q(Exists(paid))),
            nec=Count("pk", filter=Q(Exists(nec))),
        )
        .order_by()
    )


def fetch(qs: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() query as the database returns them: here only whole numbers,
    strings and NULLs, so Django's per-value converters (a Python call for every count of every
    row: a fifth of the report's time at full scale) can be skipped."""
    sql, sql_params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, sql_params)
        return cursor.fetchall()


class Rollup:
    """The query's cells summed per line, per channel, per referring organisation and in total, each
    with a histogram of the days to the first contact, in one pass."""

    DIMENSIONS = ("line", "channel", "referrer")

    def __init__(self, cells: Iterable[tuple[Any, ...]]) -> None:
        def vector() -> list[int]:
            return [0] * len(MEASURES)

        self.groups: dict[str, defaultdict[Any, list[int]]] = {
            d: defaultdict(vector) for d in self.DIMENSIONS
        }
        self.histograms: dict[str, defaultdict[Any, Counter[int | float]]] = {
            d: defaultdict(Counter) for d in self.DIMENSIONS
        }
        self.all, self.all_histogram = vector(), Counter[int | float]()
        part_index = {status: MEASURES.index(part) for status, part in STATUS_PART.items()}
        contacted = MEASURES.index("contacted")
        flags = MEASURES.index(FLAGS[0])
        by_line, by_channel, by_referrer = (self.groups[d] for d in self.DIMENSIONS)
        hist_line, hist_channel, hist_referrer = (self.histograms[d] for d in self.DIMENSIONS)
        for line, channel, referrer, status, days, n, redirected, with_outcome, paid, nec in cells:
            part = part_index[status]
            targets = (by_line[line], by_channel[channel], by_referrer[referrer], self.all)
            for target in targets:
                target[0] += n
                target[part] += n
                target[flags] += redirected
                target[flags + 1] += with_outcome
                target[flags + 2] += paid
                target[flags + 3] += nec
            if days is not None:
                days = max(days, 0)
                for target in targets:
                    target[contacted] += n
                hist_line[line][days] += n
                hist_channel[channel][days] += n
                hist_referrer[referrer][days] += n
                self.all_histogram[days] += n

    def total(self) -> Figures:
        return dict(zip(MEASURES, self.all, strict=True)), self.all_histogram

    def by(self, dimension: str) -> dict[Any, Figures]:
        histograms = self.histograms[dimension]
        return {
            key: (dict(zip(MEASURES, values, strict=True)), histograms.get(key, {}))
            for key, values in self.groups[dimension].items()
        }


# --- the report -----------------------------------------------------------------------------------


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _row(label: str, figures: Figures, key: Hashable) -> Row:
    values, histogram = figures
    return Row(
        label=label,
        values={
            **{measure: values.get(measure, 0) for measure in MEASURES},
            "days_median": _days(percentile(histogram, 0.5)),
            "days_p90": _days(percentile(histogram, 0.9)),
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

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        # Nothing here is about one person, so a funder (detail=False) gets the same sections.
        rollup = Rollup(fetch(funnel_cells(params)))
        per_line, per_channel, per_referrer = (rollup.by(d) for d in Rollup.DIMENSIONS)
        line_names = dict(ReferralLine.objects.filter(pk__in=list(per_line)).values_list("pk", "name"))
        referrer_names = dict(
            Organisation.objects.filter(pk__in=list(per_referrer)).values_list("pk", "name")
        )

        def total() -> Row:
            return _row(_("Total"), rollup.total(), "all")

        def by_name(dimension: str, figures: Mapping[Any, Figures], names: Mapping[Any, str]) -> list[Row]:
            return [
                _row(names.get(k, _("unknown")), figures[k], (dimension, k))
                for k in sorted(figures, key=lambda k: names.get(k, ""))
            ]

        # Every channel, in the order of the referral form, also those nobody used.
        channels = dict(Channel.choices)
        channel_rows = [
            _row(str(label), per_channel.get(code, ({}, {})), ("channel", code))
            for code, label in channels.items()
        ] + [
            _row(_("unknown"), figures, ("channel", code))
            for code, figures in per_channel.items()
            if code not in channels
        ]
        per_channel_section = _section("channel", _("Per channel"), channel_rows, total())
        per_channel_section.chart = Chart("bar", CHART, _("From referral to paid work, per channel"))
        return [
            _section("summary", _("Overview"), [], total(), note=NOTE),
            _section("line", _("Per referral line"), by_name("line", per_line, line_names), total()),
            per_channel_section,
            _section(
                "referrer",
                _("Per referring organisation"),
                by_name("referrer", per_referrer, referrer_names),
                total(),
            ),
        ]
