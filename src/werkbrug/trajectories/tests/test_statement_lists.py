"""Issue 14: the caseload's lists run statements built once per membership and day
(`core.statements.objects`). They give what the queryset gives, read the database on every call (a
consent withdrawn or a trajectory added shows on the next page view), and keep no rows."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core import statements
from werkbrug.testing import actor_for
from werkbrug.trajectories import actions, list_views
from werkbrug.trajectories.models import ContactKind, Trajectory

FIELDS = ("pk", "client_id", "type_id", "phase", "status", "started_on", "last_contact_on", "coach_id")


def described(rows: list[Trajectory]) -> list[tuple]:
    """What a caseload row shows, read off the instances (fields, related rows, annotations)."""
    return [
        (
            *(getattr(t, name) for name in FIELDS),
            t.client.first_name,
            t.client.last_name,
            t.type.name,
            t.next_goal_due,
            t.needs_care_partner,
        )
        for t in rows
    ]


def caseload_of(actor):
    return list_views._caseload_queryset(actor, coach=actor.user, lead_organisation=actor.organisation)


def test_objects_gives_the_rows_the_queryset_gives_and_reads_them_anew_each_call(net):
    first = net.trajectory(net.new_client(first_name="Eerste", last_name="Aerts"))
    actions.record_contact(actor_for(net.coach), first, on=timezone.localdate(), kind=ContactKind.PHONE)
    built = []

    def build():
        built.append(1)
        return caseload_of(actor_for(net.coach))[:51]

    key = statements.actor_key("test caseload", actor_for(net.coach))
    rows = statements.objects(key, build)
    assert [t.pk for t in rows] == [first.pk]
    assert described(rows) == described(list(caseload_of(actor_for(net.coach))))
    assert rows[0].last_contact_on == timezone.localdate()  # a date, converted as the ORM does

    second = net.trajectory(net.new_client(first_name="Tweede", last_name="Baert"))
    again = statements.objects(key, build)  # the row map kept for this connection, used again
    assert [t.pk for t in again] == [first.pk, second.pk]
    assert described(again) == described(list(caseload_of(actor_for(net.coach))))
    assert again[0].last_contact_on == timezone.localdate()
    consent = Consent.objects.active().get(
        client=first.client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.coach), consent)
    assert [t.pk for t in statements.objects(key, build)] == [second.pk]
    assert len(built) == 1


def test_an_empty_statement_runs_no_query(net, django_assert_num_queries):
    key = statements.actor_key("test none", actor_for(net.coach))
    with django_assert_num_queries(0):
        assert statements.objects(key, lambda: Trajectory.objects.none()) == []
        assert statements.objects(key, lambda: Trajectory.objects.none()) == []


def test_objects_takes_model_querysets_only(net):
    with pytest.raises(ValueError):
        statements.objects("values", lambda: Trajectory.objects.values("pk"))
    with pytest.raises(ValueError):
        statements.objects("prefetch", lambda: Trajectory.objects.prefetch_related("contacts"))


def test_the_caseload_builds_its_statements_once_and_shows_what_is_there_now(net, login, monkeypatch):
    built = []
    real = list_views._caseload_queryset
    monkeypatch.setattr(list_views, "_caseload_queryset", lambda *a, **k: built.append(1) or real(*a, **k))
    web = login(net.coach)
    first = net.trajectory(net.new_client(first_name="Eerste"))
    assert [r.trajectory.pk for r in web.get(reverse("trajectories:caseload")).context["rows"]] == [first.pk]
    second = net.trajectory(net.new_client(first_name="Tweede"))
    rows = web.get(reverse("trajectories:caseload")).context["rows"]
    assert sorted(r.trajectory.pk for r in rows) == sorted([first.pk, second.pk])
    assert len(built) == 1
    # Another membership (a coach of another organisation): another statement, not these rows.
    other = login(net.gtb_coach).get(reverse("trajectories:caseload")).context["rows"]
    assert [r.trajectory.pk for r in other] == []
    assert len(built) == 2


def test_the_trajectory_statement_is_built_once_for_every_trajectory_and_outsiders_get_404(
    net, login, monkeypatch
):
    from werkbrug.trajectories import views

    first, second = net.trajectory(), net.trajectory()
    built = []
    real = views.trajectories_of
    monkeypatch.setattr(views, "trajectories_of", lambda actor: built.append(1) or real(actor))
    assert views.get_trajectory(actor_for(net.coach), first.pk) == first
    assert views.get_trajectory(actor_for(net.coach), second.pk) == second
    assert len(built) == 1
    for pk in (0, -1, 2**63, 10**30, "x"):
        with pytest.raises(Http404):
            views.get_trajectory(actor_for(net.coach), pk)
    web = login(net.coach)
    assert web.get(reverse("trajectories:detail", args=[first.pk])).status_code == 200
    assert web.get(f"/trajectories/{2**64}/").status_code == 404
    assert login(net.outsider).get(reverse("trajectories:detail", args=[first.pk])).status_code == 404
    assert login(net.gtb_coach).get(reverse("trajectories:detail", args=[second.pk])).status_code == 404


def test_a_bound_statement_needs_its_placeholder(net):
    with pytest.raises(ValueError):
        statements.objects("unbound", lambda: Trajectory.objects.filter(pk=1), bound=1)
    with pytest.raises(ValueError):
        statements.objects("unused", lambda: Trajectory.objects.filter(pk=statements.BOUND))
