"""The case-team path in a real browser (Debian's Chromium), as the issue describes it:
a partner registers a case → it appears on the next meeting's agenda → a guest invited for that item
sees that item only → the team decides "GTB leads" → the handover is proposed to GTB → an action
item appears in its owner's list, and turns overdue after its date."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone, translation

from werkbrug.network.models import Role
from werkbrug.teams.models import ActionItem, AgendaItem, Case, Meeting, Team, TeamKind, TeamMember
from werkbrug.testing import click_through, make_user
from werkbrug.trajectories.models import Handover, HandoverStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dutch_label(case: Case) -> str:
    """The anonymous label as the browser (nl-BE) shows it."""
    with translation.override("nl-be"):
        return case.anonymous_label


def submit(page) -> None:
    click_through(page, page.locator("main form[method=post] button[type=submit]").last)


def test_case_team_from_registration_to_an_overdue_action(net, browse):
    team = Team.objects.create(name="ZoWeZo Antwerpen", kind=TeamKind.CASE_TEAM, organisation=net.sara)
    for user, organisation in ((net.coach, net.sara), (net.care, net.hospital), (net.gtb_coach, net.gtb)):
        TeamMember.objects.create(team=team, user=user, organisation=organisation)
    # PZ, the referrer, follows the outcome: it sees the trajectories (docs/privacy.md).
    trajectory = net.trajectory(net.new_client(first_name="Ilse", last_name="Claessens"), follow_outcome=True)
    other = net.trajectory(net.new_client(first_name="Bart", last_name="Wouters"), follow_outcome=True)
    guest = make_user("gob_jobcoach", net.gtb, Role.COACH)

    # The coach plans next month's meeting.
    coach = browse(net.coach)
    coach.goto(f"/teams/{team.pk}/meetings/new/")
    start = timezone.localtime() + datetime.timedelta(days=14)
    coach.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT14:00"))
    coach.fill("input[name=place]", "SaRA, zaal 2")
    submit(coach)
    meeting = Meeting.objects.get(team=team)

    # 1. A partner (the referring care professional) registers two cases; both land on that agenda.
    care = browse(net.care)
    for t, question in ((trajectory, "Wie neemt het traject op?"), (other, "Terugval: hoe verder?")):
        care.goto(f"/teams/{team.pk}/cases/new/?client={t.client_id}")
        care.select_option("select[name=reason]", "unclear_lead")
        care.fill("textarea[name=question]", question)
        care.select_option("select[name=trajectory]", str(t.pk))
        submit(care)
    case = Case.objects.get(trajectory=trajectory)
    item = AgendaItem.objects.get(meeting=meeting, case=case)
    other_item = AgendaItem.objects.get(meeting=meeting, case__trajectory=other)
    coach.goto(f"/teams/meetings/{meeting.pk}/")
    assert coach.locator(f"#item-{item.pk}").count() == 1
    assert coach.locator(f"#item-{other_item.pk}").count() == 1
    # No consent to discussion in the team: the case is anonymous on the agenda.
    agenda = coach.inner_text("#agenda")
    assert "Claessens" not in agenda
    assert dutch_label(case) in agenda

    # 2. A guest is invited for that one item and sees that item only.
    coach.goto(f"/teams/items/{item.pk}/guests/new/")
    coach.fill("input[name=user__q]", guest.last_name or guest.username)
    coach.locator("[data-chooser-pick]", has_text=str(guest)).first.click()
    assert coach.locator("input[name=user]").input_value() == str(guest.pk)
    submit(coach)
    visitor = browse(guest)
    visitor.goto(f"/teams/meetings/{meeting.pk}/")
    assert visitor.locator(f"#item-{item.pk}").count() == 1
    assert visitor.locator(f"#item-{other_item.pk}").count() == 0
    assert dutch_label(other_item.case) not in visitor.inner_text("main")
    assert visitor.goto(f"/teams/items/{other_item.pk}/minutes/").status == 404

    # 3. The team decides that GTB leads; the lead coach starts the handover in the same click.
    coach.goto(f"/teams/items/{item.pk}/decision/")
    coach.fill("input[name=lead_organisation__q]", "GTB")
    coach.locator("[data-chooser-pick]", has_text=net.gtb.name).click()
    coach.fill("textarea[name=next_steps]", "GTB neemt over; de coach zorgt voor een warme overdracht.")
    coach.check("input[name=start]")
    submit(coach)
    handover = Handover.objects.get(trajectory=trajectory)
    assert (handover.to_organisation, handover.status) == (net.gtb, HandoverStatus.PROPOSED)
    gtb = browse(net.gtb_coach)
    gtb.goto("/trajectories/handovers/")
    assert gtb.locator(f"form[action$='/handovers/{handover.pk}/accept/']").count() == 1

    # 4. An action item with an owner and a due date appears in the owner's list...
    due = timezone.localdate() + datetime.timedelta(days=1)
    coach.goto(f"/teams/items/{item.pk}/actions/new/")
    coach.fill("input[name=description]", "Kennismaking met de GTB-trajectbegeleider plannen")
    coach.select_option("select[name=owner]", str(net.gtb_coach.pk))
    coach.fill("input[name=due_on]", due.isoformat())
    submit(coach)
    action = ActionItem.objects.get(case=case)
    gtb.goto("/team-follow-up/actions/")
    row = f"tr#action-{action.pk}"
    assert gtb.get_attribute(row, "data-overdue") == "false"
    assert re.search("Kennismaking", gtb.inner_text(row))

    # ...and turns overdue after its date.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=True):
        later = browse(net.gtb_coach)
        later.goto("/team-follow-up/actions/")
        assert later.get_attribute(row, "data-overdue") == "true"
