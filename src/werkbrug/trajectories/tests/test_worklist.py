"""Issue 13 point 2: incoming handovers and referrals waiting for action on the start page and as
counters in the menu; a counter counts exactly the rows of the list it leads to."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.network.models import Role
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import actor_for, click_through, make_user, propose_to_gtb
from werkbrug.trajectories import actions
from werkbrug.trajectories.worklist import MenuCounts, menu_counts


def badge(html: str, name: str) -> int:
    """The number on the menu's badge `name` (0 when the menu shows none)."""
    nav = html[: html.index("</nav>")] if "</nav>" in html else html
    found = re.search(rf'data-count="{name}"[^>]*>(\d+)<', nav)
    return int(found.group(1)) if found else 0


def handover_rows(web) -> int:
    """The handovers the handover inbox lists as waiting for an answer."""
    return len(web.get(reverse("trajectories:handovers")).context["rows"])


def test_the_receiving_coach_sees_pending_handovers_on_the_start_page_and_in_the_menu(net, login):
    first = propose_to_gtb(net, net.trajectory(net.new_client(last_name="Aerts")))
    second = propose_to_gtb(net, net.trajectory(net.new_client(last_name="Boons")))
    web = login(net.gtb_coach)
    start = web.get(reverse("core:home"), follow=True)
    assert start.redirect_chain[-1][0] == reverse("trajectories:caseload")
    html = start.content.decode()
    assert [h.pk for h in start.context["incoming_handovers"]] == [first.pk, second.pk]
    assert start.context["incoming_count"] == 2
    for handover in (first, second):
        row = re.search(rf'<tr data-handover="{handover.pk}">(.*?)</tr>', html, re.S)
        assert row is not None
        assert handover.trajectory.client.last_name in row.group(1)
        assert net.sara.name in row.group(1)
        assert timezone.localtime(handover.proposed_at).strftime("%d/%m/%Y") in row.group(1)
        assert f"{reverse('trajectories:handovers')}#handover-{handover.pk}" in row.group(1)
    # The section is at the top: before the caseload itself.
    assert html.index('id="waiting-handovers"') < html.index('id="trajectories"')
    assert badge(html, "handovers") == 2 == handover_rows(web)


def test_an_answered_handover_leaves_the_start_page_and_the_counter(net, login):
    handover = propose_to_gtb(net, net.trajectory())
    web = login(net.gtb_coach)
    assert badge(web.get(reverse("trajectories:caseload")).content.decode(), "handovers") == 1
    actions.decline_handover(actor_for(net.gtb_coach), handover, reason="Geen plaats.")
    page = web.get(reverse("trajectories:caseload"))
    assert page.context["incoming_count"] == 0
    assert 'id="waiting-handovers"' not in page.content.decode()
    assert badge(page.content.decode(), "handovers") == 0 == handover_rows(web)


def test_other_organisations_see_no_count_of_a_handover_not_theirs(net, login):
    propose_to_gtb(net, net.trajectory())
    cgg_coach = make_user("cggcoach", net.other_care, Role.COACH)
    for user in (net.coach, net.coordinator, cgg_coach):  # the proposer's organisation and an outsider
        web = login(user)
        html = web.get(reverse("trajectories:handovers")).content.decode()
        assert badge(html, "handovers") == 0 == handover_rows(web), user.username
        assert MenuCounts(actor_for(user)).handovers == 0


def test_the_counter_follows_the_access_rules_of_the_list(net, login):
    handover = propose_to_gtb(net, net.trajectory())
    consent = Consent.objects.active().get(
        client=handover.trajectory.client, recipient=net.gtb, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.coach), consent)
    web = login(net.gtb_coach)
    html = web.get(reverse("trajectories:caseload")).content.decode()
    assert badge(html, "handovers") == 0 == handover_rows(web)
    assert 'id="waiting-handovers"' not in html


def test_the_receiving_coordinator_sees_handovers_and_referrals_to_triage(net, login):
    coordinator = make_user("gtbcoord", net.gtb, Role.COORDINATOR)
    handover = propose_to_gtb(net, net.trajectory())
    referral = net.refer(net.new_client(last_name="Claes"), line=net.gtb_line)
    net.refer(net.new_client(last_name="Dierckx"))  # SaRA's line: not GTB's to triage
    web = login(coordinator)
    start = web.get(reverse("core:home"), follow=True)
    assert start.redirect_chain[-1][0] == reverse("trajectories:capacity")
    html = start.content.decode()
    assert [h.pk for h in start.context["incoming_handovers"]] == [handover.pk]
    assert [r.pk for r in start.context["triage"]] == [referral.pk]
    assert "Claes" in html and "Dierckx" not in html
    inbox = web.get(reverse("referrals:inbox"))
    assert badge(html, "referrals") == 1 == len(inbox.context["rows"])
    assert badge(html, "handovers") == 1 == handover_rows(web)


