"""Clients and consents through the API: the involved organisation sees, everyone else gets 404."""

from __future__ import annotations

import pytest

from werkbrug.api.tests.api_data import AN_JANSSENS, SIGNED
from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.core.models import AuditAction, AuditEvent

NEW_CLIENT = {**AN_JANSSENS, "insz": "85.03.02-123.71", "municipality": "Mortsel", "evidence": SIGNED}


def client_paths(client_id, consent_id):
    return [
        f"/api/clients/{client_id}",
        f"/api/clients/{client_id}/consents",
    ]


def test_involved_care_professional_lists_and_reads_the_client(net, api):
    client = net.new_client(insz="90051712331")
    listed = api.get(net.care, "/api/clients").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == client.pk
    assert "insz" not in listed["items"][0]
    assert "phone" not in listed["items"][0]
    detail = api.get(net.care, f"/api/clients/{client.pk}")
    assert detail.status_code == 200
    assert detail.json()["insz"] == "90051712331"
    assert detail.json()["registered_by_organisation"]["id"] == net.hospital.pk


def test_referral_line_screener_sees_the_client_too(net, api):
    client = net.new_client()
    net.refer(client)
    assert api.get(net.screener, f"/api/clients/{client.pk}").status_code == 200
    assert [c["id"] for c in api.get(net.screener, "/api/clients").json()["items"]] == [client.pk]


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "gtb_screener"])
def test_outsider_gets_404_on_client_file_and_sub_resources(net, api, persona):
    client = net.new_client()
    net.refer(client)
    consent = Consent.objects.filter(client=client).first()
    user = getattr(net, persona)
    for path in [f"/api/clients/{client.pk}", f"/api/clients/{client.pk}/consents"]:
        response = api.get(user, path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not Found"}
    assert api.get(user, "/api/clients").json() == {"count": 0, "limit": 50, "offset": 0, "items": []}
    before = Consent.objects.count()
    grant = {
        "purpose": "record",
        "recipient_id": net.other_care.pk,
        "categories": ["identity"],
        "evidence": SIGNED,
    }
    assert api.post(user, f"/api/clients/{client.pk}/consents", grant).status_code == 404
    assert api.post(user, f"/api/consents/{consent.pk}/withdraw").status_code == 404
    assert Consent.objects.count() == before
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


def test_unknown_client_gets_the_same_404_as_a_foreign_one(net, api):
    assert api.get(net.care, "/api/clients/999999").json() == {"detail": "Not Found"}


@pytest.mark.parametrize("persona", ["admin", "funder"])
def test_network_admin_and_funder_see_no_client_data(net, api, persona):
    client = net.new_client()
    trajectory = net.trajectory(client)
    consent = Consent.objects.filter(client=client).first()
    user = getattr(net, persona)
    assert api.get(user, "/api/me").status_code == 200
    for path in [
        "/api/clients",
        f"/api/clients/{client.pk}",
        f"/api/clients/{client.pk}/consents",
        "/api/referrals",
        f"/api/referrals/{trajectory.referral_id}",
        "/api/trajectories",
        f"/api/trajectories/{trajectory.pk}",
        f"/api/trajectories/{trajectory.pk}/contacts",
        f"/api/trajectories/{trajectory.pk}/outcomes",
    ]:
        assert api.get(user, path).status_code == 404, path
    before = Client.objects.count()
    assert api.post(user, "/api/clients", NEW_CLIENT).status_code == 404
    assert api.post(user, f"/api/consents/{consent.pk}/withdraw").status_code == 404
    assert Client.objects.count() == before


def test_registering_a_client_writes_the_record_consent_and_audits_via_api(net, api):
    response = api.post(net.care, "/api/clients", NEW_CLIENT)
    assert response.status_code == 201, response.json()
    body = response.json()
    client = Client.objects.get(pk=body["id"])
    assert client.insz == "85030212371"
    assert body["insz"] == "85030212371"
    assert client.registered_by_organisation == net.hospital
    assert Consent.objects.filter(
        client=client, purpose=ConsentPurpose.RECORD, recipient=net.hospital
    ).exists()
    created = AuditEvent.objects.get(client_id=client.pk, action=AuditAction.CREATE, object_type="client")
    assert created.via_api is True
    assert created.user == net.care


def test_a_possible_duplicate_asks_for_confirmation(net, api):
    existing = net.new_client(first_name="An", last_name="Janssens", birth_date="1985-03-02")
    before = Client.objects.count()
    response = api.post(net.care, "/api/clients", NEW_CLIENT)
    assert response.status_code == 409
    assert response.json()["duplicates"] == [existing.pk]
    assert Client.objects.count() == before
    confirmed = api.post(net.care, "/api/clients", {**NEW_CLIENT, "confirm_new": True})
    assert confirmed.status_code == 201
    assert Client.objects.count() == before + 1


def test_duplicate_check_does_not_reveal_another_organisations_client(net, api):
    net.new_client(first_name="An", last_name="Janssens", birth_date="1985-03-02")
    response = api.post(net.outsider, "/api/clients", NEW_CLIENT)
    assert response.status_code == 201


def test_detail_read_is_audited_with_via_api(net, api):
    client = net.new_client()
    AuditEvent.objects.all().delete()
    api.get(net.care, f"/api/clients/{client.pk}")
    event = AuditEvent.objects.get()
    assert (event.action, event.client_id, event.via_api, event.user) == (
        AuditAction.VIEW,
        client.pk,
        True,
        net.care,
    )
    assert event.organisation == net.hospital


def test_lists_are_paginated(net, api):
    for n in range(3):
        net.new_client(first_name=f"Client{n}", last_name=f"Achternaam{n}")
    first = api.get(net.care, "/api/clients", limit=2).json()
    second = api.get(net.care, "/api/clients", limit=2, offset=2).json()
    assert (first["count"], len(first["items"])) == (3, 2)
    assert (second["count"], len(second["items"])) == (3, 1)
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    assert api.get(net.care, "/api/clients", limit=101).status_code == 422
    assert api.get(net.care, "/api/clients", limit=0).status_code == 422
    assert api.get(net.care, "/api/clients", offset=-1).status_code == 422


def test_consents_are_listed_and_granted(net, api):
    client = net.new_client()
    listed = api.get(net.care, f"/api/clients/{client.pk}/consents").json()
    assert [c["purpose"] for c in listed["items"]] == ["record"]
    response = api.post(
        net.care,
        f"/api/clients/{client.pk}/consents",
        {
            "purpose": "case_team",
            "recipient_id": net.sara.pk,
            "categories": ["identity", "referral"],
            "evidence": SIGNED,
        },
    )
    assert response.status_code == 201, response.json()
    consent = Consent.objects.get(pk=response.json()["id"])
    assert (consent.purpose, consent.recipient, consent.recorded_by) == ("case_team", net.sara, net.care)
    assert AuditEvent.objects.filter(object_type="consent", object_id=consent.pk, via_api=True).exists()


def test_consent_for_an_unknown_recipient_gets_404_and_writes_nothing(net, api):
    client = net.new_client()
    before = Consent.objects.count()
    response = api.post(
        net.care,
        f"/api/clients/{client.pk}/consents",
        {"purpose": "record", "recipient_id": 987654, "categories": ["identity"], "evidence": SIGNED},
    )
    assert response.status_code == 404
    assert Consent.objects.count() == before


def test_withdrawing_a_consent_via_api_removes_the_recipients_access_at_once(net, api):
    client = net.new_client()
    referral = net.refer(client, line=net.gtb_line)
    assert api.get(net.gtb_screener, f"/api/clients/{client.pk}").status_code == 200
    assert api.get(net.gtb_screener, f"/api/referrals/{referral.pk}").status_code == 200
    consent = Consent.objects.get(client=client, recipient=net.gtb, purpose=ConsentPurpose.COLLABORATION)

    response = api.post(net.care, f"/api/consents/{consent.pk}/withdraw")

    assert response.status_code == 200
    assert response.json()["withdrawn_at"] is not None
    assert response.json()["is_active"] is False
    assert api.get(net.gtb_screener, f"/api/clients/{client.pk}").status_code == 404
    assert api.get(net.gtb_screener, f"/api/referrals/{referral.pk}").status_code == 404
    assert api.get(net.gtb_screener, "/api/referrals").json()["count"] == 0
    assert api.get(net.gtb_screener, "/api/clients").json()["count"] == 0
    # The care partner keeps its own record consent.
    assert api.get(net.care, f"/api/clients/{client.pk}").status_code == 200


def test_withdrawing_twice_is_a_400_with_detail(net, api):
    client = net.new_client()
    net.refer(client)
    consent = Consent.objects.get(client=client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION)
    assert api.post(net.care, f"/api/consents/{consent.pk}/withdraw").status_code == 200
    response = api.post(net.care, f"/api/consents/{consent.pk}/withdraw")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "field"}
    assert response.json()["detail"]
