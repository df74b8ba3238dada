"""Token authentication: a bearer key, looked up by its hash, acting through one membership."""

from __future__ import annotations

import hashlib

import pytest

from werkbrug.network.models import ApiToken, Membership, Role


@pytest.mark.parametrize("path", ["/api/me", "/api/clients", "/api/referrals", "/api/trajectories"])
def test_request_without_token_gets_401_json(net, api, path):
    response = api.get(None, path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wb_not-a-real-key",
        "Bearer ",
        "Bearer",
        "Token wb_x",
        "Basic Y2FyZTpwdw==",
        "Bearer " + "x" * 5000,
    ],
)
def test_bad_authorization_header_gets_401(net, api, client, header):
    api.key_for(net.care)
    response = client.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_valid_token_acts_as_its_membership(net, api):
    response = api.get(net.care, "/api/me")
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == {"id": net.hospital.pk, "name": net.hospital.name}
    assert body["role"] == Role.CARE_PROFESSIONAL
    assert body["sees_clients"] is True


def test_revoked_token_gets_401(net, api):
    key = api.key_for(net.care)
    assert api.get(key, "/api/me").status_code == 200
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).update(revoked_at="2026-01-01T00:00:00Z")
    assert api.get(key, "/api/me").status_code == 401


def test_token_of_an_inactive_membership_organisation_or_user_gets_401(net, api):
    key = api.key_for(net.coach)
    membership = Membership.objects.get(user=net.coach)
    membership.is_active = False
    membership.save()
    assert api.get(key, "/api/me").status_code == 401
    membership.is_active = True
    membership.save()
    net.sara.is_active = False
    net.sara.save()
    assert api.get(key, "/api/me").status_code == 401
    net.sara.is_active = True
    net.sara.save()
    net.coach.is_active = False
    net.coach.save()
    assert api.get(key, "/api/me").status_code == 401


def test_last_used_at_is_recorded(net, api):
    key = api.key_for(net.care)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert token.last_used_at is None
    api.get(key, "/api/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_key_is_stored_only_as_its_hash(net, api):
    key = api.key_for(net.care)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert all(key not in value for value in stored)
    assert token.prefix == key[:8]


def test_session_login_does_not_open_the_api(net, api, login):
    login(net.care)
    assert api.get(None, "/api/me").status_code == 401
    # No session auth means no CSRF either: a cookie-only POST is simply unauthorised.
    response = api.post(None, "/api/clients", {})
    assert response.status_code == 401


def test_token_sees_only_what_its_own_membership_sees(net, api):
    client = net.new_client()
    net.refer(client)
    # The care professional also works at GTB; a token made there does not see the hospital's client.
    gtb_membership = Membership.objects.create(user=net.care, organisation=net.gtb, role=Role.COACH)
    hospital_key = api.key_for(net.care)
    gtb_key = api.key_for(net.care, membership=gtb_membership)
    assert api.get(hospital_key, f"/api/clients/{client.pk}").status_code == 200
    assert api.get(gtb_key, f"/api/clients/{client.pk}").status_code == 404
    assert api.get(gtb_key, "/api/clients").json()["count"] == 0


def test_token_writes_need_no_csrf_token(net, api):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(net.care)  # even with a session cookie present, the API only looks at the token
    body = {"first_name": "An", "last_name": "Csrf", "birth_date": "1980-01-01", "gender": "F"}
    body["evidence"] = {"kind": "signed_form"}
    response = strict.post(
        "/api/clients",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.key_for(net.care)}"},
    )
    assert response.status_code == 201
    assert strict.post("/api/clients", body, content_type="application/json").status_code == 401
