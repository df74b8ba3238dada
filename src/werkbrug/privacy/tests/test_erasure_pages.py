"""The privacy officer's pages: who reaches them (everyone else gets 404), what the search shows and
writes to the audit trail, the confirmation before erasing, and the erased file afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Client
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Membership, Organisation, Role
from werkbrug.privacy import actions
from werkbrug.privacy.models import ErasureRequest
from werkbrug.reports import research
from werkbrug.testing import actor_for, client_of, give_authenticator, make_user, valid_insz

BIRTH = datetime.date(1990, 5, 17)
INSZ = valid_insz(BIRTH, "457")


@pytest.fixture
def officer(net):
    return make_user("privacy", net.network_org, Role.PRIVACY_OFFICER)


@pytest.fixture
def person(net):
    """A client with a trajectory at SaRA, referred by the hospital."""
    client = net.new_client(first_name="Wannes", last_name="Vlierbessen", insz=INSZ, email="w.vl@example.net")
    net.trajectory(client)
    return Client.objects.get(pk=client.pk)


def _erase(page, client, **data):
    return page.post(
        reverse("privacy:erase", args=[client.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "requested_by": "the client, by letter",
            "reason": "Asked for erasure after the trajectory.",
            "confirm": "on",
        }
        | data,
    )


def test_coach_and_network_admin_get_404_on_the_erasure_pages(net, person):
    for user in (net.coach, net.admin, net.care, net.funder):
        page = client_of(user)
        assert page.get(reverse("privacy:index")).status_code == 404
        assert page.get(reverse("privacy:index"), {"insz": INSZ}).status_code == 404
        assert page.get(reverse("privacy:erase", args=[person.pk])).status_code == 404
        assert _erase(page, person).status_code == 404
    person.refresh_from_db()
    assert person.erased_at is None
    assert not ErasureRequest.objects.exists()


def test_privacy_officer_gets_404_on_the_client_file_pages(net, person, officer):
    page = client_of(officer)
    trajectory = person.trajectories.get()
    for url in (
        reverse("clients:detail", args=[person.pk]),
        reverse("clients:edit", args=[person.pk]),
        reverse("clients:list"),
        reverse("trajectories:detail", args=[trajectory.pk]),
        reverse("referrals:detail", args=[trajectory.referral_id]),
    ):
        assert page.get(url).status_code == 404, url


def test_search_by_insz_shows_only_initials_and_counts_and_is_audited(net, person, officer):
    page = client_of(officer)
    response = page.get(reverse("privacy:index"), {"insz": f"{INSZ[:6]}-{INSZ[6:9]}.{INSZ[9:]}"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "W. V." in text
    assert "Wannes" not in text and "Vlierbessen" not in text and INSZ not in text
    assert reverse("privacy:erase", args=[person.pk]) in text
    event = AuditEvent.objects.get(object_type="erasure_search")
    assert (event.user, event.client_id, event.action) == (officer, person.pk, AuditAction.VIEW)
    assert INSZ not in event.summary and "Vlierbessen" not in event.summary


def test_search_by_client_number_and_an_unknown_number(net, person, officer):
    page = client_of(officer)
    assert (
        reverse("privacy:erase", args=[person.pk])
        in page.get(reverse("privacy:index"), {"number": person.pk}).content.decode()
    )
    response = page.get(reverse("privacy:index"), {"number": person.pk + 1000})
    assert "No client found." in response.content.decode()
    assert list(
        AuditEvent.objects.filter(object_type="erasure_search")
        .order_by("pk")
        .values_list("client_id", flat=True)
    ) == [person.pk, None]


def test_an_invalid_insz_is_refused_like_on_the_client_form_and_not_searched(net, person, officer):
    response = client_of(officer).get(
        reverse("privacy:index"), {"insz": INSZ[:-1] + str((int(INSZ[-1]) + 1) % 10)}
    )
    assert "not a valid national register number" in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="erasure_search").exists()


def test_erasing_needs_the_explicit_confirmation(net, person, officer):
    response = _erase(client_of(officer), person, confirm="")
    assert response.status_code == 200
    assert "erasing cannot be undone" in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None and person.last_name == "Vlierbessen"


def test_after_erasure_the_file_says_erased_and_an_outsider_still_gets_404(net, person, officer):
    assert _erase(client_of(officer), person).status_code == 302
    detail = reverse("clients:detail", args=[person.pk])
    assert client_of(net.outsider).get(detail).status_code == 404
    response = client_of(net.care).get(detail)
    text = response.content.decode()
    assert response.status_code == 200
    assert "erased client" in text
    assert "Wannes" not in text and "Vlierbessen" not in text and "w.vl@example.net" not in text
    trajectory = person.trajectories.get()
    assert (
        client_of(net.outsider).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    )
    assert client_of(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200


def test_erasing_twice_is_refused_with_a_clear_message(net, person, officer):
    page = client_of(officer)
    assert _erase(page, person).status_code == 302
    response = _erase(page, person)
    assert response.status_code == 200
    assert "already erased" in response.content.decode()
    assert ErasureRequest.objects.count() == 1
    with pytest.raises(DomainError, match="already erased"):
        actions.erase_client(
            actor_for(officer),
            Client.objects.get(pk=person.pk),
            request=ErasureRequest(requested_by="x", reason="y"),
        )


def test_the_erasure_is_audited_without_name_or_insz(net, person, officer):
    assert _erase(client_of(officer), person).status_code == 302
    event = AuditEvent.objects.get(client_id=person.pk, action=AuditAction.DELETE)
    assert (event.user, event.organisation, event.object_type) == (officer, net.network_org, "client")
    for value in ("Wannes", "Vlierbessen", INSZ, "w.vl@example.net"):
        assert value not in event.summary
    assert not AuditEvent.objects.filter(summary__icontains="Vlierbessen").exists()


def test_only_a_privacy_officer_may_call_the_erase_action(net, person):
    with pytest.raises(DomainError):
        actions.erase_client(
            actor_for(net.coach), person, request=ErasureRequest(requested_by="the client", reason="asked")
        )
    person.refresh_from_db()
    assert person.erased_at is None


def test_network_admin_makes_someone_privacy_officer_who_lands_on_the_erasure_page(net):
    user = make_user("hilde", net.network_org, Role.COACH)
    page = client_of(net.admin)
    response = page.post(
        reverse("network:membership_add", args=[user.pk]),
        {"organisation": net.hospital.pk, "role": Role.PRIVACY_OFFICER, "fte": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    membership = Membership.objects.get(user=user, role=Role.PRIVACY_OFFICER)
    Membership.objects.filter(user=user).exclude(pk=membership.pk).delete()
    # A privacy officer logs in with a second factor (issue 13): first they set up an app.
    assert client_of(user).get(reverse("core:home")).url.startswith(reverse("accounts:setup"))
    give_authenticator(user)
    home = client_of(user).get(reverse("core:home"))
    assert home.status_code == 302 and home.url == reverse("privacy:index")
    assert reverse("privacy:index") in client_of(user).get(reverse("privacy:index")).content.decode()


def test_network_admin_sets_an_organisations_retention_period(net):
    page = client_of(net.admin)
    response = page.post(
        reverse("network:org_edit", args=[net.hospital.pk]),
        {"name": net.hospital.name, "kind": net.hospital.kind, "org_type": net.hospital.org_type,
         "subregion": net.region.pk, "retention_years": "7", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Organisation.objects.get(pk=net.hospital.pk).retention_years == 7
    response = page.post(
        reverse("network:org_edit", args=[net.hospital.pk]),
        {"name": net.hospital.name, "kind": net.hospital.kind, "org_type": net.hospital.org_type,
         "retention_years": "0", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert Organisation.objects.get(pk=net.hospital.pk).retention_years == 7


def test_the_erase_page_shows_the_check_without_name_and_warns_of_open_files(net, person, officer):
    response = client_of(officer).get(reverse("privacy:erase", args=[person.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "W. V." in text and str(BIRTH.year) in text
    assert "Wannes" not in text and "Vlierbessen" not in text and INSZ not in text
    assert "still open" in text  # the trajectory at SaRA is active
    assert 'data-confirm="' in text and 'name="confirm"' in text
    assert client_of(officer).get(reverse("privacy:erase", args=[person.pk + 1000])).status_code == 404


def test_two_erased_persons_without_insz_born_the_same_day_keep_two_pseudonyms_in_the_research_export(
    net, officer
):
    same_birth = {"birth_date": datetime.date(1990, 5, 17), "insz": ""}
    people = [
        net.new_client(first_name="Ode", last_name="Maes", **same_birth),
        net.new_client(first_name="Lien", last_name="Claes", **same_birth),
    ]
    for client in people:
        net.trajectory(client)
    year = timezone.localdate().year

    def pseudonyms() -> set[str]:
        return {str(row[0]) for row in research.rows(year)}

    assert len(pseudonyms()) == 2
    for client in people:
        actions.erase_client(
            actor_for(officer),
            Client.objects.get(pk=client.pk),
            request=ErasureRequest(requested_by="the client", reason="asked"),
        )
    erased = Client.objects.filter(pk__in=[c.pk for c in people]).values_list(
        "first_name", "last_name", "insz", "birth_date"
    )
    assert len(set(erased)) == 1, "after erasure the two records hold the same identifying values"
    assert len(pseudonyms()) == 2, "yet they stay two persons in the export"
