"""Referrals through the API: made or received by your organisation, and only with consent."""

from __future__ import annotations

import pytest

from werkbrug.api.tests.api_data import SIGNED
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.referrals.models import Referral


def referral_body(client, line, **extra):
    return {
        "client_id": client.pk,
        "line_id": line.pk,
        "question": "Zoekt vrijwilligerswerk als eerste stap.",
        "indications": ["low_threshold"],
        "channel": "care_professional",
        "evidence": SIGNED,
        **extra,
    }


def test_care_professional_refers_a_client_to_a_line(net, api):
    client = net.new_client()
    response = api.post(net.care, "/api/referrals", referral_body(client, net.coach_line))
    assert response.status_code == 201, response.json()
    body = response.json()
    referral = Referral.objects.get(pk=body["id"])
    assert (referral.client, referral.line, referral.referring_organisation) == (
        client,
        net.coach_line,
        net.hospital,
    )
    # Without the client's consent to follow the outcome the referrer reads "received" (issue 12);
    # the line's organisation reads the real status.
    assert body["status"] == "received"
    assert api.get(net.screener, f"/api/referrals/{referral.pk}").json()["status"] == "submitted"
    assert body["line"]["organisation"]["id"] == net.sara.pk
    assert (
        Consent.objects.active()
        .filter(client=client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION)
        .exists()
    )
    assert AuditEvent.objects.filter(
        object_type="referral", object_id=referral.pk, action=AuditAction.CREATE, via_api=True
    ).exists()


def test_referring_and_receiving_organisations_see_the_referral(net, api):
    referral = net.refer(net.new_client())
    for user in (net.care, net.screener, net.coach, net.coordinator):
        assert api.get(user, f"/api/referrals/{referral.pk}").status_code == 200
        assert [r["id"] for r in api.get(user, "/api/referrals").json()["items"]] == [referral.pk]
    detail = api.get(net.screener, f"/api/referrals/{referral.pk}").json()
    assert detail["question"] == referral.question
    assert "question" not in api.get(net.screener, "/api/referrals").json()["items"][0]


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "gtb_screener"])
def test_outsider_gets_404_on_referral_and_sees_none_listed(net, api, persona):
    referral = net.refer(net.new_client())
    user = getattr(net, persona)
    assert api.get(user, f"/api/referrals/{referral.pk}").status_code == 404
    assert api.get(user, "/api/referrals").json()["count"] == 0
    assert api.get(user, "/api/referrals", client_id=referral.client_id).json()["count"] == 0


def test_referrals_filter_by_client(net, api):
    first = net.refer(net.new_client())
    net.refer(net.new_client(first_name="Els"))
    listed = api.get(net.care, "/api/referrals", client_id=first.client_id).json()
    assert [r["id"] for r in listed["items"]] == [first.pk]


def test_unknown_line_gets_404_and_writes_nothing(net, api):
    client = net.new_client()
    before = (Referral.objects.count(), Consent.objects.count())
    body = referral_body(client, net.coach_line, line_id=987654)
    response = api.post(net.care, "/api/referrals", body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert (Referral.objects.count(), Consent.objects.count()) == before


def test_referring_another_organisations_client_gets_404_and_writes_nothing(net, api):
    client = net.new_client()  # the hospital's client; the outsider has no access
    before = (Referral.objects.count(), Consent.objects.count())
    response = api.post(net.outsider, "/api/referrals", referral_body(client, net.gtb_line))
    assert response.status_code == 404
    assert (Referral.objects.count(), Consent.objects.count()) == before


def test_inactive_line_is_a_400_with_the_field(net, api):
    client = net.new_client()
    net.gtb_line.is_active = False
    net.gtb_line.save()
    before = Referral.objects.count()
    response = api.post(net.care, "/api/referrals", referral_body(client, net.gtb_line))
    assert response.status_code == 400
    assert response.json()["field"] == "line"
    assert Referral.objects.count() == before


def test_an_indication_added_in_a_new_draaiboek_version_is_accepted_once_published(net, api):
    from werkbrug.library.actions import publish_draaiboek
    from werkbrug.network.draaiboek_actions import add_indication
    from werkbrug.testing import actor_for

    client = net.new_client()
    body = referral_body(client, net.coach_line, indications=["debt_support"])
    row = add_indication(
        actor_for(net.admin), code="debt_support", label="Schuldhulp loopt", group="other", to_case_team=False
    )
    assert api.post(net.care, "/api/referrals", body).status_code == 422  # only in the draft
    publish_draaiboek(actor_for(net.admin), row.version, note="Schuldhulp toegevoegd.")
    response = api.post(net.care, "/api/referrals", body)
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get(pk=response.json()["id"])
    assert (referral.indications, referral.draaiboek.number) == (["debt_support"], 2)
