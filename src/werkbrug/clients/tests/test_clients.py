"""Client registration, the file, consents and the access log."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.clients.tests.client_data import viewed_by_care
from werkbrug.core.models import AuditEvent
from werkbrug.testing import valid_insz

INSZ = valid_insz(datetime.date(1990, 5, 17))


def registration(**overrides):
    data = {
        "first_name": "Els",
        "last_name": "Claes",
        "birth_date": "1985-03-02",
        "gender": "F",
        "insz": "",
        "municipality": "Mortsel",
        "benefit_status": "unknown",
        "evidence": "signed_form",
    }
    data.update(overrides)
    return data


def test_care_professional_registers_a_client_with_a_record_consent(net, login):
    response = login(net.care).post(reverse("clients:create"), registration(insz=INSZ))
    client = Client.objects.get(last_name="Claes")
    assert response.status_code == 302 and response.url == reverse("clients:detail", args=[client.pk])
    assert client.insz == INSZ
    consent = Consent.objects.get(client=client)
    assert consent.purpose == ConsentPurpose.RECORD and consent.recipient == net.hospital
    assert AuditEvent.objects.filter(client_id=client.pk, action="create", object_type="client").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("insz", "90051712399"),
        ("insz", "1234"),
        ("birth_date", (timezone.localdate() + datetime.timedelta(days=1)).isoformat()),
        ("first_name", "x" * 101),
        ("email", "not-an-address"),
    ],
)
def test_bad_registration_input_gets_a_message_and_writes_nothing(net, login, field, value):
    before = (Client.objects.count(), Consent.objects.count(), AuditEvent.objects.count())
    response = login(net.care).post(reverse("clients:create"), registration(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert (Client.objects.count(), Consent.objects.count(), AuditEvent.objects.count()) == before


def test_verbal_consent_without_witness_is_refused(net, login):
    response = login(net.care).post(reverse("clients:create"), registration(evidence="verbal_witness"))
    assert response.status_code == 200
    assert "evidence_note" in response.context["form"].errors
    assert not Client.objects.filter(last_name="Claes").exists()


def test_duplicate_warning_shows_own_clients_only(net, login):
    mine = net.new_client(first_name="Els", last_name="Claes", birth_date=datetime.date(1985, 3, 2))
    net.new_client(
        by=net.outsider, first_name="Piet", last_name="Janssens", birth_date=datetime.date(1970, 1, 1)
    )
    response = login(net.care).post(reverse("clients:create"), registration())
    assert response.status_code == 200
    assert [c.pk for c in response.context["duplicates"]] == [mine.pk]
    # The outsider's client with the same details is never revealed.
    response = login(net.care).post(
        reverse("clients:create"),
        registration(first_name="Piet", last_name="Janssens", birth_date="1970-01-01"),
    )
    assert response.status_code == 302


def test_confirming_a_possible_duplicate_registers_a_new_person(net, login):
    net.new_client(first_name="Els", last_name="Claes", birth_date=datetime.date(1985, 3, 2))
    response = login(net.care).post(reverse("clients:create"), registration(confirm_new="on"))
    assert response.status_code == 302
    assert Client.objects.filter(last_name="Claes").count() == 2


CLIENT_URLS = ["clients:detail", "clients:edit", "clients:consent_create", "clients:access_log"]


@pytest.mark.parametrize("name", CLIENT_URLS)
@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_outsider_gets_404_on_client_pages(net, login, name, persona):
    client = net.new_client()
    net.refer(client)
    response = login(getattr(net, persona)).get(reverse(name, args=[client.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", CLIENT_URLS)
def test_involved_users_open_client_pages(net, login, name):
    client = net.new_client()
    net.refer(client)
    for user in (net.care, net.screener):
        assert login(user).get(reverse(name, args=[client.pk])).status_code == 200


def test_client_file_view_is_audited(net, login):
    client = net.new_client()
    login(net.care).get(reverse("clients:detail", args=[client.pk]))
    event = AuditEvent.objects.filter(client_id=client.pk, action="view").latest("pk")
    assert (event.user, event.organisation, event.object_type) == (net.care, net.hospital, "client")


def test_withdrawing_consent_removes_the_recipients_access_at_once(net, login):
    client = net.new_client()
    net.refer(client)
    assert login(net.screener).get(reverse("clients:detail", args=[client.pk])).status_code == 200
    consent = Consent.objects.get(client=client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION)
    response = login(net.care).post(reverse("clients:consent_withdraw", args=[client.pk, consent.pk]))
    assert response.status_code == 302
    assert login(net.screener).get(reverse("clients:detail", args=[client.pk])).status_code == 404
    assert login(net.care).get(reverse("clients:detail", args=[client.pk])).status_code == 200


def test_outsider_cannot_withdraw_a_consent(net, login):
    client = net.new_client()
    consent = client.consents.get()
    response = login(net.outsider).post(reverse("clients:consent_withdraw", args=[client.pk, consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_consent_with_end_before_start_is_refused(net, login):
    client = net.new_client()
    data = {
        "purpose": "feedback",
        "recipient": net.sara.pk,
        "categories": ["referral"],
        "given_on": "2026-10-01",
        "valid_until": "2026-09-01",
        "evidence": "signed_form",
    }
    before = Consent.objects.count()
    response = login(net.care).post(reverse("clients:consent_create", args=[client.pk]), data)
    assert response.status_code == 200 and "valid_until" in response.context["form"].errors
    assert Consent.objects.count() == before


def test_consent_without_recipient_is_refused(net, login):
    client = net.new_client()
    before = Consent.objects.count()
    response = login(net.care).post(
        reverse("clients:consent_create", args=[client.pk]),
        {
            "purpose": "feedback",
            "categories": ["referral"],
            "given_on": "2026-10-01",
            "evidence": "signed_form",
        },
    )
    assert response.status_code == 200 and "recipient" in response.context["form"].errors
    assert Consent.objects.count() == before


def test_access_log_lists_views_and_changes(net, login):
    client = net.new_client()
    # PZ follows the outcome (feedback consent): it reads the line's accesses (docs/privacy.md).
    net.refer(client, follow_outcome=True)
    login(net.screener).get(reverse("clients:detail", args=[client.pk]))
    response = login(net.care).get(reverse("clients:access_log", args=[client.pk]))
    events = list(response.context["page"])
    assert any(e.user == net.screener and e.action == "view" for e in events)
    assert any(e.user == net.care and e.action == "create" for e in events)


def test_client_list_shows_only_visible_clients_and_no_insz(net, login):
    mine = net.new_client(insz=INSZ)
    other = net.new_client(by=net.outsider, last_name="Verborgen")
    content = login(net.care).get(reverse("clients:list")).content.decode()
    assert mine.last_name in content and other.last_name not in content
    assert INSZ not in content


@pytest.mark.parametrize("rows", [1, 40])
def test_client_list_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    for i in range(rows):
        net.new_client(last_name=f"Naam{i}")
    web = login(net.care)
    with django_assert_max_num_queries(8):
        assert web.get(reverse("clients:list")).status_code == 200


@pytest.mark.parametrize("views", [1, 60])
def test_access_log_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, views):
    client, web = viewed_by_care(net, login, views)
    with django_assert_max_num_queries(8):
        assert web.get(reverse("clients:access_log", args=[client.pk])).status_code == 200
