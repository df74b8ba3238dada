"""Bad input gets a 4xx JSON answer, never a 500, and writes nothing (DESIGN §5)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from werkbrug.api.tests.api_data import AN_JANSSENS, SIGNED
from werkbrug.clients.models import Client, Consent
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.referrals.models import Referral
from werkbrug.trajectories.models import Contact, Outcome

GOOD_CLIENT = {**AN_JANSSENS, "evidence": SIGNED}
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def rows():
    return (
        Client.objects.count(),
        Consent.objects.count(),
        Referral.objects.count(),
        Contact.objects.count(),
        Outcome.objects.count(),
        AuditEvent.objects.exclude(action=AuditAction.VIEW).count(),
    )


def assert_refused(response, status=None):
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    if status is not None:
        assert response.status_code == status, response.json()


BAD_CLIENTS = {
    "invalid INSZ": {"insz": "85030212399"},
    "INSZ with letters": {"insz": "8503021237x"},
    "INSZ too long": {"insz": "1" * 21},
    "future birth date": {"birth_date": TOMORROW},
    "impossible date": {"birth_date": "1985-02-30"},
    "date of the wrong type": {"birth_date": "yesterday"},
    "over-long first name": {"first_name": "A" * 101},
    "over-long address": {"address": "Straat " * 40},
    "blank last name": {"last_name": "   "},
    "NUL in a name": {"first_name": "A\x00n"},
    "lone surrogate": {"last_name": "Jans\ud800sens"},
    "unknown gender": {"gender": "Q"},
    "invalid e-mail": {"email": "not-an-address"},
    "unknown benefit status": {"benefit_status": "rich"},
    "unknown evidence": {"evidence": {"kind": "telepathy"}},
    "over-long evidence note": {"evidence": {"kind": "verbal_witness", "note": "x" * 201}},
    "id out of range": {"subregion_id": 2**70},
    "name of the wrong type": {"first_name": ["An"]},
}


@pytest.mark.parametrize("change", BAD_CLIENTS.values(), ids=BAD_CLIENTS.keys())
def test_bad_client_input_is_422_and_writes_nothing(net, api, change):
    before = rows()
    assert_refused(api.post(net.care, "/api/clients", {**GOOD_CLIENT, **change}), 422)
    assert rows() == before


def test_missing_witness_is_a_400_naming_the_field(net, api):
    before = rows()
    response = api.post(net.care, "/api/clients", {**GOOD_CLIENT, "evidence": {"kind": "verbal_witness"}})
    assert_refused(response, 400)
    assert response.json()["field"] == "evidence_note"
    assert rows() == before


def test_unknown_subregion_is_a_404(net, api):
    before = rows()
    assert_refused(api.post(net.care, "/api/clients", {**GOOD_CLIENT, "subregion_id": 987654}), 404)
    assert rows() == before


@pytest.mark.parametrize(
    "raw",
    ["{not json", "[]", '"a string"', "null", "", '{"first_name": "An"}', b"\xff\xfe{}"],
    ids=["malformed", "array", "string", "null", "empty", "incomplete", "not utf-8"],
)
def test_malformed_bodies_are_refused(net, api, raw):
    before = rows()
    assert_refused(api.post(net.care, "/api/clients", raw=raw))
    assert rows() == before


def test_bad_referral_input_is_refused_and_writes_nothing(net, api):
    client = net.new_client()
    good = {
        "client_id": client.pk,
        "line_id": net.coach_line.pk,
        "question": "Wil werken.",
        "channel": "gp",
        "evidence": SIGNED,
    }
    before = rows()
    for change in [
        {"question": "x" * 4001},
        {"question": ""},
        {"indications": ["made_up"]},
        {"channel": "pigeon"},
        {"urgency": "yesterday"},
        {"line_id": "one"},
        {"line_id": 2**64},
        {"client_id": 0},
    ]:
        response = api.post(net.care, "/api/referrals", {**good, **change})
        assert_refused(response, 422)
    assert rows() == before
    assert api.post(net.care, "/api/referrals", good).status_code == 201


def test_bad_consent_input_is_refused_and_writes_nothing(net, api):
    client = net.new_client()
    good = {"purpose": "record", "recipient_id": net.sara.pk, "categories": ["identity"], "evidence": SIGNED}
    before = rows()
    path = f"/api/clients/{client.pk}/consents"
    for change, status in [
        ({"purpose": "marketing"}, 422),
        ({"categories": []}, 422),
        ({"categories": ["everything"]}, 422),
        ({"given_on": TOMORROW}, 422),
        ({"given_on": "2025-06-01", "valid_until": "2025-01-01"}, 400),
        ({"recipient_id": -1}, 422),
    ]:
        assert_refused(api.post(net.care, path, {**good, **change}), status)
    assert rows() == before


def test_bad_contact_and_outcome_input_is_refused_and_writes_nothing(net, api):
    trajectory = net.trajectory()
    before = rows()
    contacts = f"/api/trajectories/{trajectory.pk}/contacts"
    outcomes = f"/api/trajectories/{trajectory.pk}/outcomes"
    for body in [
        {"note": "x" * 501},
        {"kind": "closed"},
        {"duration_minutes": 24 * 60 + 1},
        {"duration_minutes": -5},
        {"duration_minutes": "long"},
        {"on": "13/01/2026"},
    ]:
        assert_refused(api.post(net.coach, contacts, body), 422)
    for body in [
        {"kind": "closed", "on": "2025-01-01"},
        {"kind": "training"},
        {"kind": "training", "on": "2025-01-01", "note": "x" * 501},
        {"kind": "paid_work", "on": "2025-01-01", "economy": "black"},
        {"kind": "training", "on": "2025-01-01", "certainty": "sure"},
    ]:
        assert_refused(api.post(net.coach, outcomes, body), 422)
    assert rows() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/clients/abc",
        "/api/clients/0",
        "/api/clients/-1",
        "/api/clients/99999999999999999999999",
        "/api/referrals/1.5",
        "/api/trajectories/9223372036854775808/contacts",
        "/api/clients?limit=1000",
        "/api/clients?offset=99999999999999999999",
        "/api/referrals?client_id=x",
    ],
)
def test_bad_ids_and_paging_are_4xx_json(net, api, path):
    assert_refused(api.get(net.care, path))


@pytest.mark.parametrize("path", ["/api/", "/api/nope", "/api/clients/1/secrets", "/api/docs"])
def test_unknown_api_paths_are_404_json(net, api, path):
    assert_refused(api.get(net.care, path), 404)
    assert_refused(api.post(net.care, path, {}), 404)


def test_a_model_validation_error_that_slips_past_the_schema_is_a_422(rf):
    from django.core.exceptions import ValidationError

    from werkbrug.api.api import model_validation_error

    response = model_validation_error(
        rf.post("/api/clients"), ValidationError({"insz": [ValidationError("Bad %(n)s", params={"n": 1})]})
    )
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "detail": [{"type": "invalid", "loc": ["body", "insz"], "msg": "Bad 1"}]
    }
    plain = model_validation_error(rf.post("/api/clients"), ValidationError("Nope", code="nope"))
    assert json.loads(plain.content)["detail"] == [{"type": "nope", "loc": ["body"], "msg": "Nope"}]
