"""The work-care generator on the tiny generated network: workshops at the work-care organisations,
signed agreements within their trajectories at a workshop of the lead organisation, day hours on the
agreements' days, nothing in the future (workcare.actions' invariants, checked on the rows written)."""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from werkbrug.demo.generator.workcare import HOURS_PER_TRAJECTORY, generate_workcare
from werkbrug.network.models import Membership, Organisation, OrganisationType, Role, TrajectoryType
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.clocks import add_months
from werkbrug.workcare.models import (
    ELEMENTS,
    DayHours,
    Milestone,
    MilestoneKind,
    WorkCareAgreement,
    Workshop,
)

WORKCARE = (OrganisationType.ARBEIDSZORG, OrganisationType.MAATWERK)


@pytest.fixture
def tiny(db) -> None:
    call_command("generate_network", "--scale", "tiny", stdout=StringIO())


def _make_workcare_network() -> list[int]:
    """Start afresh: no work-care rows; a third of the trajectories become work-care trajectories, their
    lead organisations work-care organisations. Returns every work-care trajectory."""
    Milestone.objects.all().delete()
    DayHours.objects.all().delete()
    WorkCareAgreement.objects.all().delete()
    Workshop.objects.all().delete()
    ids = list(Trajectory.objects.order_by("pk").values_list("pk", flat=True)[::3])
    orgs = set(Trajectory.objects.filter(pk__in=ids).values_list("lead_organisation_id", flat=True))
    Organisation.objects.filter(pk__in=orgs).update(org_type=OrganisationType.ARBEIDSZORG)
    Trajectory.objects.filter(pk__in=ids).update(type=TrajectoryType.objects.get(code="arbeidszorg"))
    # With those the tiny network already has.
    return list(
        Trajectory.objects.filter(
            type__code="arbeidszorg", lead_organisation__org_type__in=WORKCARE
        ).values_list("pk", flat=True)
    )


def test_work_care_rows_keep_the_invariants_of_the_actions(tiny):
    # generate_network runs the step (the tiny network has work-care trajectories).
    assert Trajectory.objects.filter(type__code="arbeidszorg").exists()
    assert WorkCareAgreement.objects.exists() and DayHours.objects.exists()
    ids = _make_workcare_network()
    said: list[str] = []
    counts = generate_workcare(random.Random(3), 220, said.append)
    today = timezone.localdate()
    now = timezone.now()
    assert counts == {
        "Workshop": Workshop.objects.count(),
        "WorkCareAgreement": WorkCareAgreement.objects.count(),
        "DayHours": DayHours.objects.count(),
        "Milestone": Milestone.objects.count(),
    }
    assert "work-care" in said[0]
    # One to three workshops per work-care organisation, and only there.
    per_org = Counter(Workshop.objects.values_list("organisation_id", flat=True))
    orgs = set(Organisation.objects.filter(org_type__in=WORKCARE).values_list("pk", flat=True))
    assert set(per_org) == orgs
    assert all(1 <= n <= 3 for n in per_org.values())
    # Most work-care trajectories have an agreement; only those have one.
    agreements = list(WorkCareAgreement.objects.select_related("trajectory", "workshop"))
    with_one = {a.trajectory_id for a in agreements}
    assert with_one <= set(ids)
    assert len(with_one) >= 0.6 * len(ids)
    assert len(agreements) > len(with_one)  # some have two in a row
    for a in agreements:
        t = a.trajectory
        assert a.workshop.organisation_id == t.lead_organisation_id == a.organisation_id
        assert a.recorded_by_id == a.signed_by_id == t.coach_id
        assert t.started_on <= a.starts_on <= today
        assert a.ends_on is None or a.starts_on <= a.ends_on <= today
        if t.closed_on is not None:
            assert a.ends_on is not None and a.ends_on <= t.closed_on
            assert a.recorded_at.date() <= t.closed_on  # recorded while the trajectory was open
        assert a.recorded_at <= now and a.signed_at is not None and a.recorded_at <= a.signed_at <= now
        assert a.signed_on is not None and a.starts_on <= a.signed_on <= today
        assert all(getattr(a, name).strip() for name, _label in ELEMENTS)
        assert not a.signed_document
    # A trajectory's agreements follow each other: the earlier ended before the later started.
    for _t, group in itertools.groupby(
        sorted(agreements, key=lambda a: (a.trajectory_id, a.starts_on)), key=lambda a: a.trajectory_id
    ):
        rows = list(group)
        assert len(rows) <= 2
        for earlier, later in itertools.pairwise(rows):
            assert earlier.ends_on is not None and earlier.ends_on < later.starts_on
            assert earlier.form != later.form
    # Day hours: on a running agreement's days at its workshop, within the window, 2-6 on weekdays.
    hours = list(DayHours.objects.all())
    assert hours
    # About the target: at most one participant's rows over it (three days a week, three years).
    assert 0.8 * 220 * HOURS_PER_TRAJECTORY <= len(hours) <= 220 * HOURS_PER_TRAJECTORY + 3 * 53 * 3
    window = datetime.date(today.year - 2, 1, 1)
    by_trajectory: dict[int, list[WorkCareAgreement]] = {}
    for a in agreements:
        by_trajectory.setdefault(a.trajectory_id, []).append(a)
    coach = dict(Trajectory.objects.filter(pk__in=ids).values_list("pk", "coach_id"))
    for h in hours:
        assert window <= h.day <= today and h.day.weekday() < 5
        assert 2 <= h.hours <= 6
        assert h.recorded_by_id == coach[h.trajectory_id]
        running = [
            a
            for a in by_trajectory[h.trajectory_id]
            if a.starts_on <= h.day and (a.ends_on is None or h.day <= a.ends_on)
        ]
        assert [a.workshop_id for a in running] == [h.workshop_id]
    # Two or three weekdays a week per participant.
    weeks = Counter((h.trajectory_id, h.day.isocalendar()[:2]) for h in hours)
    assert max(weeks.values()) <= 3
    # The recorder is a coach of the organisation.
    members = set(Membership.objects.filter(role=Role.COACH).values_list("user_id", "organisation_id"))
    assert {(a.recorded_by_id, a.organisation_id) for a in agreements} <= members
    assert not WorkCareAgreement.objects.filter(starts_on__gt=F("trajectory__closed_on")).exists()

    # Milestones: within the agreement (the intake on its start), by the coach, nothing in the future;
    # each step of the cycle at most once, near its due date; most held, some missed.
    milestones = list(Milestone.objects.select_related("agreement__trajectory"))
    assert milestones
    per_kind = Counter((m.agreement_id, m.kind) for m in milestones)
    assert all(n == 1 for (_a, kind), n in per_kind.items() if kind != MilestoneKind.YEARLY)
    week = datetime.timedelta(days=7)
    for m in milestones:
        a = m.agreement
        assert a.starts_on <= m.on <= min(a.ends_on or today, today)
        assert m.by_id == a.trajectory.coach_id and m.recorded_at <= now
        if m.kind == MilestoneKind.INTAKE:
            assert m.on == a.starts_on
        if m.kind == MilestoneKind.TRIAL:
            assert abs(m.on - add_months(a.starts_on, 1)) <= week
        if m.kind == MilestoneKind.IBP:
            assert a.signed_on is not None and m.on <= add_months(a.signed_on, 3)
    intakes = sum(1 for (_a, kind) in per_kind if kind == MilestoneKind.INTAKE)
    assert 0.75 * len(agreements) <= intakes < len(agreements)
