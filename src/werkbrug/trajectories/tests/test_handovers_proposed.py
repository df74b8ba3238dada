"""What an organisation proposed to others: the handover inbox lists the open proposals and those
answered in the last 30 days (a worklist that does not grow with the years, issue 14); every
proposal is on its own paged page, newest first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.paging import PAGE_SIZE
from werkbrug.testing import actor_for, propose_to_gtb
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Handover

INBOX = "trajectories:handovers"
HISTORY = "trajectories:handovers_proposed"


def _answered(net, name: str, on: datetime.datetime, accept: bool) -> Handover:
    """A handover of client `name` that the receiving organisation answered at the moment `on`."""
    handover = propose_to_gtb(net, net.trajectory(net.new_client(last_name=name)))
    if accept:
        actions.accept_handover(actor_for(net.gtb_coach), handover, coach=net.gtb_coach)
    else:
        actions.decline_handover(actor_for(net.gtb_coach), handover, reason="Vol.")
    Handover.objects.filter(pk=handover.pk).update(decided_at=on)
    return handover


def _shown(response) -> list[int]:
    return [h.pk for h in response.context["outgoing"]]


def test_the_inbox_lists_open_proposals_and_answers_of_the_last_30_days(net, login):
    today = timezone.localdate()
    first_moment = datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time.min)
    boundary = timezone.make_aware(first_moment)  # the first moment of the day 30 days ago
    old_open = propose_to_gtb(net, net.trajectory(net.new_client(last_name="Openlang")))
    Handover.objects.filter(pk=old_open.pk).update(proposed_at=boundary - datetime.timedelta(days=400))
    on_the_boundary = _answered(net, "Grensdag", boundary, accept=True)
    just_before = _answered(net, "Seconde", boundary - datetime.timedelta(seconds=1), accept=False)
    long_ago = _answered(net, "Lang", boundary - datetime.timedelta(days=700), accept=True)
    today_declined = _answered(net, "Vandaag", timezone.now(), accept=False)
    everything = Handover.objects.filter(from_organisation=net.sara)
    expected = [h.pk for h in everything if h.status == "proposed" or h.decided_at >= boundary]
    assert set(expected) == {old_open.pk, on_the_boundary.pk, today_declined.pk}
    assert not {just_before.pk, long_ago.pk} & set(expected)

    coordinator = login(net.coordinator)
    inbox = coordinator.get(reverse(INBOX))
    assert inbox.status_code == 200
    assert sorted(_shown(inbox)) == sorted(expected)
    body = inbox.content.decode()
    assert f'href="{reverse(HISTORY)}"' in body
    for name in ("Openlang", "Grensdag", "Vandaag"):
        assert name in body
    assert "Seconde" not in body and "Lang<" not in body
    assert "answered in the last 30 days" in body

    history = coordinator.get(reverse(HISTORY))
    assert history.status_code == 200
    newest_first = [h.pk for h in everything.order_by("-proposed_at", "-pk")]
    assert _shown(history) == newest_first and len(newest_first) == 5
    assert all(name in history.content.decode() for name in ("Seconde", "Lang<", "Openlang"))


def test_the_history_pages_every_proposal_newest_first(net, login):
    made = [propose_to_gtb(net, net.trajectory()).pk for _ in range(PAGE_SIZE + 1)]
    coach = login(net.coach)
    first = coach.get(reverse(HISTORY))
    assert _shown(first) == list(reversed(made))[:PAGE_SIZE]
    assert "Page 1 of 2" in first.content.decode()
    second = coach.get(reverse(HISTORY), {"page": 2})
    assert _shown(second) == [made[0]]
    assert "Page 2 of 2" in second.content.decode()


def test_the_inbox_says_when_it_shows_only_the_newest(net, login):
    made = [propose_to_gtb(net, net.trajectory()).pk for _ in range(PAGE_SIZE)]
    coach = login(net.coach)
    full = coach.get(reverse(INBOX))
    assert _shown(full) == list(reversed(made)) and "newest are shown here" not in full.content.decode()
    made.append(propose_to_gtb(net, net.trajectory()).pk)
    cut = coach.get(reverse(INBOX))
    assert _shown(cut) == list(reversed(made))[:PAGE_SIZE]
    assert f"Only the {PAGE_SIZE} newest are shown here." in cut.content.decode()


def test_the_history_shows_nothing_to_another_organisation(net, login):
    handover = propose_to_gtb(net, net.trajectory())
    for outsider in (net.outsider, net.gtb_coach):  # not involved; the receiver, which did not propose it
        response = login(outsider).get(reverse(HISTORY))
        assert response.status_code == 200
        assert response.context["outgoing"] == []
        assert str(handover.trajectory.client) not in response.content.decode()


def test_the_history_is_no_page_for_who_sees_no_client_data(net, login):
    propose_to_gtb(net, net.trajectory())
    assert login(net.funder).get(reverse(HISTORY)).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_the_history_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, rows):
    for _ in range(rows):
        propose_to_gtb(net, net.trajectory())
    coach = login(net.coach)
    with django_assert_max_num_queries(8):
        response = coach.get(reverse(HISTORY))
    assert len(response.context["outgoing"]) == rows
