"""The retention period: `manage.py apply_retention --dry-run` lists and changes nothing; without it,
exactly the clients due are anonymised through the erasure, and an open or recently closed file, or
one an organisation without a retention period takes part in, is kept."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from werkbrug.clients.models import Client
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Organisation, TrajectoryType
from werkbrug.privacy.models import RETENTION_REQUESTER, ErasureRequest
from werkbrug.privacy.retention import add_years
from werkbrug.privacy.tests.dump import database_text
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import actor_for
from werkbrug.trajectories import actions as trajectory_actions

BRUSSELS = ZoneInfo("Europe/Brussels")
HOSPITAL_YEARS, SARA_YEARS = 5, 3


def _travel(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=BRUSSELS), tick=False)


@dataclass
class Case:
    client: Client
    started: datetime.date
    closed: datetime.date | None
    keeper: bool = False  # an organisation without a retention period takes part


def _file(net, name: str, started: datetime.date, closed: datetime.date | None, *, by=None) -> Case:
    """A client referred (by the hospital, or `by`), whose SaRA trajectory starts and maybe closes."""
    with _travel(started):
        client = net.new_client(by=by, first_name=name, last_name=f"{name}sen")
        referral = net.refer(client, by=by)
        referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
        trajectory = trajectory_actions.accept_referral(
            actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code="arbeidscoach")
        )
    if closed is not None:
        with _travel(closed):
            trajectory_actions.close_trajectory(
                actor_for(net.coach), trajectory, reason="goal_reached", note=""
            )
    return Case(Client.objects.get(pk=client.pk), started, closed, keeper=by is not None)


@pytest.fixture
def world(net):
    Organisation.objects.filter(pk=net.hospital.pk).update(retention_years=HOSPITAL_YEARS)
    Organisation.objects.filter(pk=net.sara.pk).update(retention_years=SARA_YEARS)
    today = timezone.localdate()
    years_ago = lambda n, days=0: add_years(today, -n) - datetime.timedelta(days=days)  # noqa: E731
    return [
        # Closed six years ago: the longest period (the hospital's five years) has passed.
        _file(net, "Oudegem", years_ago(7), years_ago(6)),
        # Closed four years ago: past SaRA's three years, not the hospital's five.
        _file(net, "Recentem", years_ago(5), years_ago(4)),
        # Still open since seven years.
        _file(net, "Openem", years_ago(7), None),
        # Closed six years ago, but referred by an organisation that keeps its data (no period).
        _file(net, "Bewarem", years_ago(7), years_ago(6), by=net.outsider),
        # Closed five years and two days ago: just past the five years.
        _file(net, "Grensem", years_ago(6), years_ago(5, days=2)),
    ]


def _expected(cases: list[Case]) -> set[int]:
    """Computed from the dates the test set: nothing open, no keeper, and the longest period of the
    two organisations involved (the hospital and SaRA) passed since the close."""
    today = timezone.localdate()
    longest = max(HOSPITAL_YEARS, SARA_YEARS)
    return {
        case.client.pk
        for case in cases
        if case.closed is not None and not case.keeper and add_years(case.closed, longest) < today
    }


def test_dry_run_lists_the_clients_due_and_changes_nothing(net, world):
    expected = _expected(world)
    assert len(expected) == 2  # the test data means something
    before = database_text()
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert database_text() == before
    listed = {
        int(line.split(":")[0].split()[1])
        for line in out.getvalue().splitlines()
        if line.startswith("client ")
    }
    assert listed == expected
    for case in world:
        assert case.client.first_name not in out.getvalue()


def test_the_real_run_erases_exactly_the_clients_due(net, world):
    expected = _expected(world)
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    erased = set(Client.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == expected
    for case in world:
        fresh = Client.objects.get(pk=case.client.pk)
        if case.client.pk in expected:
            assert (fresh.first_name, fresh.last_name) == ("", "Gewist")
            request = ErasureRequest.objects.get(client_ref=case.client.pk)
            assert request.requested_by == RETENTION_REQUESTER and request.recorded_by is None
            assert "retention" in request.reason
            assert AuditEvent.objects.filter(
                client_id=case.client.pk, action=AuditAction.DELETE, object_type="client"
            ).exists()
        else:
            assert (fresh.first_name, fresh.erased_at) == (case.client.first_name, None)
    # A second run finds nothing left to do.
    again = io.StringIO()
    call_command("apply_retention", stdout=again)
    assert "0 client(s) anonymised" in again.getvalue()
    assert ErasureRequest.objects.count() == len(expected)
