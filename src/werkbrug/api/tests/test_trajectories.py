"""Trajectories, contacts and outcomes through the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from werkbrug.testing import actor_for
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Contact, Outcome

TODAY = timezone.localdate().isoformat()


def paths(trajectory):
    return [
        f"/api/trajectories/{trajectory.pk}",
        f"/api/trajectories/{trajectory.pk}/contacts",
        f"/api/trajectories/{trajectory.pk}/outcomes",
    ]


def test_coach_and_care_partner_read_the_trajectory(net, api):
    trajectory = net.trajectory(follow_outcome=True)
    for user in (net.coach, net.coordinator, net.care):
        for path in paths(trajectory):
            assert api.get(user, path).status_code == 200, (user, path)
        assert [t["id"] for t in api.get(user, "/api/trajectories").json()["items"]] == [trajectory.pk]
    detail = api.get(net.coach, f"/api/trajectories/{trajectory.pk}").json()
    assert detail["lead_organisation"]["id"] == net.sara.pk
    assert detail["coach"]["id"] == net.coach.pk
    assert [p["organisation"]["id"] for p in detail["partners"]] == [net.hospital.pk]


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "gtb_screener"])
def test_outsider_gets_404_on_trajectory_and_every_sub_resource(net, api, persona):
    trajectory = net.trajectory()
    user = getattr(net, persona)
    for path in paths(trajectory):
        assert api.get(user, path).status_code == 404, path
    assert api.get(user, "/api/trajectories").json()["count"] == 0
    before = (Contact.objects.count(), Outcome.objects.count())
    contact = {"on": TODAY, "kind": "phone"}
    assert api.post(user, f"/api/trajectories/{trajectory.pk}/contacts", contact).status_code == 404
    outcome = {"kind": "training", "on": TODAY}
    assert api.post(user, f"/api/trajectories/{trajectory.pk}/outcomes", outcome).status_code == 404
    assert (Contact.objects.count(), Outcome.objects.count()) == before


def test_coach_records_a_contact(net, api):
    trajectory = net.trajectory()
    today = timezone.localdate()
    response = api.post(
        net.coach,
        f"/api/trajectories/{trajectory.pk}/contacts",
        {"on": today.isoformat(), "kind": "face_to_face", "duration_minutes": 45, "note": "Eerste gesprek."},
    )
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.recorded_by, contact.organisation, contact.duration_minutes) == (net.coach, net.sara, 45)
    trajectory.refresh_from_db()
    assert trajectory.last_contact_on == today
    listed = api.get(net.coach, f"/api/trajectories/{trajectory.pk}/contacts").json()
    assert [c["id"] for c in listed["items"]] == [contact.pk]


def test_care_notes_stay_with_care_partners(net, api):
    trajectory = net.trajectory(follow_outcome=True)
    response = api.post(
        net.care,
        f"/api/trajectories/{trajectory.pk}/contacts",
        {"kind": "phone", "note": "Medicatie aangepast.", "care_only": True},
    )
    assert response.status_code == 201, response.json()
    assert api.get(net.care, f"/api/trajectories/{trajectory.pk}/contacts").json()["count"] == 1
    assert api.get(net.coach, f"/api/trajectories/{trajectory.pk}/contacts").json()["count"] == 0


def test_work_partner_cannot_write_a_care_note(net, api):
    trajectory = net.trajectory()
    response = api.post(
        net.coach, f"/api/trajectories/{trajectory.pk}/contacts", {"kind": "phone", "care_only": True}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "care_only"
    assert not Contact.objects.exists()


def test_lead_coach_records_an_outcome(net, api):
    trajectory = net.trajectory(follow_outcome=True)
    response = api.post(
        net.coach,
        f"/api/trajectories/{trajectory.pk}/outcomes",
        {"kind": "paid_work", "on": timezone.localdate().isoformat(), "economy": "nec"},
    )
    assert response.status_code == 201, response.json()
    outcome = Outcome.objects.get(pk=response.json()["id"])
    assert (outcome.kind, outcome.economy, outcome.certainty) == ("paid_work", "nec", "estimated")
    assert response.json()["verify_due_on"] is not None
    assert [
        o["id"] for o in api.get(net.care, f"/api/trajectories/{trajectory.pk}/outcomes").json()["items"]
    ] == [outcome.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "paid_work", "on": TODAY}, "economy"),
        ({"kind": "paid_work", "on": TODAY, "economy": "nec", "certainty": "verified"}, "certainty"),
        ({"kind": "training", "on": "2099-01-01"}, "on"),
    ],
)
def test_outcome_rules_are_a_400_and_write_nothing(net, api, body, field):
    trajectory = net.trajectory()
    response = api.post(net.coach, f"/api/trajectories/{trajectory.pk}/outcomes", body)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert not Outcome.objects.exists()


def test_partner_that_does_not_lead_cannot_record_an_outcome(net, api):
    trajectory = net.trajectory(follow_outcome=True)
    response = api.post(
        net.care, f"/api/trajectories/{trajectory.pk}/outcomes", {"kind": "training", "on": TODAY}
    )
    assert response.status_code == 400
    assert not Outcome.objects.exists()


def test_future_contact_is_a_400(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, f"/api/trajectories/{trajectory.pk}/contacts", {"on": "2099-01-01"})
    assert response.status_code == 400
    assert response.json()["field"] == "on"
    assert not Contact.objects.exists()


def test_trajectory_reads_are_audited_via_api(net, api):
    from werkbrug.core.models import AuditAction, AuditEvent

    trajectory = net.trajectory()
    actions.record_contact(actor_for(net.coach), trajectory, on=timezone.localdate(), kind="phone")
    AuditEvent.objects.all().delete()
    for path in paths(trajectory):
        api.get(net.coach, path)
    events = AuditEvent.objects.filter(action=AuditAction.VIEW, client_id=trajectory.client_id)
    assert events.count() == 3
    assert all(e.via_api for e in events)
