"""Two people editing a client's details at once (docs/conventions.md, "Two people at once"): the
edit page carries the version it was opened on; a save against details someone saved since is
refused with who saved them, when and what, keeps what was typed and writes nothing. Saving again
from the refused page saves."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from werkbrug.clients.forms import ClientForm
from werkbrug.clients.models import Client
from werkbrug.core.concurrency import moment
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.testing import Network, client_of, one_done_one_refused, race

ROUNDS = 3
REFUSED = "saved these details at"


def edit_url(client: Client) -> str:
    return reverse("clients:edit", args=[client.pk])


def seen(page: Any) -> str:
    found = re.search(r'<input type="hidden" name="seen" value="([^"]*)"', page.content.decode())
    assert found, "the edit form carries the version it was opened on"
    return found.group(1)


def details(client: Client, **changes: object) -> dict[str, Any]:
    """The edit form's data as a browser posts it: the stored details with `changes`."""
    data = {**ClientForm(instance=client).initial, **changes}
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else ("" if value is None else value)
        for name, value in data.items()
    }


def posting(page: WebClient, url: str, data: dict[str, Any]) -> Any:
    return lambda: page.post(url, data)


def typed_value(response: Any, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', response.content.decode())
    assert found, name
    return html.unescape(found.group(1))


def test_a_stale_save_is_refused_names_who_and_what_keeps_the_typed_text_and_saving_again_works(net):
    client = net.trajectory().client
    coach, coordinator = client_of(net.coach), client_of(net.coordinator)
    url = edit_url(client)
    opened = seen(coach.get(url))
    assert opened == seen(coordinator.get(url)), "both opened the same version"

    first = coordinator.post(
        url, {**details(client, phone="0470 11 22 33"), "seen": seen(coordinator.get(url))}
    )
    assert first.status_code == 302
    saved = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=client.pk).latest("pk")

    refused = coach.post(url, {**details(client, address="Kerkstraat 5, Gent"), "seen": opened})
    assert refused.status_code == 200
    content = html.unescape(refused.content.decode())
    name = net.coordinator.get_full_name() or str(net.coordinator)
    assert f"{name} {REFUSED} {moment(saved.at)}" in content
    assert "Phone: 0470 11 22 33" in content, "the message shows what the other person saved"
    assert typed_value(refused, "address") == "Kerkstraat 5, Gent", "what the user typed is kept"
    client.refresh_from_db()
    assert (client.phone, client.address) == (
        "0470 11 22 33",
        details(Client.objects.get(pk=client.pk))["address"],
    )
    assert client.address != "Kerkstraat 5, Gent", "nothing was written"

    again = coach.post(url, {**details(client, address="Kerkstraat 5, Gent"), "seen": seen(refused)})
    assert again.status_code == 302
    client.refresh_from_db()
    assert (client.phone, client.address) == ("0470 11 22 33", "Kerkstraat 5, Gent"), "both changes kept"


def test_a_save_on_the_version_it_opened_saves_and_one_without_seen_saves_as_before(net):
    client = net.trajectory().client
    coach = client_of(net.coach)
    url = edit_url(client)
    response = coach.post(url, {**details(client, phone="09 123 45 67"), "seen": seen(coach.get(url))})
    assert response.status_code == 302
    assert Client.objects.get(pk=client.pk).phone == "09 123 45 67"
    response = coach.post(url, details(Client.objects.get(pk=client.pk), phone="09 765 43 21"))
    assert response.status_code == 302
    assert Client.objects.get(pk=client.pk).phone == "09 765 43 21"


def test_an_outsider_gets_404_on_the_edit_page_whatever_the_version(net):
    client = net.trajectory().client
    outsider = client_of(net.outsider)
    url = edit_url(client)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {**details(client, phone="1"), "seen": "x"}).status_code == 404
    assert Client.objects.get(pk=client.pk).phone != "1"


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_details_at_once_give_one_save_and_a_refusal(tnet: Network):
    for _ in range(ROUNDS):
        client = tnet.trajectory().client
        pages: dict[str, WebClient] = {
            "coach": client_of(tnet.coach),
            "coordinator": client_of(tnet.coordinator),
        }
        url = edit_url(client)
        opened = {who: seen(page.get(url)) for who, page in pages.items()}
        phones = {"coach": "0470 00 00 01", "coordinator": "0470 00 00 02"}
        responses = race(
            *(
                posting(pages[who], url, {**details(client, phone=phones[who]), "seen": opened[who]})
                for who in ("coach", "coordinator")
            )
        )
        done, refused = one_done_one_refused(responses)
        winner, loser = ("coach", "coordinator") if responses[0] is done else ("coordinator", "coach")
        assert REFUSED in html.unescape(refused.content.decode())
        assert Client.objects.get(pk=client.pk).phone == phones[winner]
        assert typed_value(refused, "phone") == phones[loser]
        updates = AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type="client", object_id=client.pk
        )
        assert updates.count() == 1, "exactly one save"
