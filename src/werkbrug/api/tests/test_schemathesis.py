"""Every operation of the API against its own OpenAPI schema (schemathesis, in-process WSGI).

Generated requests, valid and invalid, with a real token of a coach who has client data and a
network with a trajectory, its outcome, goal and handover (low ids, so generated ids can hit). For
every answer: never a 5xx, a documented status code, the documented content type and a body that
matches the documented schema. Runs in both CI runs (SQLite and PostgreSQL); never skipped.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from werkbrug.api.actions import issue_token
from werkbrug.testing import actor_for, days_ago, propose_to_gtb
from werkbrug.trajectories import actions
from werkbrug.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded once, from the app itself (no server, no network): the schema a partner system reads.
# (Not schemathesis.pytest.from_fixture: its lazy loader does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the start and end of a request must not close the test's
    database connection (the test's transaction holds the data the requests read)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def coach_key(net):
    """A coach's token, and something for generated ids to find."""
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    actions.record_contact(coach, trajectory, on=days_ago(3), kind="phone")
    actions.record_outcome(coach, trajectory, kind="paid_work", on=days_ago(200), economy="nec")
    actions.add_goal(coach, trajectory, goal="CV maken", due_on=None)
    propose_to_gtb(net, trajectory)
    net.refer(net.new_client(first_name="Els"))
    return issue_token(coach, name="schemathesis")[1]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_its_schema(case, coach_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {coach_key}"}, checks=CHECKS)
