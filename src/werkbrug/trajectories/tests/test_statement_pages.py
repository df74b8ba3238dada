"""Issue 14: the trajectory page and the client file read their rows through statements built once
per membership and day (`core.statements`, `clients.access.get_visible_once`). What they show is
read anew on every page view: a contact or consent added, a consent withdrawn or widened shows on
the next view, with no statement built again for another trajectory or client."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import FILE_PURPOSES, Consent, DataCategory
from werkbrug.core import statements
from werkbrug.testing import actor_for
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import ContactKind
from werkbrug.trajectories.tests.test_provenance import EARLIER_NOTE, VDAB_NOTE, handed_to_vdab


def kept() -> int:
    """How many statements of model rows are kept (core.statements)."""
    return len(statements._OBJECTS)


def test_the_trajectory_page_builds_its_statements_once_and_shows_what_is_there_now(net, login):
    first = net.trajectory(net.new_client(first_name="Eerste"))
    second = net.trajectory(net.new_client(first_name="Tweede"))
    web = login(net.coach)
    page = web.get(reverse("trajectories:detail", args=[first.pk]))
    assert page.status_code == 200
    built = kept()
    note = "Nieuw gesprek over het werkplan"
    actions.record_contact(
        actor_for(net.coach), first, on=timezone.localdate(), kind=ContactKind.PHONE, note=note
    )
    actions.add_goal(actor_for(net.coach), first, goal="Cv opmaken", due_on=None)
    page = web.get(reverse("trajectories:detail", args=[first.pk]))
    assert [c.note for c in page.context["contacts"]] == [note]
    assert [g.goal for g in page.context["goals"]] == ["Cv opmaken"]
    assert note in page.content.decode()
    assert page.context["seen"] == str(first.events.order_by("-at", "-pk").first().pk)
    other = web.get(reverse("trajectories:detail", args=[second.pk]))
    assert other.status_code == 200
    assert other.context["contacts"] == [] and other.context["goals"] == []
    assert kept() == built  # the same statements, another trajectory bound into them
    # The statements are the coach's: an outsider and the coach of another organisation get 404.
    assert login(net.outsider).get(reverse("trajectories:detail", args=[first.pk])).status_code == 404
    assert login(net.gtb_coach).get(reverse("trajectories:detail", args=[first.pk])).status_code == 404
    # A consent withdrawn takes effect on the next view.
    web = login(net.coach)
    for consent in Consent.objects.active().filter(client=first.client, recipient=net.sara):
        withdraw_consent(actor_for(net.coach), consent)
    assert web.get(reverse("trajectories:detail", args=[first.pk])).status_code == 404
    assert web.get(reverse("trajectories:detail", args=[second.pk])).status_code == 200


def test_a_newcomer_sees_the_past_as_soon_as_the_client_shares_it(net, login):
    trajectory, vdab_coach = handed_to_vdab(net, share=[])
    web = login(vdab_coach)
    page = web.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert VDAB_NOTE in page and EARLIER_NOTE not in page and net.sara.name not in page
    consents = Consent.objects.active().filter(
        client=trajectory.client,
        recipient=vdab_coach.memberships.get().organisation,
        purpose__in=FILE_PURPOSES,
    )
    for consent in consents:
        consent.categories = [*consent.categories, DataCategory.HISTORY, DataCategory.NOTES]
        consent.save(update_fields=["categories"])
    page = web.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert VDAB_NOTE in page and EARLIER_NOTE in page and net.sara.name in page
    contacts = web.get(reverse("trajectories:contacts", args=[trajectory.pk])).content.decode()
    assert EARLIER_NOTE in contacts


def test_the_client_file_builds_its_statements_once_and_shows_what_is_there_now(net, login):
    first = net.trajectory(net.new_client(first_name="Eerste"))
    second = net.trajectory(net.new_client(first_name="Tweede"))
    web = login(net.coach)
    page = web.get(reverse("clients:detail", args=[first.client_id]))
    assert [t.pk for t in page.context["trajectories"]] == [first.pk]
    # SaRA has no `history` category: its own consents only (those it received or recorded).
    own = [
        c.pk
        for c in first.client.consents.order_by("-recorded_at", "-pk")
        if net.sara.pk in (c.recipient_id, c.recorded_by_organisation_id)
    ]
    assert own and [row.consent.pk for row in page.context["consents"]] == own
    built = kept()
    page = web.get(reverse("clients:detail", args=[second.client_id]))
    assert [t.pk for t in page.context["trajectories"]] == [second.pk]
    assert kept() == built
    # A second trajectory of the same client shows at once.
    third = net.trajectory(first.client)
    page = web.get(reverse("clients:detail", args=[first.client_id]))
    assert sorted(t.pk for t in page.context["trajectories"]) == sorted([first.pk, third.pk])
    assert login(net.outsider).get(reverse("clients:detail", args=[first.client_id])).status_code == 404
    # Withdrawing the file consents: 404 at once; the other client's file stays.
    web = login(net.coach)
    for consent in Consent.objects.active().filter(
        client=first.client, recipient=net.sara, purpose__in=FILE_PURPOSES
    ):
        withdraw_consent(actor_for(net.coach), consent)
    assert web.get(reverse("clients:detail", args=[first.client_id])).status_code == 404
    assert web.get(reverse("clients:detail", args=[second.client_id])).status_code == 200
