"""The written summary and action plan the client takes along after a conversation (A4 PDF)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.testing import actor_for, days_ago, pdf_info, pdf_text, propose_to_gtb
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import ContactKind, Trajectory

CARE_NOTE = "Medicatie aangepast na opname"


@pytest.fixture
def trajectory(net) -> Trajectory:
    """A trajectory with an open and a done goal, coach contacts and a care note of the PZ."""
    trajectory = net.trajectory(follow_outcome=True)
    coach = actor_for(net.coach)
    actions.add_goal(coach, trajectory, goal="CV opmaken", due_on=days_ago(-14))
    actions.add_goal(coach, trajectory, goal="Vacatures zoeken", due_on=None)
    done = actions.add_goal(coach, trajectory, goal="Intake afronden", due_on=days_ago(5))
    actions.complete_goal(coach, done, on=days_ago(1))
    for i in range(1, 8):
        actions.record_contact(
            coach, trajectory, on=days_ago(i * 2), kind=ContactKind.PHONE, note=f"gesprek-{i}"
        )
    actions.record_contact(
        actor_for(net.care),
        trajectory,
        on=days_ago(1),
        kind=ContactKind.PHONE,
        note=CARE_NOTE,
        care_only=True,
    )
    return trajectory


def summary(login, user, trajectory: Trajectory):
    return login(user).get(reverse("feedback:summary_pdf", args=[trajectory.pk]))


def test_the_summary_pdf_holds_the_client_the_coach_and_the_open_goals(net, login, trajectory):
    response = summary(login, net.coach, trajectory)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert "Jan Peeters" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        "Jan Peeters",
        str(net.coach),
        "SaRA Arbeidscoaching",
        "CV opmaken",
        "Vacatures zoeken",
        days_ago(-14).strftime("%d/%m/%Y"),
        timezone.localdate().strftime("%d/%m/%Y"),
    ):
        assert expected in text, expected
    assert "Intake afronden" not in text


def test_the_summary_lists_the_last_five_contacts(net, login, trajectory):
    text = pdf_text(summary(login, net.coach, trajectory).content)
    assert [f"gesprek-{i}" in text for i in range(1, 8)] == [True] * 5 + [False] * 2


def test_the_summary_excludes_a_care_only_note(net, login, trajectory):
    assert CARE_NOTE not in pdf_text(summary(login, net.coach, trajectory).content)


def test_the_summary_never_holds_care_notes_even_when_the_care_partner_prints_it(net, login, trajectory):
    response = summary(login, net.care, trajectory)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "CV opmaken" in text
    assert CARE_NOTE not in text


def test_the_summary_is_audited_as_an_export(net, login, trajectory):
    before = AuditEvent.objects.count()
    summary(login, net.coach, trajectory)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.object_type, e.client_id) for e in events] == [
        (AuditAction.EXPORT, "trajectory", trajectory.client_id)
    ]


def test_the_summary_is_a4(net, login, trajectory):
    content = summary(login, net.coach, trajectory).content
    assert "A4" in pdf_info(content)


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_outsiders_get_404_on_the_summary(net, login, trajectory, persona):
    before = AuditEvent.objects.count()
    assert summary(login, getattr(net, persona), trajectory).status_code == 404
    assert AuditEvent.objects.count() == before


def test_an_organisation_only_asked_to_take_over_gets_no_summary(net, login, trajectory):
    propose_to_gtb(net, trajectory, note="Klaar voor GTB.")
    assert summary(login, net.gtb_coach, trajectory).status_code == 404
