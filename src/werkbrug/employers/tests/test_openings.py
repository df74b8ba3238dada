"""Openings per employer and introductions of clients to them: introductions are client data,
written with the client's consent for employer contact and shown only through clients.access."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.employers import actions
from werkbrug.employers.models import Introduction, Opening
from werkbrug.employers.tests.helpers import employer, employer_consent, ips_trajectory, opening
from werkbrug.testing import actor_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def opening_data(**extra):
    data = {"title": "Afwasser", "job_type": "9", "hours_per_week": "19", "opened_on": TODAY().isoformat()}
    data.update(extra)
    return data


def test_an_opening_is_added_once(net, login):
    made = employer(net)
    client = login(net.coach)
    url = reverse("employers:opening_add", args=[made.pk])
    assert client.post(url, opening_data()).status_code == 302
    second = client.post(url, opening_data())
    assert "already has an open opening" in second.content.decode()
    job = Opening.objects.get()
    assert (job.title, job.job_type, job.hours_per_week, job.created_by) == ("Afwasser", "9", 19, net.coach)
    assert "Afwasser" in client.get(reverse("employers:detail", args=[made.pk])).content.decode()


@pytest.mark.parametrize(
    "bad", [{"title": ""}, {"job_type": "0"}, {"hours_per_week": "61"}, {"opened_on": "2200-01-01"}]
)
def test_a_bad_opening_is_a_form_error(net, login, bad):
    made = employer(net)
    response = login(net.coach).post(reverse("employers:opening_add", args=[made.pk]), opening_data(**bad))
    assert response.status_code == 200 and not Opening.objects.exists()


def test_an_opening_closes_once_and_not_before_it_opened(net, login):
    made = employer(net)
    job = opening(net, made)
    client = login(net.coach)
    url = reverse("employers:opening_close", args=[made.pk, job.pk])
    early = client.post(url, {"on": (job.opened_on - datetime.timedelta(days=1)).isoformat()})
    assert early.status_code == 200 and Opening.objects.get().closed_on is None
    assert client.post(url, {"on": TODAY().isoformat()}).status_code == 302
    again = client.post(url, {"on": TODAY().isoformat()})
    assert "already closed" in again.content.decode()
    assert Opening.objects.get().closed_on == TODAY()


def introduce_data(trajectory, **extra):
    data = {
        "trajectory": trajectory.pk,
        "trajectory__q": str(trajectory.client),
        "trajectory__label": "",
        "on": TODAY().isoformat(),
    }
    data.update(extra)
    return data


def test_a_consented_client_is_introduced_once(net, login):
    made = employer(net)
    job = opening(net, made)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    client = login(net.coach)
    url = reverse("employers:introduce", args=[made.pk, job.pk])
    assert client.post(url, introduce_data(trajectory)).status_code == 302
    second = client.post(url, introduce_data(trajectory))
    assert "already introduced" in second.content.decode()
    intro = Introduction.objects.get()
    assert (intro.trajectory, intro.outcome, intro.organisation) == (trajectory, "introduced", net.sara)


def test_a_client_without_consent_is_not_introduced(net, login):
    made = employer(net)
    job = opening(net, made)
    trajectory = ips_trajectory(net)
    response = login(net.coach).post(
        reverse("employers:introduce", args=[made.pk, job.pk]), introduce_data(trajectory)
    )
    assert "no active consent" in response.content.decode()
    assert not Introduction.objects.exists()


def test_a_client_of_another_team_is_not_introduced(net, login):
    made = employer(net)
    job = opening(net, made)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    response = login(net.gtb_coach).post(
        reverse("employers:introduce", args=[made.pk, job.pk]), introduce_data(trajectory)
    )
    assert response.status_code == 200 and not Introduction.objects.exists()


def test_no_introduction_to_a_closed_opening(net, login):
    made = employer(net)
    job = opening(net, made)
    actions.close_opening(actor_for(net.coach), job, on=TODAY())
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    response = login(net.coach).post(
        reverse("employers:introduce", args=[made.pk, job.pk]), introduce_data(trajectory)
    )
    assert response.status_code == 200 and not Introduction.objects.exists()


def introduced(net):
    made = employer(net)
    job = opening(net, made)
    trajectory = ips_trajectory(net)
    employer_consent(net, trajectory.client)
    intro = actions.introduce(actor_for(net.coach), job, trajectory, on=TODAY())
    return made, trajectory, intro


def test_introductions_are_shown_only_to_who_may_see_the_client(net, login):
    made, trajectory, _intro = introduced(net)
    url = reverse("employers:detail", args=[made.pk])
    name = str(trajectory.client)
    assert name in login(net.coach).get(url).content.decode()
    for outsider in (net.gtb_coach, net.outsider, net.care):
        assert name not in login(outsider).get(url).content.decode(), outsider
    panel = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Hulp in de bakkerij" in panel


def test_the_outcome_is_set_with_the_version_it_was_opened_on(net, login):
    made, _trajectory, intro = introduced(net)
    url = reverse("employers:outcome", args=[made.pk, intro.pk])
    coach = login(net.coach)
    seen = coach.get(url).context["seen"]
    assert coach.post(url, {"outcome": "interview", "seen": seen}).status_code == 302
    stale = coach.post(url, {"outcome": "hired", "seen": seen})
    assert "in the meantime" in stale.content.decode()
    assert Introduction.objects.get().outcome == "interview"
    same = coach.post(url, {"outcome": "interview"})
    assert "already" in same.content.decode()
    assert coach.post(url, {"outcome": "promoted"}).status_code == 200
    assert Introduction.objects.get().outcome == "interview"


@pytest.mark.parametrize("who", ["gtb_coach", "outsider", "funder", "care"])
def test_outsiders_get_404_on_an_introductions_outcome(net, login, who):
    made, _trajectory, intro = introduced(net)
    url = reverse("employers:outcome", args=[made.pk, intro.pk])
    client = login(getattr(net, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "hired"}).status_code == 404
    assert Introduction.objects.get().outcome == "introduced"
