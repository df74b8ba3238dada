"""Sites, recruitment and agreements: who sees them (outsiders get 404), bad input writes nothing,
the list runs a constant number of queries, and the signed agreement is kept like a consent form."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditEvent
from werkbrug.outreach import actions
from werkbrug.outreach.models import Agreement, RecruitmentStep, Site, Stage
from werkbrug.outreach.tests.data import hours, site
from werkbrug.testing import actor_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def files_in(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def site_urls(s: Site, h, agreement_pk: int = 1) -> list[str]:
    return [
        reverse("outreach:sites"),
        reverse("outreach:site_new"),
        reverse("outreach:site", args=[s.pk]),
        reverse("outreach:site_edit", args=[s.pk]),
        reverse("outreach:step_new", args=[s.pk]),
        reverse("outreach:agreement_new", args=[s.pk]),
        reverse("outreach:agreement_document", args=[s.pk, agreement_pk]),
        reverse("outreach:hours_new", args=[s.pk]),
        reverse("outreach:hours_cancel", args=[h.pk]),
        reverse("outreach:appointment_new", args=[s.pk]),
        reverse("outreach:poster", args=[s.pk]),
        reverse("outreach:poster_pdf", args=[s.pk]),
        reverse("outreach:week"),
        reverse("outreach:bookings"),
        reverse("outreach:calendar"),
    ]


@pytest.mark.django_db
def test_the_running_organisations_coach_and_coordinator_open_every_page(net, login, media):
    s = site(net)
    h = hours(net, s)
    agreement = actions.record_agreement(
        actor_for(net.coach),
        s,
        starts_on=datetime.date(2026, 1, 1),
        signed_on=datetime.date(2026, 1, 1),
        signed_document=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    for user in (net.coach, net.coordinator):
        page = login(user)
        for url in site_urls(s, h, agreement.pk):
            assert page.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["funder", "gtb_coach", "care", "admin", "outsider"])
def test_outsiders_get_404_on_every_site_page(net, login, media, who):
    s = site(net)
    h = hours(net, s)
    agreement = actions.record_agreement(
        actor_for(net.coach),
        s,
        starts_on=datetime.date(2026, 1, 1),
        signed_on=datetime.date(2026, 1, 1),
        signed_document=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    page = login(getattr(net, who))
    for url in site_urls(s, h, agreement.pk):
        if who == "gtb_coach" and url in (
            reverse("outreach:sites"),
            reverse("outreach:site_new"),
            reverse("outreach:week"),
            reverse("outreach:bookings"),
            reverse("outreach:calendar"),
        ):
            continue  # their own (empty) pages: checked below to show nothing of SaRA's
        assert page.get(url).status_code == 404, url
    writes = [u for u in site_urls(s, h, agreement.pk) if "/edit/" in u or "/new/" in u or "cancel" in u]
    for url in writes:
        if url == reverse("outreach:site_new"):
            continue
        assert page.post(url, {"name": "x", "stage": 1, "on": "2026-01-01"}).status_code == 404, url


@pytest.mark.django_db
def test_another_organisations_coach_sees_none_of_the_sites_in_their_own_lists(net, login):
    s = site(net, name="Zichtbaar alleen voor SaRA")
    hours(net, s)
    page = login(net.gtb_coach)
    assert s.name not in page.get(reverse("outreach:sites")).content.decode()
    assert b"BEGIN:VEVENT" not in page.get(reverse("outreach:calendar")).content


@pytest.mark.django_db
def test_creating_a_site_through_the_page(net, login):
    page = login(net.coach)
    response = page.post(
        reverse("outreach:site_new"),
        {
            "name": "Huisartsenpraktijk De Linde",
            "kind": "gp",
            "host_name": "De Linde",
            "champion_name": "An",
            "champion_role": "praktijkassistent",
        },
    )
    created = Site.objects.get()
    assert response.status_code == 302
    assert (created.run_by, created.host_name, created.host) == (net.sara, "De Linde", None)


@pytest.mark.django_db
def test_bad_site_input_is_refused_and_writes_nothing(net, login):
    page = login(net.coach)
    response = page.post(reverse("outreach:site_new"), {"name": "", "kind": "nonsense"})
    assert response.status_code == 400
    both = page.post(
        reverse("outreach:site_new"),
        {"name": "X", "kind": "gp", "host": net.hospital.pk, "host_name": "Ander"},
    )
    assert both.status_code == 400
    assert "not both" in both.content.decode()
    assert not Site.objects.exists()


@pytest.mark.django_db
def test_stages_go_in_order_and_going_back_needs_a_note(net):
    s = site(net)
    coach = actor_for(net.coach)
    day = timezone.localdate() - datetime.timedelta(days=30)
    actions.record_step(coach, s, stage=Stage.FIRST_CONTACT, on=day)
    with pytest.raises(DomainError, match="in order"):
        actions.record_step(coach, s, stage=Stage.DRAFT_AGREEMENT, on=day)
    actions.record_step(coach, s, stage=Stage.INFORMATION, on=day + datetime.timedelta(days=7))
    with pytest.raises(DomainError, match="note"):
        actions.record_step(coach, s, stage=Stage.FIRST_CONTACT, on=day + datetime.timedelta(days=8))
    with pytest.raises(DomainError, match="before the previous"):
        actions.record_step(coach, s, stage=Stage.DRAFT_AGREEMENT, on=day)
    actions.record_step(
        coach, s, stage=Stage.FIRST_CONTACT, on=day + datetime.timedelta(days=8), note="Nieuwe trekker"
    )
    assert list(RecruitmentStep.objects.values_list("stage", flat=True)) == [1, 2, 1]


@pytest.mark.django_db
def test_a_refused_step_on_the_page_writes_nothing(net, login):
    s = site(net)
    response = login(net.coach).post(
        reverse("outreach:step_new", args=[s.pk]), {"stage": 4, "on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert not RecruitmentStep.objects.exists()


@pytest.mark.django_db
def test_the_signed_agreement_is_kept_outside_the_web_root_and_served_through_the_checked_view(
    net, login, media
):
    s = site(net)
    page = login(net.coach)
    response = page.post(
        reverse("outreach:agreement_new", args=[s.pk]),
        {
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "min_inflow_per_year": "12",
            "dpo_signed_on": "2025-12-01",
            "signed_on": "2025-12-15",
            "signed_document": SimpleUploadedFile(
                "overeenkomst PZ Bethanie.pdf", PDF, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    stored = files_in(media)
    assert len(stored) == 1 and "Bethanie" not in stored[0].name
    download = page.get(reverse("outreach:agreement_document", args=[s.pk, agreement.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "no-store, private"
    assert AuditEvent.objects.filter(object_type="agreement", summary="signed agreement").count() == 1


@pytest.mark.django_db
def test_a_file_that_is_no_pdf_is_refused_and_nothing_is_kept(net, login, media):
    s = site(net)
    response = login(net.coach).post(
        reverse("outreach:agreement_new", args=[s.pk]),
        {
            "starts_on": "2026-01-01",
            "signed_on": "2025-12-15",
            "signed_document": SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()
    assert files_in(media) == []


@pytest.mark.django_db
def test_a_refused_agreement_deletes_the_file_it_wrote(net, media):
    s = site(net)
    with pytest.raises(DomainError):
        actions.record_agreement(
            actor_for(net.coach),
            s,
            starts_on=datetime.date(2026, 1, 1),
            signed_on=None,  # a document without a signing date is refused after the checks began
            signed_document=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        )
    assert files_in(media) == []
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_site_has_an_agreement_only_while_a_signed_one_covers_today(net, login):
    today = timezone.localdate()
    signed = site(net, name="A met overeenkomst")
    expired = site(net, name="B verlopen")
    unsigned = site(net, name="C niet getekend")
    coach = actor_for(net.coach)
    actions.record_agreement(coach, signed, starts_on=today - datetime.timedelta(days=10), signed_on=today)
    actions.record_agreement(
        coach,
        expired,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
        signed_on=today - datetime.timedelta(days=400),
    )
    actions.record_agreement(coach, unsigned, starts_on=today - datetime.timedelta(days=10))
    page = login(net.coach).get(reverse("outreach:sites"))
    rows = {site.name: site.has_agreement for site in page.context["page"].object_list}
    assert rows == {"A met overeenkomst": True, "B verlopen": False, "C niet getekend": False}


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 30])
def test_the_site_list_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, n):
    coach = actor_for(net.coach)
    for i in range(n):
        s = site(net, name=f"Site {i:02}")
        actions.record_step(coach, s, stage=1, on=timezone.localdate())
        actions.record_agreement(coach, s, starts_on=timezone.localdate(), signed_on=timezone.localdate())
    page = login(net.coach)
    with django_assert_max_num_queries(12):
        response = page.get(reverse("outreach:sites"))
    assert len(response.context["page"].object_list) == n
    assert response.content.decode().count("has an agreement") == n
