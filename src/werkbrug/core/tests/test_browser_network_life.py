"""The network-life pages on a phone (390 x 844, Chromium): a team's recurring rule, the care partner
on call, the satisfaction survey and its anonymous link fit the screen and axe-core finds no serious
violation; a member answers the survey through their link by tapping a score."""

from __future__ import annotations

import json

import pytest

from werkbrug.core.tests.role_pages import network_life_pages
from werkbrug.core.tests.test_browser_axe import serious_violations
from werkbrug.satisfaction.models import Answer, Invitation, Response
from werkbrug.teams import actions as team_actions
from werkbrug.teams.models import TeamKind
from werkbrug.testing import actor_for, click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
PHONE = {"width": WIDTH, "height": 844}


def test_the_network_life_pages_fit_a_phone_and_a_member_answers_by_tapping(tnet, browse):
    admin = actor_for(tnet.admin)
    team = team_actions.create_team(
        admin, name="ZoWeZo Telefoon", kind=TeamKind.CASE_TEAM, organisation=tnet.sara
    )
    team_actions.add_member(admin, team, user=tnet.coach)
    trajectory = tnet.trajectory()
    coach_pages, admin_pages = network_life_pages(tnet, team.pk, trajectory.pk)
    too_wide, violations = [], []
    for user, paths in ((tnet.admin, admin_pages), (tnet.coach, coach_pages)):
        page = browse(user, viewport=PHONE, bypass_csp=True)  # to inject axe-core
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide.append(f"{path}: {width}px")
            violations += [f"{path}: {json.dumps(v)}" for v in serious_violations(page)]
    assert not too_wide, too_wide
    assert not violations, "\n".join(violations)
    # The coach answers through their link.
    link = next(path for path in coach_pages if path.startswith("/satisfaction/answer/"))
    page.goto(link)
    page.locator("input[type=radio][value='4']").first.check()
    page.locator("textarea").first.fill("Meer overleg met de zorg.")
    click_through(page, page.locator("main form button[type=submit]"))
    assert "/satisfaction/thanks/" in page.url
    assert Response.objects.count() == 1
    assert sorted(Answer.objects.values_list("score", flat=True), key=lambda s: s or 0) == [None, 4]
    assert Invitation.objects.filter(used=True).count() == 1
    page.goto(link)
    assert page.locator("input[type=radio]").count() == 0, "a used link shows no form"
