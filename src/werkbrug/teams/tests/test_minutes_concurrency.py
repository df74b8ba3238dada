"""Two members writing the minutes of one item at once (docs/conventions.md, "Two people at once"):
the item page carries the version of the minutes it was opened on; a save over minutes someone saved
since is refused with who, when and their text, keeps what was typed and writes nothing."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from werkbrug.core.concurrency import moment
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.teams.models import AgendaItem
from werkbrug.teams.tests.test_teams_support import World, build_world
from werkbrug.testing import client_of, one_done_one_refused, race

ROUNDS = 3
REFUSED = "saved the minutes or the decision at"


def an_item(world: World) -> AgendaItem:
    """An item of a new meeting, about a new client's case (one open case per client and team)."""
    case = world.register(world.new_client())
    return world.item(world.meeting(), case)


def url(item: AgendaItem) -> str:
    return reverse("teams:item_minutes", args=[item.pk])


def seen(page: Any) -> str:
    content = page.content.decode()
    form = re.search(r'<form method="post" action="[^"]*/minutes/".*?</form>', content, re.DOTALL)
    assert form, "the minutes form"
    found = re.search(r'name="seen" value="([^"]*)"', form.group(0))
    assert found, "the minutes form carries the version it was opened on"
    return found.group(1)


def posting(page: Any, to: str, data: dict[str, Any]) -> Any:
    return lambda: page.post(to, data)


def typed(response: Any) -> str:
    found = re.search(r'<textarea name="minutes"[^>]*>(.*?)</textarea>', response.content.decode(), re.DOTALL)
    assert found
    return html.unescape(found.group(1)).strip()


def test_a_stale_save_of_the_minutes_is_refused_with_their_text_and_keeps_what_was_typed(world):
    item = an_item(world)
    coach, screener = client_of(world.net.coach), client_of(world.net.screener)
    opened = seen(coach.get(url(item)))
    assert (
        screener.post(
            url(item), {"minutes": "GTB neemt contact op.", "seen": seen(screener.get(url(item)))}
        ).status_code
        == 302
    )
    saved = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="agendaitem", object_id=item.pk
    ).latest("pk")

    refused = coach.post(url(item), {"minutes": "Afgesproken: SaRA leidt.", "seen": opened})
    assert refused.status_code == 400  # the teams pages answer a refused form with 400
    content = html.unescape(refused.content.decode())
    name = world.net.screener.get_full_name() or str(world.net.screener)
    assert f"{name} {REFUSED} {moment(saved.at)}" in content
    assert "“GTB neemt contact op.”" in content, "their text is shown"
    assert typed(refused) == "Afgesproken: SaRA leidt.", "what the user typed is kept"
    item.refresh_from_db()
    assert item.minutes == "GTB neemt contact op.", "nothing was written"

    merged = "GTB neemt contact op. Afgesproken: SaRA leidt."
    assert coach.post(url(item), {"minutes": merged, "seen": seen(refused)}).status_code == 302
    item.refresh_from_db()
    assert item.minutes == merged


def test_a_guest_or_an_outsider_still_gets_404_when_posting_minutes(world):
    item = an_item(world)
    for user in (world.net.gtb_coach, world.net.outsider):
        assert client_of(user).post(url(item), {"minutes": "x", "seen": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.minutes == ""


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_minutes_at_once_give_one_save_and_a_refusal(tnet):
    world = build_world(tnet)
    for _ in range(ROUNDS):
        item = an_item(world)
        pages = {"coach": client_of(tnet.coach), "screener": client_of(tnet.screener)}
        opened = {who: seen(page.get(url(item))) for who, page in pages.items()}
        texts = {"coach": "Tekst van de coach.", "screener": "Tekst van de screener."}
        responses = race(
            *(
                posting(pages[who], url(item), {"minutes": texts[who], "seen": opened[who]})
                for who in ("coach", "screener")
            )
        )
        done, refused = one_done_one_refused(responses)
        winner, loser = ("coach", "screener") if responses[0] is done else ("screener", "coach")
        item.refresh_from_db()
        assert item.minutes == texts[winner]
        assert REFUSED in html.unescape(refused.content.decode())
        assert typed(refused) == texts[loser]
        updates = AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type="agendaitem", object_id=item.pk
        )
        assert updates.count() == 1
