"""Sub-regions and the network overview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.models import AuditEvent
from werkbrug.network.models import SubRegion


def snapshot():
    return SubRegion.objects.count(), AuditEvent.objects.count()


def test_admin_creates_a_subregion_and_it_is_audited(net, login):
    response = login(net.admin).post(reverse("network:region_create"), {"name": "Kempen"})
    assert response.status_code == 302
    region = SubRegion.objects.get(name="Kempen")
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("create", "subregion", region.pk)
    assert event.client_id is None


def test_admin_renames_a_subregion_and_it_is_audited(net, login):
    response = login(net.admin).post(
        reverse("network:region_edit", args=[net.region.pk]), {"name": "Antwerpen"}
    )
    assert response.status_code == 302
    net.region.refresh_from_db()
    assert net.region.name == "Antwerpen"
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("update", "subregion", net.region.pk)
    assert event.summary == "sub-region renamed: Antwerpen-Noord -> Antwerpen"


@pytest.mark.parametrize("name", ["Antwerpen-Noord", "antwerpen-noord"])
def test_duplicate_subregion_name_is_refused_and_nothing_is_written(net, login, name):
    before = snapshot()
    response = login(net.admin).post(reverse("network:region_create"), {"name": name})
    assert response.status_code == 200
    assert "A sub-region with this name already exists." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("name", ["x" * 101, ""])
def test_too_long_or_empty_subregion_name_is_refused_and_nothing_is_written(net, login, name):
    before = snapshot()
    response = login(net.admin).post(reverse("network:region_create"), {"name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert snapshot() == before


def test_renaming_a_subregion_to_an_existing_name_changes_nothing(net, login):
    SubRegion.objects.create(name="Kempen")
    before = snapshot()
    response = login(net.admin).post(reverse("network:region_edit", args=[net.region.pk]), {"name": "KEMPEN"})
    assert response.status_code == 200
    assert "A sub-region with this name already exists." in response.content.decode()
    net.region.refresh_from_db()
    assert net.region.name == "Antwerpen-Noord"
    assert snapshot() == before


def test_subregion_list_counts_organisations_not_clients(net, login):
    net.new_client()  # a client in the same sub-region must not show up in the count
    content = login(net.admin).get(reverse("network:region_list")).content.decode()
    row = content.split(">Antwerpen-Noord</a>")[1].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_overview_shows_counts_and_links(net, login):
    content = login(net.admin).get(reverse("network:home")).content.decode()
    assert "6 active organisations" in content
    assert "9 active users" in content
    assert "2 active referral lines" in content
    assert "1 sub-region" in content
    for name in [
        "org_list",
        "org_create",
        "user_list",
        "user_create",
        "line_list",
        "line_create",
        "region_list",
    ]:
        assert f'href="{reverse("network:" + name)}"' in content


def test_a_duplicate_that_slips_past_the_checks_is_still_a_form_message(net, monkeypatch):
    # Two admins saving the same name at once: the unique index decides, and the loser gets the
    # same message as always instead of a server error.
    from werkbrug.core.exceptions import DomainError
    from werkbrug.network import actions
    from werkbrug.testing import actor_for

    monkeypatch.setattr(actions, "_refuse_duplicate_name", lambda *args: None)
    monkeypatch.setattr(actions, "_full_clean", lambda *args, **kwargs: None)
    before = snapshot()
    with pytest.raises(DomainError) as raised:
        actions.create_subregion(actor_for(net.admin), name="Antwerpen-Noord")
    assert raised.value.field == "name"
    assert snapshot() == before
