"""One truth for paid work: the yearly report's paid-work and NEC figures are counted from the very
outcome rows the placements recorded, and agree with the placements counted by hand."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from werkbrug.ips.models import Placement
from werkbrug.ips.tests.conftest import make_employer, start_job, typed_trajectory
from werkbrug.reports.framework import Params
from werkbrug.reports.yearly import YearlyReport
from werkbrug.testing import actor_for, days_ago
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Certainty, Economy, Outcome, OutcomeKind

NOW = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC)


def summary(params: Params) -> dict:
    sections = YearlyReport().sections(params, detail=False)
    total = next(s for s in sections if s.key == "summary").total
    assert total is not None
    return total.values


def test_the_yearly_paid_work_and_nec_figures_are_the_placements(net):
    with time_machine.travel(NOW, tick=False):
        employer = make_employer(net)
        a, b, c = (typed_trajectory(net, first_name=n) for n in ("Anna", "Bert", "Carla"))
        first = start_job(net, a, employer, days_ago(120))  # NEC, verified below
        start_job(net, a, make_employer(net, "Tweede"), days_ago(20))  # the same client again
        start_job(net, b, employer, days_ago(100), economy=Economy.SOCIAL, competitive=False)
        start_job(net, c, employer, days_ago(30))  # NEC, not verified yet (3 months not over)
        trajectory_actions.verify_outcome(actor_for(net.coach), first.outcome, on=days_ago(10))
        # The previous year's job counts in the previous year only.
        d = typed_trajectory(net, first_name="Dirk")
        start_job(net, d, employer, datetime.date(2025, 6, 2))

        params = Params(
            start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), as_of=timezone.localdate()
        )
        figures = summary(params)

    # By hand, from the placements: trajectories with a job started in 2026, and of them those with
    # a job in the regular economy whose paid work was verified by the report's date.
    in_year = [p for p in Placement.objects.select_related("outcome") if p.started_on.year == 2026]
    paid = {p.trajectory_id for p in in_year}
    nec = {
        p.trajectory_id
        for p in in_year
        if p.outcome.economy == Economy.NEC and p.outcome.certainty == Certainty.VERIFIED
    }
    assert (len(paid), len(nec)) == (3, 1)
    assert (figures["paid_work"], figures["nec"]) == (len(paid), len(nec))
    # The same rows: every paid-work outcome is a placement's, and no placement has a second one.
    paid_outcomes = set(Outcome.objects.filter(kind=OutcomeKind.PAID_WORK).values_list("pk", flat=True))
    assert paid_outcomes == set(Placement.objects.values_list("outcome_id", flat=True))
    assert Outcome.objects.count() == Placement.objects.count() == 5
