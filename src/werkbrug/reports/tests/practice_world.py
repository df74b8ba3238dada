"""Real objects of the practice areas (employers, ips, fidelity, outreach, workcare) for the funder walker in
test_funder_access: every parameterised page of these areas gets an id that someone who works with
it can open, so that the funder's 404 comes from the rule, not from a wrong id."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from werkbrug.employers import actions as employer_actions
from werkbrug.employers.models import ContactPerson, Employer, Opening
from werkbrug.employers.tests.helpers import employer_consent
from werkbrug.fidelity.actions import open_review
from werkbrug.groups import actions as group_actions
from werkbrug.groups.tests.helpers import enrol_new, plan_run
from werkbrug.ips import actions as ips_actions
from werkbrug.ips.tests.conftest import start_job, typed_trajectory
from werkbrug.jobs.models import PreparedFile
from werkbrug.library.models import Announcement
from werkbrug.library.tests.pages import library_world
from werkbrug.outreach import actions as outreach_actions
from werkbrug.outreach import booking_actions, path_actions, project_actions
from werkbrug.outreach.feeds import create_feed
from werkbrug.outreach.path_models import Destination, PathChannel
from werkbrug.outreach.tests.data import MONDAY, at, hours, site
from werkbrug.testing import Network, actor_for
from werkbrug.workcare import actions as workcare_actions
from werkbrug.workcare.models import StageKind
from werkbrug.workcare.stages import start_stage
from werkbrug.workcare.tests import data as workcare_data

PDF = b"%PDF-1.4\n%practice world\n"


def practice_kwargs(net: Network) -> dict[str, dict[str, Any]]:
    """The path parameters of the practice areas' pages, by URL name, filled with real objects."""
    coach = actor_for(net.coach)
    today = datetime.date.today()
    ips = typed_trajectory(net, "ips", first_name="Ipsa")
    employer_consent(net, ips.client)
    employer = employer_actions.create_employer(coach, Employer(name="Bakkerij Walker", municipality="Lier"))
    person = employer_actions.add_contact_person(coach, employer, ContactPerson(name="Jan Walker"))
    opening = employer_actions.add_opening(coach, employer, Opening(title="Verkoper", job_type="5"))
    introduction = employer_actions.introduce(coach, opening, ips, on=today)
    placement = start_job(net, ips, employer, today - datetime.timedelta(days=10))
    dcm = typed_trajectory(net, "dcm", first_name="Dcma")
    ips_actions.save_dcm_case(
        coach,
        dcm,
        employer=employer,
        sick_since=today - datetime.timedelta(days=60),
        advising_physician="dr. W",
    )
    review = open_review(
        actor_for(net.coordinator),
        scale="ips25",
        period_from=datetime.date(today.year, 1, 1),
        period_to=today,
    )
    where = site(net)
    h = hours(net, where)
    agreement = outreach_actions.record_agreement(
        coach,
        where,
        starts_on=today,
        signed_on=today,
        signed_document=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    tuesday = MONDAY.date() + datetime.timedelta(days=1)
    appointment = booking_actions.book_appointment(coach, h, starts_at=at(tuesday, 9), first_name="Mira")
    booking = booking_actions.self_book(
        where,
        first_name="Noor",
        phone="0470 00 00 01",
        email="",
        consent_text="consent",
        language="nl",
        hours=h,
        starts_at=at(tuesday, 10),
    )
    second = booking_actions.book_appointment(coach, h, starts_at=at(tuesday, 11), first_name="Sam")
    path = path_actions.start_path(
        coach, where, first_name="Lien", channel=PathChannel.HOURS, started_on=today
    )
    onward = path_actions.refer_onward(coach, path, destination=Destination.VDAB, referred_on=today)
    project = project_actions.create_project(
        actor_for(net.coordinator), name="Vindplaats 2026", starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )  # fmt: skip
    shop = workcare_data.workshop(net)
    care_work = workcare_data.workcare_trajectory(net, first_name="Wout")
    deal = workcare_data.agreement(net, care_work, shop, starts_on=datetime.date(today.year, 1, 1))
    workcare_actions.sign_agreement(
        coach,
        deal,
        signed_on=today,
        signed_document=SimpleUploadedFile("s.pdf", PDF, content_type="application/pdf"),
    )
    stage = start_stage(
        coach, care_work, kind=StageKind.OBSERVATION, starts_on=today, agreed_hours=Decimal(16)
    )
    group_run = plan_run(net, place="Lokaal Walker")
    group_session = group_actions.add_session(coach, group_run, on=group_run.starts_on)
    group_member = enrol_new(net, group_run, first_name="Groep")
    group_template = group_run.template
    with_shop = {"pk": shop.pk}
    month = {"pk": shop.pk, "year": today.year, "month": today.month}
    with_deal = {"pk": care_work.pk, "agreement_pk": deal.pk}
    with_employer = {"pk": employer.pk}
    with_ips = {"pk": ips.pk}
    with_site = {"pk": where.pk}
    with_review = {"pk": review.pk}
    document, draft = library_world(net)
    notice = Announcement.objects.order_by("pk").first()
    assert notice is not None
    return {
        "library:document": {"pk": document.pk},
        "library:version_new": {"pk": document.pk},
        "library:download": {"pk": document.pk, "number": 1},
        "library:draaiboek_version": {"number": 1},
        "library:indication_edit": {"code": "low_threshold"},
        "library:publish": {"pk": draft.pk},
        "library:dismiss": {"pk": notice.pk},
        "employers:review": {"coach": net.coach.pk},
        "employers:trajectory_contact": {"trajectory": ips.pk},
        "employers:detail": with_employer,
        "employers:edit": with_employer,
        "employers:person_add": with_employer,
        "employers:person_edit": {"pk": employer.pk, "person": person.pk},
        "employers:person_remove": {"pk": employer.pk, "person": person.pk},
        "employers:contact_add": with_employer,
        "employers:opening_add": with_employer,
        "employers:opening_close": {"pk": employer.pk, "opening": opening.pk},
        "employers:introduce": {"pk": employer.pk, "opening": opening.pk},
        "employers:outcome": {"pk": employer.pk, "introduction": introduction.pk},
        "ips:trajectory": with_ips,
        "ips:start": with_ips,
        "ips:change": {"pk": ips.pk, "placement_pk": placement.pk},
        "ips:end": {"pk": ips.pk, "placement_pk": placement.pk},
        "ips:income_plan": with_ips,
        "ips:disclosure": with_ips,
        "ips:dcm": {"pk": dcm.pk},
        "ips:return_step": {"pk": dcm.pk},
        "fidelity:detail": with_review,
        "fidelity:score": {"pk": review.pk, "item": "caseload", "column": "total"},
        "fidelity:finalise": with_review,
        "fidelity:refresh": with_review,
        "fidelity:rows": {"pk": review.pk, "figure": "caseload"},
        "fidelity:pdf": with_review,
        "fidelity:xlsx": with_review,
        "outreach:site": with_site,
        "outreach:site_edit": with_site,
        "outreach:step_new": with_site,
        "outreach:agreement_new": with_site,
        "outreach:agreement_document": {"pk": where.pk, "agreement_pk": agreement.pk},
        "outreach:hours_new": with_site,
        "outreach:appointment_new": with_site,
        "outreach:poster": with_site,
        "outreach:poster_pdf": with_site,
        "outreach:hours_cancel": {"pk": h.pk},
        "outreach:appointment_state": {"pk": appointment.pk},
        "outreach:booking_confirm": {"pk": booking.pk},
        "outreach:booking_reject": {"pk": booking.pk},
        "outreach:session_new": with_site,
        "outreach:path_new": with_site,
        "outreach:path_from_appointment": {"pk": second.pk},
        "outreach:path": {"pk": path.pk},
        "outreach:conversation_new": {"pk": path.pk},
        "outreach:decision": {"pk": path.pk},
        "outreach:waiting": {"pk": path.pk},
        "outreach:path_close": {"pk": path.pk},
        "outreach:referral_new": {"pk": path.pk},
        "outreach:referral_verify": {"pk": onward.pk},
        "outreach:project": {"pk": project.pk},
        "outreach:care_partner": {"pk": path.pk},
        "outreach:zitdag_contact": {"pk": ips.pk},
        "outreach:feed": {"token": create_feed(coach)},
        "outreach:project_site": {"pk": project.pk},
        "outreach:project_coach": {"pk": project.pk},
        "outreach:commitment": {"pk": project.pk},
        "workcare:workshop": with_shop,
        "workcare:workshop_edit": with_shop,
        "workcare:statement": with_shop,
        "workcare:grid": month,
        "workcare:hours_xlsx": month,
        "workcare:hours_pdf": month,
        "workcare:benefit": {"pk": care_work.pk},
        "workcare:stage_new": {"pk": care_work.pk},
        "workcare:stage_admin": {"pk": care_work.pk, "stage_pk": stage.pk},
        "workcare:document": {"pk": care_work.pk},
        "workcare:agreement_new": {"pk": care_work.pk},
        "workcare:agreement": with_deal,
        "workcare:agreement_edit": with_deal,
        "workcare:agreement_sign": with_deal,
        "workcare:milestone": with_deal,
        "workcare:agreement_pdf": with_deal,
        "workcare:agreement_document": with_deal,
        "outreach_public:book": {"code": where.booking_code},
        "outreach_public:thanks": {"code": where.booking_code},
        "groups:phase_add": {"pk": group_template.pk},
        "groups:run": {"pk": group_run.pk},
        "groups:participants": {"pk": group_run.pk},
        "groups:enrol": {"pk": group_run.pk},
        "groups:session_add": {"pk": group_run.pk},
        "groups:attendance": {"pk": group_run.pk, "session": group_session.pk},
        "groups:withdraw": {"pk": group_run.pk, "enrolment": group_member.pk},
        "groups:accept": {"pk": group_run.pk, "enrolment": group_member.pk},
        "groups:placement": {"pk": group_run.pk, "enrolment": group_member.pk},
        "groups:outcome": {"pk": group_run.pk, "enrolment": group_member.pk},
        **network_life_kwargs(net),
        "jobs:prepared": {"pk": prepared_file(net).pk},
        "jobs:download": {"pk": prepared_file(net).pk},
    }


def network_life_kwargs(net: Network) -> dict[str, dict[str, Any]]:
    """Recurring meetings (teams), the care partner on call (trajectories: by_app) and the network
    satisfaction survey: a team with a rule and an exception, a survey with a question and a link."""
    from werkbrug.network.models import TrajectoryType
    from werkbrug.satisfaction import actions as satisfaction_actions
    from werkbrug.satisfaction.models import Invitation
    from werkbrug.teams import actions as team_actions
    from werkbrug.teams import series_actions
    from werkbrug.teams.models import ExceptionKind, Frequency, TeamKind

    admin = actor_for(net.admin)
    team = team_actions.create_team(
        admin, name="IPS-team Walker", kind=TeamKind.IPS_TEAM, organisation=net.sara
    )
    team_actions.add_member(admin, team, user=net.coach)
    first = datetime.date.today() + datetime.timedelta(days=1)
    series = series_actions.save_series(
        admin, team, frequency=Frequency.WEEKLY, interval=1, weekday=first.weekday(), week_of_month=None,
        start_time=datetime.time(9, 0), duration_minutes=60, starts_on=first, ends_on=None,
    )  # fmt: skip
    exception = series_actions.add_exception(admin, series, on=first, kind=ExceptionKind.SKIP, moved_to=None)
    survey = satisfaction_actions.create_survey(admin, title="Tevredenheid", year=first.year)
    question = satisfaction_actions.add_question(admin, survey, text="Tevreden?", kind="scale")
    satisfaction_actions.open_survey(admin, survey, base_url="/satisfaction/answer/")
    # A link as a member received it (the token itself is never stored: set a known one).
    Invitation.objects.filter(pk=Invitation.objects.filter(survey=survey).first().pk).update(  # type: ignore[union-attr]
        token_hash=satisfaction_actions.token_hash(WALKER_TOKEN)
    )
    with_team = {"pk": team.pk}
    with_survey = {"pk": survey.pk}
    return {
        "teams:series": with_team,
        "teams:exception_add": with_team,
        "teams:exception_remove": {"pk": team.pk, "exception_pk": exception.pk},
        "teams:calendar": with_team,
        "satisfaction:detail": with_survey,
        "satisfaction:question_remove": {"pk": survey.pk, "question_pk": question.pk},
        "satisfaction:open": with_survey,
        "satisfaction:close": with_survey,
        "satisfaction:client_links": with_survey,
        "satisfaction:answer": {"token": WALKER_TOKEN},
        # The draaiboek's removal page and the trajectory types' care partner rule (network settings).
        "network:indication_remove": {"code": "low_threshold"},
        "trajectory_types:care_partner": {"pk": TrajectoryType.objects.get(code="gtb").pk},
    }


WALKER_TOKEN = "walker-link-token"


def prepared_file(net: Network) -> PreparedFile:
    """A download a background job prepared for the coach (werkbrug.jobs.files): theirs only."""
    existing = PreparedFile.objects.filter(user=net.coach).first()
    if existing is not None:
        return existing
    row = PreparedFile.objects.create(
        user=net.coach,
        organisation=net.sara,
        kind="walker",
        title="Prepared for the walker",
        filename="walker.csv",
        status=PreparedFile.Status.READY,
        rows_written=1,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    row.file.save("prepared/walker.csv", ContentFile(b"a\r\n1\r\n"), save=True)
    return row


# The public booking pages answer anyone, the funder too: they show a site's free times and take a
# booking, never a person (outreach.public_views).
PUBLIC = {
    # The walker's POST lacks a consent and a slot: refused with the form again (400), nothing written.
    "outreach_public:book": (200, 400, "a site's public booking page: free times, no person"),
    "outreach_public:thanks": (200, 405, "the page after booking: says nothing about anyone"),
    # A coach's calendar by subscription: the secret token is the key (a calendar app cannot log in);
    # hours and appointment times, no person (outreach.feed_views).
    "outreach:feed": (200, 405, "a coach's calendar feed by its secret token: times, no person"),
    # A survey link answers whoever holds it (the token is the key): the questions, never a person.
    # The walker's POST answers nothing: refused with the form again (200), nothing written.
    "satisfaction:answer": (200, 200, "an anonymous survey link: the survey's questions, no person"),
    "satisfaction:thanks": (200, 405, "the page after answering the survey: says nothing about anyone"),
}
