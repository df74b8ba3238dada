"""Two people editing one profile section at once (docs/conventions.md, "Two people at once"): the
edit page carries the version it was opened on; a save against a newer version is refused with a
message naming who saved it and when, the page shows their text and keeps what was typed, and
nothing is written. Saving again, now based on the newer version, saves."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from werkbrug.clients.actions import grant_consent
from werkbrug.core.concurrency import moment
from werkbrug.core.exceptions import DomainError
from werkbrug.exchange import actions
from werkbrug.exchange.models import SectionVersion
from werkbrug.testing import SIGNED, Network, actor_for, client_of, one_done_one_refused, race

ROUNDS = 3
REFUSED = "saved a newer version of this section at"
SECTION = "skills"


def person(net: Network, first_text: str | None = "Eerste versie door de zorg") -> Any:
    """A client guided by SaRA who shares the section with it; with a first version unless None."""
    client = net.trajectory().client
    grant_consent(
        actor_for(net.care),
        client,
        purpose="profile",
        recipient=net.sara,
        categories=[SECTION],
        evidence=SIGNED,
    )
    if first_text is not None:
        actions.save_section(actor_for(net.care), client, SECTION, first_text)
    return client


def edit_url(client: Any) -> str:
    return reverse("exchange:profile_edit", args=[client.pk, SECTION])


def based_on(page: Any) -> str:
    """The version the page was opened on, as a browser posts it (empty when it had none)."""
    found = re.search(r'<input type="hidden" name="based_on"(?: value="([^"]*)")?', page.content.decode())
    assert found, "the edit form carries the version it was opened on"
    return found.group(1) or ""


def versions(client: Any) -> list[str]:
    return list(
        SectionVersion.objects.filter(client=client, section=SECTION)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def outcome(responses: list[Any]) -> tuple[Any, Any]:
    """The save that went through (a redirect) and the one refused (the form again, with a message)."""
    done, refused = one_done_one_refused(responses)
    assert refused.status_code == 200
    return done, refused


def assert_refused(response: Any, theirs: str, typed: str) -> None:
    content = html.unescape(response.content.decode())
    assert REFUSED in content
    assert f"<blockquote>{theirs}</blockquote>" in content  # the other person's text, above the form
    kept = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', content, re.DOTALL)
    assert kept and kept.group(1).strip() == typed  # what the user typed, kept in the form


def race_two_saves(net: Network, client: Any, before: list[str]) -> None:
    care, coach = client_of(net.care), client_of(net.coach)
    url = edit_url(client)
    opened = {"care": based_on(care.get(url)), "coach": based_on(coach.get(url))}
    assert opened["care"] == opened["coach"]
    texts = {"care": "Plant goed volgens de zorg", "coach": "Plant goed volgens de coach"}
    pages = {"care": care, "coach": coach}
    responses = race(
        *(
            (lambda who=who: pages[who].post(url, {"text": texts[who], "based_on": opened[who]}))
            for who in ("care", "coach")
        )
    )
    done, refused = outcome(responses)
    winner, loser = ("care", "coach") if responses[0] is done else ("coach", "care")
    assert versions(client) == [*before, texts[winner]], "exactly one new version"
    assert_refused(refused, theirs=texts[winner], typed=texts[loser])
    newest = SectionVersion.objects.filter(client=client, section=SECTION).latest("pk")
    assert based_on(refused) == str(newest.pk), "the refused page now carries the newer version"
    again = pages[loser].post(url, {"text": texts[loser], "based_on": based_on(refused)})
    assert again.status_code == 302
    assert versions(client) == [*before, texts[winner], texts[loser]]


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_section_at_once_give_one_version_and_a_refusal(tnet):
    for _ in range(ROUNDS):
        client = person(tnet)
        race_two_saves(tnet, client, ["Eerste versie door de zorg"])


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_of_a_section_at_once_give_one_version_and_a_refusal(tnet):
    for _ in range(ROUNDS):
        client = person(tnet, first_text=None)
        race_two_saves(tnet, client, [])


def test_a_stale_save_is_refused_keeps_the_typed_text_and_saving_again_works(net):
    client = person(net)
    care, coach = client_of(net.care), client_of(net.coach)
    url = edit_url(client)
    opened = based_on(care.get(url))
    assert opened == str(SectionVersion.objects.get(client=client).pk)
    response = coach.post(url, {"text": "Werkt nauwkeurig", "based_on": based_on(coach.get(url))})
    assert response.status_code == 302
    refused = care.post(url, {"text": "Werkt snel\r\nen graag in team", "based_on": opened})
    assert refused.status_code == 200
    assert_refused(refused, theirs="Werkt nauwkeurig", typed="Werkt snel\r\nen graag in team")
    error = refused.context["form"].non_field_errors()[0]
    assert error.startswith(f"{net.coach.get_full_name() or net.coach} ({net.sara}) {REFUSED}")
    assert versions(client) == ["Eerste versie door de zorg", "Werkt nauwkeurig"], "nothing written"
    again = care.post(url, {"text": "Werkt snel\r\nen graag in team", "based_on": based_on(refused)})
    assert again.status_code == 302
    assert versions(client)[-1] == "Werkt snel\nen graag in team"


def test_the_refusal_names_who_saved_and_when(net):
    client = person(net)
    first = SectionVersion.objects.get(client=client)
    newer = actions.save_section(actor_for(net.coach), client, SECTION, "Nieuw", based_on=first.pk)
    with pytest.raises(DomainError) as refused:
        actions.save_section(actor_for(net.care), client, SECTION, "Ander", based_on=first.pk)
    name = net.coach.get_full_name() or str(net.coach)
    assert name in refused.value.message and str(net.sara) in refused.value.message
    assert f"at {moment(newer.created_at)}," in refused.value.message
    assert versions(client) == ["Eerste versie door de zorg", "Nieuw"]
    assert (
        actions.save_section(actor_for(net.care), client, SECTION, "Ander", based_on=newer.pk).text == "Ander"
    )


def test_a_first_save_based_on_no_version_is_refused_once_there_is_one(net):
    client = person(net, first_text=None)
    actions.save_section(actor_for(net.coach), client, SECTION, "Eerst", based_on=None)
    with pytest.raises(DomainError):
        actions.save_section(actor_for(net.care), client, SECTION, "Ook eerst", based_on=None)
    assert versions(client) == ["Eerst"]


def test_a_save_without_based_on_saves_as_before(net):
    """An older page (or a caller that names no version) saves on whatever is current."""
    client = person(net)
    actions.save_section(actor_for(net.coach), client, SECTION, "Nieuwer")
    response = client_of(net.care).post(edit_url(client), {"text": "Zonder versie"})
    assert response.status_code == 302
    assert versions(client) == ["Eerste versie door de zorg", "Nieuwer", "Zonder versie"]


def test_a_stale_save_of_the_same_text_as_the_newer_version_writes_nothing_and_is_not_refused(net):
    client = person(net)
    first = SectionVersion.objects.get(client=client)
    newer = actions.save_section(actor_for(net.coach), client, SECTION, "Zelfde tekst")
    assert (
        actions.save_section(actor_for(net.care), client, SECTION, "Zelfde tekst", based_on=first.pk) == newer
    )
    assert versions(client) == ["Eerste versie door de zorg", "Zelfde tekst"]


def test_a_based_on_that_is_no_version_id_is_refused(net):
    client = person(net)
    response = client_of(net.care).post(edit_url(client), {"text": "Iets", "based_on": "abc"})
    assert response.status_code == 200
    assert "Someone else changed this in the meantime" in response.content.decode()
    assert versions(client) == ["Eerste versie door de zorg"]
