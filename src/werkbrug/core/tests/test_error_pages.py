"""Dutch error pages (issue 13, point 4): a page that does not exist or is not open to the user, a
form that expired, an error on the server; and file names in the reader's language (point 7). The
tests ask for Dutch: their default language is English."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from werkbrug.testing import client_of


def test_an_unknown_address_gets_the_dutch_404_with_the_menu(net):
    response = client_of(net.coach).get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="nl-be")
    text = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in text
    assert "Not Found" not in text
    assert reverse("core:logout") in text  # the menu is there: the way back


def test_an_outsider_on_a_clients_file_gets_the_same_dutch_404(net):
    client = net.new_client()
    response = client_of(net.outsider).get(
        reverse("clients:detail", args=[client.pk]), HTTP_ACCEPT_LANGUAGE="nl-be"
    )
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
    assert client.last_name not in response.content.decode()


@pytest.mark.parametrize("technical", [False, True])
def test_with_debug_on_as_in_the_demo_the_pages_stay_dutch(net, settings, technical):
    """Issue 13 point 4: `make demo` runs with DEBUG on, and a work partner following a link got
    Django's English technical 404. Only a developer who asks for them gets those pages."""
    client = net.new_client()
    # Resolve the URLconf first, with DEBUG off as in every other test: werkbrug.urls mounts the
    # admin when it is first imported with DEBUG on, which later tests would inherit.
    denied = reverse("exchange:profile", args=[client.pk])
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = technical
    for path in (denied, "/bestaat-niet/"):
        response = client_of(net.outsider).get(path, HTTP_ACCEPT_LANGUAGE="nl-be")
        text = response.content.decode()
        assert response.status_code == 404
        assert ("Pagina niet gevonden" in text) is not technical, path
        assert ("Django tried these URL patterns" in text or "Raised by" in text) is technical, path


def test_an_expired_form_gets_a_dutch_403_that_says_nothing_was_saved(net):
    page = WebClient(enforce_csrf_checks=True)
    page.force_login(net.coach)
    response = page.post(reverse("core:logout"), HTTP_ACCEPT_LANGUAGE="nl-be")
    text = response.content.decode()
    assert response.status_code == 403
    assert "Het formulier is verlopen" in text
    assert "Er is niets bewaard" in text


def test_a_server_error_page_is_dutch_and_needs_no_request_context():
    with translation.override("nl-be"):
        response = server_error(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in text
    assert "misschien niet bewaard" in text


def test_the_error_pages_are_french_for_a_french_reader(net):
    response = client_of(net.coach).get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Page introuvable" in response.content.decode()


def test_downloads_are_named_in_the_readers_language(net):
    """Issue 13 point 7: a Dutch reader gets Dutch file names."""
    client = net.new_client()
    page = client_of(net.care)
    dutch = page.get(reverse("clients:access_report", args=[client.pk]), HTTP_ACCEPT_LANGUAGE="nl-be")
    english = page.get(reverse("clients:access_report", args=[client.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert dutch["Content-Disposition"] == f'inline; filename="toegangsrapport-{client.pk}.pdf"'
    assert english["Content-Disposition"] == f'inline; filename="access-report-{client.pk}.pdf"'
