"""List pages that show client names write one audit row per page view, naming the list and what was
asked (filters, page), not one row per client (issue 13, "What to build")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import actor_for, client_of

NAMES = ("Verstraeten", "Goossens", "Lambrechts")


@pytest.fixture
def busy(net):
    """Three clients in the coach's caseload, two referrals waiting in the screener's inbox (one on
    the waiting list)."""
    trajectories = [net.trajectory(net.new_client(last_name=name), follow_outcome=True) for name in NAMES]
    inbox = [net.refer(net.new_client(last_name=f"Nieuw{n}")) for n in ("Een", "Twee")]
    referral_actions.waitlist_referral(
        actor_for(net.screener), inbox[1], expected_start=None, note="Even wachten."
    )
    return trajectories


def _lists(net, busy) -> list[tuple[object, str, dict[str, int], str, int]]:
    """(user, url name, url kwargs, query, clients it shows at least)."""
    return [
        (net.care, "clients:list", {}, "", 3),
        (net.care, "clients:list", {}, "q=Goossens", 1),
        (net.care, "referrals:mine", {}, "", 3),
        (net.screener, "referrals:inbox", {}, "", 1),
        (net.screener, "referrals:waiting", {}, "", 1),
        (net.coach, "trajectories:caseload", {}, "", 3),
        (net.coach, "trajectories:handovers", {}, "", 0),
        (net.coach, "trajectories:handovers_proposed", {}, "", 0),
        (net.coordinator, "trajectories:coach_trajectories", {"user_pk": net.coach.pk}, "", 3),
        (net.care, "feedback:inbox", {}, "", 0),
        (net.coach, "feedback:sent", {}, "", 0),
        (net.coach, "teamfollowup:my_actions", {}, "", 0),
    ]


def test_each_list_page_writes_exactly_one_row_naming_the_list(net, busy):
    for user, name, kwargs, query, shown in _lists(net, busy):
        url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
        before = set(AuditEvent.objects.values_list("pk", flat=True))
        response = client_of(user).get(url)
        assert response.status_code == 200, (name, response.status_code)
        page = response.content.decode()
        assert sum(1 for last in (*NAMES, "NieuwEen", "NieuwTwee") if last in page) >= shown, name
        new = list(AuditEvent.objects.exclude(pk__in=before))
        assert [(e.action, e.object_type, e.summary, e.user_id, e.client_id) for e in new] == [
            (AuditAction.LIST, name, query, user.pk, None)
        ], name


def test_the_list_row_names_the_coach_whose_list_it_is(net, busy):
    client_of(net.coordinator).get(reverse("trajectories:coach_trajectories", args=[net.coach.pk]))
    event = AuditEvent.objects.get(action=AuditAction.LIST)
    assert (event.object_type, event.object_id) == ("trajectories:coach_trajectories", net.coach.pk)


def test_a_list_of_many_clients_is_still_one_row(net, busy):
    more = [net.trajectory(net.new_client(last_name=f"Extra{n}")) for n in range(4)]
    before = AuditEvent.objects.count()
    response = client_of(net.coach).get(reverse("trajectories:caseload"))
    assert all(f"Extra{n}" in response.content.decode() for n in range(len(more)))
    assert AuditEvent.objects.count() == before + 1


def test_someone_denied_a_list_gets_404_and_no_row(net, busy):
    before = AuditEvent.objects.count()
    for user, name in (
        (net.funder, "referrals:inbox"),
        (net.care, "referrals:waiting"),
        (net.admin, "clients:list"),
        (net.funder, "trajectories:caseload"),
    ):
        assert client_of(user).get(reverse(name)).status_code == 404, (user, name)
    assert (
        client_of(net.coach).get(reverse("trajectories:coach_trajectories", args=[net.coach.pk])).status_code
        == 404
    )
    assert AuditEvent.objects.count() == before


def test_an_outsider_sees_none_of_the_clients_on_a_list(net, busy):
    page = client_of(net.outsider).get(reverse("clients:list")).content.decode()
    assert [name for name in NAMES if name in page] == []
