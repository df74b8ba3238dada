"""The trajectory page and its actions: who may open and post what, and bad input writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from werkbrug.clients.actions import withdraw_consent
from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core.exceptions import DomainError
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, Role, TrajectoryType
from werkbrug.testing import SIGNED, actor_for, make_user
from werkbrug.trajectories import actions
from werkbrug.trajectories import urls as trajectory_urls
from werkbrug.trajectories.models import (
    Certainty,
    CloseReason,
    Contact,
    ContactKind,
    Economy,
    Handover,
    LadderPosition,
    Outcome,
    OutcomeKind,
    Phase,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
)
from werkbrug.trajectories.views import ladder_chart

TODAY = timezone.localdate


@dataclass
class World:
    trajectory: Trajectory
    goal: PlanGoal
    outcome: Outcome
    handover: Handover


@pytest.fixture
def world(net) -> World:
    """A running SaRA trajectory with a goal, a paid-work outcome due for verification and a handover
    proposed to a GOB (so that GTB stays uninvolved)."""
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    goal = actions.add_goal(
        coach, trajectory, goal="CV opmaken", due_on=TODAY() + datetime.timedelta(days=14)
    )
    outcome = actions.record_outcome(
        coach,
        trajectory,
        kind=OutcomeKind.PAID_WORK,
        economy=Economy.NEC,
        on=TODAY() - datetime.timedelta(days=100),
    )
    gob = Organisation.objects.create(
        name="GOB Antwerpen", kind=OrganisationKind.WORK, org_type=OrganisationType.GOB
    )
    handover = actions.propose_handover(
        coach,
        trajectory,
        to_organisation=gob,
        new_type=TrajectoryType.objects.get(code="gob"),
        note="Klaar voor jobcoaching.",
        evidence=SIGNED,
    )
    return World(trajectory, goal, outcome, handover)


def _pk_patterns() -> list[URLPattern]:
    return [p for p in trajectory_urls.urlpatterns if "<int:pk>" in str(p.pattern)]


PK_URL_NAMES = [p.name for p in _pk_patterns()]


def url_for(name: str, world: World) -> str:
    route = next(str(p.pattern) for p in _pk_patterns() if p.name == name)
    kwargs = {"pk": world.trajectory.pk}
    if "goal_pk" in route:
        kwargs["goal_pk"] = world.goal.pk
    if "outcome_pk" in route:
        kwargs["outcome_pk"] = world.outcome.pk
    if "handover_pk" in route:
        kwargs["handover_pk"] = world.handover.pk
    return reverse(f"trajectories:{name}", kwargs=kwargs)


def snapshot() -> tuple[object, ...]:
    """Everything a trajectory action could write."""
    return (
        Contact.objects.count(),
        TrajectoryEvent.objects.count(),
        LadderPosition.objects.count(),
        PlanGoal.objects.count(),
        PlanGoal.objects.filter(done_on__isnull=False).count(),
        Outcome.objects.count(),
        Outcome.objects.filter(certainty=Certainty.VERIFIED).count(),
        sorted(Handover.objects.values_list("pk", "status")),
        sorted(Trajectory.objects.values_list("pk", "status", "phase", "coach_id", "lead_organisation_id")),
    )


def test_every_trajectory_url_is_covered_by_the_access_tests():
    assert {
        "detail",
        "contacts",
        "contact_create",
        "quick_contact",
        "phase",
        "ladder_create",
        "goal_create",
        "goal_done",
        "outcome_create",
        "outcome_verify",
        "pause",
        "resume",
        "close",
        "reopen",
        "coach_change",
        "handover_create",
        "handover_withdraw",
        "handover_accept",
        "handover_decline",
    } <= set(PK_URL_NAMES)


@pytest.mark.parametrize("name", PK_URL_NAMES)
def test_every_trajectory_page_opens_for_the_lead_coach(net, world, login, name):
    response = login(net.coach).get(url_for(name, world))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
@pytest.mark.parametrize("name", PK_URL_NAMES)
def test_uninvolved_users_get_404_on_every_trajectory_url_and_write_nothing(net, world, login, persona, name):
    client = login(getattr(net, persona))
    url = url_for(name, world)
    before = snapshot()
    assert client.get(url).status_code == 404
    post = {
        "text": "tel 15 belde",
        "reason": CloseReason.CLIENT_CHOICE,
        "note": "x",
        "phase": Phase.ENGAGEMENT,
        "on": TODAY().isoformat(),
        "kind": ContactKind.PHONE,
        "rung": 3,
        "goal": "x",
    }
    assert client.post(url, post).status_code == 404
    assert snapshot() == before


def test_a_goal_of_another_trajectory_is_not_reachable_through_this_one(net, world, login):
    other = net.trajectory()
    url = reverse("trajectories:goal_done", kwargs={"pk": other.pk, "goal_pk": world.goal.pk})
    assert login(net.coach).post(url).status_code == 404
    world.goal.refresh_from_db()
    assert world.goal.done_on is None


def test_withdrawing_the_collaboration_consent_closes_the_trajectory_to_the_coach_at_once(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    assert client.get(url).status_code == 200
    consent = Consent.objects.get(
        client=trajectory.client, recipient=net.sara, purpose=ConsentPurpose.COLLABORATION
    )
    withdraw_consent(actor_for(net.care), consent)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("trajectories:quick_contact", args=[trajectory.pk]), {"text": "tel"}).status_code
        == 404
    )


def test_the_page_shows_header_partners_and_timeline(net, login):
    trajectory = net.trajectory()
    body = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert reverse("clients:detail", args=[trajectory.client_id]) in body
    assert "Arbeidscoach-voortraject" in body
    assert "SaRA Arbeidscoaching" in body
    assert "PZ Bethanië" in body
    assert "care partner in the background" in body
    assert 'id="timeline"' in body


# --- contacts ------------------------------------------------------------------------------


def test_quick_entry_records_a_phone_contact_in_one_line(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:quick_contact", args=[trajectory.pk]), {"text": "tel 15 belde over vacature"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(trajectory=trajectory)
    assert (contact.kind, contact.duration_minutes, contact.note) == (
        ContactKind.PHONE,
        15,
        "belde over vacature",
    )
    assert contact.recorded_by == net.coach
    trajectory.refresh_from_db()
    assert trajectory.last_contact_on == TODAY()


def test_quick_entry_of_an_informal_talk_is_marked_informal(net, login):
    trajectory = net.trajectory()
    login(net.coach).post(
        reverse("trajectories:quick_contact", args=[trajectory.pk]), {"text": "informeel gesprek in de gang"}
    )
    contact = Contact.objects.get(trajectory=trajectory)
    assert contact.informal
    assert contact.kind == ContactKind.FACE_TO_FACE


def test_the_full_contact_form_records_a_contact(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:contact_create", args=[trajectory.pk]),
        {
            "on": TODAY().isoformat(),
            "kind": ContactKind.HOME_VISIT,
            "duration_minutes": "60",
            "note": "thuis",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get(trajectory=trajectory).kind == ContactKind.HOME_VISIT


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        (
            "contact_create",
            {"on": "2099-01-01", "kind": ContactKind.PHONE, "note": "x"},
            "A contact cannot lie in the future.",
        ),
        ("contact_create", {"on": "today", "kind": ContactKind.PHONE}, ""),
        ("contact_create", {"on": "", "kind": "teleport"}, ""),
        ("contact_create", {"kind": ContactKind.PHONE, "note": "x" * 501}, "500"),
        ("contact_create", {"kind": ContactKind.PHONE, "duration_minutes": "5000"}, ""),
        ("quick_contact", {"text": "12/11/2099 tel 15 belde"}, "A contact cannot lie in the future."),
        ("quick_contact", {"text": "tel " + "x" * 501}, "500"),
        ("quick_contact", {"text": "   "}, ""),
        ("quick_contact", {"text": "31/02 tel"}, "31/02"),
    ],
)
def test_bad_contact_input_is_refused_with_a_message_and_writes_nothing(net, login, url_name, data, message):
    trajectory = net.trajectory()
    data = {"on": TODAY().isoformat(), **data} if url_name == "contact_create" and "on" not in data else data
    before = snapshot()
    response = login(net.coach).post(reverse(f"trajectories:{url_name}", args=[trajectory.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert snapshot() == before


def test_care_notes_are_invisible_to_the_work_partner(net, login):
    trajectory = net.trajectory(follow_outcome=True)
    care = login(net.care)
    response = care.post(
        reverse("trajectories:contact_create", args=[trajectory.pk]),
        {
            "on": TODAY().isoformat(),
            "kind": ContactKind.FACE_TO_FACE,
            "note": "medicatie aangepast",
            "care_only": "on",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get(trajectory=trajectory).care_only
    assert (
        "medicatie aangepast"
        in care.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    )

    coach = login(net.coach)
    for name in ("detail", "contacts"):
        body = coach.get(reverse(f"trajectories:{name}", args=[trajectory.pk])).content.decode()
        assert "medicatie aangepast" not in body


def test_a_work_partner_cannot_write_a_care_note(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    assert (
        "care_only" not in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    )
    client.post(
        reverse("trajectories:contact_create", args=[trajectory.pk]),
        {"on": TODAY().isoformat(), "kind": ContactKind.PHONE, "note": "x", "care_only": "on"},
    )
    assert not Contact.objects.get(trajectory=trajectory).care_only


def test_the_page_shows_the_last_20_contacts_and_links_to_all(net, login):
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    for i in range(25):
        actions.record_contact(
            coach,
            trajectory,
            on=TODAY() - datetime.timedelta(days=i),
            kind=ContactKind.PHONE,
            note=f"nota-{i:02d}",
        )
    client = login(net.coach)
    body = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "nota-00" in body and "nota-19" in body and "nota-20" not in body
    assert body.index("nota-00") < body.index("nota-19")  # newest first
    assert reverse("trajectories:contacts", args=[trajectory.pk]) in body
    assert "nota-24" in client.get(reverse("trajectories:contacts", args=[trajectory.pk])).content.decode()


# --- phase, ladder, plan ---------------------------------------------------------------------


def test_the_lead_coach_changes_the_phase(net, login):
    trajectory = net.trajectory()
    login(net.coach).post(reverse("trajectories:phase", args=[trajectory.pk]), {"phase": Phase.SEARCH})
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.SEARCH
    assert trajectory.events.filter(kind="phase").exists()


def test_lead_only_forms_are_hidden_from_the_care_partner_and_refused_when_posted(net, login):
    trajectory = net.trajectory(follow_outcome=True)
    client = login(net.care)
    body = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    for name in ("phase", "close", "pause", "outcome_create", "handover_create"):
        assert reverse(f"trajectories:{name}", args=[trajectory.pk]) not in body
    # The care partner contributes: contacts and goals are open to it.
    assert reverse("trajectories:quick_contact", args=[trajectory.pk]) in body
    before = snapshot()
    response = client.post(reverse("trajectories:phase", args=[trajectory.pk]), {"phase": Phase.SEARCH})
    assert response.status_code == 200
    assert "Only the coach or coordinator of the lead organisation can do this." in response.content.decode()
    assert snapshot() == before


def test_ladder_positions_are_recorded_and_drawn_without_inline_styles(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    for rung, days in ((2, 60), (3, 30), (4, 0)):
        response = client.post(
            reverse("trajectories:ladder_create", args=[trajectory.pk]),
            {"rung": rung, "on": (TODAY() - datetime.timedelta(days=days)).isoformat()},
        )
        assert response.status_code == 302
    assert list(trajectory.ladder.values_list("rung", flat=True)) == [2, 3, 4]
    body = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "<svg" in body and "<polyline" in body
    assert "style=" not in body


def test_the_ladder_chart_puts_higher_rungs_higher_and_later_dates_further_right():
    positions = [
        LadderPosition(on=datetime.date(2025, 1, 1), rung=1),
        LadderPosition(on=datetime.date(2025, 3, 1), rung=6),
    ]
    chart = ladder_chart(positions)
    assert chart is not None
    first, last = chart.dots
    assert last.x > first.x and last.y < first.y
    assert ladder_chart([]) is None
    single = ladder_chart(positions[:1])
    assert single is not None and single.dots[0].x == (single.left + single.right) / 2


def test_goals_are_added_and_marked_done(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    due = TODAY() - datetime.timedelta(days=3)
    client.post(
        reverse("trajectories:goal_create", args=[trajectory.pk]),
        {"goal": "Vacatures zoeken", "due_on": due.isoformat()},
    )
    goal = PlanGoal.objects.get(trajectory=trajectory)
    assert "overdue" in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    response = client.post(reverse("trajectories:goal_done", args=[trajectory.pk, goal.pk]))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.done_on == TODAY()


def test_an_over_long_goal_is_refused(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:goal_create", args=[trajectory.pk]), {"goal": "x" * 301}
    )
    assert response.status_code == 200
    assert not PlanGoal.objects.exists()


# --- outcomes ------------------------------------------------------------------------------


def test_paid_work_is_recorded_with_its_economy_and_verified_after_three_months(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    started = TODAY() - datetime.timedelta(days=100)
    response = client.post(
        reverse("trajectories:outcome_create", args=[trajectory.pk]),
        {
            "kind": OutcomeKind.PAID_WORK,
            "on": started.isoformat(),
            "economy": Economy.NEC,
            "certainty": "estimated",
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(trajectory=trajectory)
    assert outcome.verify_due_on == started + datetime.timedelta(days=91)
    body = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "verify after 3 months" in body
    verify_url = reverse("trajectories:outcome_verify", args=[trajectory.pk, outcome.pk])
    assert verify_url in body
    assert client.post(verify_url, {"on": TODAY().isoformat()}).status_code == 302
    outcome.refresh_from_db()
    assert outcome.certainty == Certainty.VERIFIED


def test_recent_paid_work_has_no_verify_button_yet_and_early_verification_is_refused(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    outcome = actions.record_outcome(
        actor_for(net.coach), trajectory, kind=OutcomeKind.PAID_WORK, economy=Economy.SOCIAL, on=TODAY()
    )
    verify_url = reverse("trajectories:outcome_verify", args=[trajectory.pk, outcome.pk])
    body = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "verify after 3 months" in body
    assert f'action="{verify_url}"' not in body
    response = client.post(verify_url, {"on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "three months" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.certainty == Certainty.ESTIMATED


def test_paid_work_without_economy_is_refused(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:outcome_create", args=[trajectory.pk]),
        {"kind": OutcomeKind.PAID_WORK, "on": TODAY().isoformat(), "economy": "", "certainty": "estimated"},
    )
    assert response.status_code == 200
    assert "Say whether the job is in the regular or the social economy." in response.content.decode()
    assert not Outcome.objects.exists()


# --- pause, close, re-open, coach ----------------------------------------------------------


def test_the_lead_coach_pauses_and_resumes(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    assert (
        client.post(reverse("trajectories:pause", args=[trajectory.pk]), {"reason": "opname"}).status_code
        == 302
    )
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.PAUSED
    assert client.post(reverse("trajectories:resume", args=[trajectory.pk])).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE


def test_a_pause_without_reason_is_refused(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(reverse("trajectories:pause", args=[trajectory.pk]), {"reason": " "})
    assert response.status_code == 200
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "", "note": ""}, "Choose a reason for closing."),
        ({"reason": CloseReason.OTHER, "note": "  "}, "Explain the reason for closing."),
        ({"reason": CloseReason.LOST_CONTACT, "note": ""}, "never closed for missed appointments alone"),
        ({"reason": "no_show", "note": ""}, ""),
        (
            {"reason": CloseReason.CLIENT_CHOICE, "note": "", "on": "2099-01-01"},
            "This date lies in the future.",
        ),
        ({"reason": CloseReason.OTHER, "note": "x" * 1001}, ""),
    ],
)
def test_closing_with_bad_input_gives_a_clear_message_and_changes_nothing(net, login, data, message):
    trajectory = net.trajectory()
    # Two attempts are not enough to close for lost contact.
    for _ in range(2):
        actions.record_contact(
            actor_for(net.coach), trajectory, on=TODAY(), kind=ContactKind.OUTREACH_ATTEMPT
        )
    before = snapshot()
    response = login(net.coach).post(reverse("trajectories:close", args=[trajectory.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_closing_for_lost_contact_after_three_outreach_attempts_and_reopening(net, login):
    trajectory = net.trajectory()
    client = login(net.coach)
    for _ in range(3):
        client.post(
            reverse("trajectories:quick_contact", args=[trajectory.pk]), {"text": "poging geen gehoor"}
        )
    response = client.post(
        reverse("trajectories:close", args=[trajectory.pk]), {"reason": CloseReason.LOST_CONTACT, "note": ""}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.CLOSED
    body = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert reverse("trajectories:reopen", args=[trajectory.pk]) in body
    assert reverse("trajectories:quick_contact", args=[trajectory.pk]) not in body
    assert (
        client.post(reverse("trajectories:reopen", args=[trajectory.pk]), {"note": "terug"}).status_code
        == 302
    )
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE


def test_the_close_form_explains_that_missed_appointments_never_end_services(net, login):
    trajectory = net.trajectory()
    body = login(net.coach).get(reverse("trajectories:close", args=[trajectory.pk])).content.decode()
    assert "Services never end for missed appointments alone" in body


def test_the_lead_coordinator_changes_the_coach(net, login):
    trajectory = net.trajectory()
    other = make_user("coach2", net.sara, Role.COACH)
    client = login(net.coordinator)
    assert (
        reverse("trajectories:coach_change", args=[trajectory.pk])
        in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    )
    response = client.post(reverse("trajectories:coach_change", args=[trajectory.pk]), {"coach": other.pk})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.coach == other


def test_a_coach_of_another_organisation_cannot_be_chosen(net, login):
    trajectory = net.trajectory()
    response = login(net.coordinator).post(
        reverse("trajectories:coach_change", args=[trajectory.pk]), {"coach": net.gtb_coach.pk}
    )
    assert response.status_code == 200
    trajectory.refresh_from_db()
    assert trajectory.coach == net.coach


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 35])
def test_the_trajectory_page_runs_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, rows
):
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    for i in range(rows):
        day = TODAY() - datetime.timedelta(days=i)
        actions.record_contact(coach, trajectory, on=day, kind=ContactKind.PHONE, note=f"n{i}")
        actions.record_ladder(coach, trajectory, rung=1 + i % 6, on=day)
        actions.add_goal(coach, trajectory, goal=f"g{i}", due_on=day)
        actions.record_outcome(coach, trajectory, kind=OutcomeKind.TRAINING, on=day)
        actions.set_phase(coach, trajectory, Phase.ENGAGEMENT if i % 2 else Phase.SEARCH)
    client = login(net.coach)
    client.get(reverse("trajectories:detail", args=[trajectory.pk]))  # warm the session
    # The page's own reads, plus at most one or two for each practice area's section (panels): ips,
    # employers, work-care, the outreach path and zitdagen, group modules. Constant in the rows.
    with django_assert_max_num_queries(21):
        response = client.get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("trajectories:contacts", args=[trajectory.pk])).status_code == 200


def test_every_trajectory_view_declares_an_access_policy():
    missing = [p.name for p in trajectory_urls.urlpatterns if not hasattr(p.callback, "access_policy")]
    assert missing == []


def test_a_closed_trajectory_takes_no_new_contacts(net):
    trajectory = net.trajectory()
    coach = actor_for(net.coach)
    actions.close_trajectory(coach, trajectory, reason="client_choice", note="")
    with pytest.raises(DomainError):
        actions.record_contact(coach, trajectory, on=TODAY(), kind=ContactKind.PHONE)
    assert not trajectory.contacts.exists()


def test_a_care_note_does_not_move_the_last_contact_work_partners_see(net):
    trajectory = net.trajectory()
    day = TODAY() - datetime.timedelta(days=10)
    actions.record_contact(actor_for(net.coach), trajectory, on=day, kind=ContactKind.PHONE)
    actions.record_contact(
        actor_for(net.care), trajectory, on=TODAY(), kind=ContactKind.FACE_TO_FACE, care_only=True
    )
    trajectory.refresh_from_db()
    assert trajectory.last_contact_on == day
