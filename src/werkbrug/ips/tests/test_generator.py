"""The placements generator on the tiny generated network (which has employers from the employers
generator): skipped without employers; with them,
about one job for every five trajectories, each on an IPS trajectory with its own paid-work outcome
(one truth), one after the other, nothing in the future."""

from __future__ import annotations

import itertools
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from werkbrug.demo.generator.placements import PLACEMENTS_PER_TRAJECTORY, generate_placements
from werkbrug.employers.models import Employer, EmployerContact
from werkbrug.ips.models import Placement
from werkbrug.network.models import TrajectoryType, User
from werkbrug.trajectories.models import Economy, Outcome, OutcomeKind, Trajectory


@pytest.fixture
def tiny(db) -> None:
    call_command("generate_network", "--scale", "tiny", stdout=StringIO())


def test_without_employers_the_placements_are_skipped_with_a_message(tiny):
    # generate_network writes employers and their contacts first: take them away.
    EmployerContact.objects.all().delete()
    Employer.objects.all().delete()
    said: list[str] = []
    assert generate_placements(random.Random(1), 220, said.append) == {}
    assert "no employers" in said[0]
    assert Placement.objects.count() == 0


def test_placements_keep_the_invariants_of_the_actions(tiny):
    user = User.objects.first()
    for i in range(5):
        Employer.objects.create(name=f"Werkgever {i}", created_by=user)
    # The tiny network may have no IPS organisation: make a quarter of its trajectories IPS.
    ids = list(Trajectory.objects.order_by("pk").values_list("pk", flat=True)[::4])
    Trajectory.objects.filter(pk__in=ids).update(type=TrajectoryType.objects.get(code="ips"))
    paid_before = Outcome.objects.filter(kind=OutcomeKind.PAID_WORK, trajectory__type__code="ips").count()
    counts = generate_placements(random.Random(1), 220, lambda text: None)
    placements = Placement.objects.count()
    assert counts["Placement"] == placements
    # Around the target (a Poisson draw per trajectory), and every earlier paid-work outcome is a job.
    target = 220 * PLACEMENTS_PER_TRAJECTORY
    assert max(paid_before, target * 0.5) <= placements <= max(paid_before, target) * 2
    assert not Placement.objects.exclude(trajectory__type__code="ips").exists()
    # One truth: the outcome is paid work of the same trajectory, on the start day.
    assert not Placement.objects.exclude(outcome__trajectory_id=F("trajectory_id")).exists()
    assert not Placement.objects.exclude(outcome__kind=OutcomeKind.PAID_WORK).exists()
    assert not Placement.objects.exclude(outcome__on=F("started_on")).exists()
    # A competitive job is in the regular economy, as the action requires.
    assert not Placement.objects.filter(competitive=True).exclude(outcome__economy=Economy.NEC).exists()
    assert (
        Outcome.objects.filter(kind=OutcomeKind.PAID_WORK, trajectory__type__code="ips").count() == placements
    )
    today = timezone.localdate()
    assert not Placement.objects.filter(started_on__gt=today).exists()
    assert not Placement.objects.filter(ended_on__gt=today).exists()
    assert not Placement.objects.filter(ended_on__lt=F("started_on")).exists()
    assert not Placement.objects.filter(trajectory__status="closed", ended_on__isnull=True).exists()
    assert not Placement.objects.filter(ended_on__isnull=False, end_reason="").exists()
    # A trajectory's jobs follow each other: at most one runs.
    for trajectory_id in set(Placement.objects.values_list("trajectory_id", flat=True)):
        jobs = list(Placement.objects.filter(trajectory_id=trajectory_id).order_by("started_on", "pk"))
        assert sum(1 for j in jobs if j.ended_on is None) <= 1
        for earlier, later in itertools.pairwise(jobs):
            assert earlier.ended_on is not None and earlier.ended_on <= later.started_on
