"""Job development contacts: from the employer's page and from an IPS/DCM trajectory; a client is
named only with an active consent for employer contact naming the coach's organisation, and only by
the trajectory's team; who was named is shown only to who may see that trajectory."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import withdraw_consent
from werkbrug.core.models import AuditEvent
from werkbrug.employers.models import EmployerContact
from werkbrug.employers.tests.helpers import contact, employer, employer_consent, ips_trajectory
from werkbrug.testing import actor_for, days_ago

pytestmark = pytest.mark.django_db


def contact_data(**extra):
    data = {
        "on": timezone.localdate().isoformat(),
        "mode": "face_to_face",
        "purpose": "getting_to_know",
        "place": "community",
        "note": "Kennismaking met de zaakvoerder",
    }
    data.update(extra)
    return data


def naming(trajectory):
    """The chooser's posted fields for a trajectory (the hidden pk, with JavaScript)."""
    return {"trajectory": trajectory.pk, "trajectory__q": str(trajectory.client), "trajectory__label": ""}


def test_a_contact_without_a_client_is_logged_from_the_employer_page(net, login):
    made = employer(net)
    response = login(net.coach).post(reverse("employers:contact_add", args=[made.pk]), contact_data())
    assert response.status_code == 302
    logged = EmployerContact.objects.get()
    assert (logged.coach, logged.organisation, logged.mode, logged.place, logged.trajectory) == (
        net.coach,
        net.sara,
        "face_to_face",
        "community",
        None,
    )


def test_a_consented_client_of_the_team_is_named_and_audited(net, login):
    made = employer(net)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    response = login(net.coach).post(
        reverse("employers:contact_add", args=[made.pk]), contact_data(**naming(trajectory))
    )
    assert response.status_code == 302
    assert EmployerContact.objects.get().trajectory == trajectory
    assert AuditEvent.objects.filter(
        object_type="employercontact", client_id=trajectory.client_id, action="create"
    ).exists()


def test_a_client_without_consent_is_a_form_error_and_nothing_is_written(net, login):
    made = employer(net)
    trajectory = ips_trajectory(net)
    response = login(net.coach).post(
        reverse("employers:contact_add", args=[made.pk]), contact_data(**naming(trajectory))
    )
    assert response.status_code == 200
    assert "no active consent for contact with an employer" in response.content.decode()
    assert not EmployerContact.objects.exists()


def test_a_withdrawn_consent_no_longer_allows_naming(net, login):
    made = employer(net)
    trajectory = ips_trajectory(net)
    consent = employer_consent(net, trajectory.client)
    withdraw_consent(actor_for(net.coach), consent)
    response = login(net.coach).post(
        reverse("employers:contact_add", args=[made.pk]), contact_data(**naming(trajectory))
    )
    assert response.status_code == 200 and not EmployerContact.objects.exists()


def test_a_consent_naming_another_organisation_does_not_count(net, login):
    from werkbrug.clients.actions import grant_consent
    from werkbrug.clients.models import ConsentPurpose
    from werkbrug.testing import SIGNED

    made = employer(net)
    trajectory = ips_trajectory(net)
    grant_consent(
        actor_for(net.care),
        trajectory.client,
        purpose=ConsentPurpose.EMPLOYER_CONTACT,
        recipient=net.gtb,
        categories=[],
        evidence=SIGNED,
    )
    response = login(net.coach).post(
        reverse("employers:contact_add", args=[made.pk]), contact_data(**naming(trajectory))
    )
    assert response.status_code == 200 and not EmployerContact.objects.exists()


def test_a_client_of_another_team_cannot_be_named(net, login):
    """GTB's coach is not on SaRA's trajectory: the client is outside the chooser's rows."""
    made = employer(net)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    response = login(net.gtb_coach).post(
        reverse("employers:contact_add", args=[made.pk]), contact_data(**naming(trajectory))
    )
    assert response.status_code == 200 and not EmployerContact.objects.exists()
    found = login(net.gtb_coach).get(
        reverse("core:choose", args=["employer_clients"]), {"q": trajectory.client.last_name}
    )
    assert str(trajectory.client) not in found.content.decode()


def test_the_client_chooser_offers_the_teams_clients_and_is_404_for_a_funder(net, login):
    trajectory = ips_trajectory(net)
    url = reverse("core:choose", args=["employer_clients"])
    assert str(trajectory.client) in login(net.coach).get(url, {"q": "peeters"}).content.decode()
    assert login(net.funder).get(url, {"q": "peeters"}).status_code == 404
    assert login(net.care).get(url, {"q": "peeters"}).status_code == 404


