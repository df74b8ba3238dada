"""The demo's IPS fidelity (issue 15): last year's review, scored by hand as it was done on paper
and finalised, and a draft review of the last twelve months whose computed items come from the IPS
and employer stories (demo.ips, demo.employers), for the coordinator to finish."""

from __future__ import annotations

import datetime

from werkbrug.demo.steps import Steps
from werkbrug.fidelity import actions
from werkbrug.fidelity.scale import SCALES

# Last year's paper scores: mostly fair, the organisation items lower (the IPS team was new).
PAPER = {"organisation": 3, "staffing": 4, "services": 3}


def fidelity_review(demo: Steps) -> None:
    coordinator, coach = demo.actors["coordinator.sara"], demo.users["coach.sara1"]
    day = datetime.timedelta(days=1)
    this_year_from = demo.today - 364 * day
    last_year = actions.open_review(
        coordinator,
        scale="nl",
        period_from=this_year_from - 365 * day,
        period_to=this_year_from - day,
        reviewers=[coach],
        today=demo.today,
    )
    for item in SCALES["nl"].items:
        for column in item.columns:
            actions.score_item(
                coordinator,
                last_year,
                item=item.key,
                column=column,
                score=PAPER[item.section.key],
                note="Overgenomen van de meting op papier.",
            )
    actions.finalise_review(coordinator, last_year)
    actions.open_review(
        coordinator,
        scale="nl",
        period_from=this_year_from,
        period_to=demo.today,
        reviewers=[coach],
        today=demo.today,
    )
