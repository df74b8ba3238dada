"""The yearly registration report (seed 001, L320-332): trajectories active in the period and started
in it, men/women, sub-regions, the share in contact with mental-health care, outflow to paid work and
the share of it in the regular economy (NEC), which counts once verified after three months of work;
the other outcomes; per trajectory type and per organisation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, cast

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.clients.models import Gender
from werkbrug.core.dbdates import Scanned
from werkbrug.network.models import Organisation, SubRegion, TrajectoryType
from werkbrug.reports import asof
from werkbrug.reports.framework import (
    LABEL,
    PERCENT,
    Chart,
    Column,
    Cube,
    Params,
    Report,
    Row,
    Section,
    register,
    share,
)
from werkbrug.reports.persons import Counted, Joined, fill_persons, persons_column, persons_per
from werkbrug.teams.models import TeamMember
from werkbrug.trajectories.models import Outcome, OutcomeKind, Trajectory

# The type and lead organisation are those of the report's date (reports.asof), not today's.
DIMS = (asof.TYPE, asof.LEAD, "client__gender", "client__subregion_id")
# The same dimensions in the outcome cube, after the outcome kind.
OUTCOME_DIMS = ("kind", "o_type", "o_organisation", "o_gender", "o_subregion")


def active_in(params: Params) -> QuerySet[Trajectory]:
    """Trajectories active at some time in the period, without annotations or filters."""
    # Nearly every trajectory started before the end of the period: read the table, not the index.
    return Trajectory.objects.filter(LessThanOrEqual(Scanned("started_on"), params.end)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=params.start)
    )


def trajectories_in(params: Params) -> QuerySet[Trajectory]:
    """Trajectories active at some time in the period, narrowed by the report's filters, with their
    type and lead organisation as of the report's date (asof.TYPE, asof.LEAD)."""
    qs = asof.with_type_and_lead(active_in(params), params)
    if params.organisation is not None:
        qs = asof.led_by(qs, params.organisation.pk)
    if params.line is not None:
        qs = qs.filter(referral__line=params.line)
    if params.type is not None:
        qs = qs.filter(**{asof.TYPE: params.type.pk})
    if params.team is not None:
        qs = qs.filter(coach_id__in=TeamMember.objects.filter(team=params.team).values("user_id"))
    return qs


def outcome_rows(params: Params) -> QuerySet[Any]:
    """The outcomes in the period, as the trajectory statement's joined rows (reports.persons.Joined):
    the trajectory, the kind's position in OutcomeKind, and whether it is in the regular economy,
    verified (paid work after three months)."""
    kinds = [When(kind=kind, then=Value(position)) for position, kind in enumerate(OutcomeKind.values)]
    return Outcome.objects.filter(on__range=(params.start, params.end), kind__in=OutcomeKind.values).values(
        t=F("trajectory_id"),
        k=Case(*kinds, output_field=IntegerField()),
        f=Case(When(asof.verified_by(params), then=Value(1)), default=Value(0)),
    )


def cubes(params: Params) -> tuple[Cube, Counted, Cube]:
    """One statement, one reading of the trajectories (reports.persons):
    - per type, organisation, gender and sub-region, the active, started and GGZ counts;
    - the unique persons per value of each of those and in total;
    - per outcome kind, the trajectories with that outcome in the period, and of them those in the
      regular economy, verified. Only paid work is broken down by every dimension; other outcomes by
      type alone (Joined.detailed)."""
    counted = persons_per(
        params.statement_key("yearly trajectories"),
        lambda: trajectories_in(params),
        {dim: dim for dim in DIMS},
        measures={
            "active": None,
            "started": Q(started_on__gte=params.start),
            "ggz": asof.in_ggz_contact(params),
        },
        joined=Joined(lambda: outcome_rows(params), detailed=OutcomeKind.values.index(OutcomeKind.PAID_WORK)),
    )
    outcomes = Cube(
        (
            dict(zip(OUTCOME_DIMS[1:], (row[dim] for dim in DIMS), strict=True))
            | {"kind": OutcomeKind.values[row["key"]], "n": row["n"], "nec_verified": row["flagged"]}
            for row in counted.joined
        ),
        OUTCOME_DIMS,
        ("n", "nec_verified"),
    )
    return Cube(counted.cube, DIMS, ("active", "started", "ggz")), counted, outcomes


