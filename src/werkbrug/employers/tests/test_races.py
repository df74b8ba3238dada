"""Two requests at once (docs/conventions.md, "Two people at once"): a double-clicked contact, a
client introduced twice at the same moment, and the weekly review ticked twice, each give one row and
no 500."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.employers.models import EmployerContact, Introduction, WeeklyReview
from werkbrug.employers.tests.helpers import employer, employer_consent, ips_trajectory, opening
from werkbrug.testing import client_of, one_done_one_refused, race

pytestmark = pytest.mark.django_db(transaction=True)


def post(user, url, data):
    page = client_of(user)
    return lambda: page.post(url, data)


def test_a_double_clicked_contact_is_logged_once(tnet):
    made = employer(tnet)
    url = reverse("employers:contact_add", args=[made.pk])
    data = {"on": timezone.localdate().isoformat(), "mode": "phone", "purpose": "vacancy", "place": "office"}
    _done, refused = one_done_one_refused(race(post(tnet.coach, url, data), post(tnet.coach, url, data)))
    assert "just recorded" in refused.content.decode()
    assert EmployerContact.objects.count() == 1


def test_a_client_introduced_twice_at_once_is_introduced_once(tnet):
    made = employer(tnet)
    job = opening(tnet, made)
    trajectory = ips_trajectory(tnet)
    employer_consent(tnet, trajectory.client)
    url = reverse("employers:introduce", args=[made.pk, job.pk])
    data = {
        "trajectory": trajectory.pk,
        "trajectory__q": str(trajectory.client),
        "on": timezone.localdate().isoformat(),
    }
    one_done_one_refused(race(post(tnet.coach, url, data), post(tnet.coordinator, url, data)))
    assert Introduction.objects.count() == 1


def test_a_week_reviewed_twice_at_once_has_one_review(tnet):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    url = reverse("employers:review", args=[tnet.coach.pk])
    data = {"week": monday.isoformat()}
    responses = race(post(tnet.coordinator, url, data), post(tnet.coordinator, url, data))
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert WeeklyReview.objects.count() == 1
