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

Two grouped queries (participants; hours), whatever the number of participants.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
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


def agreements_in(params: Params) -> QuerySet[WorkCareAgreement]:
    qs = WorkCareAgreement.objects.filter(
        running_in(params.start, params.end), recorded_at__lt=known_until(params)
    )
    if params.organisation is not None:
        qs = qs.filter(organisation=params.organisation)
    return qs


def participants_in(params: Params) -> QuerySet[WorkCareAgreement]:
    """One agreement per participant: the latest running in the period."""
    agreements = agreements_in(params)
    latest = (
        agreements.filter(trajectory=OuterRef("trajectory")).order_by("-starts_on", "-pk").values("pk")[:1]
    )
    return agreements.filter(pk=Subquery(latest))


def _outcome(params: Params, kind: str) -> Exists:
    return Exists(
        Outcome.objects.filter(
            trajectory=OuterRef("trajectory"), kind=kind, on__range=(params.start, params.end)
        )
    )


def participant_cube(params: Params) -> Cube:
    rows = (
        participants_in(params)
        .annotate(
            to_paid=_outcome(params, OutcomeKind.PAID_WORK),
            to_training=_outcome(params, OutcomeKind.TRAINING),
            to_ips=Exists(
                Trajectory.objects.filter(
                    client_id=OuterRef("trajectory__client_id"),
                    type__code=IPS_TYPE,
                    started_on__range=(params.start, params.end),
                )
            ),
        )
        .values(*DIMS)
        .annotate(
            n=Count("pk"),
            new=Count("pk", filter=Q(starts_on__gte=params.start)),
            paid_work=Count("pk", filter=Q(to_paid=True)),
            training=Count("pk", filter=Q(to_training=True)),
            ips=Count("pk", filter=Q(to_ips=True)),
        )
        .order_by()
    )
    return Cube(rows, DIMS, MEASURES)


def hours_by(params: Params) -> dict[tuple[str, str], Decimal]:
    """The participants' hours on the days of the period, per form and aim of their agreement."""
    rows = (
        DayHours.objects.filter(
            day__range=(params.start, params.end),
            trajectory__workcare_agreements__in=participants_in(params),
        )
        .values(
            form=F("trajectory__workcare_agreements__form"), aim=F("trajectory__workcare_agreements__aim")
        )
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return {(row["form"], row["aim"]): row["h"] or Decimal(0) for row in rows}


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
        cube, hours = participant_cube(params), hours_by(params)

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