COLUMNS = [
    Column("label", "", LABEL),
    Column("active", gettext_lazy("Trajectories active in the period")),
    persons_column("active"),
    Column("started", gettext_lazy("Started in the period")),
    Column("ggz", gettext_lazy("In contact with mental-health care (GGZ)")),
    Column("ggz_share", gettext_lazy("% GGZ"), PERCENT, part="ggz", whole="active"),
    Column("paid_work", gettext_lazy("Outflow to paid work")),
    Column("paid_work_share", gettext_lazy("% paid work"), PERCENT, part="paid_work", whole="active"),
    Column("nec", gettext_lazy("Of which regular economy (NEC), verified after 3 months")),
    Column("nec_share", gettext_lazy("% NEC of paid work"), PERCENT, part="nec", whole="paid_work"),
]
MEASURES = ("active", "started", "ggz", "paid_work", "nec")


def outcome_key(kind: str, group: Hashable) -> Hashable:
    """Trajectories with paid work are also a column of the breakdowns: one figure, one key."""
    return ("paid_work", group) if kind == OutcomeKind.PAID_WORK else ("outcome", kind, group)


# The men/women breakdown shows each row's share of all trajectories (seed 001 L320-332: "42% men and
# 58% women").
GENDER_SHARE = Column(
    "gender_share",
    gettext_lazy("Share of the trajectories (%)"),
    PERCENT,
    part="active",
    whole="active",
    of_total=True,
    guard_complement=False,
)


def with_persons(sections: list[Section], counted: Counted) -> None:
    """Unique persons beside the trajectories in every breakdown and the total (reports.persons), and
    the men/women shares."""
    fill_persons(sections, counted, anchor="active")
    for section in sections:
        if section.key == "gender" and section.total is not None:
            section.columns = [*section.columns, GENDER_SHARE]
            total = cast(int, section.total.values["active"])
            for row in section.all_rows:
                row.values[GENDER_SHARE.key] = share(cast(int, row.values["active"]), total)


