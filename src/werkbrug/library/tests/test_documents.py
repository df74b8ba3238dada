"""The document library: the network admin uploads versioned documents with what changed, members
download the current and earlier versions, announcements reach the organisations concerned."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from werkbrug.library.models import Announcement, Document, DocumentVersion
from werkbrug.library.tests.data import pdf
from werkbrug.testing import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _new(page, **post):
    data = {
        "title": "Visietekst",
        "kind": "vision",
        "audience": "all",
        "description": "",
        "note": "Eerste versie.",
        "file": pdf("one"),
    } | post
    return page.post(reverse("library:document_new"), data)


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_the_admin_adds_versions_and_members_download_each(net, _media):
    admin = client_of(net.admin)
    assert _new(admin).status_code == 302
    document = Document.objects.get()
    response = admin.post(
        reverse("library:version_new", args=[document.pk]),
        {"note": "Hoofdstuk 2 herschreven.", "file": pdf("two")},
    )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    care = client_of(net.care)
    page = care.get(reverse("library:document", args=[document.pk])).content.decode()
    assert "Hoofdstuk 2 herschreven." in page and "Eerste versie." in page
    for number, text in [(1, b"one"), (2, b"two")]:
        download = care.get(reverse("library:download", args=[document.pk, number]))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Cache-Control"] == "no-store, private"
        assert text in b"".join(download.streaming_content)
    # Stored under a random name, not the uploaded one (which held a person's name).
    assert all("Peeters" not in p.name for p in _files(_media))
    assert care.get(reverse("library:download", args=[document.pk, 3])).status_code == 404


def test_a_document_for_care_partners_is_announced_to_them_only(net):
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert _new(client_of(net.admin), audience="care").status_code == 302
    announcement = Announcement.objects.get()
    assert set(announcement.organisations.all()) == {net.hospital, net.other_care}
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([net.care.email, net.outsider.email])
    assert all("Eerste versie." not in m.body for m in mail.outbox)  # the note is read in Werkbrug


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"file": SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")}, "file"),
        ({"file": SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")}, "file"),
        ({"note": "  "}, "note"),
        ({"title": ""}, "title"),
        ({"kind": "poem"}, "kind"),
    ],
)
def test_bad_input_keeps_nothing(net, _media, post, field):
    response = _new(client_of(net.admin), **post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Document.objects.exists() and not Announcement.objects.exists()
    assert _files(_media) == []


def test_a_refused_upload_leaves_no_file(net, _media):
    admin = client_of(net.admin)
    _new(admin)
    response = _new(admin, file=pdf("again"))  # the same title: refused by the action, after the form
    assert response.status_code == 200 and "already has a document" in response.content.decode()
    assert DocumentVersion.objects.count() == 1
    assert len(_files(_media)) == 1


def test_a_double_submitted_version_gets_the_next_number_each_time(net):
    admin = client_of(net.admin)
    _new(admin)
    document = Document.objects.get()
    url = reverse("library:version_new", args=[document.pk])
    for _ in range(2):
        assert admin.post(url, {"note": "Nieuw.", "file": pdf("n")}).status_code == 302
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("who", ["care", "coach", "screener", "coordinator", "outsider", "funder"])
def test_only_the_network_admin_uploads(net, who):
    page = client_of(getattr(net, who))
    assert page.get(reverse("library:document_new")).status_code == 404
    assert _new(page).status_code == 404
    _new(client_of(net.admin))
    document = Document.objects.get()
    assert (
        page.post(
            reverse("library:version_new", args=[document.pk]), {"note": "x", "file": pdf()}
        ).status_code
        == 404
    )
    assert DocumentVersion.objects.count() == 1


def test_the_funder_gets_404_on_the_library(net):
    _new(client_of(net.admin))
    document = Document.objects.get()
    page = client_of(net.funder)
    for url in [
        reverse("library:index"),
        reverse("library:document", args=[document.pk]),
        reverse("library:download", args=[document.pk, 1]),
    ]:
        assert page.get(url).status_code == 404, url


@pytest.mark.parametrize("count", [1, 12])
def test_the_library_pages_run_a_constant_number_of_queries(net, django_assert_max_num_queries, count):
    admin = client_of(net.admin)
    for n in range(count):
        _new(admin, title=f"Formulier {n}", kind="form")
    document = Document.objects.first()
    for _ in range(count):
        admin.post(reverse("library:version_new", args=[document.pk]), {"note": "Nieuw.", "file": pdf()})
    care = client_of(net.care)
    care.get(reverse("library:index"))
    with django_assert_max_num_queries(8):
        assert care.get(reverse("library:index")).status_code == 200
    with django_assert_max_num_queries(8):
        assert care.get(reverse("library:document", args=[document.pk])).status_code == 200
