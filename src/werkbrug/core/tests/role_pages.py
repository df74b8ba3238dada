"""The main pages of every role, with the data they show, for the browser tests that walk them (the
phone layout in test_browser_phone.py, axe-core in test_browser_axe.py). Everything is built through
the actions, as in the other tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from werkbrug.employers import actions as employer_actions
from werkbrug.employers.models import ContactPerson, Employer, Opening
from werkbrug.employers.tests.helpers import employer_consent
from werkbrug.exchange import actions as exchange_actions
from werkbrug.fidelity.actions import open_review
from werkbrug.library.tests.pages import library_pages
from werkbrug.network.models import Role, TrajectoryType, User
from werkbrug.referrals import actions as referral_actions
from werkbrug.reports.framework import Params
from werkbrug.reports.publication import publish_report
from werkbrug.reports.tests.research import researcher_with_agreement
from werkbrug.reports.yearly import YearlyReport
from werkbrug.teams import actions as team_actions
from werkbrug.teams import followup_actions, meeting_actions
from werkbrug.teams.models import TeamKind
from werkbrug.testing import Network, actor_for, make_user, propose_to_gtb
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Economy, OutcomeKind, Trajectory

# A long unbroken word and a long note: what a phone layout must wrap rather than widen the page for.
LONG_WORD = "Arbeidszorgondersteuningsbegeleidingstrajectvoorbereidingsgesprek"
LONG_NOTE = (
    f"{LONG_WORD} met de werkgever over een aangepaste werkplek, halftijds te beginnen in de groendienst."
)


@dataclass
class RolePages:
    """Per role: the user and the paths of their main pages."""

    trajectory: Trajectory
    pages: dict[str, tuple[User, list[str]]]


def employer_pages(net: Network) -> tuple[Employer, Trajectory]:
    """An employer with a long name and note, a contact person, an opening with an introduction and
    this week's contacts; an IPS trajectory whose page shows the job development panel."""
    coach = actor_for(net.coach)
    employer = employer_actions.create_employer(
        coach,
        Employer(name=f"{LONG_WORD} NV", municipality="Antwerpen", sector="I", note=LONG_NOTE[:200]),
    )
    employer_actions.add_contact_person(
        coach, employer, ContactPerson(name="An Janssens", email="an@example.be")
    )
    opening = employer_actions.add_opening(coach, employer, Opening(title=LONG_WORD, job_type="9"))
    referral = net.refer(net.new_client(first_name="Ips", last_name=LONG_WORD[:40]))
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    ips = trajectory_actions.accept_referral(
        coach, referral, trajectory_type=TrajectoryType.objects.get(code="ips")
    )
    employer_consent(net, ips.client)
    for day in range(2):
        employer_actions.log_contact(
            coach,
            employer,
            on=timezone.localdate() - datetime.timedelta(days=day),
            mode="face_to_face",
            purpose="job_carving",
            place="community",
            trajectory=ips if day else None,
            note=LONG_NOTE[:200],
        )
    employer_actions.introduce(coach, opening, ips, on=timezone.localdate())
    return employer, ips


def ips_pages(net: Network) -> list[str]:
    """An IPS client with a job, an income plan and a disclosure decision, and a DCM client with a
    return-to-work plan: the coach's ips pages (issue 15)."""
    from decimal import Decimal

    from werkbrug.employers.models import Employer, JobType
    from werkbrug.ips import actions as ips_actions
    from werkbrug.network.models import TrajectoryType
    from werkbrug.referrals import actions as referral_actions

    today = timezone.localdate()
    coach = actor_for(net.coach)
    employer = Employer.objects.create(name=f"{LONG_WORD} bv", municipality="Antwerpen", created_by=net.coach)
    paths = []
    for code in ("ips", "dcm"):
        referral = net.refer(net.new_client(first_name=code.upper(), last_name="Vandenbroucke-Verstraeten"))
        referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
        trajectory = trajectory_actions.accept_referral(
            coach, referral, trajectory_type=TrajectoryType.objects.get(code=code)
        )
        paths += [f"/ips/trajectories/{trajectory.pk}/", f"/trajectories/{trajectory.pk}/"]
        if code == "dcm":
            case = ips_actions.save_dcm_case(
                coach,
                trajectory,
                employer=employer,
                sick_since=today - datetime.timedelta(days=200),
                advising_physician="dr. Claes",
            )
            ips_actions.add_return_step(
                coach, case, from_on=today, hours_per_week=Decimal("8"), note=LONG_NOTE
            )
            continue
        ips_actions.add_disclosure(coach, trajectory, on=today, decision="partial", what_to_tell=LONG_NOTE)
        ips_actions.add_income_plan(
            coach, trajectory, made_on=today, benefit_today=LONG_NOTE, expected_income=LONG_NOTE
        )
        ips_actions.start_placement(
            coach,
            trajectory,
            employer=employer,
            job_title=LONG_WORD,
            job_type=JobType.ELEMENTARY,
            started_on=today - datetime.timedelta(days=10),
            hours_per_week=Decimal("19"),
            minimum_wage=True,
            competitive=True,
            economy=Economy.NEC,
        )
        paths.append(f"/ips/trajectories/{trajectory.pk}/jobs/new/")
    return paths


