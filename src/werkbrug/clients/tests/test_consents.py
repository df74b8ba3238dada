"""Consent that drives sharing: the consent form with its upload, the list, withdrawal, the signed
form behind an access check, and the consent receipt (PDF)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients import actions
from werkbrug.clients.access import readable_sections
from werkbrug.clients.actions import Evidence
from werkbrug.clients.forms import CATEGORY_GROUPS
from werkbrug.clients.models import (
    CARE_ONLY_SECTIONS,
    CONSENT_CATEGORY_VALUES,
    Consent,
    ConsentPurpose,
    EvidenceKind,
    ProfileSection,
)
from werkbrug.clients.tests.client_data import PDF
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditEvent
from werkbrug.testing import actor_for, pdf_info, pdf_text


def files_in(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_form(
    name: str = "toestemming Jan Peeters.pdf", content: bytes = PDF, content_type: str = "application/pdf"
):
    return SimpleUploadedFile(name, content, content_type=content_type)


def consent_data(net, **overrides):
    data = {
        "purpose": ConsentPurpose.PROFILE,
        "recipient": net.sara.pk,
        "categories": [ProfileSection.SKILLS, ProfileSection.STRENGTHS],
        "given_on": timezone.localdate().isoformat(),
        "valid_until": "",
        "evidence": EvidenceKind.SIGNED_FORM,
        "evidence_note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def profile_consents(client):
    return Consent.objects.filter(client=client, purpose=ConsentPurpose.PROFILE)


def grant_skills_with_file(net, client, evidence_file) -> Consent:
    """Through the action: a profile consent for SaRA naming skills, with the signed form attached."""
    return actions.grant_consent(
        actor_for(net.care),
        client,
        purpose=ConsentPurpose.PROFILE,
        recipient=net.sara,
        categories=["skills"],
        evidence=Evidence(EvidenceKind.SIGNED_FORM),
        evidence_file=evidence_file,
    )


def test_care_professional_records_a_profile_consent_for_two_sections(net, login, media):
    client = net.new_client()
    net.refer(client)
    response = login(net.care).post(reverse("clients:consent_create", args=[client.pk]), consent_data(net))
    assert response.status_code == 302 and response.url == reverse("clients:detail", args=[client.pk])
    consent = profile_consents(client).get()
    assert consent.recipient == net.sara
    assert consent.categories == ["skills", "strengths"]
    assert consent.recorded_by == net.care and consent.recorded_by_organisation == net.hospital
    assert not consent.evidence_file
    assert files_in(media) == []
    assert AuditEvent.objects.filter(action="create", object_type="consent", object_id=consent.pk).exists()
    assert readable_sections(actor_for(net.screener), client.pk) == {"skills", "strengths"}


def test_the_consent_form_groups_the_categories_and_offers_no_care_only_section(net, login):
    client = net.new_client()
    response = login(net.care).get(reverse("clients:consent_create", args=[client.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    for legend in ("Client file", "Competency profile", "Vocational profile (IPS)"):
        assert f"<small>{legend}</small>" in content
    # Not offered (issue 12): a work partner never reads it, a care partner reads it without consent.
    assert "care context (care partners only)" not in content and 'value="care_context"' not in content
    assert 'name="evidence_file"' in content and 'accept="application/pdf,.pdf"' in content
    # Today is filled in; the end date is optional.
    assert response.context["form"]["given_on"].value() == timezone.localdate()


def test_every_category_the_form_offers_sits_in_exactly_one_group_and_no_care_only_one():
    grouped = [code for _label, choices in CATEGORY_GROUPS for code, _choice in choices]
    assert sorted(grouped) == sorted(CONSENT_CATEGORY_VALUES - CARE_ONLY_SECTIONS)


def test_funders_are_not_offered_as_recipients(net, login):
    client = net.new_client()
    form = login(net.care).get(reverse("clients:consent_create", args=[client.pk])).context["form"]
    recipients = set(form.fields["recipient"].queryset)
    assert net.sara in recipients and net.funder_org not in recipients


BAD_INPUT = {
    "no recipient": (
        {"recipient": None},
        None,
        "recipient",
        "Choose the organisation that receives the data.",
    ),
    "no category": ({"categories": None}, None, "categories", "Choose at least one data category."),
    "end before start": (
        {"given_on": "2026-10-01", "valid_until": "2026-09-01"},
        None,
        "valid_until",
        "The end date lies before the start date.",
    ),
    "end before start, with a good upload": (
        {"given_on": "2026-10-01", "valid_until": "2026-09-01"},
        ("form.pdf", PDF, "application/pdf"),
        "valid_until",
        "The end date lies before the start date.",
    ),
    "verbal consent without a witness": (
        {"evidence": EvidenceKind.VERBAL_WITNESS},
        None,
        "evidence_note",
        "Name the witness of the verbal consent.",
    ),
    "oversized upload": (
        {},
        ("form.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf"),
        "evidence_file",
        "The file is too large: at most 5 MB.",
    ),
    "non-PDF upload": (
        {},
        ("form.docx", b"PK\x03\x04 a word document", "application/vnd.openxmlformats"),
        "evidence_file",
        "Upload the signed form as a PDF file.",
    ),
    "fake PDF: a .pdf name and type but other bytes": (
        {},
        ("form.pdf", b"<html>not a pdf</html>", "application/pdf"),
        "evidence_file",
        "Upload the signed form as a PDF file.",
    ),
    "PDF bytes sent as another type": (
        {},
        ("form.pdf", PDF, "text/plain"),
        "evidence_file",
        "Upload the signed form as a PDF file.",
    ),
    "empty upload": (
        {},
        ("form.pdf", b"", "application/pdf"),
        "evidence_file",
        "The submitted file is empty.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT.keys())
def test_bad_consent_input_gets_a_clear_message_and_changes_nothing(net, login, media, case):
    overrides, upload, field, message = BAD_INPUT[case]
    client = net.new_client()
    net.refer(client)
    data = consent_data(net, **overrides)
    if upload is not None:
        data["evidence_file"] = signed_form(*upload)
    before = (Consent.objects.count(), AuditEvent.objects.exclude(action="view").count())
    response = login(net.care).post(reverse("clients:consent_create", args=[client.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert (Consent.objects.count(), AuditEvent.objects.exclude(action="view").count()) == before
    assert files_in(media) == []


def test_the_action_refuses_a_fake_pdf_too(net, media):
    client = net.new_client()
    with pytest.raises(DomainError) as refused:
        grant_skills_with_file(net, client, signed_form(content=b"MZ\x90\x00"))
    assert refused.value.field == "evidence_file"
    assert not profile_consents(client).exists() and files_in(media) == []


def test_a_write_that_fails_after_the_upload_leaves_no_file_and_no_consent(net, media, monkeypatch):
    client = net.new_client()

    def broken_audit(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions.audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        grant_skills_with_file(net, client, signed_form())
    assert not profile_consents(client).exists()
    assert files_in(media) == []


def test_a_consent_with_a_file_is_never_written_inside_a_larger_transaction(net, media):
    # The outer transaction could still roll the row back after the file is written.
    client = net.new_client()
    with pytest.raises(RuntimeError), transaction.atomic():
        grant_skills_with_file(net, client, signed_form())
    assert not profile_consents(client).exists() and files_in(media) == []


def record_with_form(net, login, client) -> Consent:
    data = consent_data(net, evidence_file=signed_form())
    response = login(net.care).post(reverse("clients:consent_create", args=[client.pk]), data)
    assert response.status_code == 302
    return profile_consents(client).get()


def test_the_signed_form_is_stored_under_a_random_name_outside_any_public_url(net, login, media):
    client = net.new_client()
    net.refer(client)
    consent = record_with_form(net, login, client)
    stored = files_in(media)
    assert len(stored) == 1 and stored[0].read_bytes() == PDF
    assert stored[0].suffix == ".pdf" and "Peeters" not in stored[0].name
    assert consent.evidence_file.name.startswith("consents/")
    web = login(net.care)
    for url in (f"/{consent.evidence_file.name}", f"/media/{consent.evidence_file.name}"):
        assert web.get(url).status_code == 404


def test_the_signed_form_is_downloadable_by_involved_users_only(net, login, media):
    client = net.new_client()
    net.refer(client)
    consent = record_with_form(net, login, client)
    url = reverse("clients:consent_evidence", args=[client.pk, consent.pk])
    for user in (net.care, net.screener):
        response = login(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
    views = AuditEvent.objects.filter(action="view", object_type="consent", object_id=consent.pk)
    assert {e.user for e in views} == {net.care, net.screener}
    for persona in ("outsider", "gtb_coach", "admin", "funder"):
        assert login(getattr(net, persona)).get(url).status_code == 404
    # The evidence of another client's consent is not reachable through this client's address.
    other = net.new_client(last_name="Anders")
    assert (
        login(net.care).get(reverse("clients:consent_evidence", args=[other.pk, consent.pk])).status_code
        == 404
    )


def test_a_consent_without_a_signed_form_has_nothing_to_download(net, login):
    client = net.new_client()
    consent = client.consents.get()
    url = reverse("clients:consent_evidence", args=[client.pk, consent.pk])
    assert login(net.care).get(url).status_code == 404


def test_the_consent_list_shows_labels_status_and_the_signed_form(net, login, media):
    client = net.new_client()
    net.refer(client)
    with_form = record_with_form(net, login, client)
    care = actor_for(net.care)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = actions.grant_consent(
        care,
        client,
        purpose=ConsentPurpose.CASE_TEAM,  # was "external contact", no longer recorded (issue 12)
        recipient=net.gtb,
        categories=["identity"],
        evidence=Evidence(EvidenceKind.VERBAL_WITNESS, "collega Mieke"),
        given_on=yesterday - datetime.timedelta(days=30),
        valid_until=yesterday,
    )
    withdrawn = actions.grant_consent(
        care,
        client,
        purpose=ConsentPurpose.FEEDBACK,
        recipient=net.sara,
        categories=["trajectory"],
        evidence=Evidence(EvidenceKind.VERBAL),
    )
    actions.withdraw_consent(care, withdrawn)

    response = login(net.care).get(reverse("clients:detail", args=[client.pk]))
    content = response.content.decode()
    rows = {row.consent.pk: row for row in response.context["consents"]}
    assert rows[with_form.pk].categories == ["skills", "strengths"]
    assert (rows[with_form.pk].status, rows[expired.pk].status, rows[withdrawn.pk].status) == (
        "active",
        "expired",
        "withdrawn",
    )
    assert (
        "identity and contact details" in content
        and "the current trajectory: plan, outcomes and own contacts" in content
    )
    assert "collega Mieke" in content
    assert reverse("clients:consent_evidence", args=[client.pk, with_form.pk]) in content
    assert reverse("clients:consent_receipt", args=[client.pk, withdrawn.pk]) in content
    # Withdrawal in one step, behind a confirmation; a withdrawn consent offers none.
    assert f'action="{reverse("clients:consent_withdraw", args=[client.pk, with_form.pk])}"' in content
    assert f'action="{reverse("clients:consent_withdraw", args=[client.pk, withdrawn.pk])}"' not in content
    assert "data-confirm=" in content


def test_withdrawing_a_profile_consent_stops_the_sharing_of_its_sections_at_once(net, login):
    client = net.new_client()
    net.refer(client)
    login(net.care).post(reverse("clients:consent_create", args=[client.pk]), consent_data(net))
    consent = profile_consents(client).get()
    assert readable_sections(actor_for(net.screener), client.pk) == {"skills", "strengths"}
    response = login(net.care).post(reverse("clients:consent_withdraw", args=[client.pk, consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == net.care
    assert readable_sections(actor_for(net.screener), client.pk) == frozenset()
    # The file itself stays shared: that is another consent (collaboration).
    assert login(net.screener).get(reverse("clients:detail", args=[client.pk])).status_code == 200


def test_the_consent_receipt_is_an_a4_pdf_with_everything_the_client_agreed_to(net, login, media):
    client = net.new_client()
    net.refer(client)
    consent = record_with_form(net, login, client)
    response = login(net.care).get(reverse("clients:consent_receipt", args=[client.pk, consent.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "(A4)" in pdf_info(response.content)
    text = " ".join(pdf_text(response.content).split())
    for expected in (
        "Jan Peeters",
        "17/05/1990",
        "share the competency profile",
        "SaRA Arbeidscoaching",
        "skills",
        "strengths",
        "signed form",
        "until you withdraw it",
        f"{net.care}, PZ Bethanië",
        "active",
        "You can withdraw this consent at any time",
    ):
        assert expected in text, expected
    assert "work and education history" not in text
    event = AuditEvent.objects.filter(object_type="consent", object_id=consent.pk).latest("pk")
    assert (event.action, event.user, event.summary) == ("export", net.care, "consent receipt (PDF)")


def test_the_receipt_of_a_withdrawn_consent_says_so(net, login):
    client = net.new_client()
    consent = actions.grant_consent(
        actor_for(net.care),
        client,
        purpose=ConsentPurpose.CASE_TEAM,
        recipient=net.hospital,
        categories=["referral"],
        evidence=Evidence(EvidenceKind.VERBAL),
        valid_until=timezone.localdate() + datetime.timedelta(days=90),
    )
    actions.withdraw_consent(actor_for(net.care), consent)
    response = login(net.care).get(reverse("clients:consent_receipt", args=[client.pk, consent.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "discussion in a case team" in text and "referral question" in text
    assert (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d/%m/%Y") in text
    assert f"withdrawn on {timezone.localtime(consent.withdrawn_at):%d/%m/%Y}" in text


@pytest.mark.parametrize("name", ["clients:consent_receipt", "clients:consent_evidence"])
@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_outsider_gets_404_on_a_consents_documents(net, login, media, name, persona):
    client = net.new_client()
    net.refer(client)
    consent = record_with_form(net, login, client)
    before = AuditEvent.objects.count()
    response = login(getattr(net, persona)).get(reverse(name, args=[client.pk, consent.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
