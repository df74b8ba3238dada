"""Users and memberships: create with a first membership, edit, add/change/remove memberships."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from werkbrug.core.models import AuditEvent
from werkbrug.network.models import Membership, Role, User

STRONG = "trajectbegeleiding-2026!"


def user_data(**overrides):
    data = {
        "username": "lien",
        "first_name": "Lien",
        "last_name": "Claes",
        "email": "lien@example.org",
        "password": STRONG,
        "password_confirm": STRONG,
        "role": Role.COACH,
        "capacity": "30",
        "fte": "0.8",
    }
    data.update(overrides)
    return data


def snapshot():
    return User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


def membership_of(user):
    return Membership.objects.get(user=user)


# --- users -----------------------------------------------------------------------------------------


def test_admin_creates_a_user_with_a_first_membership_and_both_are_audited(net, login):
    response = login(net.admin).post(reverse("network:user_create"), user_data(organisation=net.gtb.pk))
    user = User.objects.get(username="lien")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:user_edit", args=[user.pk])
    assert user.check_password(STRONG)
    assert (user.first_name, user.last_name, user.email) == ("Lien", "Claes", "lien@example.org")
    membership = membership_of(user)
    assert (membership.organisation, membership.role) == (net.gtb, Role.COACH)
    assert (membership.capacity, membership.fte) == (30, Decimal("0.80"))
    events = list(AuditEvent.objects.order_by("-pk")[:2])
    assert [(e.action, e.object_type) for e in events] == [("create", "membership"), ("create", "user")]
    assert all(e.client_id is None and e.user == net.admin for e in events)
    assert STRONG not in " ".join(e.summary for e in events)


@pytest.mark.parametrize("weak", ["kort", "1234567890123", "password123", "lienexample"])
def test_weak_password_is_refused_and_nothing_is_written(net, login, weak):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_create"),
        user_data(organisation=net.gtb.pk, password=weak, password_confirm=weak),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert 'class="field-error" id="id_password-error"' in response.content.decode()
    assert snapshot() == before


def test_mismatched_passwords_are_refused(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_create"), user_data(organisation=net.gtb.pk, password_confirm=STRONG + "x")
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("username", ["coach", "COACH"])
def test_duplicate_username_is_refused_and_nothing_is_written(net, login, username):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_create"), user_data(username=username, organisation=net.gtb.pk)
    )
    assert response.status_code == 200
    assert "A user with this username already exists." in response.content.decode()
    assert snapshot() == before


def test_too_long_username_is_refused(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_create"), user_data(username="x" * 151, organisation=net.gtb.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert snapshot() == before


def test_new_user_cannot_join_an_inactive_organisation(net, login):
    net.gtb.is_active = False
    net.gtb.save()
    before = snapshot()
    response = login(net.admin).post(reverse("network:user_create"), user_data(organisation=net.gtb.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert snapshot() == before


def test_fte_above_one_is_refused(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_create"), user_data(organisation=net.gtb.pk, fte="1.5")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fte"]
    assert snapshot() == before


def test_admin_edits_a_user_and_it_is_audited(net, login):
    response = login(net.admin).post(
        reverse("network:user_edit", args=[net.coach.pk]),
        {"first_name": "Koen", "last_name": "Janssens", "email": "koen@example.org"},
    )
    assert response.status_code == 302
    net.coach.refresh_from_db()
    assert (net.coach.first_name, net.coach.last_name, net.coach.email) == (
        "Koen",
        "Janssens",
        "koen@example.org",
    )
    # is_active was left unticked: the user is deactivated and can no longer log in.
    assert not net.coach.is_active
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("update", "user", net.coach.pk)
    assert "first_name" in event.summary and "is_active" in event.summary


def test_edit_user_without_a_name_is_refused(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_edit", args=[net.coach.pk]),
        {"first_name": "", "last_name": "Janssens", "email": "", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"]
    assert snapshot() == before
    net.coach.refresh_from_db()
    assert net.coach.last_name == "SaRA"


def test_admin_cannot_deactivate_themselves(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:user_edit", args=[net.admin.pk]),
        {"first_name": "Admin", "last_name": "Netwerk", "email": ""},
    )
    assert response.status_code == 200
    assert "You cannot deactivate yourself." in response.content.decode()
    net.admin.refresh_from_db()
    assert net.admin.is_active and net.admin.first_name == "Admin"
    assert snapshot() == before


def test_user_list_shows_memberships_and_searches_by_name_and_username(net, login):
    client = login(net.admin)
    content = client.get(reverse("network:user_list"), {"q": "gtbcoach"}).content.decode()
    assert "coach @ GTB Antwerpen" in content
    assert "screener @" not in content
    content = client.get(reverse("network:user_list"), {"q": "screener sara"}).content.decode()
    assert "screener @ SaRA Arbeidscoaching" in content
    assert "GTB Antwerpen" not in content


# --- memberships -----------------------------------------------------------------------------------


def test_admin_adds_a_membership_and_it_is_audited(net, login):
    response = login(net.admin).post(
        reverse("network:membership_add", args=[net.coach.pk]),
        {"organisation": net.gtb.pk, "role": Role.SCREENER, "capacity": "", "fte": "0.2"},
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=net.coach, organisation=net.gtb)
    assert (added.role, added.capacity, added.fte) == (Role.SCREENER, None, Decimal("0.20"))
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("create", "membership", added.pk)


def test_the_same_role_twice_at_one_organisation_is_refused(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:membership_add", args=[net.coach.pk]),
        {"organisation": net.sara.pk, "role": Role.COACH, "capacity": "10", "fte": "1"},
    )
    assert response.status_code == 200
    assert "This person already has this role at this organisation." in response.content.decode()
    assert snapshot() == before


def test_admin_changes_a_membership_and_it_is_audited(net, login):
    membership = membership_of(net.coach)
    response = login(net.admin).post(
        reverse("network:membership_edit", args=[net.coach.pk, membership.pk]),
        {"role": Role.COACH, "capacity": "20", "fte": "0.5", "is_active": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.capacity, membership.fte, membership.is_active) == (20, Decimal("0.50"), True)
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("update", "membership", membership.pk)
    assert "capacity" in event.summary and "role" not in event.summary


def test_membership_of_another_user_is_not_found(net, login):
    membership = membership_of(net.gtb_coach)
    response = login(net.admin).get(reverse("network:membership_edit", args=[net.coach.pk, membership.pk]))
    assert response.status_code == 404


def test_admin_removes_a_membership_after_confirming_and_it_is_audited(net, login):
    membership = membership_of(net.coach)
    client = login(net.admin)
    remove = reverse("network:membership_remove", args=[net.coach.pk, membership.pk])
    page = client.get(reverse("network:user_edit", args=[net.coach.pk])).content.decode()
    assert f'action="{remove}" data-confirm=' in page
    response = client.post(remove)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=net.coach.pk).exists()
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("delete", "membership", membership.pk)


def test_removing_the_membership_of_a_line_screener_is_refused(net, login):
    membership = membership_of(net.screener)
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:membership_remove", args=[net.screener.pk, membership.pk]), follow=True
    )
    assert "is the screener of SaRA arbeidscoach" in response.content.decode()
    assert snapshot() == before


def test_deactivating_the_membership_of_a_line_screener_is_refused(net, login):
    membership = membership_of(net.screener)
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:membership_edit", args=[net.screener.pk, membership.pk]),
        {"role": Role.SCREENER, "capacity": "", "fte": "1"},
    )
    assert response.status_code == 200
    assert "is the screener of SaRA arbeidscoach" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active
    assert snapshot() == before


def test_a_screener_who_also_coordinates_may_lose_the_screener_membership(net, login):
    Membership.objects.create(user=net.screener, organisation=net.sara, role=Role.COORDINATOR)
    membership = Membership.objects.get(user=net.screener, role=Role.SCREENER)
    response = login(net.admin).post(
        reverse("network:membership_remove", args=[net.screener.pk, membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_admin_cannot_remove_the_membership_they_act_through(net, login):
    membership = membership_of(net.admin)
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:membership_remove", args=[net.admin.pk, membership.pk]), follow=True
    )
    assert "You cannot change or remove the membership you are acting through." in response.content.decode()
    assert snapshot() == before
