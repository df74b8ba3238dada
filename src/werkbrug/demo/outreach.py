"""The demo's outreach coaching at care sites (issue 16): SaRA's coach Tom Vandenberghe holds
consultation hours on a ward of PZ Scheldeborg (recruited over half a year, agreement signed) and at
a GP practice that is no network member (still being recruited), and a person booked a time through
the ward's poster: a pending booking for him to confirm."""

from __future__ import annotations

import datetime

from werkbrug.demo.network import Network
from werkbrug.outreach import actions, booking_actions
from werkbrug.outreach.models import Every, SiteKind, Stage
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
