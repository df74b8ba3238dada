"""The demo's outreach coaching at care sites (issue 16): SaRA's coach Tom Vandenberghe holds
consultation hours on a ward of PZ Scheldeborg (recruited over half a year, agreement signed) and at
a GP practice that is no network member (still being recruited), and a person booked a time through
the ward's poster: a pending booking for him to confirm."""

from __future__ import annotations

import datetime

from werkbrug.demo.network import Network
from werkbrug.outreach import actions, booking_actions, path_actions, project_actions
from werkbrug.outreach.models import (
    Audience,
    Destination,
    Every,
    PathChannel,
    SessionKind,
    Site,
    SiteKind,
    Stage,
)
from werkbrug.outreach.public_forms import consent_text
from werkbrug.outreach.schedule import free_slots

OUTREACH_COACH = "coach.sara2"


def outreach_sites(network: Network, today: datetime.date) -> None:
    coach = network.actors[OUTREACH_COACH]
    ward = actions.create_site(
        coach,
        name="PZ Scheldeborg, afdeling Kompas",
        kind=SiteKind.PSYCHIATRIC_WARD,
        address="Scheldelaan 12, 2020 Antwerpen",
        subregion=network.regions["Antwerpen-Zuid"],
        host=network.orgs["pz"],
        champion_name="Lien Verhaegen",
        champion_role="ergotherapeut",
    )
    practice = actions.create_site(
        coach,
        name="Huisartsenpraktijk De Linde",
        kind=SiteKind.GP,
        address="Lindestraat 3, 2060 Antwerpen",
        subregion=network.regions["Antwerpen-Stad"],
        host_name="Huisartsenpraktijk De Linde",
        champion_name="dr. An Peeters",
        champion_role="huisarts",
    )
    for stage, days_ago in (
        (Stage.FIRST_CONTACT, 200),
        (Stage.INFORMATION, 170),
        (Stage.DRAFT_AGREEMENT, 120),
        (Stage.DPO_SIGN_OFF, 60),
        (Stage.SIGNED, 30),
    ):
        actions.record_step(coach, ward, stage=stage, on=today - datetime.timedelta(days=days_ago))
    actions.record_agreement(
        coach,
        ward,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=335),
        min_inflow_per_year=12,
        dpo_signed_on=today - datetime.timedelta(days=60),
        signed_on=today - datetime.timedelta(days=30),
    )
    actions.record_step(coach, practice, stage=Stage.FIRST_CONTACT, on=today - datetime.timedelta(days=20))
    actions.record_step(coach, practice, stage=Stage.INFORMATION, on=today - datetime.timedelta(days=6))
    ward_hours = actions.add_hours(
        coach,
        ward,
        coach=coach.user,
        weekday=1,  # Tuesday
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(12, 0),
        valid_from=today - datetime.timedelta(days=28),
        place="Gesprekslokaal naast de living",
    )
    actions.add_hours(
        coach,
        practice,
        coach=coach.user,
        weekday=3,  # Thursday
        starts_at=datetime.time(13, 30),
        ends_at=datetime.time(15, 30),
        valid_from=today,
        every=Every.SECOND_WEEK,
    )
    slots = free_slots([ward_hours], today + datetime.timedelta(days=1), today + datetime.timedelta(days=14))
    booking_actions.self_book(
        ward,
        first_name="Yasmina",
        phone="0470 00 00 00",
        email="",
        consent_text=consent_text(),
        language="nl-be",
        hours=ward_hours,
        starts_at=slots[1].starts_at,
    )
    booking_actions.self_book(
        ward,
        first_name="Bart",
        phone="",
        email="bart@example.org",
        consent_text=consent_text(),
        language="nl-be",
    )
    outreach_paths(network, today, ward, practice)


def outreach_paths(network: Network, today: datetime.date, ward: Site, practice: Site) -> None:
    """Part 2: two info sessions on the ward, two people's paths (one decided, referred to VDAB and
    to the insurer, the latter verified; one waiting for the GTB with a reminder) and SaRA's project
    with both sites and this year's commitment."""
    coach = network.actors[OUTREACH_COACH]

    def day(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    path_actions.record_session(
        coach, ward, held_on=day(25), kind=SessionKind.ON_THE_WARD, audience=Audience.CLIENTS, reached=14
    )
    path_actions.record_session(
        coach,
        ward,
        held_on=day(18),
        kind=SessionKind.INFO_SESSION,
        audience=Audience.PROFESSIONALS,
        reached=9,
    )
    lotte = path_actions.start_path(
        coach, ward, first_name="Lotte", channel=PathChannel.INFO_SESSION, started_on=day(21)
    )
    path_actions.add_conversation(coach, lotte, on=day(14), note="Tweede gesprek op de afdeling.")
    path_actions.record_decision(coach, lotte, on=day(14), note="Ze schrijft zich in bij VDAB.")
    path_actions.refer_onward(
        coach, lotte, destination=Destination.VDAB, referred_on=day(13), work_incapacity=True
    )
    insurer = path_actions.refer_onward(coach, lotte, destination=Destination.INSURER, referred_on=day(13))
    path_actions.verify_referral(coach, insurer, on=day(3))
    kobe = path_actions.start_path(
        coach, practice, first_name="Kobe", channel=PathChannel.CARE_PROFESSIONAL, started_on=day(7)
    )
    path_actions.set_waiting(
        coach, kobe, waiting_for="Intake bij GTB", remind_on=today + datetime.timedelta(days=10)
    )
    boss = network.actors["coordinator.sara"]
    project = project_actions.create_project(
        boss,
        name="Vindplaatsgericht werken Antwerpen",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year + 1, 12, 31),
    )
    project_actions.add_site(boss, project, site=ward)
    project_actions.add_site(boss, project, site=practice)
    project_actions.add_coach(boss, project, coach=coach.user)
    project_actions.set_commitment(boss, project, year=today.year, registrations=40)
