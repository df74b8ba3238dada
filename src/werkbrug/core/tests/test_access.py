"""The access policy: involvement *and* an active consent, checked from the outsider's side."""

from __future__ import annotations

import pytest
from django.http import Http404

from werkbrug.clients.access import get_visible, visible_clients
from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.core.models import AuditEvent
from werkbrug.testing import actor_for


def test_referring_care_partner_and_line_see_the_client(net):
    client = net.new_client()
    net.refer(client)
    assert client in visible_clients(actor_for(net.care))
    assert client in visible_clients(actor_for(net.screener))
    assert client in visible_clients(actor_for(net.coach))


def test_outsider_gets_404_on_client_file(net):
    client = net.new_client()
    net.refer(client)
    with pytest.raises(Http404):
        get_visible(actor_for(net.outsider), Client.objects.all(), client.pk, client_path="")


def test_network_admin_and_funder_see_no_client(net):
    net.trajectory()
    assert not visible_clients(actor_for(net.admin)).exists()
    assert not visible_clients(actor_for(net.funder)).exists()


def test_involved_organisation_without_consent_sees_nothing(net):
    client = net.new_client()
    net.refer(client)
    consent = Consent.objects.get(client=client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION)
    withdraw_consent(actor_for(net.care), consent)
    assert client not in visible_clients(actor_for(net.coach))
    assert client in visible_clients(actor_for(net.care))


def test_consent_alone_without_involvement_gives_no_access(net):
    client = net.new_client()
    from werkbrug.clients.actions import grant_consent
    from werkbrug.testing import SIGNED

    grant_consent(
        actor_for(net.care),
        client,
        purpose=ConsentPurpose.COLLABORATION,
        recipient=net.gtb,
        categories=["identity"],
        evidence=SIGNED,
    )
    assert client not in visible_clients(actor_for(net.gtb_coach))


def test_every_view_through_the_accessor_is_audited(net):
    client = net.new_client()
    before = AuditEvent.objects.filter(client_id=client.pk, action="view").count()
    get_visible(actor_for(net.care), Client.objects.all(), client.pk, client_path="")
    event = AuditEvent.objects.filter(client_id=client.pk, action="view").latest("pk")
    assert AuditEvent.objects.filter(client_id=client.pk, action="view").count() == before + 1
    assert event.user == net.care and event.organisation == net.hospital
