"""The figures keep their statements per scope (core.statements): scopes of another organisation,
other coaches and another period, computed one after the other in one process, each give their
own figures, worked out here by hand from the rows built."""

from __future__ import annotations

from typing import Any

import pytest

from werkbrug.employers.models import ContactMode, ContactPlace, ContactPurpose, EmployerContact
from werkbrug.fidelity import figures
from werkbrug.fidelity.tests.build import D, contact, employer, employer_contact, ips, ips_type, placement
from werkbrug.network.models import Membership, Role
from werkbrug.testing import make_user, query_plan
from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

pytestmark = pytest.mark.django_db
TODAY = D(2026, 1, 15)
FIRST_HALF = (D(2025, 1, 1), D(2025, 6, 30))
SECOND_HALF = (D(2025, 7, 1), D(2025, 12, 31))
YEAR = (D(2025, 1, 1), D(2025, 12, 31))  # the first half's start, the second half's end


def counts(scope: figures.Scope) -> dict[str, Any]:
    found = figures.compute(scope, TODAY)
    return {
        key: found[key].counts
        for key in (
            "caseload",
            "competitive_share",
            "job_loss_contact",
            "follow_along_met",
            "community_share",
            "employment",
        )
    }


def expected(
    trajectories: int,
    jobs: int,
    competitive: int,
    ended: tuple[int, int],
    follow_along: tuple[int, int, int],
    community: tuple[int, int],
    employment: tuple[int, int],
    scope: figures.Scope,
) -> dict[str, Any]:
    return {
        "caseload": {
            "trajectories": trajectories,
            "coaches": len(scope.coach_ids),
            "fte": float(len(scope.coach_ids)),
            "on": scope.period_to.isoformat(),
        },
        "competitive_share": {"jobs": jobs, "competitive": competitive},
        "job_loss_contact": {"ended": ended[0], "met": ended[1]},
        "follow_along_met": dict(zip(("moments", "met", "jobs"), follow_along, strict=True)),
        "community_share": {"all": community[0], "community": community[1]},
        "employment": {"clients": employment[0], "employed": employment[1]},
    }


