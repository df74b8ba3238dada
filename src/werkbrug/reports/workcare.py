"""The work-care report (issue 17, point 9; docs/workcare.md): participants by form and aim, their
hours, and the transitions onward (to paid work, training or IPS), for a period, as of a date.

What counts, as of `as_of` (an agreement recorded after that day does not count yet):
- a **participant** is a work-care trajectory with an agreement running at some day of the period;
  with several, the one that started last in the period gives the form and aim, so each participant
  counts once and the rows add up;
- **new** participants: that agreement started in the period;
- **hours**: the month grid's hours (`DayHours`) of the participants on the days of the period (the
  grid keeps no recording time: hours entered after `as_of` count);
- **onward**: participants with an outcome "paid work" or "training" dated in the period on the
  work-care trajectory, or whose client started an IPS trajectory in the period.

One grouped query (participants with their onward flags and hours), whatever the number of
participants.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.reports.asof import known_until
from werkbrug.reports.framework import LABEL, STAT, Column, Cube, Params, Report, Row, Section, register
from werkbrug.trajectories.models import Outcome, OutcomeKind, Trajectory
from werkbrug.workcare.models import Aim, DayHours, Form, WorkCareAgreement, running_in

IPS_TYPE = "ips"
DIMS = ("form", "aim")
MEASURES = ("n", "new", "paid_work", "training", "ips")
ONWARD = ("paid_work", "training", "ips")


class Scope(NamedTuple):
    """What the figures depend on: the period, the first moment after the report's date (what was
    recorded before it counts) and the organisation (None: the network)."""

    start: datetime.date
    end: datetime.date
    known_until: datetime.datetime
    organisation_id: int | None = None

    @classmethod
    def of(cls, params: Params) -> Scope:
        organisation = params.organisation.pk if params.organisation is not None else None
        return cls(params.start, params.end, known_until(params), organisation)


def agreements_in(scope: Scope) -> QuerySet[WorkCareAgreement]:
    qs = WorkCareAgreement.objects.filter(
        running_in(scope.start, scope.end), recorded_at__lt=scope.known_until
    )
    if scope.organisation_id is not None:
        qs = qs.filter(organisation_id=scope.organisation_id)
    return qs


def participants_in(scope: Scope) -> QuerySet[WorkCareAgreement]:
    """One agreement per participant: the latest running in the period."""
    agreements = agreements_in(scope)
    latest = (
        agreements.filter(trajectory=OuterRef("trajectory")).order_by("-starts_on", "-pk").values("pk")[:1]
    )
    return agreements.filter(pk=Subquery(latest))


def _outcome(scope: Scope, kind: str) -> Exists:
    return Exists(
        Outcome.objects.filter(
            trajectory=OuterRef("trajectory"), kind=kind, on__range=(scope.start, scope.end)
        )
    )


def _ips(scope: Scope) -> Exists:
    """The participant's client started an IPS trajectory in the period. From the agreement's
    trajectory id alone: a join of the trajectories in the outer query made SQLite walk all of them."""
    client = Trajectory.objects.filter(pk=OuterRef(OuterRef("trajectory"))).order_by().values("client_id")
    return Exists(
        Trajectory.objects.filter(
            client_id=Subquery(client), type__code=IPS_TYPE, started_on__range=(scope.start, scope.end)
        )
    )


def _hours_of(scope: Scope) -> Subquery:
    """The participant's hours on the days of the period (NULL: none)."""
    return Subquery(
        DayHours.objects.filter(trajectory=OuterRef("trajectory"), day__range=(scope.start, scope.end))
        .order_by()
        .values("trajectory")
        .annotate(h=Sum("hours"))
        .values("h"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def participant_groups(scope: Scope) -> QuerySet[WorkCareAgreement, tuple[Any, ...]]:
    """The participants per form and aim: their counts (MEASURES) and hours, in one statement.
    Rows: (form, aim, *MEASURES, hours)."""
    return (
        participants_in(scope)
        .values_list(*DIMS)
        .annotate(
            n=Count("pk"),
            new=Count("pk", filter=Q(starts_on__gte=scope.start)),
            paid_work=Count("pk", filter=_outcome(scope, OutcomeKind.PAID_WORK)),
            training=Count("pk", filter=_outcome(scope, OutcomeKind.TRAINING)),
            ips=Count("pk", filter=_ips(scope)),
            hours=Sum(_hours_of(scope)),
        )
        .order_by()
    )


HUNDREDTH = Decimal("0.01")


def _decimal(value: object) -> Decimal:
    """A sum of hours as the database returns it (PostgreSQL: a Decimal; SQLite: a number), to the
    hundredth as the grid records them."""
    if value is None:
        return Decimal(0)
    return (value if isinstance(value, Decimal) else Decimal(repr(value))).quantize(HUNDREDTH)


def participants_and_hours(params: Params) -> tuple[Cube, dict[tuple[str, str], Decimal]]:
    """The participant cube, and the hours per (form, aim), from one statement."""
    rows = list(participant_groups(Scope.of(params)))
    width = len(DIMS) + len(MEASURES)
    cube = Cube((dict(zip((*DIMS, *MEASURES), row[:width], strict=True)) for row in rows), DIMS, MEASURES)
    return cube, {(row[0], row[1]): _decimal(row[width]) for row in rows}


def _hours(hours: Mapping[tuple[str, str], Decimal], pick: Any) -> float:
    return float(sum((h for key, h in hours.items() if pick(key)), Decimal(0)))


COLUMNS = [
    Column("label", "", LABEL),
    Column("n", gettext_lazy("Participants")),
    Column("new", gettext_lazy("Of which new in the period")),
    Column("hours", gettext_lazy("Hours of work-like activity"), STAT, basis="n"),
    Column("paid_work", gettext_lazy("Onward to paid work")),
    Column("training", gettext_lazy("Onward to training")),
    Column("ips", gettext_lazy("Onward to IPS")),
]


@register
class WorkCareReport(Report):
    slug = "workcare"
    title = gettext_lazy("Work-care (arbeidszorg)")
    description = gettext_lazy(
        "Participants in work-care by form and aim, new participants, hours of work-like activity, and "
        "transitions onward to paid work, training or IPS, in the period."
    )
    filters = ("organisation",)
    definition = "workcare/1"
    definition_note = gettext_lazy(
        "As of a date: agreements recorded by then, each participant once (the latest agreement in the "
        "period); hours from the month grid; onward: paid work or training dated in the period, or an "
        "IPS trajectory started in it."
    )

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        cube, hours = participants_and_hours(params)

        def row(label: str, values: Mapping[str, int], key: Hashable, hours_: float) -> Row:
            return Row(
                label,
                {**{m: values.get(m, 0) for m in MEASURES}, "hours": hours_},
                keys={m: (m, key) for m in MEASURES},
            )

        total = row(_("Total"), cube.total(), "all", _hours(hours, lambda _k: True))

        def breakdown(key: str, title: str, dim: str, choices: Any) -> Section:
            index = DIMS.index(dim)
            groups = cube.by(dim)
            return Section(
                key=key,
                title=title,
                columns=COLUMNS,
                rows=[
                    row(
                        str(label),
                        groups.get(code, {}),
                        (dim, code),
                        _hours(hours, lambda k, code=code: k[index] == code),
                    )
                    for code, label in choices
                ],
                total=total,
                subsets=(("new", "n"), ("paid_work", "n"), ("training", "n"), ("ips", "n")),
            )

        sections = [
            breakdown("form", _("Per form"), "form", Form.choices),
            breakdown("aim", _("Per aim"), "aim", Aim.choices),
        ]
        # The form x aim table behind the two breakdowns: hidden, protected like the shown cells.
        relations: dict[Hashable, list[Hashable]] = defaultdict(list)
        for (form, aim), values in cube.by("form", "aim").items():
            for measure in MEASURES:
                cell = ("cross", measure, form, aim)
                self.hidden_cells[cell] = values[measure]
                relations[(measure, ("form", form))].append(cell)
                relations[(measure, ("aim", aim))].append(cell)
        self.hidden_relations.extend(relations.items())
        return sections
