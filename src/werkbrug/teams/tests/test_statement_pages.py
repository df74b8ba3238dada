"""Issue 14, round 2: the meeting page, the agenda item, the screener's inbox and waiting lists and
the handover inbox read their access-checked rows through statements built once per membership and
day (core.statements). They show what is there now (a consent withdrawn, an item, a guest, an
action, a referral added between two page views), build their statement once, and keep no rows."""

from __future__ import annotations

from django.urls import reverse

from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals import queries
from werkbrug.referrals import views as referral_views
from werkbrug.teams import access, meeting_actions, pages
from werkbrug.teams.tests.test_meetings import OTHER, add_action, has_label, invite
from werkbrug.testing import actor_for, propose_to_gtb


def counting(monkeypatch, module, name):
    built: list[int] = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: built.append(1) or real(*a, **k))
    return built


def test_the_meeting_page_builds_its_statements_once_and_shows_what_is_there_now(world, login, monkeypatch):
    other = world.net.new_client(**OTHER)
    case_a, case_b = world.register(), world.register(other, question="Second case.")
    consent = world.consent(other)
    meeting = world.meeting()
    item_a = world.item(meeting, case_a)
    meetings, items = (
        counting(monkeypatch, access, "visible_meetings"),
        counting(monkeypatch, pages, "_visible"),
    )
    web = login(world.net.care)
    url = reverse("teams:meeting", args=[meeting.pk])
    page = web.get(url).content.decode()
    assert "Bartholomeus Zwijsen" in page and has_label(page, case_a.anonymous_label)
    assert "Call the GP" not in page and str(world.net.gtb_coach) not in page
    built = (len(meetings), len(items))

    world.withdraw(consent)
    add_action(world, item_a)
    invite(world, item_a)
    page = web.get(url).content.decode()
    assert "Bartholomeus" not in page and has_label(page, case_b.anonymous_label)
    assert "Call the GP" in page and str(world.net.gtb_coach) in page
    assert (len(meetings), len(items)) == built == (1, 3)


def test_a_guests_statements_show_their_item_only_and_end_with_the_invitation(world, login):
    other = world.net.new_client(**OTHER)
    case_a, case_b = world.register(), world.register(other)
    world.consent(other)
    meeting = world.meeting()
    item_a, item_b = world.item(meeting, case_a), world.item(meeting, case_b)
    add_action(world, item_b, description="Ask the employer")
    guest = invite(world, item_a)
    url = reverse("teams:meeting", args=[meeting.pk])
    # A member's view first: its statements are not the guest's.
    assert "Ask the employer" in login(world.net.care).get(url).content.decode()
    web = login(world.net.gtb_coach)
    page = web.get(url).content.decode()
    assert has_label(page, case_a.anonymous_label) and not has_label(page, case_b.anonymous_label)
    assert "Ask the employer" not in page and "Bartholomeus" not in page
    assert web.get(reverse("teams:item_minutes", args=[item_a.pk])).status_code == 200
    assert web.get(reverse("teams:item_minutes", args=[item_b.pk])).status_code == 404
    meeting_actions.remove_guest(actor_for(world.net.coach), guest)
    assert web.get(url).status_code == 404
    assert web.get(reverse("teams:item_minutes", args=[item_a.pk])).status_code == 404
    assert login(world.net.outsider).get(url).status_code == 404


def test_the_item_page_and_its_open_actions_follow_the_database(world, login, monkeypatch):
    meeting = world.meeting()
    item = world.item(meeting, world.register())
    web = login(world.net.care)
    url = reverse("teams:item_minutes", args=[item.pk])
    assert "Call the GP" not in web.get(url).content.decode()
    add_action(world, item)
    assert "Call the GP" in web.get(url).content.decode()
    meeting_actions.refresh_agenda(actor_for(world.net.coach), meeting)
    open_item = meeting.items.get(case=None)
    page = web.get(reverse("teams:item_minutes", args=[open_item.pk])).content.decode()
    assert "Call the GP" in page
    assert web.get(reverse("teams:item_minutes", args=[10**30])).status_code == 404


def test_the_inbox_and_the_waiting_lists_read_their_rows_anew(net, login, monkeypatch):
    built = counting(monkeypatch, referral_views, "triage_queue")
    web = login(net.screener)
    first = net.refer(net.new_client(last_name="Eerste"))
    assert [r.pk for r, _s in web.get(reverse("referrals:inbox")).context["rows"]] == [first.pk]
    second = net.refer(net.new_client(last_name="Tweede"))
    assert [r.pk for r, _s in web.get(reverse("referrals:inbox")).context["rows"]] == [first.pk, second.pk]
    assert len(built) == 1

    flows = counting(monkeypatch, queries, "_month_index")
    coordinator = login(net.coordinator)

    def section():
        waiting = coordinator.get(reverse("referrals:waiting")).context["sections"]
        found = next(s for s in waiting if s["line"] == net.coach_line)
        return [(r.pk, pos) for r, pos in found["waiting"]], found["flow"][-1]["outflow"]

    assert section() == ([], 0)
    for referral in (first, second):
        referral_actions.waitlist_referral(actor_for(net.screener), referral, expected_start=None)
    assert section() == ([(first.pk, 1), (second.pk, 2)], 0)
    referral_actions.assign_referral(actor_for(net.screener), first, coach=net.coach)
    assert section() == ([(second.pk, 1)], 1)
    assert len(flows) == 1


def test_the_handover_inbox_shows_a_handover_proposed_after_the_first_view(net, login):
    url = reverse("trajectories:handovers")
    assert login(net.coach).get(url).context["outgoing"] == []
    assert login(net.gtb_coach).get(url).context["rows"] == []
    handover = propose_to_gtb(net, net.trajectory())
    assert [h.pk for h, _accept, _decline in login(net.gtb_coach).get(url).context["rows"]] == [handover.pk]
    assert [h.pk for h in login(net.coach).get(url).context["outgoing"]] == [handover.pk]
    assert login(net.outsider).get(reverse("trajectories:handovers")).context["rows"] == []
