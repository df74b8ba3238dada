"""A client's details changed through the API, checked by the edit page's own form."""

from __future__ import annotations

import datetime

import pytest

from werkbrug.clients.models import Client
from werkbrug.core.models import AuditEvent
from werkbrug.testing import valid_insz


def test_the_fields_sent_change_and_the_others_keep_their_value(net, api):
    client = net.new_client()
    insz = valid_insz(datetime.date(1990, 5, 17))
    body = {"municipality": "Mechelen", "insz": insz, "subregion_id": None}
    response = api.patch(net.care, f"/api/clients/{client.pk}", body)
    assert response.status_code == 200, response.json()
    assert (response.json()["municipality"], response.json()["subregion"]) == ("Mechelen", None)
    client.refresh_from_db()
    assert (client.municipality, client.insz, client.subregion_id) == ("Mechelen", insz, None)
    assert (client.first_name, client.birth_date) == ("Jan", datetime.date(1990, 5, 17))
    event = AuditEvent.objects.filter(object_type="client", object_id=client.pk, action="update").get()
    assert set(event.summary.split(", ")) == {"municipality", "insz", "subregion"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "geen-adres"}, "email"),
        ({"first_name": None}, "first_name"),
        ({"insz": "12345678901"}, "insz"),
    ],
)
def test_what_the_edit_page_refuses_is_a_422_and_changes_nothing(net, api, body, field):
    client = net.new_client()
    response = api.patch(net.care, f"/api/clients/{client.pk}", body)
    assert response.status_code == 422, response.json()
    assert ["body", field] in [e["loc"] for e in response.json()["detail"]]
    assert Client.objects.get(pk=client.pk).first_name == "Jan"


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_whoever_does_not_see_the_client_gets_404(net, api, persona):
    client = net.new_client()
    response = api.patch(getattr(net, persona), f"/api/clients/{client.pk}", {"municipality": "Gent"})
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert Client.objects.get(pk=client.pk).municipality == "Antwerpen"


def test_a_save_with_the_version_it_read_saves_and_one_over_a_newer_save_is_refused(net, api):
    client = net.new_client()
    read_by_a_first_system = api.get(net.care, f"/api/clients/{client.pk}").json()["version"]
    read_by_a_second_system = api.get(net.care, f"/api/clients/{client.pk}").json()["version"]
    assert read_by_a_first_system == read_by_a_second_system

    first = api.patch(
        net.care, f"/api/clients/{client.pk}", {"phone": "0470 11 22 33", "version": read_by_a_first_system}
    )
    assert first.status_code == 200, first.json()
    assert first.json()["version"] != read_by_a_first_system, "a save makes a new version"

    late = api.patch(
        net.care, f"/api/clients/{client.pk}", {"address": "Kerkstraat 5", "version": read_by_a_second_system}
    )
    assert late.status_code == 400
    assert late.json()["field"] == "version"
    assert "saved these details at" in late.json()["detail"] and "0470 11 22 33" in late.json()["detail"]
    stored = Client.objects.get(pk=client.pk)
    assert (stored.phone, stored.address) == ("0470 11 22 33", client.address), "nothing written"

    again = api.patch(
        net.care, f"/api/clients/{client.pk}", {"address": "Kerkstraat 5", "version": first.json()["version"]}
    )
    assert again.status_code == 200
    assert Client.objects.get(pk=client.pk).address == "Kerkstraat 5"
