"""Never a 500: random and hostile values in every field of every write, and in ids and paging."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.api.tests.api_data import SIGNED
from werkbrug.clients.models import Consent

HOSTILE = st.sampled_from(
    ["\x00", "\ud800", "9" * 5000, "2999-01-01", "0000-00-00", "-1", "1e309", "", " ", "null", "é" * 101]
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**62, max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    HOSTILE,
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mutate(body: dict, data) -> dict:
    """Replace, drop or add one field (possibly inside `evidence`)."""
    body = json.loads(json.dumps(body))
    target = body
    if "evidence" in body and data.draw(st.booleans()):
        target = body["evidence"]
    keys = [*target, "unexpected"]
    key = data.draw(st.sampled_from(keys))
    if data.draw(st.integers(0, 4)) == 0:
        target.pop(key, None)
    else:
        target[key] = data.draw(VALUES)
    return body


def assert_not_500(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 405:  # a GET on a POST-only path: ninja's plain 405 names the allowed methods
        assert response["Content-Type"].startswith("application/json")


@pytest.fixture
def writes(net):
    """(user, path, valid body) for every write operation."""
    trajectory = net.trajectory()
    client = trajectory.client
    consent = Consent.objects.filter(client=client).first()
    today = timezone.localdate().isoformat()
    return [
        (
            net.care,
            "/api/clients",
            {
                "first_name": "An",
                "last_name": "Fuzz",
                "birth_date": "1980-01-01",
                "gender": "F",
                "evidence": SIGNED,
            },
        ),
        (
            net.care,
            f"/api/clients/{client.pk}/consents",
            {
                "purpose": "case_team",
                "recipient_id": net.sara.pk,
                "categories": ["identity"],
                "evidence": SIGNED,
            },
        ),
        (
            net.care,
            "/api/referrals",
            {
                "client_id": client.pk,
                "line_id": net.gtb_line.pk,
                "question": "Vraag",
                "channel": "gp",
                "evidence": SIGNED,
            },
        ),
        (
            net.coach,
            f"/api/trajectories/{trajectory.pk}/contacts",
            {"on": today, "kind": "phone", "note": "x"},
        ),
        (
            net.coach,
            f"/api/trajectories/{trajectory.pk}/outcomes",
            {"kind": "paid_work", "on": today, "economy": "nec"},
        ),
        (net.care, f"/api/consents/{consent.pk}/withdraw", {}),
    ]


@FUZZ
@given(data=st.data())
def test_writes_never_answer_500(net, api, writes, data):
    user, path, body = data.draw(st.sampled_from(writes))
    assert_not_500(api.post(user, path, mutate(body, data)))


@FUZZ
@given(
    prefix=st.sampled_from(["/api/clients/", "/api/referrals/", "/api/trajectories/", "/api/consents/"]),
    ident=st.one_of(st.integers(), st.text(alphabet="0123456789-.eE+xX ", max_size=30)),
    suffix=st.sampled_from(["", "/consents", "/contacts", "/outcomes", "/withdraw"]),
    limit=st.one_of(st.none(), st.integers(), st.text(max_size=5)),
    offset=st.one_of(st.none(), st.integers(), st.text(max_size=5)),
)
def test_reads_never_answer_500(net, api, prefix, ident, suffix, limit, offset):
    params = {k: v for k, v in {"limit": limit, "offset": offset}.items() if v is not None}
    path = f"{prefix}{ident}{suffix}".replace(" ", "%20")
    assert_not_500(api.get(net.care, path, **params))
