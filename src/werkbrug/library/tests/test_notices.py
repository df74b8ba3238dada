"""The notice of a new version on a member's start page: for the organisations it concerns,
dismissable per user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.library.models import Announcement, Dismissal
from werkbrug.library.tests.data import publish_wording
from werkbrug.network.models import Role
from werkbrug.testing import client_of, make_user

pytestmark = pytest.mark.django_db


def _notices(page, url):
    return page.get(url).content.decode().count("data-notice=")


def test_a_care_professional_sees_the_notice_on_the_start_page_and_dismisses_it(net):
    publish_wording(net)
    announcement = Announcement.objects.get()
    care = client_of(net.care)
    mine = reverse("referrals:mine")
    assert _notices(care, mine) == 1
    assert _notices(care, reverse("clients:list")) == 0  # the start page only
    response = care.post(reverse("library:dismiss", args=[announcement.pk]))
    assert response.status_code == 302
    assert _notices(care, mine) == 0
    # Dismissing again changes nothing; a colleague still sees it.
    assert care.post(reverse("library:dismiss", args=[announcement.pk])).status_code == 302
    assert Dismissal.objects.count() == 1
    colleague = make_user("care2", net.hospital, Role.CARE_PROFESSIONAL)
    assert _notices(client_of(colleague), mine) == 1
    assert _notices(client_of(net.coach), reverse("trajectories:caseload")) == 1


def test_an_organisation_not_concerned_sees_no_notice_and_cannot_dismiss_it(net):
    publish_wording(net)
    announcement = Announcement.objects.get()
    announcement.organisations.remove(net.other_care)
    outsider = client_of(net.outsider)
    assert _notices(outsider, reverse("referrals:mine")) == 0
    assert outsider.post(reverse("library:dismiss", args=[announcement.pk])).status_code == 404
    assert client_of(net.funder).post(reverse("library:dismiss", args=[announcement.pk])).status_code == 404
    assert not Dismissal.objects.exists()


def test_a_get_on_dismiss_is_refused(net):
    publish_wording(net)
    announcement = Announcement.objects.get()
    assert client_of(net.care).get(reverse("library:dismiss", args=[announcement.pk])).status_code == 405


def test_a_funder_start_page_shows_no_notice_even_for_its_organisation(net):
    publish_wording(net)
    Announcement.objects.get().organisations.add(net.funder_org)
    assert _notices(client_of(net.funder), reverse("reports:index")) == 0


def test_a_notice_published_after_the_first_view_shows_on_the_next(net):
    """The notices' statement is built once per membership and day (core.statements); its rows are
    read on every view."""
    care = client_of(net.care)
    mine = reverse("referrals:mine")
    assert _notices(care, mine) == 0
    publish_wording(net)
    assert _notices(care, mine) == 1
