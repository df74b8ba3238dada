"""Issue 13 point 3: one form per agenda item. Minutes, decision, a guest and a new action are saved
together; a refused part writes nothing and keeps everything typed; a save over a newer decision is
refused; the page warns before unsaved text is lost (data-unsaved-warning, app.js)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Role
from werkbrug.teams import decision_actions
from werkbrug.teams.models import ActionItem, AgendaItem, ItemGuest
from werkbrug.teams.tests.test_teams_support import World, build_world
from werkbrug.testing import actor_for, click_through, make_user

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def an_item(world: World) -> AgendaItem:
    return world.item(world.meeting(), world.register(world.new_client()))


def url(item: AgendaItem) -> str:
    return reverse("teams:item_minutes", args=[item.pk])


def seen(page) -> str:
    found = re.search(
        r'<form [^>]*id="item-form"[^>]*>.*?name="seen" value="([^"]*)"', page.content.decode(), re.S
    )
    assert found, "the item form carries the version it was opened on"
    return found.group(1)


def typed(response, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert found, name
    return html.unescape(found.group(1)).strip()


def test_the_item_page_has_one_form_for_minutes_decision_guest_and_action(world, login):
    item = an_item(world)
    content = login(world.net.coach).get(url(item)).content.decode()
    forms = re.findall(r"<form [^>]*>", content)
    editing = [f for f in forms if "hidden" not in f.split()[-1] and 'id="item-form"' in f]
    assert len(editing) == 1 and "data-unsaved-warning" in editing[0]
    body = content[
        content.index('id="item-form"') : content.index("</form>", content.index('id="item-form"'))
    ]
    for name in ("minutes", "lead_organisation", "next_steps", "user", "description", "owner", "due_on"):
        assert f'name="{name}"' in body, name
    # No other form of the page takes text: the rest are buttons (log out, language, done, withdraw).
    assert content.count("<textarea") == body.count("<textarea")


def test_minutes_and_decision_saved_together_are_both_stored(world, login):
    item = an_item(world)
    web = login(world.net.coach)
    response = web.post(
        url(item),
        {
            "seen": seen(web.get(url(item))),
            "minutes": "Besproken: stabiel, wil naar regulier werk.",
            "lead_organisation": world.net.gtb.pk,
            "next_steps": "GTB plant een kennismaking.",
            "evidence": "verbal",
        },
    )
    assert response.status_code == 302 and response.url == url(item)
    item.refresh_from_db()
    assert item.minutes == "Besproken: stabiel, wil naar regulier werk."
    assert (item.lead_organisation, item.next_steps, item.decided_by) == (
        world.net.gtb,
        "GTB plant een kennismaking.",
        world.net.coach,
    )


def test_a_guest_and_an_action_for_that_guest_are_saved_with_the_minutes(world, login):
    item = an_item(world)
    guest = make_user("gobcoach", world.net.gtb, Role.COACH)
    web = login(world.net.coach)
    response = web.post(
        url(item),
        {
            "seen": seen(web.get(url(item))),
            "minutes": "Gast uitgenodigd.",
            "user": guest.pk,
            "description": "Kennismaking plannen",
            "owner": guest.pk,
            "due_on": TOMORROW.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.minutes == "Gast uitgenodigd."
    assert ItemGuest.objects.filter(item=item, user=guest).exists()
    action = ActionItem.objects.get(item=item)
    assert (action.owner, action.due_on, action.description) == (guest, TOMORROW, "Kennismaking plannen")
    assert item.decided_at is None  # the untouched decision part is left alone


def test_a_refused_part_writes_nothing_and_keeps_all_that_was_typed(world, login):
    item = an_item(world)
    web = login(world.net.coach)
    before = AuditEvent.objects.filter(action__in=[AuditAction.UPDATE, AuditAction.CREATE]).count()
    response = web.post(
        url(item),
        {
            "seen": seen(web.get(url(item))),
            "minutes": "Lange bespreking, veel afgesproken.",
            "next_steps": "Iemand moet leiden.",  # but no service chosen
            "description": "Verslag rondsturen",  # no owner, no date
        },
    )
    assert response.status_code == 400
    assert "lead_organisation" in response.context["form"].errors
    assert typed(response, "minutes") == "Lange bespreking, veel afgesproken."
    assert typed(response, "next_steps") == "Iemand moet leiden."
    item.refresh_from_db()
    assert (item.minutes, item.next_steps, item.decided_at) == ("", "", None)
    assert not ActionItem.objects.filter(item=item).exists()
    assert AuditEvent.objects.filter(action__in=[AuditAction.UPDATE, AuditAction.CREATE]).count() == before


def test_saving_unchanged_text_rewrites_nothing(world, login):
    item = an_item(world)
    web = login(world.net.coach)
    web.post(
        url(item),
        {"seen": seen(web.get(url(item))), "minutes": "Tekst.", "lead_organisation": world.net.gtb.pk},
    )
    item.refresh_from_db()
    decided = item.decided_at
    updates = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="agendaitem", object_id=item.pk
    )
    count = updates.count()
    page = web.get(url(item))
    response = web.post(
        url(item),
        {"seen": seen(page), "minutes": "Tekst.", "lead_organisation": world.net.gtb.pk, "next_steps": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decided_at == decided and updates.count() == count


def test_a_save_over_a_decision_taken_since_is_refused_and_keeps_the_minutes(world, login):
    item = an_item(world)
    web = login(world.net.coach)
    opened = seen(web.get(url(item)))
    decision_actions.decide_case(
        actor_for(world.net.screener), item, lead_organisation=world.net.sara, next_steps="SaRA blijft."
    )
    response = web.post(
        url(item),
        {
            "seen": opened,
            "minutes": "Mijn verslag.",
            "lead_organisation": world.net.gtb.pk,
            "next_steps": "GTB.",
        },
    )
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "saved the minutes or the decision at" in content
    assert f"{world.net.sara} leads" in content
    assert typed(response, "minutes") == "Mijn verslag."
    item.refresh_from_db()
    assert (item.minutes, item.lead_organisation, item.next_steps) == ("", world.net.sara, "SaRA blijft.")


def test_a_guest_or_an_outsider_gets_404_posting_the_item_form(world, login):
    item = an_item(world)
    guest = make_user("gobcoach", world.net.gtb, Role.COACH)
    web = login(world.net.coach)
    web.post(url(item), {"seen": seen(web.get(url(item))), "user": guest.pk})
    assert ItemGuest.objects.filter(item=item, user=guest).exists()
    for user in (guest, world.net.gtb_coach, world.net.outsider):
        response = login(user).post(
            url(item), {"minutes": "x", "lead_organisation": world.net.gtb.pk, "description": "y"}
        )
        assert response.status_code == 404, user.username
    item.refresh_from_db()
    assert (item.minutes, item.decided_at) == ("", None)
    assert not ActionItem.objects.filter(item=item).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_minutes_typed_then_a_decision_saved_leaves_both_stored(tnet, browse):
    world = build_world(tnet)
    item = an_item(world)
    page = browse(tnet.coach)
    page.goto(url(item))
    page.fill("#item-form textarea[name=minutes]", "Verslag: de cliënt wil naar regulier werk.")
    # Leaving with typed text asks first (beforeunload); staying keeps the text.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("nav.breadcrumb a").last.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(url(item))
    page.remove_listener("dialog", stay)
    # Then the decision, and one save.
    page.fill("#item-form input[name=lead_organisation__q]", "GTB")
    page.locator("#item-form [data-chooser-pick]", has_text=tnet.gtb.name).click()
    page.fill("#item-form textarea[name=next_steps]", "GTB plant een kennismaking.")
    click_through(page, "#item-form > button[type=submit]")
    assert page.url.endswith(url(item))
    item.refresh_from_db()
    assert item.minutes == "Verslag: de cliënt wil naar regulier werk."
    assert (item.lead_organisation_id, item.next_steps) == (tnet.gtb.pk, "GTB plant een kennismaking.")
    # After the save nothing is unsaved: leaving asks nothing.
    page.on("dialog", stay)
    click_through(page, page.locator("nav.breadcrumb a").last)
    assert dialogs == ["beforeunload"]
