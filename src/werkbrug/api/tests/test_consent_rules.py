"""Issue 12 point 7 in the API: POST /api/clients/{id}/consents refuses what the consent form
refuses (the rule sits in clients.actions.grant_consent): a care-only section for a work partner, a
funder or the network as recipient, the own organisation for sharing, the retired purpose."""

from __future__ import annotations

import pytest

from werkbrug.clients.models import OFFERED_PURPOSES, Consent


@pytest.fixture
def person(net):
    client = net.new_client()
    net.refer(client)
    return client


def body(recipient, **overrides):
    data = {
        "purpose": "profile",
        "recipient_id": recipient.pk,
        "categories": ["skills"],
        "evidence": {"kind": "signed_form"},
    }
    data.update(overrides)
    return data


def post(api, net, person, data):
    return api.post(net.care, f"/api/clients/{person.pk}/consents", data)


def test_a_care_only_section_is_refused_for_a_work_partner_and_accepted_for_a_care_partner(net, api, person):
    before = Consent.objects.count()
    response = post(api, net, person, body(net.sara, categories=["skills", "care_context"]))
    assert response.status_code == 400 and Consent.objects.count() == before
    response = post(api, net, person, body(net.other_care, categories=["care_context"]))
    assert response.status_code == 201 and response.json()["categories"] == ["care_context"]


@pytest.mark.parametrize("org", ["funder_org", "network_org"])
def test_funders_and_the_network_are_refused(net, api, person, org):
    before = Consent.objects.count()
    response = post(
        api, net, person, body(getattr(net, org), purpose="collaboration", categories=["identity"])
    )
    assert response.status_code == 400 and Consent.objects.count() == before


def test_the_own_organisation_only_for_feedback(net, api, person):
    before = Consent.objects.count()
    for purpose in ("profile", "collaboration", "record"):
        response = post(api, net, person, body(net.hospital, purpose=purpose, categories=["identity"]))
        assert response.status_code == 400, purpose
    assert Consent.objects.count() == before
    response = post(api, net, person, body(net.hospital, purpose="feedback", categories=["trajectory"]))
    assert response.status_code == 201 and response.json()["recipient"]["id"] == net.hospital.pk


def test_the_retired_purpose_is_not_accepted(net, api, person):
    before = Consent.objects.count()
    response = post(api, net, person, body(net.gtb, purpose="external_contact", categories=["identity"]))
    assert response.status_code == 422 and Consent.objects.count() == before


def test_the_schema_offers_only_the_purposes_the_form_offers(net, api):
    schema = api.client.get("/api/openapi.json").json()
    purpose = schema["components"]["schemas"]["ConsentIn"]["properties"]["purpose"]
    assert sorted(purpose["enum"]) == sorted(p.value for p in OFFERED_PURPOSES)
    assert "external_contact" not in purpose["enum"]


def test_outsider_gets_404(net, api, person):
    before = Consent.objects.count()
    response = api.post(net.outsider, f"/api/clients/{person.pk}/consents", body(net.sara))
    assert response.status_code == 404 and Consent.objects.count() == before
