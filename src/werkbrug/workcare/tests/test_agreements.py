"""The work-care agreement on its pages: the seven elements of the decree, signing only when all
seven are filled in, end before start refused, the A4 print and the signed copy, and who may see it."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from werkbrug.core.models import AuditEvent
from werkbrug.network.models import Role
from werkbrug.testing import actor_for, make_user, pdf_text
from werkbrug.workcare import actions
from werkbrug.workcare.models import ELEMENTS, WorkCareAgreement
from werkbrug.workcare.tests.data import PDF, SEVEN, agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db


def _form(at, **extra):
    data = {
        "workshop": at.pk,
        "form": "enclave",
        "aim": "finality",
        "starts_on": "2026-02-01",
        "ends_on": "",
        "liability_insurance": "Ethias, polis 45.001",
        "accident_insurance": "Ethias, polis 45.002",
        **SEVEN,
    }
    data.update(extra)
    return data


def test_coach_records_an_agreement_with_the_seven_elements(net, login):
    trajectory, at = workcare_trajectory(net), workshop(net)
    response = login(net.coach).post(reverse("workcare:agreement_new", args=[trajectory.pk]), _form(at))
    assert response.status_code == 302
    saved = WorkCareAgreement.objects.get(trajectory=trajectory)
    assert [getattr(saved, name) for name, _label in ELEMENTS] == list(SEVEN.values())
    assert (saved.form, saved.aim, saved.starts_on) == ("enclave", "finality", datetime.date(2026, 2, 1))
    assert saved.liability_insurance == "Ethias, polis 45.001"
    assert saved.missing == []
    assert AuditEvent.objects.filter(object_type="workcareagreement", client_id=trajectory.client_id).exists()


def test_an_end_before_the_start_is_refused_and_nothing_is_written(net, login):
    trajectory, at = workcare_trajectory(net), workshop(net)
    response = login(net.coach).post(
        reverse("workcare:agreement_new", args=[trajectory.pk]), _form(at, ends_on="2026-01-15")
    )
    assert response.status_code == 400
    assert "The end date lies before the start date." in response.content.decode()
    assert not WorkCareAgreement.objects.exists()


@pytest.mark.parametrize("element", [name for name, _label in ELEMENTS])
def test_an_agreement_missing_any_element_cannot_be_signed_on_the_page(net, login, element):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at, **{element: "   "})
    response = login(net.coach).post(
        reverse("workcare:agreement_sign", args=[trajectory.pk, draft.pk]), {"signed_on": "2026-01-02"}
    )
    assert response.status_code == 400
    label = dict(ELEMENTS)[element]
    assert f"fill in {label}" in response.content.decode()
    draft.refresh_from_db()
    assert draft.signed_on is None


def test_a_complete_agreement_is_signed_with_its_signed_copy(net, login):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    page = login(net.coach)
    upload = SimpleUploadedFile("getekend Jan Peeters.pdf", PDF, content_type="application/pdf")
    response = page.post(
        reverse("workcare:agreement_sign", args=[trajectory.pk, draft.pk]),
        {"signed_on": "2026-01-02", "signed_document": upload},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.signed_on == datetime.date(2026, 1, 2)
    assert draft.signed_by == net.coach
    assert "Peeters" not in draft.signed_document.name  # a random name, not the file's own
    document = page.get(reverse("workcare:agreement_document", args=[trajectory.pk, draft.pk]))
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == PDF
    assert document["Cache-Control"] == "no-store, private"


def test_signing_twice_is_refused_naming_who_signed(net, login):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    page = login(net.coach)
    url = reverse("workcare:agreement_sign", args=[trajectory.pk, draft.pk])
    assert page.post(url, {"signed_on": "2026-01-02"}).status_code == 302
    again = page.post(url, {"signed_on": "2026-01-03"})
    assert again.status_code == 400
    assert "already signed" in again.content.decode()
    draft.refresh_from_db()
    assert draft.signed_on == datetime.date(2026, 1, 2)


def test_a_signed_agreement_is_no_longer_edited(net):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    actions.sign_agreement(actor_for(net.coach), draft, signed_on=datetime.date(2026, 1, 2))
    with pytest.raises(Exception, match="already signed"):
        actions.update_agreement(actor_for(net.coach), draft, place="elders")


def test_double_submit_of_a_new_agreement_records_two_drafts_only_when_posted_twice(net, login):
    # A draft is a new row each time (like a contact); the second post of the same form is a second
    # draft the coach sees in the list, never a 500.
    trajectory, at = workcare_trajectory(net), workshop(net)
    page = login(net.coach)
    url = reverse("workcare:agreement_new", args=[trajectory.pk])
    assert page.post(url, _form(at)).status_code == 302
    assert page.post(url, _form(at)).status_code == 302
    assert WorkCareAgreement.objects.filter(trajectory=trajectory).count() == 2


def test_the_agreement_prints_on_a4_with_its_seven_elements(net, login):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    response = login(net.coach).get(reverse("workcare:agreement_pdf", args=[trajectory.pk, draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Atelier De Brug, Lange Lozanastraat 10" in text
    assert "met een week opzeg" in text
    assert "Jan Peeters" in text


def test_the_trajectory_page_shows_the_agreement_to_the_team(net, login):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    page = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert reverse("workcare:agreement", args=[trajectory.pk, draft.pk]) in page


def test_a_workshop_of_another_organisation_is_refused(net, login):
    trajectory = workcare_trajectory(net)
    gtb_coordinator = make_user("gtbcoord", net.gtb, Role.COORDINATOR)
    theirs = actions.create_workshop(actor_for(gtb_coordinator), name="Elders", target_group_fte=20)
    response = login(net.coach).post(reverse("workcare:agreement_new", args=[trajectory.pk]), _form(theirs))
    assert response.status_code == 400
    assert not WorkCareAgreement.objects.exists()


def test_no_agreement_on_a_trajectory_of_another_type(net, login):
    trajectory = net.trajectory()  # arbeidscoach
    workshop(net)
    assert login(net.coach).get(reverse("workcare:agreement_new", args=[trajectory.pk])).status_code == 404


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_on_every_agreement_page(net, client, who):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    client.force_login(getattr(net, who))
    for name in ("agreement", "agreement_edit", "agreement_sign", "agreement_pdf", "agreement_document"):
        assert client.get(reverse(f"workcare:{name}", args=[trajectory.pk, draft.pk])).status_code == 404, (
            name
        )
    assert client.get(reverse("workcare:agreement_new", args=[trajectory.pk])).status_code == 404
    response = client.post(
        reverse("workcare:agreement_sign", args=[trajectory.pk, draft.pk]), {"signed_on": "2026-01-02"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.signed_on is None
