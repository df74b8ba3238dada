"""Two people at once through the API: one consent withdrawn twice at the same moment gives one
withdrawal and a clear refusal for the other, never a 500 or a second effect."""

from __future__ import annotations

import json

import pytest
from django.test import Client as WebClient

from werkbrug.clients.actions import grant_consent
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core.models import AuditEvent
from werkbrug.network.models import ApiToken, Membership
from werkbrug.testing import SIGNED, actor_for, race

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 3


def bearer(user) -> dict[str, str]:
    membership = Membership.objects.filter(user=user).order_by("pk").first()
    return {"Authorization": f"Bearer {ApiToken.issue(membership, 'race')[1]}"}


def test_a_consent_withdrawn_twice_at_once_is_withdrawn_once_and_the_other_is_told(tnet):
    for _ in range(ROUNDS):
        client = tnet.trajectory().client
        # A profile consent: withdrawing it leaves the file visible, so the second request reaches
        # the action and must be refused there, not by a 404.
        consent = grant_consent(
            actor_for(tnet.care),
            client,
            purpose=ConsentPurpose.PROFILE,
            recipient=tnet.sara,
            categories=["skills"],
            evidence=SIGNED,
        )
        url = f"/api/consents/{consent.pk}/withdraw"
        callers = [(WebClient(), bearer(tnet.care)), (WebClient(), bearer(tnet.care))]

        def withdraw(page: WebClient, headers: dict[str, str], url: str = url):
            return lambda: page.post(url, "{}", content_type="application/json", headers=headers)

        responses = race(*[withdraw(page, headers) for page, headers in callers])
        for response in responses:
            assert not isinstance(response, Exception), response
            assert response.status_code < 500
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 400], statuses
        refused = next(r for r in responses if r.status_code == 400)
        assert "already withdrawn" in json.loads(refused.content)["detail"]
        assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
        withdrawals = AuditEvent.objects.filter(
            object_type="consent", object_id=consent.pk, summary__startswith="consent withdrawn"
        )
        assert withdrawals.count() == 1
