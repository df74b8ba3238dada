"""Group modules (issue 18 point 1): the template's phases give the run's dates, the 14th enrolment
goes to the waiting list and a freed seat is offered to the first waiting, attendance totals per
participant, placement and outcome."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.groups import actions
from werkbrug.groups.models import Attendance, Enrolment, EnrolmentStatus, ModuleTemplate, Outcome
from werkbrug.groups.tests.helpers import enrol_new, gtb_trajectory, job_radar, plan_run
from werkbrug.testing import actor_for

pytestmark = pytest.mark.django_db


def test_job_radar_is_seeded_with_its_three_phases():
    template = ModuleTemplate.objects.get(name="Job-Radar")
    assert (template.weeks, template.cap) == (14, 13)
    phases = list(template.phases.order_by("first_week"))
    assert [(p.first_week, p.last_week) for p in phases] == [(1, 3), (4, 6), (7, 14)]
    assert [p.is_placement for p in phases] == [False, False, True]
    assert phases[2].week_count == 8


def test_phase_dates_follow_the_template(net, login):
    start = datetime.date(2026, 3, 2)  # a Monday
    run = plan_run(net, starts_on=start)
    # Week n starts 7 * (n - 1) days after the start and ends the day before week n + 1.
    expected = [
        (start, start + datetime.timedelta(days=20)),  # weeks 1-3
        (start + datetime.timedelta(days=21), start + datetime.timedelta(days=41)),  # weeks 4-6
        (start + datetime.timedelta(days=42), start + datetime.timedelta(days=97)),  # weeks 7-14
    ]
    assert [(p["starts_on"], p["ends_on"]) for p in run.phase_dates()] == expected
    assert run.ends_on == datetime.date(2026, 6, 7)
    page = login(net.coach).get(reverse("groups:run", args=[run.pk])).content.decode()
    assert "13/04/2026" in page and "07/06/2026" in page  # the placement phase's dates


def test_the_fourteenth_enrolment_goes_to_the_waiting_list(net):
    run = plan_run(net)
    enrolments = [enrol_new(net, run, first_name=f"P{i}") for i in range(14)]
    statuses = [e.status for e in enrolments]
    assert statuses == [EnrolmentStatus.ENROLLED] * 13 + [EnrolmentStatus.WAITING]
    # A freed seat is offered to the first on the waiting list, who takes it.
    actions.withdraw(actor_for(net.coach), enrolments[3])
    enrolments[13].refresh_from_db()
    assert enrolments[13].status == EnrolmentStatus.OFFERED
    fifteenth = enrol_new(net, run, first_name="P15")
    assert fifteenth.status == EnrolmentStatus.WAITING  # the offered seat is held
    actions.accept_seat(actor_for(net.coach), enrolments[13])
    assert Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED).count() == 13


def test_enrolling_the_same_client_twice_is_refused(net):
    run = plan_run(net)
    enrolment = enrol_new(net, run)
    with pytest.raises(InvalidTransition, match="already on this module"):
        actions.enrol(actor_for(net.coach), run, enrolment.trajectory)
    assert Enrolment.objects.count() == 1


def test_another_team_needs_the_clients_consent_for_the_running_organisation(net):
    run = plan_run(net)
    trajectory = gtb_trajectory(net, consent_for_sara=False)
    with pytest.raises(DomainError, match="no active consent"):
        actions.enrol(actor_for(net.gtb_coach), run, trajectory)
    assert not Enrolment.objects.exists()


def test_attendance_totals_per_participant(net, login):
    run = plan_run(net, starts_on=timezone.localdate() - datetime.timedelta(days=20))
    a, b, c = (enrol_new(net, run, first_name=n) for n in ("Anna", "Bert", "Carla"))
    coach = actor_for(net.coach)
    days = [run.starts_on + datetime.timedelta(days=d) for d in (0, 2, 7, 9)]
    sessions = [actions.add_session(coach, run, on=day) for day in days]
    grid = {
        a.pk: ["present", "present", "absent", "present"],
        b.pk: ["excused", "present", "", "absent"],
        c.pk: ["absent", "absent", "absent", "excused"],
    }
    for i, session in enumerate(sessions):
        actions.record_attendance(coach, session, {pk: row[i] for pk, row in grid.items()})
    # Saving a session again with the same choices writes nothing more.
    assert actions.record_attendance(coach, sessions[0], {pk: row[0] for pk, row in grid.items()}) == 0
    expected = {pk: {k: row.count(k) for k in ("present", "excused", "absent")} for pk, row in grid.items()}
    page = login(net.coach).get(reverse("groups:participants", args=[run.pk])).content.decode()
    for pk, totals in expected.items():
        row = page.split(f'data-enrolment="{pk}"')[1].split("</tr>")[0]
        for kind, n in totals.items():
            assert f"data-{kind}>{n}<" in row
    assert Attendance.objects.count() == sum(1 for row in grid.values() for v in row if v)


def test_attendance_posted_through_the_page(net, login):
    run = plan_run(net)
    a = enrol_new(net, run)
    session = actions.add_session(actor_for(net.coach), run, on=run.starts_on)
    url = reverse("groups:attendance", args=[run.pk, session.pk])
    web = login(net.coach)
    assert web.post(url, {f"p{a.pk}": "present"}).status_code == 302
    assert web.post(url, {f"p{a.pk}": "present"}).status_code == 302  # double submit: one row
    assert Attendance.objects.get().presence == "present"
    refused = web.post(url, {f"p{a.pk}": "nonsense"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()


def test_a_session_outside_the_module_is_refused(net):
    run = plan_run(net)
    with pytest.raises(DomainError, match="within the module"):
        actions.add_session(actor_for(net.coach), run, on=run.ends_on + datetime.timedelta(days=1))


def test_placement_with_a_registered_employer_or_a_free_name(net, login):
    from werkbrug.employers.tests.helpers import employer

    run = plan_run(net)
    a, b = enrol_new(net, run, first_name="Anna"), enrol_new(net, run, first_name="Bert")
    made = employer(net)
    web = login(net.coach)
    url = reverse("groups:placement", args=[run.pk, a.pk])
    assert web.post(url, {"employer": made.pk, "employer__q": made.name}).status_code == 302
    assert (
        web.post(reverse("groups:placement", args=[run.pk, b.pk]), {"name": "Kringwinkel Noord"}).status_code
        == 302
    )
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.placement_employer, b.placement_name) == (made, "Kringwinkel Noord")
    empty = web.post(url, {"name": " "})
    assert empty.status_code == 200 and "Choose an employer" in empty.content.decode()


def test_outcome_only_in_the_last_week_except_stopping(net, login):
    run = plan_run(net)  # started a week ago
    a = enrol_new(net, run)
    web = login(net.coach)
    url = reverse("groups:outcome", args=[run.pk, a.pk])
    early = web.post(url, {"outcome": Outcome.IPS})
    assert early.status_code == 200 and "last week of the module" in early.content.decode()
    assert web.post(url, {"outcome": Outcome.STOPPED}).status_code == 302
    ended = plan_run(net, starts_on=timezone.localdate() - datetime.timedelta(weeks=14))
    b = Enrolment.objects.create(
        run=ended, trajectory=net.trajectory(), status=EnrolmentStatus.ENROLLED, enrolled_by=net.coach
    )
    actions.set_outcome(actor_for(net.coach), b, outcome=Outcome.IPS)
    assert Enrolment.objects.get(pk=b.pk).outcome == Outcome.IPS


def test_the_coordinator_sees_fill_rate_and_completion(net, login):
    run = plan_run(net, starts_on=timezone.localdate() - datetime.timedelta(weeks=14))
    rows = [
        Enrolment.objects.create(
            run=run, trajectory=net.trajectory(), status=EnrolmentStatus.ENROLLED, enrolled_by=net.coach
        )
        for _ in range(4)
    ]
    coach = actor_for(net.coach)
    for row, outcome in zip(rows, [Outcome.IPS, Outcome.WORK, Outcome.STOPPED], strict=False):
        actions.set_outcome(coach, row, outcome=outcome)
    fill, completion = round(100 * 4 / 13), round(100 * 2 / 3)
    page = login(net.coordinator).get(reverse("groups:runs")).content.decode()
    assert f"data-fill-rate>{fill}%<" in page and f"data-completion>{completion}%<" in page
    coach_page = login(net.coach).get(reverse("groups:runs")).content.decode()
    assert "data-fill-rate" not in coach_page


def test_the_trajectory_page_shows_the_clients_group_module(net, login):
    run = plan_run(net)
    a = enrol_new(net, run)
    page = login(net.coach).get(reverse("trajectories:detail", args=[a.trajectory_id])).content.decode()
    assert f'data-enrolment="{a.pk}"' in page and "Job-Radar" in page


def test_the_network_admin_adds_a_template_and_its_phases(net, login):
    web = login(net.admin)
    assert (
        web.post(reverse("groups:template_create"), {"name": "Werkfit", "weeks": 6, "cap": 8}).status_code
        == 302
    )
    template = ModuleTemplate.objects.get(name="Werkfit")
    url = reverse("groups:phase_add", args=[template.pk])
    assert web.post(url, {"name": "Start", "first_week": 1, "last_week": 2}).status_code == 302
    overlap = web.post(url, {"name": "Tweede", "first_week": 2, "last_week": 4})
    assert "overlap" in overlap.content.decode()
    too_long = web.post(url, {"name": "Tweede", "first_week": 3, "last_week": 7})
    assert "has 6 weeks" in too_long.content.decode()
    assert template.phases.count() == 1
    twin = web.post(reverse("groups:template_create"), {"name": "werkfit", "weeks": 6, "cap": 8})
    assert "already exists" in twin.content.decode()
    assert login(net.coach).get(reverse("groups:templates")).status_code == 404


def test_job_radar_helper_is_the_seeded_template():
    assert job_radar() == ModuleTemplate.objects.get(name="Job-Radar")


def test_the_access_log_words_group_module_events(net):
    from werkbrug.core.audit import describe
    from werkbrug.core.models import AuditEvent

    run = plan_run(net)
    enrolment = enrol_new(net, run)
    actions.set_placement(actor_for(net.coach), enrolment, employer=None, name="Kringwinkel")
    events = AuditEvent.objects.filter(object_type="enrolment", client_id=enrolment.trajectory.client_id)
    assert [describe(e) for e in events.order_by("pk")] == [
        "Group module: enrolled",
        "Group module: placement recorded",
    ]
