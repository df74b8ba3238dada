"""Outreach at care sites (issue 16) for the generated network, at Flanders scale in the full
network: 166 sites run by the work organisations, each with consultation hours, an agreement (most
signed), info sessions; about 9,000 persons reached individually a year (paths with one to four
conversations, an attended appointment for most, some no-shows) of whom over 4,000 are referred to
VDAB, plus the collective reach of the sessions; projects grouping the sites of one organisation,
with a yearly commitment. Two years: last year and this year until today. Smaller scales shrink in
proportion to the clients. Written after the clients through the ORM in bulk, with the invariants
the actions keep (outreach.path_actions): dates not in the future, a path's conversations and
referrals not before its first conversation, a verification not before its referral, one
appointment per slot. Generated persons have no client file (the path's first name only)."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from werkbrug.demo.generator.config import Scale
from werkbrug.network.models import Membership, OrganisationKind, Role
from werkbrug.outreach.models import (
    Agreement,
    Appointment,
    AppointmentState,
    Audience,
    Channel,
    Commitment,
    Conversation,
    Destination,
    Hours,
    InfoSession,
    OnwardReferral,
    Path,
    PathChannel,
    Project,
    SessionKind,
    Site,
    SiteKind,
)

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
FULL_SITES = 166
FULL_PATHS_A_YEAR = 9_000
SITES_PER_PROJECT = 11  # 166 sites: 15 projects
# Persons per destination (a person may go several ways; VDAB about half: over 4,000 a year).
DESTINATIONS = [
    (Destination.VDAB, 64),
    (Destination.INSURER, 19),
    (Destination.OCCUPATIONAL_PHYSICIAN, 5),
    (Destination.MAATWERK, 7),
    (Destination.TRAINING, 5),
    (Destination.RETURN_TO_WORK, 17),
    (Destination.VOLUNTEERING, 8),
    (Destination.AMA_WVG, 2),
    (Destination.NO_FURTHER_STEPS, 7),
    (Destination.OTHER, 15),
]
CHANNELS = (
    [PathChannel.HOURS] * 5
    + [PathChannel.SELF_BOOKING] * 2
    + [PathChannel.CARE_PROFESSIONAL] * 2
    + [PathChannel.INFO_SESSION]
)
FIRST_NAMES = ["Mira", "Ali", "Noor", "Jo", "Els", "Tim", "Sara", "Youssef", "Lotte", "Bram", "Ines", "Kobe"]
KINDS = SiteKind.values
BATCH = 2_000


def generate_outreach(config: Scale, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    coaches: dict[int, list[int]] = defaultdict(list)
    for user_id, org_id in Membership.objects.filter(
        is_active=True, role=Role.COACH, organisation__kind=OrganisationKind.WORK
    ).values_list("user_id", "organisation_id"):
        coaches[org_id].append(user_id)
    if not coaches:
        return {}
    share = config.clients / 200_000
    n_sites = max(6, round(FULL_SITES * share))
    paths_a_year = max(60, round(FULL_PATHS_A_YEAR * share))
    orgs = sorted(coaches)
    first_year = datetime.date(today.year - 1, 1, 1)
    with transaction.atomic():
        sites = Site.objects.bulk_create(
            Site(
                name=f"Vindplaats {i + 1}",
                kind=KINDS[i % len(KINDS)],
                run_by_id=orgs[i % len(orgs)],
                host_name=f"Zorgorganisatie {i + 1}",
            )
            for i in range(n_sites)
        )
        Agreement.objects.bulk_create(
            Agreement(
                site=s,
                starts_on=first_year,
                signed_on=first_year if rng.random() < 0.85 else None,
                recorded_by_id=coaches[s.run_by_id][0],
            )
            for s in sites
        )
        hours = {
            s.pk: h
            for s, h in zip(
                sites,
                Hours.objects.bulk_create(
                    Hours(
                        site=s,
                        coach_id=rng.choice(coaches[s.run_by_id]),
                        weekday=i % 5,
                        starts_at=datetime.time(9),
                        ends_at=datetime.time(17),
                        valid_from=first_year,
                        created_by_id=coaches[s.run_by_id][0],
                    )
                    for i, s in enumerate(sites)
                ),
                strict=True,
            )
        }
        by_org: dict[int, list[Site]] = defaultdict(list)
        for s in sites:
            by_org[s.run_by_id].append(s)
        projects = 0
        for org_id, org_sites in by_org.items():
            for start in range(0, len(org_sites), SITES_PER_PROJECT):
                group = org_sites[start : start + SITES_PER_PROJECT]
                project = Project.objects.create(
                    name=f"Vindplaatsgericht werken {org_id}-{start // SITES_PER_PROJECT + 1}",
                    run_by_id=org_id,
                    starts_on=first_year,
                    ends_on=datetime.date(today.year + 1, 12, 31),
                )
                project.sites.set(group)
                project.coaches.set(coaches[org_id][:5])
                per_site = paths_a_year * 0.5 / n_sites
                Commitment.objects.bulk_create(
                    Commitment(project=project, year=y, registrations=round(per_site * len(group)))
                    for y in (today.year - 1, today.year)
                )
                projects += 1
        sessions = []
        for s in sites:
            for _ in range(6):  # three a year
                day = first_year + datetime.timedelta(days=rng.randrange((today - first_year).days + 1))
                pro = rng.random() < 0.2
                sessions.append(
                    InfoSession(
                        site=s,
                        held_on=day,
                        kind=rng.choice(SessionKind.values),
                        audience=Audience.PROFESSIONALS if pro else Audience.CLIENTS,
                        reached=rng.randint(4, 15) if pro else rng.randint(4, 20),
                        recorded_by_id=hours[s.pk].coach_id,
                    )
                )
        InfoSession.objects.bulk_create(sessions, batch_size=BATCH)
    counts = {"Site": len(sites), "Project": projects, "InfoSession": len(sessions)}
    counts.update(_paths(rng, sites, hours, paths_a_year, first_year, today))
    return counts


def _paths(
    rng: random.Random,
    sites: list[Site],
    hours: dict[int, Hours],
    paths_a_year: int,
    first_year: datetime.date,
    today: datetime.date,
) -> dict[str, int]:
    days = (today - first_year).days + 1
    n_paths = round(paths_a_year * days / 365)
    weights = [w for _d, w in DESTINATIONS]
    slot: dict[tuple[int, datetime.date], int] = defaultdict(int)
    counts = {"Path": 0, "Conversation": 0, "Appointment": 0, "OnwardReferral": 0}
    for start in range(0, n_paths, BATCH):
        with transaction.atomic():
            paths = []
            for _ in range(min(BATCH, n_paths - start)):
                s = rng.choice(sites)
                began = first_year + datetime.timedelta(days=rng.randrange(days))
                decided = began + datetime.timedelta(days=rng.randint(7, 60))
                paths.append(
                    Path(
                        site=s,
                        coach_id=hours[s.pk].coach_id,
                        first_name=rng.choice(FIRST_NAMES),
                        channel=rng.choice(CHANNELS),
                        started_on=began,
                        decided_on=decided if decided <= today and rng.random() < 0.7 else None,
                        created_by_id=hours[s.pk].coach_id,
                    )
                )
            paths = Path.objects.bulk_create(paths)
            conversations, appointments, referrals = [], [], []
            for p in paths:
                h = hours[p.site_id]
                for state in [AppointmentState.ATTENDED] * (rng.random() < 0.7) + [
                    AppointmentState.NO_SHOW
                ] * (rng.random() < 0.12):
                    k = slot[(h.pk, p.started_on)]
                    slot[(h.pk, p.started_on)] += 1
                    at = datetime.datetime.combine(p.started_on, datetime.time(9), tzinfo=BRUSSELS)
                    at += datetime.timedelta(minutes=30 * k)
                    appointments.append(
                        Appointment(
                            hours=h,
                            starts_at=at,
                            ends_at=at + datetime.timedelta(minutes=30),
                            first_name=p.first_name,
                            channel=Channel.SELF_BOOKING
                            if p.channel == PathChannel.SELF_BOOKING
                            else Channel.COACH,
                            state=state,
                            path=p if state == AppointmentState.ATTENDED else None,
                            created_by_id=p.coach_id,
                            decided_by_id=p.coach_id,
                            decided_at=at,
                        )
                    )
                for _ in range(rng.randint(0, 3)):
                    on = min(today, p.started_on + datetime.timedelta(days=rng.randint(0, 45)))
                    conversations.append(Conversation(path=p, on=on, by_id=p.coach_id))
                chosen = sorted(
                    set(rng.choices([d for d, _w in DESTINATIONS], weights, k=rng.choice((1, 1, 2))))
                )
                for destination in chosen:
                    on = min(today, p.started_on + datetime.timedelta(days=rng.randint(0, 60)))
                    verified = on + datetime.timedelta(days=rng.randint(20, 120))
                    referrals.append(
                        OnwardReferral(
                            path=p,
                            destination=destination,
                            maatwerk_kind=rng.choice(("individual", "collective"))
                            if destination == Destination.MAATWERK
                            else "",
                            referred_on=on,
                            verified_on=verified if verified <= today and rng.random() < 0.45 else None,
                            work_incapacity=destination == Destination.VDAB and rng.random() < 0.75,
                            recorded_by_id=p.coach_id,
                        )
                    )
            Conversation.objects.bulk_create(conversations, batch_size=BATCH)
            Appointment.objects.bulk_create(appointments, batch_size=BATCH)
            OnwardReferral.objects.bulk_create(referrals, batch_size=BATCH)
        counts["Path"] += len(paths)
        counts["Conversation"] += len(conversations)
        counts["Appointment"] += len(appointments)
        counts["OnwardReferral"] += len(referrals)
    return counts
