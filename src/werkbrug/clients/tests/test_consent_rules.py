"""Issue 12 point 7: the consent form records only what can happen. No care-only section for a work
partner; never a funder or the network as recipient; the user's own organisation only for feedback to
it or its own case team; the "contact with VDAB, TNWC or an employer" purpose is no longer recorded.
The rules sit in the action (grant_consent), so the form and the API refuse alike; the system's own
grants (registration, referral) still name the organisation they must."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients import actions
from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import Client, Consent, ConsentPurpose, EvidenceKind
from werkbrug.core.exceptions import DomainError
from werkbrug.testing import SIGNED, actor_for


def form_data(net, **overrides):
    data = {
        "purpose": ConsentPurpose.PROFILE,
        "recipient": net.sara.pk,
        "categories": ["skills"],
        "given_on": timezone.localdate().isoformat(),
        "evidence": EvidenceKind.SIGNED_FORM,
    }
    data.update(overrides)
    return data


@pytest.fixture
def person(net) -> Client:
    client = net.new_client()
    net.refer(client)  # SaRA is involved
    return client


def post(net, login, person, **overrides):
    return login(net.care).post(
        reverse("clients:consent_create", args=[person.pk]), form_data(net, **overrides)
    )


def offered(net, login, person, user=None) -> tuple[str, object]:
    response = login(user or net.care).get(reverse("clients:consent_create", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode(), response.context["form"]


def test_the_care_context_is_not_offered_and_refused_for_a_work_partner_on_the_form(net, login, person):
    html, _form = offered(net, login, person)
    assert 'value="care_context"' not in html
    before = Consent.objects.count()
    response = post(net, login, person, categories=["skills", "care_context"])
    assert response.status_code == 200 and "categories" in response.context["form"].errors
    assert Consent.objects.count() == before


def test_the_action_refuses_a_care_only_section_for_a_work_partner_and_allows_it_for_care(net, person):
    before = Consent.objects.count()
    with pytest.raises(DomainError) as refused:
        actions.grant_consent(
            actor_for(net.care),
            person,
            purpose=ConsentPurpose.PROFILE,
            recipient=net.gtb,
            categories=["skills", "care_context"],
            evidence=SIGNED,
        )
    assert refused.value.field == "categories" and Consent.objects.count() == before
    consent = actions.grant_consent(
        actor_for(net.care),
        person,
        purpose=ConsentPurpose.PROFILE,
        recipient=net.other_care,
        categories=["care_context"],
        evidence=SIGNED,
    )
    assert consent.categories == ["care_context"]


def test_funders_and_the_network_are_not_offered_and_are_refused(net, login, person):
    _html, form = offered(net, login, person)
    recipients = set(form.fields["recipient"].queryset)
    assert {net.sara, net.gtb, net.other_care} <= recipients
    assert net.funder_org not in recipients and net.network_org not in recipients
    before = Consent.objects.count()
    for org in (net.funder_org, net.network_org):
        response = post(net, login, person, recipient=org.pk)
        assert response.status_code == 200 and "recipient" in response.context["form"].errors, org
        with pytest.raises(DomainError):
            actions.grant_consent(
                actor_for(net.care),
                person,
                purpose=ConsentPurpose.COLLABORATION,
                recipient=org,
                categories=["identity"],
                evidence=SIGNED,
            )
    assert Consent.objects.count() == before


def test_the_own_organisation_is_refused_for_sharing_and_marked_on_the_form(net, login, person):
    # The recipient is chosen with a search box (core.choosers): its results mark the own organisation.
    found = login(net.care).get(reverse("core:choose", args=["consent_recipients"]), {"q": "PZ Beth"})
    assert (
        "PZ Bethanië (your organisation: only for feedback to you or your own case team)"
        in found.content.decode()
    )
    found = login(net.coach).get(reverse("core:choose", args=["consent_recipients"]), {"q": "PZ Beth"})
    assert "your organisation" not in found.content.decode()
    before = Consent.objects.count()
    for purpose in (ConsentPurpose.PROFILE, ConsentPurpose.COLLABORATION, ConsentPurpose.RECORD):
        response = post(net, login, person, purpose=purpose, recipient=net.hospital.pk)
        assert response.status_code == 200 and "recipient" in response.context["form"].errors, purpose
        with pytest.raises(DomainError):
            actions.grant_consent(
                actor_for(net.care),
                person,
                purpose=purpose,
                recipient=net.hospital,
                categories=["identity"],
                evidence=SIGNED,
            )
    assert Consent.objects.count() == before


def test_the_own_organisation_may_be_named_for_feedback_and_a_case_team(net, login, person):
    response = post(
        net,
        login,
        person,
        purpose=ConsentPurpose.FEEDBACK,
        recipient=net.hospital.pk,
        categories=["trajectory"],
    )
    assert response.status_code == 302
    consent = actions.grant_consent(
        actor_for(net.coach),
        person,
        purpose=ConsentPurpose.CASE_TEAM,
        recipient=net.sara,
        categories=["identity"],
        evidence=SIGNED,
    )
    assert (
        Consent.objects.filter(
            client=person, purpose=ConsentPurpose.FEEDBACK, recipient=net.hospital
        ).exists()
        and consent.pk
    )


def test_the_external_contact_purpose_is_no_longer_offered_nor_recorded(net, login, person):
    html, form = offered(net, login, person)
    assert ConsentPurpose.EXTERNAL_CONTACT.value not in dict(form.fields["purpose"].choices)
    assert 'value="external_contact"' not in html
    before = Consent.objects.count()
    response = post(net, login, person, purpose=ConsentPurpose.EXTERNAL_CONTACT)
    assert response.status_code == 200 and "purpose" in response.context["form"].errors
    with pytest.raises(DomainError):
        actions.grant_consent(
            actor_for(net.care),
            person,
            purpose=ConsentPurpose.EXTERNAL_CONTACT,
            recipient=net.gtb,
            categories=["identity"],
            evidence=SIGNED,
        )
    assert Consent.objects.count() == before


def test_an_older_external_contact_consent_is_still_listed_with_its_label(net, login, person):
    old = Consent.objects.create(
        client=person,
        purpose=ConsentPurpose.EXTERNAL_CONTACT,
        recipient=net.gtb,
        categories=["identity"],
        evidence=EvidenceKind.VERBAL,
        recorded_by=net.care,
        recorded_by_organisation=net.hospital,
    )
    response = login(net.care).get(reverse("clients:detail", args=[person.pk]))
    assert "contact with VDAB, TNWC or an employer" in response.content.decode()
    assert reverse("clients:consent_withdraw", args=[person.pk, old.pk]) in response.content.decode()


def test_registration_still_grants_the_record_consent_to_the_own_organisation(net):
    care_client = net.new_client()
    record = Consent.objects.get(client=care_client, purpose=ConsentPurpose.RECORD)
    assert record.recipient == net.hospital and "care_context" in record.categories
    work_client = actions.register_client(
        actor_for(net.coach),
        Client(first_name="An", last_name="Werk", birth_date="1991-02-03", gender="F"),
        Evidence(EvidenceKind.SIGNED_FORM),
    )
    record = Consent.objects.get(client=work_client, purpose=ConsentPurpose.RECORD)
    # A work partner's record names no care-only section: it could never read one.
    assert record.recipient == net.sara and "care_context" not in record.categories
    assert "skills" in record.categories and "identity" in record.categories


@pytest.mark.parametrize("persona", ["outsider", "admin", "funder"])
def test_outsider_gets_404_on_the_consent_form(net, login, person, persona):
    web = login(getattr(net, persona))
    assert web.get(reverse("clients:consent_create", args=[person.pk])).status_code == 404
    before = Consent.objects.count()
    assert web.post(reverse("clients:consent_create", args=[person.pk]), form_data(net)).status_code == 404
    assert Consent.objects.count() == before