@pytest.mark.parametrize(
    "bad",
    [
        {"on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
        {"on": "1800-01-01"},
        {"purpose": ""},
        {"mode": "pigeon"},
        {"place": "moon"},
        {"note": "x" * 201},
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_written(net, login, bad):
    made = employer(net)
    response = login(net.coach).post(reverse("employers:contact_add", args=[made.pk]), contact_data(**bad))
    assert response.status_code == 200 and not EmployerContact.objects.exists()


def test_a_double_submitted_contact_is_logged_once(net, login):
    made = employer(net)
    client = login(net.coach)
    first = client.post(reverse("employers:contact_add", args=[made.pk]), contact_data())
    second = client.post(reverse("employers:contact_add", args=[made.pk]), contact_data())
    assert first.status_code == 302 and second.status_code == 200
    assert "just recorded" in second.content.decode()
    assert EmployerContact.objects.count() == 1


def test_the_employer_page_names_the_client_only_to_who_may_see_the_trajectory(net, login):
    made = employer(net)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    contact(net, made, on=days_ago(1), trajectory=trajectory)
    name = str(trajectory.client)
    url = reverse("employers:detail", args=[made.pk])
    assert name in login(net.coach).get(url).content.decode()
    # SaRA's screener works for the lead organisation: the trajectory is theirs to see too.
    assert name in login(net.screener).get(url).content.decode()
    for outsider in (net.gtb_coach, net.outsider, net.gtb_screener):
        html = login(outsider).get(url).content.decode()
        assert name not in html and "a client" in html, outsider
    # The hospital referred the client but does not follow the outcome: not on the team.
    assert name not in login(net.care).get(url).content.decode()


# --- from the trajectory ----------------------------------------------------------------------------


def test_an_ips_trajectory_shows_the_panel_to_its_team_only(net, login):
    trajectory = ips_trajectory(net)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    page = login(net.coach).get(url).content.decode()
    assert 'id="job-development"' in page
    assert reverse("employers:trajectory_contact", args=[trajectory.pk]) in page
    assert login(net.gtb_coach).get(url).status_code == 404


def test_a_dcm_trajectory_shows_the_panel_without_the_clock(net, login):
    trajectory = ips_trajectory(net, code="dcm")
    page = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert 'id="job-development"' in page and "data-clock" not in page


def test_another_trajectory_type_has_no_job_development_panel(net, login):
    trajectory = net.trajectory()
    page = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert 'id="job-development"' not in page


def test_a_contact_logged_from_the_trajectory_names_its_client(net, login):
    made = employer(net)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    url = reverse("employers:trajectory_contact", args=[trajectory.pk])
    data = contact_data(employer=made.pk, employer__q=made.name, employer__label="")
    client = login(net.coach)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("trajectories:detail", args=[trajectory.pk]) + "#job-development"
    assert EmployerContact.objects.get().trajectory == trajectory
    assert client.post(url, data).status_code == 200  # the double submit
    assert EmployerContact.objects.count() == 1
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert made.name in page


def test_a_contact_from_the_trajectory_without_consent_is_refused(net, login):
    made = employer(net)
    trajectory = ips_trajectory(net)
    response = login(net.coach).post(
        reverse("employers:trajectory_contact", args=[trajectory.pk]),
        contact_data(employer=made.pk, employer__q=made.name, employer__label=""),
    )
    assert response.status_code == 200
    assert "no active consent" in response.content.decode()
    assert not EmployerContact.objects.exists()


@pytest.mark.parametrize("who", ["gtb_coach", "outsider", "funder", "care", "screener"])
def test_outsiders_get_404_on_the_trajectory_contact_form(net, login, who):
    made = employer(net)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    url = reverse("employers:trajectory_contact", args=[trajectory.pk])
    client = login(getattr(net, who))
    assert client.get(url).status_code == 404
    data = contact_data(employer=made.pk, employer__q=made.name, employer__label="")
    assert client.post(url, data).status_code == 404
    assert not EmployerContact.objects.exists()


def test_a_client_of_a_closed_trajectory_is_not_named(net, login):
    from werkbrug.trajectories import actions as trajectory_actions

    made = employer(net)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    trajectory_actions.close_trajectory(
        actor_for(net.coach), trajectory, reason="goal_reached", note="", on=timezone.localdate()
    )
    response = login(net.coach).post(
        reverse("employers:trajectory_contact", args=[trajectory.pk]),
        contact_data(employer=made.pk, employer__q=made.name, employer__label=""),
    )
    assert response.status_code == 200
    assert "This trajectory is closed" in response.content.decode()
    assert not EmployerContact.objects.exists()