@register
class YearlyReport(Report):
    slug = "yearly"
    title = gettext_lazy("Yearly registration report")
    description = gettext_lazy(
        "Trajectories active and started in the period; men and women; sub-regions; the share in contact "
        "with mental-health care; outflow to paid work and the share in the regular economy (verified "
        "after three months of work); other outcomes. Per trajectory type and per organisation."
    )
    filters = ("organisation", "line", "team", "trajectory_type")
    definition = "yearly/2"
    definition_note = gettext_lazy(
        "As of a date: type and lead organisation from the handover history at the end of the period, "
        "GGZ contact from the dated contact periods, NEC only when verified by that date."
    )

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        trajectories, persons, outcomes = cubes(params)
        paid = Cube(
            (
                dict(zip(("kind", *DIMS), dims, strict=True)) | {"paid_work": values[0], "nec": values[1]}
                for dims, values in outcomes.cells
                if dims[0] == OutcomeKind.PAID_WORK
            ),
            DIMS,
            ("paid_work", "nec"),
        )

        def figures(dim: str | None) -> dict[Any, dict[str, int]]:
            if dim is None:
                return {"all": trajectories.total() | paid.total()}
            merged: dict[Any, dict[str, int]] = {}
            for key, values in trajectories.by(dim).items():
                merged[key] = {**values, "paid_work": 0, "nec": 0}
            for key, values in paid.by(dim).items():
                merged.setdefault(key, {"active": 0, "started": 0, "ggz": 0}).update(values)
            return merged

        def row(label: str, values: Mapping[str, int], key: Hashable) -> Row:
            figures_ = dict(values)
            return Row(
                label=label,
                values={
                    **figures_,
                    "ggz_share": share(figures_["ggz"], figures_["active"]),
                    "paid_work_share": share(figures_["paid_work"], figures_["active"]),
                    "nec_share": share(figures_["nec"], figures_["paid_work"]),
                },
                keys={measure: (measure, key) for measure in MEASURES},
            )

        total_values = figures(None)["all"]

        def breakdown(
            key: str,
            title: str,
            dim: str,
            names: Mapping[Any, str],
            order: Callable[[Any], Any] | None = None,
        ) -> Section:
            groups = figures(dim)
            ordered = sorted(groups, key=order or (lambda k: names.get(k, "")))
            unknown = _("unknown")  # once, not per row
            return Section(
                key=key,
                title=title,
                columns=COLUMNS,
                rows=[row(names.get(k, unknown), groups[k], (dim, k)) for k in ordered],
                total=row(_("Total"), total_values, "all"),
                subsets=(("started", "active"),),
            )

        type_names = dict(TrajectoryType.objects.values_list("pk", "name"))
        region_names = dict(SubRegion.objects.values_list("pk", "name"))
        gender_order = [code for code, _label in Gender.choices]
        sections = [
            Section(
                key="summary",
                title=_("Overview"),
                columns=COLUMNS,
                rows=[],
                total=row(_("Total"), total_values, "all"),
                subsets=(("started", "active"),),
            ),
            breakdown(
                "gender",
                _("Men and women"),
                "client__gender",
                {code: str(label) for code, label in Gender.choices},
                order=lambda k: gender_order.index(k) if k in gender_order else 99,
            ),
            breakdown("subregion", _("Per sub-region"), "client__subregion_id", region_names),
            breakdown("type", _("Per trajectory type"), asof.TYPE, type_names),
        ]
        if params.organisation is None:
            org_ids = [k for k in trajectories.by(asof.LEAD) if k is not None]
            org_names = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
            sections.append(breakdown("organisation", _("Per organisation"), asof.LEAD, org_names))
            self._cross_table(trajectories, paid)
        sections[2].chart = Chart("bar", ("active", "started"))
        with_persons(sections, persons)
        sections.append(self._outcomes(outcomes, total_values["active"]))
        sections.append(self._outcomes_per_type(outcomes, type_names))
        return sections

    def _cross_table(self, trajectories: Cube, paid: Cube) -> None:
        """The type x organisation table behind the two breakdowns. Which organisation runs which
        type is public, so its empty cells are known, and e.g. an organisation's total minus a type
        only it runs would give away its other type's small count."""
        cross = trajectories.by(asof.TYPE, asof.LEAD)
        paid_cross = paid.by(asof.TYPE, asof.LEAD)
        rows: dict[Hashable, list[Hashable]] = defaultdict(list)
        for measure in MEASURES:
            source = paid_cross if measure in ("paid_work", "nec") else cross
            for (type_id, org_id), values in source.items():
                key = ("cross", measure, type_id, org_id)
                self.hidden_cells[key] = values[measure]
                rows[(measure, (asof.TYPE, type_id))].append(key)
                rows[(measure, (asof.LEAD, org_id))].append(key)
        self.hidden_relations.extend(rows.items())

    @staticmethod
    def _outcomes(outcomes: Cube, active: int) -> Section:
        per_kind = outcomes.by("kind")
        return Section(
            key="outcomes",
            title=_("Outcomes in the period"),
            note=_(
                "Trajectories with at least one outcome of this kind in the period; a trajectory can "
                "have several outcomes, so the rows do not add up."
            ),
            columns=[
                Column("label", _("Outcome"), LABEL),
                Column("n", _("Trajectories")),
            ],
            rows=[
                Row(
                    str(label),
                    {"n": per_kind.get(kind, {}).get("n", 0)},
                    keys={"n": outcome_key(kind, "all")},
                )
                for kind, label in OutcomeKind.choices
            ],
            chart=Chart("bar", ("n",)),
            rows_add_up=False,
        )

    @staticmethod
    def _outcomes_per_type(outcomes: Cube, type_names: Mapping[int, str]) -> Section:
        per = outcomes.by("kind", "o_type")
        per_kind = outcomes.by("kind")
        type_ids = sorted({type_id for _kind, type_id in per}, key=lambda t: type_names.get(t, ""))
        kinds = [(kind, label) for kind, label in OutcomeKind.choices]
        return Section(
            key="outcomes_per_type",
            title=_("Outcomes per trajectory type"),
            columns=[Column("label", _("Trajectory type"), LABEL)]
            + [Column(kind, str(label)) for kind, label in kinds],
            rows=[
                Row(
                    type_names.get(type_id, _("unknown")),
                    {kind: per.get((kind, type_id), {}).get("n", 0) for kind, _label in kinds},
                    keys={kind: outcome_key(kind, (asof.TYPE, type_id)) for kind, _label in kinds},
                )
                for type_id in type_ids
            ],
            total=Row(
                _("Total"),
                {kind: per_kind.get(kind, {}).get("n", 0) for kind, _label in kinds},
                keys={kind: outcome_key(kind, "all") for kind, _label in kinds},
            ),
        )
