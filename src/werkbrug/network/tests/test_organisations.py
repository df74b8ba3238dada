"""Organisations: list, create, edit, deactivate/reactivate — audited, and bad input writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditEvent
from werkbrug.network import actions
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType
from werkbrug.testing import actor_for


def org_data(**overrides):
    data = {
        "name": "IPS-team Kempen",
        "kind": OrganisationKind.WORK,
        "org_type": OrganisationType.IPS,
        "subregion": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def snapshot():
    return Organisation.objects.count(), AuditEvent.objects.count()


def test_admin_creates_an_organisation_and_it_is_audited(net, login):
    response = login(net.admin).post(reverse("network:org_create"), org_data(subregion=net.region.pk))
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="IPS-team Kempen")
    assert organisation.kind == OrganisationKind.WORK
    assert organisation.org_type == OrganisationType.IPS
    assert organisation.subregion == net.region
    assert organisation.is_active
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("create", "organisation", organisation.pk)
    assert event.user == net.admin and event.organisation == net.network_org
    assert event.client_id is None


def test_admin_edits_an_organisation_and_the_change_is_audited(net, login):
    response = login(net.admin).post(
        reverse("network:org_edit", args=[net.gtb.pk]),
        org_data(name="GTB Antwerpen-Kempen", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB),
    )
    assert response.status_code == 302
    net.gtb.refresh_from_db()
    assert net.gtb.name == "GTB Antwerpen-Kempen"
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("update", "organisation", net.gtb.pk)
    assert "name" in event.summary and "kind" not in event.summary


@pytest.mark.parametrize("name", ["GTB Antwerpen", "gtb antwerpen", "  GTB Antwerpen  "])
def test_duplicate_organisation_name_is_refused_and_nothing_is_written(net, login, name):
    before = snapshot()
    response = login(net.admin).post(reverse("network:org_create"), org_data(name=name))
    assert response.status_code == 200
    assert "An organisation with this name already exists." in response.content.decode()
    assert snapshot() == before


def test_renaming_an_organisation_to_an_existing_name_changes_nothing(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:org_edit", args=[net.sara.pk]),
        org_data(name="gtb ANTWERPEN", kind=OrganisationKind.WORK, org_type=OrganisationType.ARBEIDSCOACH),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "An organisation with this name already exists." in content
    # The heading keeps the stored name, not the refused one.
    assert "<h1>SaRA Arbeidscoaching" in content
    assert snapshot() == before
    net.sara.refresh_from_db()
    assert net.sara.name == "SaRA Arbeidscoaching"


def test_too_long_organisation_name_is_refused_and_nothing_is_written(net, login):
    before = snapshot()
    response = login(net.admin).post(reverse("network:org_create"), org_data(name="x" * 201))
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert snapshot() == before


def test_unknown_organisation_type_is_refused(net, login):
    before = snapshot()
    response = login(net.admin).post(reverse("network:org_create"), org_data(org_type="NOPE"))
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert snapshot() == before


def test_admin_deactivates_and_reactivates_an_organisation(net, login):
    client = login(net.admin)
    toggle = reverse("network:org_toggle", args=[net.gtb.pk])
    assert client.post(toggle, {"active": "false"}).status_code == 302
    net.gtb.refresh_from_db()
    assert not net.gtb.is_active
    assert AuditEvent.objects.latest("pk").summary == "organisation deactivated: GTB Antwerpen"
    assert client.post(toggle, {"active": "true"}).status_code == 302
    net.gtb.refresh_from_db()
    assert net.gtb.is_active
    assert AuditEvent.objects.latest("pk").summary == "organisation reactivated: GTB Antwerpen"


def test_members_of_a_deactivated_organisation_can_no_longer_act_for_it(net, login):
    login(net.admin).post(reverse("network:org_toggle", args=[net.sara.pk]), {"active": "false"})
    response = login(net.coach).get(reverse("core:home"))
    assert "core/no_membership.html" in [t.name for t in response.templates]


def test_deactivate_button_asks_for_confirmation(net, login):
    content = login(net.admin).get(reverse("network:org_list")).content.decode()
    assert f'action="{reverse("network:org_toggle", args=[net.gtb.pk])}" data-confirm=' in content
    # No button that would lock the admin out of the organisation they act for.
    assert reverse("network:org_toggle", args=[net.network_org.pk]) not in content


def test_admin_cannot_deactivate_the_organisation_they_act_for(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:org_toggle", args=[net.network_org.pk]), {"active": "false"}, follow=True
    )
    assert "You cannot deactivate the organisation you are acting for." in response.content.decode()
    net.network_org.refresh_from_db()
    assert net.network_org.is_active
    assert snapshot() == before


def test_organisation_list_shows_kind_type_subregion_and_active_member_count(net, login):
    content = login(net.admin).get(reverse("network:org_list")).content.decode()
    row = content.split(">SaRA Arbeidscoaching</a>")[1].split("</tr>")[0]
    assert "<td>work partner</td>" in row
    assert "<td>arbeidscoach team</td>" in row
    # screener, coach and coordinator work at SaRA
    assert "<td>3</td>" in row


def test_organisation_list_searches_by_name(net, login):
    content = login(net.admin).get(reverse("network:org_list"), {"q": "gtb"}).content.decode()
    assert "GTB Antwerpen" in content
    assert "PZ Bethanië" not in content


def test_only_a_network_admin_may_run_organisation_actions(net):
    with pytest.raises(DomainError):
        actions.create_organisation(
            actor_for(net.coordinator), name="X", kind=OrganisationKind.CARE, org_type=OrganisationType.CGG
        )
    assert not Organisation.objects.filter(name="X").exists()
