"""The last step of the case-team flow, in a real browser (Debian's Chromium): an action item agreed
in the meeting appears in its owner's list under "My actions", turns overdue after its date, and the
owner marks it done. The GTB coach, a member who does not own it, never sees it in their list."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from werkbrug.teams.tests.followup_data import action, item, meeting, register_case, zowezo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MY_ACTIONS = "/team-follow-up/actions/"


def test_an_action_appears_in_its_owners_list_and_turns_overdue_after_its_date(net, browse):
    team = zowezo(net)
    case = register_case(net, team)
    due = timezone.localdate() + datetime.timedelta(days=1)
    a = action(
        net, team, net.coach, due, agenda_item=item(meeting(net, team), case), description="Werkpost bezoeken"
    )
    row = f"tr#action-{a.pk}"

    coach = browse(net.coach)
    coach.goto("/")
    coach.click(f"nav a[href='{MY_ACTIONS}']")
    coach.wait_for_url(f"**{MY_ACTIONS}")
    assert coach.get_attribute(row, "data-overdue") == "false"
    assert "Werkpost bezoeken" in coach.inner_text(row)
    with translation.override("nl-be"):  # the browser asks for Dutch
        assert case.anonymous_label in coach.inner_text(row)
    other = browse(net.gtb_coach)
    other.goto(MY_ACTIONS)
    assert other.locator(row).count() == 0

    # Two days later the date has passed: the action is overdue (a new day, a new login).
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=True):
        later = browse(net.coach)
        later.goto(MY_ACTIONS)
        assert later.get_attribute(row, "data-overdue") == "true"
        assert later.locator(f"{row} .badge-alert").count() == 1
        later.click(f"{row} form[action='/team-follow-up/actions/{a.pk}/done/'] button[type=submit]")
        later.wait_for_url(f"**{MY_ACTIONS}")
        assert later.locator(row).count() == 0
    a.refresh_from_db()
    assert a.done_on == due + datetime.timedelta(days=1)
