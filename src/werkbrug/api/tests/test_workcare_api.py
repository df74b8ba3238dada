"""Work-care agreements through the API: the same rules as the page (workcare.actions)."""

from __future__ import annotations

import pytest

from werkbrug.workcare.models import ELEMENTS, WorkCareAgreement
from werkbrug.workcare.tests.data import SEVEN, agreement, workcare_trajectory, workshop

pytestmark = pytest.mark.django_db


def _url(trajectory, *rest):
    return "/".join([f"/api/trajectories/{trajectory.pk}/workcare-agreements", *map(str, rest)])


def test_the_api_records_a_draft_and_signs_it_once_complete(net, api):
    trajectory, at = workcare_trajectory(net), workshop(net)
    payload = {"workshop_id": at.pk, "form": "home", "aim": "finality", "starts_on": "2026-03-01", **SEVEN}
    created = api.post(net.coach, _url(trajectory), payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["missing"] == []
    assert body["place"] == SEVEN["place"]
    signed = api.post(net.coach, _url(trajectory, body["id"], "sign"), {"signed_on": "2026-03-01"})
    assert signed.status_code == 200
    assert signed.json()["signed_on"] == "2026-03-01"
    listed = api.get(net.coach, _url(trajectory))
    assert [row["id"] for row in listed.json()] == [body["id"]]


@pytest.mark.parametrize("element", [name for name, _label in ELEMENTS])
def test_the_api_refuses_to_sign_an_agreement_missing_an_element(net, api, element):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at, **{element: ""})
    response = api.post(net.coach, _url(trajectory, draft.pk, "sign"), {"signed_on": "2026-03-01"})
    assert response.status_code == 400
    assert str(dict(ELEMENTS)[element]) in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.signed_on is None


def test_the_api_refuses_an_end_before_the_start(net, api):
    trajectory, at = workcare_trajectory(net), workshop(net)
    payload = {
        "workshop_id": at.pk,
        "form": "atelier",
        "aim": "onward",
        "starts_on": "2026-03-01",
        "ends_on": "2026-02-01",
    }
    response = api.post(net.coach, _url(trajectory), payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ends_on"]
    assert not WorkCareAgreement.objects.exists()


@pytest.mark.parametrize("who", ["funder", "outsider", "gtb_coach", "care"])
def test_outsiders_get_404_from_the_work_care_api(net, api, who):
    trajectory, at = workcare_trajectory(net), workshop(net)
    draft = agreement(net, trajectory, at)
    user = getattr(net, who)
    assert api.get(user, _url(trajectory)).status_code == 404
    assert api.post(user, _url(trajectory, draft.pk, "sign"), {"signed_on": "2026-03-01"}).status_code == 404
    draft.refresh_from_db()
    assert draft.signed_on is None