def outreach_pages(net: Network) -> tuple[list[str], list[str]]:
    """A site with an info session, a path with a conversation, the informed decision and an onward
    referral, and a project with that site: the coach's and the coordinator's outreach pages
    (issue 16 part 2)."""
    from werkbrug.outreach import actions as outreach_actions
    from werkbrug.outreach import path_actions, project_actions

    coach, today = actor_for(net.coach), timezone.localdate()
    site = outreach_actions.create_site(coach, name=f"{LONG_WORD} afdeling B", kind="psy_ward")
    path_actions.record_session(coach, site, held_on=today, kind="webinar", audience="clients", reached=12)
    path = path_actions.start_path(coach, site, first_name=LONG_WORD, channel="hours", started_on=today)
    path_actions.add_conversation(coach, path, on=today, note=LONG_NOTE)
    path_actions.record_decision(coach, path, on=today, note=LONG_NOTE)
    path_actions.refer_onward(coach, path, destination="vdab", referred_on=today, note=LONG_NOTE)
    boss = actor_for(net.coordinator)
    project = project_actions.create_project(
        boss,
        name=LONG_WORD,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )
    project_actions.add_site(boss, project, site=site)
    project_actions.set_commitment(boss, project, year=today.year, registrations=120)
    # An antenna point with a zitdag every week (issue 18 point 5).
    antenna = outreach_actions.create_site(coach, name=f"Antennepunt {LONG_WORD}", kind="antenna")
    outreach_actions.add_hours(
        coach,
        antenna,
        coach=net.coach,
        weekday=today.weekday(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        valid_from=today,
        place=LONG_NOTE[:200],
    )
    return (
        [
            f"/outreach/{site.pk}/",
            "/outreach/paths/",
            f"/outreach/paths/{path.pk}/",
            "/outreach/zitdagen/",
            "/outreach/calendar/",
        ],
        ["/outreach/projects/", f"/outreach/projects/{project.pk}/", f"/reports/annex/?year={today.year}"],
    )


def workcare_pages(net: Network) -> tuple[list[str], list[str]]:
    """A workshop with a long name, a work-care trajectory with an agreement and a month of hours:
    the coach's work-care pages and the coordinator's subsidy statement (issue 17)."""
    from decimal import Decimal

    from werkbrug.workcare import actions as workcare_actions
    from werkbrug.workcare import hours as workcare_hours
    from werkbrug.workcare.tests.data import agreement, workcare_trajectory

    today = timezone.localdate()
    workshop = workcare_actions.create_workshop(
        actor_for(net.coordinator), name=f"Atelier {LONG_WORD}", target_group_fte=Decimal(20)
    )
    trajectory = workcare_trajectory(net, first_name="Zorg", last_name=LONG_WORD[:40])
    deal = agreement(net, trajectory, workshop, starts_on=today.replace(day=1), place=LONG_NOTE)
    days = workcare_hours.month_days(today.year, today.month)
    workcare_hours.save_month(
        actor_for(net.coach),
        workshop,
        year=today.year,
        month=today.month,
        cells={(trajectory.pk, d): Decimal("3.5") for d in days[:10]},
    )
    coach = [
        "/workcare/workshops/",
        f"/workcare/workshops/{workshop.pk}/",
        f"/workcare/workshops/{workshop.pk}/hours/{today.year}/{today.month}/",
        f"/workcare/trajectories/{trajectory.pk}/agreements/new/",
        f"/workcare/trajectories/{trajectory.pk}/agreements/{deal.pk}/",
        f"/workcare/trajectories/{trajectory.pk}/agreements/{deal.pk}/sign/",
        f"/trajectories/{trajectory.pk}/",
    ]
    return coach, [f"/workcare/workshops/{workshop.pk}/subsidy/?year={today.year}"]


def groups_pages(net: Network) -> tuple[list[str], list[str], list[str]]:
    """A Job-Radar run with a long place name, a participant with a long name, a session with
    attendance (issue 18): the coach's, the coordinator's and the network admin's group pages."""
    from werkbrug.groups import actions as group_actions
    from werkbrug.groups.tests.helpers import plan_run

    run = plan_run(net, place=f"{LONG_WORD} lokaal 3")
    trajectory = net.trajectory(net.new_client(first_name="Groep", last_name=LONG_WORD[:40]))
    member = group_actions.enrol(actor_for(net.coach), run, trajectory)
    session = group_actions.add_session(actor_for(net.coach), run, on=run.starts_on, topic=LONG_WORD)
    group_actions.record_attendance(actor_for(net.coach), session, {member.pk: "present"})
    coach = [
        "/groups/",
        f"/groups/{run.pk}/",
        f"/groups/{run.pk}/participants/",
        f"/groups/{run.pk}/sessions/{session.pk}/attendance/",
        f"/groups/{run.pk}/enrolments/{member.pk}/placement/",
    ]
    return coach, ["/groups/", "/groups/new/"], ["/groups/modules/", "/groups/modules/new/"]


def network_life_pages(net: Network, team_pk: int, trajectory_pk: int) -> tuple[list[str], list[str]]:
    """(coach, network admin): the care partner on call, a team's recurring rule, the satisfaction
    survey with results, and a member's anonymous survey link."""
    from werkbrug.satisfaction import actions as satisfaction_actions
    from werkbrug.satisfaction.models import Invitation
    from werkbrug.teams import series_actions
    from werkbrug.teams.models import Frequency, Team

    admin = actor_for(net.admin)
    today = timezone.localdate()
    series_actions.save_series(
        admin, Team.objects.get(pk=team_pk), frequency=Frequency.MONTHLY, interval=1, weekday=1, week_of_month=2,
        start_time=datetime.time(13, 30), duration_minutes=120, starts_on=today, ends_on=None,
    )  # fmt: skip
    survey = satisfaction_actions.create_survey(admin, title=f"Tevredenheid {LONG_WORD}", year=today.year)
    satisfaction_actions.add_question(admin, survey, text=f"{LONG_WORD}: hoe tevreden ben je?", kind="scale")
    satisfaction_actions.add_question(admin, survey, text="Wat kan beter?", kind="text")
    satisfaction_actions.open_survey(admin, survey, base_url="/satisfaction/answer/")
    Invitation.objects.filter(survey=survey, user=net.coach).update(
        token_hash=satisfaction_actions.token_hash("role-pages-link")
    )
    # The public survey link first: the last page of each role is the one tried again after logout.
    coach = ["/satisfaction/answer/role-pages-link/", f"/trajectories/{trajectory_pk}/care-partner/"]
    admin_pages = [
        f"/teams/manage/{team_pk}/series/",
        "/satisfaction/",
        "/satisfaction/new/",
        f"/satisfaction/{survey.pk}/",
        f"/satisfaction/{survey.pk}/client-links/",
        # The trajectory types' care partner rule (network settings) and the draaiboek's removal page.
        "/network/trajectory-types/",
        f"/network/trajectory-types/{TrajectoryType.objects.get(code='gtb').pk}/care-partner/",
        "/network/draaiboek/indications/low_threshold/remove/",
    ]
    return coach, admin_pages


def build_role_pages(net: Network) -> RolePages:
    today = timezone.localdate()
    care, coach, admin = actor_for(net.care), actor_for(net.coach), actor_for(net.admin)
    client = net.new_client(first_name="Maximiliaan-Alexander", last_name="Vandenbroucke-Verstraeten")
    trajectory = net.trajectory(client, follow_outcome=True)
    for days in range(3):
        trajectory_actions.record_contact(
            coach, trajectory, on=today - datetime.timedelta(days=days), kind="phone", note=LONG_NOTE
        )
    trajectory_actions.record_outcome(
        coach, trajectory, kind=OutcomeKind.PAID_WORK, on=today, economy=Economy.NEC
    )
    trajectory_actions.add_goal(coach, trajectory, goal=LONG_NOTE, due_on=today + datetime.timedelta(days=30))
    propose_to_gtb(net, trajectory, note=LONG_NOTE)
    exchange_actions.save_section(care, client, "skills", LONG_NOTE)
    net.follows_outcome(client)
    feedback = exchange_actions.send_feedback(coach, trajectory, discussed=LONG_NOTE)
    waiting = net.refer(net.new_client(first_name="Wachtende", last_name="Persoon"))
    team = team_actions.create_team(
        admin, name="ZoWeZo Antwerpen-Noord", kind=TeamKind.CASE_TEAM, organisation=net.sara
    )
    team_actions.add_member(admin, team, user=net.care)
    team_actions.add_member(admin, team, user=net.coach)
    case = team_actions.register_case(care, team, client, reason="unclear_lead", question=LONG_NOTE)
    meeting = meeting_actions.schedule_meeting(
        coach, team, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    item = meeting.items.get(case=case)
    followup_actions.create_action(
        coach, item, description=LONG_NOTE, owner=net.coach, due_on=today + datetime.timedelta(days=14)
    )
    published = publish_report(
        actor_for(net.coordinator),
        YearlyReport,
        Params(start=datetime.date(today.year, 1, 1), end=today, organisation=net.sara),
    )
    officer = make_user("privacy", net.network_org, Role.PRIVACY_OFFICER)
    researcher, _agreement = researcher_with_agreement(net, today)
    employer, ips = employer_pages(net)
    outreach_coach, outreach_coordinator = outreach_pages(net)
    review = open_review(
        actor_for(net.coordinator),
        scale="nl",
        period_from=today - datetime.timedelta(days=364),
        period_to=today,
        reviewers=[net.coach],
    )
    year = f"?year={today.year}"
    workcare_coach, workcare_coordinator = workcare_pages(net)
    groups_coach, groups_coordinator, groups_admin = groups_pages(net)
    life_coach, life_admin = network_life_pages(net, team.pk, trajectory.pk)
    library = library_pages(net)
    pages = {
        "care_professional": (
            net.care,
            [
                "/",
                "/clients/",
                f"/clients/{client.pk}/",
                "/clients/new/",
                f"/referrals/{trajectory.referral_id}/",
                "/referrals/",
                f"/referrals/new/{client.pk}/",
                "/referrals/lines/",
                "/feedback/",
                f"/feedback/{feedback.pk}/",
                f"/teams/{team.pk}/",
                f"/clients/{client.pk}/access-log/",
                *library["member"],
            ],
        ),
        "coach": (
            net.coach,
            [
                "/",
                "/trajectories/caseload/",
                f"/trajectories/{trajectory.pk}/",
                "/trajectories/handovers/",
                f"/clients/{client.pk}/",
                f"/teams/meetings/{meeting.pk}/",
                "/team-follow-up/actions/",
                "/employers/",
                f"/employers/{employer.pk}/",
                "/employers/week/",
                f"/trajectories/{ips.pk}/",
                *ips_pages(net),
                *outreach_coach,
                f"/fidelity/{review.pk}/",
                *workcare_coach,
                *groups_coach,
                *life_coach,
            ],
        ),
        "screener": (
            net.screener,
            ["/", "/referrals/inbox/", f"/referrals/{waiting.pk}/", "/referrals/waiting/"],
        ),
        "coordinator": (
            net.coordinator,
            [
                "/",
                "/trajectories/capacity/",
                "/trajectories/handovers/",
                "/trajectories/handovers/proposed/",
                "/reports/",
                f"/reports/yearly/{year}",
                "/import/",
                "/employers/week/",
                *outreach_coordinator,
                "/fidelity/",
                "/fidelity/now/",
                "/fidelity/new/",
                f"/fidelity/{review.pk}/",
                f"/fidelity/{review.pk}/score/disclosure/work/",
                f"/fidelity/{review.pk}/rows/caseload/",
                *workcare_coordinator,
                f"/reports/workcare/{year}",
                *groups_coordinator,
            ],
        ),
        "network_admin": (
            net.admin,
            [
                "/",
                "/network/",
                "/network/organisations/",
                "/network/users/",
                "/network/users/new/",
                "/network/lines/",
                "/teams/manage/",
                "/reports/agreements/",
                *life_admin,
                "/workcare/settings/",
                "/workcare/settings/subsidy/",
                "/workcare/settings/benefit-ceiling/",
                "/workcare/settings/allowance-ceiling/",
                *groups_admin,
                *library["network_admin"],
            ],
        ),
        "funder": (
            net.funder,
            [
                "/",
                "/reports/",
                f"/reports/yearly/{year}",
                f"/reports/annex/{year}",
                f"/reports/workcare/{year}",
                "/reports/published/",
                f"/reports/published/{published.pk}/",
            ],
        ),
        "privacy_officer": (officer, ["/", "/privacy/"]),
        "researcher": (researcher, ["/", "/reports/research/"]),
    }
    return RolePages(trajectory=trajectory, pages=pages)
