"""The access log in words (issue 13, point 7): each entry is a translated sentence, never the raw
object type or code, and one page view writes one read row per client viewed."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from werkbrug.clients.models import Client
from werkbrug.clients.views import access_report_rows
from werkbrug.core import audit
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.exchange.actions import save_section
from werkbrug.network.models import ApiToken, Membership
from werkbrug.testing import actor_for, client_of
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import ContactKind

RAW = (
    "face_to_face",
    "plangoal",
    "sectionversion",
    "plan goal added",
    "profile section skills",
    "contact contact",
)


def _log_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def worked(net):
    """A trajectory with a contact, a plan goal and a profile section written, as the actions do it."""
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    trajectory_actions.record_contact(
        coach, trajectory, on=timezone.localdate(), kind=ContactKind.FACE_TO_FACE, duration_minutes=30
    )
    trajectory_actions.add_goal(coach, trajectory, goal="Cv afwerken", due_on=None)
    save_section(actor_for(net.care), trajectory.client, "skills", "Werkt nauwkeurig.")
    return trajectory


def test_the_access_log_reads_as_sentences_without_raw_codes(net, worked):
    # Each organisation sees its own rows (and others' as far as the client agreed).
    for user, sentences in (
        (
            net.coach,
            ("Contact added (in person)", "Goal added to the plan", "Referral accepted, trajectory started"),
        ),
        (net.care, ("Profile section Skills changed", "Client registered", "Referral submitted")),
    ):
        response = client_of(user).get(reverse("clients:access_log", args=[worked.client_id]))
        assert response.status_code == 200
        text = _log_text(response)
        for sentence in sentences:
            assert sentence in text, sentence
        assert [raw for raw in RAW if raw in text] == []


def test_the_access_log_is_dutch_for_a_dutch_reader(net, worked, settings):
    settings.LANGUAGE_CODE = "nl-be"
    client = client_of(net.coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    text = _log_text(client.get(reverse("clients:access_log", args=[worked.client_id])))
    with translation.override("nl-be"):
        contact = gettext("Contact added (%(kind)s)") % {"kind": ContactKind.FACE_TO_FACE.label}
        viewed = str(AuditAction.VIEW.label)
    assert contact in text
    assert viewed == "bekeken" and viewed in text
    assert [raw for raw in RAW if raw in text] == []
    assert "face-to-face" not in text


def test_the_access_report_names_what_was_done(net, worked):
    with translation.override("en"):
        what = [row.what for row in access_report_rows(worked.client_id)]
    assert "Contact added (in person)" in what
    assert "Goal added to the plan" in what
    assert "Profile section Skills changed" in what
    assert not any(raw in line for line in what for raw in RAW)


def test_an_unknown_object_type_falls_back_to_a_generic_sentence_not_the_code(net):
    client = net.new_client()
    event = AuditEvent.objects.create(
        user=net.care,
        client_id=client.pk,
        action=AuditAction.UPDATE,
        object_type="nosuchthing",
        summary="x_y",
    )
    with translation.override("en"):
        assert audit.describe(event) == "Data: changed"


# --- one read row per visit --------------------------------------------------------------------------


def _views(user, client_id: int) -> int:
    return AuditEvent.objects.filter(user=user, client_id=client_id, action=AuditAction.VIEW).count()


def test_one_view_of_the_client_page_writes_one_read_row(net):
    trajectory = net.trajectory(follow_outcome=True)
    for user in (net.care, net.coach):
        before = _views(user, trajectory.client_id)
        response = client_of(user).get(reverse("clients:detail", args=[trajectory.client_id]))
        assert response.status_code == 200
        assert _views(user, trajectory.client_id) == before + 1, user


def test_one_view_of_the_trajectory_page_writes_one_read_row(net):
    trajectory = net.trajectory()
    before = _views(net.coach, trajectory.client_id)
    assert client_of(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200
    assert _views(net.coach, trajectory.client_id) == before + 1


def test_each_visit_is_recorded_again(net):
    client = net.new_client()
    browser = client_of(net.care)
    before = _views(net.care, client.pk)
    for _visit in range(3):
        browser.get(reverse("clients:detail", args=[client.pk]))
    assert _views(net.care, client.pk) == before + 3


def test_one_api_call_writes_one_read_row(net, client):
    trajectory = net.trajectory()
    key = ApiToken.issue(Membership.objects.get(user=net.coach), "test")[1]
    before = _views(net.coach, trajectory.client_id)
    response = client.get(f"/api/clients/{trajectory.client_id}", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["id"] == trajectory.client_id
    assert _views(net.coach, trajectory.client_id) == before + 1


def test_code_without_a_request_records_every_view(net):
    """Background code has no page view to fold views into: each read is a row."""
    from werkbrug.clients.access import get_visible

    client = net.new_client()
    before = _views(net.care, client.pk)
    actor = actor_for(net.care)
    get_visible(actor, Client.objects.all(), client.pk, client_path="")
    get_visible(actor, Client.objects.all(), client.pk, client_path="")
    assert _views(net.care, client.pk) == before + 2


def test_the_outsider_gets_404_on_the_access_log_and_writes_no_row(net, worked):
    before = AuditEvent.objects.filter(user=net.outsider).count()
    assert (
        client_of(net.outsider).get(reverse("clients:access_log", args=[worked.client_id])).status_code == 404
    )
    assert AuditEvent.objects.filter(user=net.outsider).count() == before
