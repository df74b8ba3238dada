"""Two people at once (docs/conventions.md): the same review opened twice at the same moment makes
one review; a review finalised twice at once is finalised once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.fidelity.models import ItemScore, Review, ReviewStatus
from werkbrug.network.models import Role
from werkbrug.testing import client_of, make_user, one_done_one_refused, race

pytestmark = pytest.mark.django_db(transaction=True)

DATA = {"scale": "ips25", "team": "", "period_from": "2025-01-01", "period_to": "2025-12-31"}


def test_two_coordinators_opening_the_same_review_at_once_make_one(tnet):
    second = make_user("coordinator2", tnet.sara, Role.COORDINATOR)
    pages = [client_of(tnet.coordinator), client_of(second)]
    responses = race(*(lambda page=page: page.post(reverse("fidelity:open"), DATA) for page in pages))
    _done, refused = one_done_one_refused(responses)
    assert "already open" in refused.content.decode()
    assert Review.objects.count() == 1
    assert ItemScore.objects.count() == 25


def test_finalising_twice_at_once_finalises_once(tnet):
    page = client_of(tnet.coordinator)
    page.post(reverse("fidelity:open"), DATA)
    review = Review.objects.get()
    review.scores.update(score=3, note="gezien")
    pages = [client_of(tnet.coordinator), client_of(tnet.coordinator)]
    url = reverse("fidelity:finalise", args=[review.pk])
    responses = race(*(lambda page=page: page.post(url) for page in pages))
    assert all(not isinstance(r, Exception) and r.status_code == 302 for r in responses), responses
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINAL
    assert Review.objects.filter(status=ReviewStatus.FINAL).count() == 1