def test_the_coach_counts_the_referrals_assigned_to_them(net, login):
    mine = net.refer(net.new_client(last_name="Aerts"))
    referral_actions.assign_referral(actor_for(net.screener), mine, coach=net.coach)
    colleague = make_user("coach2", net.sara, Role.COACH)
    other = net.refer(net.new_client(last_name="Boons"))
    referral_actions.assign_referral(actor_for(net.screener), other, coach=colleague)
    web = login(net.coach)
    page = web.get(reverse("trajectories:caseload"))
    html = page.content.decode()
    assert [r.pk for r in page.context["referrals"]] == [mine.pk]
    assert badge(html, "referrals") == 1 == html.count("<tr data-referral=")
    # The colleague and the screener of the line count their own.
    assert MenuCounts(actor_for(colleague)).referrals == 1
    assert MenuCounts(actor_for(net.screener)).referrals == 0  # both are assigned: none to triage
    cgg_coach = make_user("cggcoach", net.other_care, Role.COACH)
    assert badge(login(cgg_coach).get(reverse("trajectories:caseload")).content.decode(), "referrals") == 0


def test_the_screener_counts_the_triage_inbox(net, login):
    net.refer(net.new_client())
    net.refer(net.new_client(), line=net.gtb_line)
    web = login(net.screener)
    html = web.get(reverse("referrals:inbox")).content.decode()
    assert badge(html, "referrals") == 1 == len(web.get(reverse("referrals:inbox")).context["rows"])
    assert MenuCounts(actor_for(net.gtb_screener)).referrals == 1
    assert MenuCounts(actor_for(net.outsider)).referrals == 0


def test_both_counters_cost_one_query_and_none_unless_read(net, django_assert_num_queries):
    propose_to_gtb(net, net.trajectory())
    actor = actor_for(net.gtb_coach)
    assert actor.organisation == net.gtb  # the membership is loaded with the actor, not by the counters
    counts = MenuCounts(actor)
    with django_assert_num_queries(1):
        assert (counts.handovers, counts.referrals) == (1, 0)
    request = RequestFactory().get("/")
    request.user = net.outsider
    with django_assert_num_queries(0):
        assert menu_counts(request) == {}  # no membership getter: not a page of the app


def test_the_counters_statement_is_built_once_a_day_and_counts_what_is_there_now(net, monkeypatch):
    """The access-checked querysets are built once per membership and day; each page runs the kept
    statement again, so a handover proposed since is counted, and a withdrawn consent uncounts it."""
    from werkbrug.trajectories import worklist

    built = []
    real = worklist._counters
    monkeypatch.setattr(worklist, "_counters", lambda *args: built.append(args) or real(*args))
    actor = actor_for(net.gtb_coach)
    assert MenuCounts(actor).handovers == 0
    trajectory = net.trajectory()
    propose_to_gtb(net, trajectory)
    assert MenuCounts(actor_for(net.gtb_coach)).handovers == 1
    assert len(built) == 1
    consent = Consent.objects.active().get(
        client=trajectory.client, recipient=net.gtb, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.coach), consent)
    assert MenuCounts(actor_for(net.gtb_coach)).handovers == 0
    assert len(built) == 1
    # Another membership is another statement.
    MenuCounts(actor_for(net.coach)).handovers  # noqa: B018 - reading the counter runs it
    assert len(built) == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_the_receiving_coach_sees_a_pending_handover_and_its_count(browse):
    from werkbrug.testing import build_network

    net = build_network()
    handover = propose_to_gtb(net, net.trajectory(net.new_client(last_name="Vermeulen")))
    page = browse(net.gtb_coach)  # logging in lands on the start page
    assert page.url.endswith(reverse("trajectories:caseload"))
    row = page.locator(f"#waiting-handovers tr[data-handover='{handover.pk}']")
    assert "Vermeulen" in row.inner_text()
    assert net.sara.name in row.inner_text()
    menu_badge = page.locator(f"nav a[href='{reverse('trajectories:handovers')}'] [data-count=handovers]")
    assert menu_badge.inner_text().strip() == "1"
    click_through(page, row.locator("a"))
    assert page.locator(f"#handover-{handover.pk}").is_visible()