def test_two_organisations_coaches_and_periods_one_after_the_other_each_give_their_own_figures(net):
    coach = net.coach
    # SaRA: two IPS trajectories of the coach, each with a job.
    t1, t2 = ips(net, D(2025, 1, 10)), ips(net, D(2025, 1, 10))
    placement(net, t1, D(2025, 2, 1))  # competitive, still held
    placement(net, t2, D(2025, 3, 10), ended_on=D(2025, 3, 20), competitive=False, monthly=False)
    contact(net, t1, D(2025, 2, 3))  # meets "after the start" (1-4 February)
    contact(net, t1, D(2025, 4, 15))  # meets April (1-30 April)
    contact(net, t2, D(2025, 3, 21))  # meets week 2 (17-23 March) and the job loss (20-23 March)
    contact(net, t1, D(2025, 8, 5))  # meets August
    employer_contact(net, D(2025, 3, 3))
    employer_contact(net, D(2025, 3, 4))
    employer_contact(net, D(2025, 3, 5), mode=ContactMode.PHONE, place=ContactPlace.OFFICE)

    # The same coach also coaches at GTB: one IPS trajectory there, another closed in June.
    Membership.objects.create(user=coach, organisation=net.gtb, role=Role.COACH)
    for started, closed in ((D(2025, 2, 1), None), (D(2025, 5, 1), D(2025, 6, 1))):
        Trajectory.objects.create(
            client=net.new_client(),
            type=ips_type(),
            lead_organisation=net.gtb,
            coach=coach,
            started_on=started,
            closed_on=closed,
            status=TrajectoryStatus.CLOSED if closed else TrajectoryStatus.ACTIVE,
        )
    EmployerContact.objects.create(
        employer=employer(net, "Garage Janssens"),
        on=D(2025, 4, 1),
        coach=coach,
        organisation=net.gtb,
        mode=ContactMode.FACE_TO_FACE,
        purpose=ContactPurpose.VACANCY,
        place=ContactPlace.COMMUNITY,
    )

    # Two more SaRA coaches, each with an IPS trajectory without a job: one from August, one
    # closed in March. Which coaches count depends on the period's start and its end.
    other = make_user("coach2", net.sara, Role.COACH)
    ips(net, D(2025, 8, 1), coach=other)
    third = make_user("coach3", net.sara, Role.COACH)
    ips(net, D(2025, 1, 10), coach=third, status=TrajectoryStatus.CLOSED, closed_on=D(2025, 3, 1))

    def coaches(*users: Any) -> tuple[int, ...]:
        return tuple(sorted(user.pk for user in users))

    for _round in range(2):
        assert figures.scope_coach_ids(net.sara, None, *FIRST_HALF) == coaches(coach, third)
        assert figures.scope_coach_ids(net.gtb, None, *FIRST_HALF) == coaches(coach)
        assert figures.scope_coach_ids(net.sara, None, *YEAR) == coaches(coach, other, third)
        assert figures.scope_coach_ids(net.sara, None, *SECOND_HALF) == coaches(coach, other)
        assert figures.scope_coach_ids(net.sara, [coach.pk], *FIRST_HALF) == coaches(coach)
        assert figures.scope_coach_ids(net.sara, [other.pk], *FIRST_HALF) == coaches(other)  # a team
        assert figures.scope_coach_ids(net.gtb, [third.pk], *FIRST_HALF) == ()  # not GTB's coach

    sara = figures.Scope(net.sara, (coach.pk,), *FIRST_HALF)
    gtb = figures.Scope(net.gtb, (coach.pk,), *FIRST_HALF)
    later = figures.Scope(net.sara, (coach.pk,), *SECOND_HALF)
    year = figures.Scope(net.sara, (coach.pk,), *YEAR)
    both = figures.Scope(net.sara, coaches(coach, other), *SECOND_HALF)
    # First half at SaRA. Follow-along, 30 June the last day: the job of 1 February has 9 moments
    # (before the start, after it, weeks 2-4, March to June), met after the start and in April;
    # the job of 10 March (no monthly follow-along, ended the 20th) 3 (before, after, week 2),
    # met in week 2.
    sara_first = expected(2, 2, 1, (1, 1), (12, 3, 2), (3, 2), (2, 2), sara)
    # GTB: one trajectory active on 30 June (the other closed on 1 June), no jobs; one employer
    # contact; both clients without work.
    gtb_first = expected(1, 0, 0, (0, 0), (0, 0, 0), (1, 1), (2, 0), gtb)
    # The second half at SaRA: the job of 1 February only (the other ended in March); its moments
    # July to December, met in August; the client of the ended job had no work in it.
    sara_second = expected(2, 1, 1, (0, 0), (6, 1, 1), (0, 0), (2, 1), later)
    # The whole year: 15 moments of the first job (the first half's and July to December), met
    # after the start, in April and in August; the second job's 3, met in week 2.
    sara_year = expected(2, 2, 1, (1, 1), (18, 4, 2), (3, 2), (2, 2), year)
    # The second half with the second coach: their trajectory and client too.
    both_second = expected(3, 1, 1, (0, 0), (6, 1, 1), (0, 0), (3, 1), both)

    for _round in range(2):  # the second round runs the statements the first kept
        assert counts(sara) == sara_first
        assert counts(gtb) == gtb_first
        assert counts(later) == sara_second
        assert counts(year) == sara_year
        assert counts(both) == both_second
    # The statements are kept, never their rows: a new row counts at once.
    contact(net, t1, D(2025, 2, 10))  # meets week 2 (8-14 February)
    assert counts(sara)["follow_along_met"] == {"moments": 12, "met": 4, "jobs": 2}
    assert figures.compute(sara, TODAY)["follow_along_met"].ids == sorted([t1.pk, t2.pk])


def test_an_organisation_s_ips_coaches_are_found_through_its_ips_trajectories_alone(net):
    """SQLite's plan: the trajectories the coaches are found through are looked up by organisation
    and type together (the index on both), not read all to keep the IPS ones: at full scale an
    organisation leads up to thousands of trajectories of other types. PostgreSQL chooses by
    statistics that a test database does not have (docs/bench.md, s48)."""
    from django.db import connection

    plan = query_plan(*figures._coaches(net.sara, None, *YEAR).query.sql_with_params())
    if connection.vendor == "sqlite":
        assert "(lead_organisation_id=? AND type_id=?)" in plan, plan
    else:
        assert "trajectories_trajectory" in plan
