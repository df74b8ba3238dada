"""Case teams with a meeting and agenda items, and competency profiles shared with the work partner:
the rows the bench's team-meeting, agenda-item and profile pages need (issue 14). Written after the
clients, through the ORM in bulk (a few thousand rows at full scale), with the invariants the
actions keep:

- a case team belongs to a work organisation that leads open trajectories; its members are coaches
  of that organisation and care professionals of organisations that referred to it, each seated
  for the organisation of a membership they have (`teams.actions.add_member`);
- a case is registered by a coach of the team's organisation for a client of an open trajectory it
  leads (`register_case`: the registering organisation sees the client), and goes on the team's
  next meeting as an agenda item (`schedule_meeting` / `build_agenda`);
- a profile: sections written by a care professional of the referring care organisation (a care
  partner reads and writes every section), and an active `profile` consent recorded by that care
  organisation for the leading work organisation, naming shared sections only, never a care-only
  one (`exchange.actions.save_section`, `clients.actions.grant_consent`).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from werkbrug.clients.models import CARE_ONLY_SECTIONS, Consent, ConsentPurpose, EvidenceKind, ProfileSection
from werkbrug.exchange.models import SectionVersion
from werkbrug.network.models import Membership, OrganisationKind, Role
from werkbrug.teams.models import AgendaItem, Case, CaseReason, Meeting, Team, TeamKind, TeamMember
from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

SHARED = [
    ProfileSection.WORK_HISTORY,
    ProfileSection.SKILLS,
    ProfileSection.STRENGTHS,
    ProfileSection.CONDITIONS,
]
TEXTS = {
    ProfileSection.WORK_HISTORY: "Enkele jaren magazijnwerk; opleiding in de logistiek.",
    ProfileSection.SKILLS: "Nauwkeurig, werkt graag met de handen.",
    ProfileSection.STRENGTHS: "Betrouwbaar en stipt.",
    ProfileSection.CONDITIONS: "Start met twee halve dagen per week.",
    ProfileSection.CARE_CONTEXT: "Ambulant opgevolgd.",
}
CASES_PER_MEETING = 6
PROFILE_SHARE = 0.1  # of the open trajectories referred by a care organisation


def generate_exchange(rng: random.Random, *, teams_per_10_orgs: int = 2) -> dict[str, int]:
    """Teams, meetings, items, profiles and consents; returns the rows written per model name."""
    now = timezone.now()
    memberships = list(
        Membership.objects.filter(is_active=True, role__in=[Role.COACH, Role.CARE_PROFESSIONAL]).values_list(
            "user_id", "organisation_id", "role"
        )
    )
    coaches: dict[int, list[int]] = {}
    care: dict[int, list[int]] = {}
    for user_id, org_id, role in memberships:
        (coaches if role == Role.COACH else care).setdefault(org_id, []).append(user_id)
    open_rows = list(
        Trajectory.objects.filter(status=TrajectoryStatus.ACTIVE, referral__isnull=False)
        .filter(referral__referring_organisation__kind=OrganisationKind.CARE)
        .values_list(
            "pk", "client_id", "lead_organisation_id", "coach_id", "referral__referring_organisation_id"
        )
        .order_by("pk")
    )
    by_lead: dict[int, list[tuple[int, int, int, int, int]]] = {}
    for row in open_rows:
        if row[3] is not None and row[3] in coaches.get(row[2], []):
            by_lead.setdefault(row[2], []).append(row)
    leads = sorted(org for org in by_lead if coaches.get(org))
    chosen = rng.sample(leads, max(1, len(leads) * teams_per_10_orgs // 10)) if leads else []
    counts = {"Team": 0, "TeamMember": 0, "Case": 0, "Meeting": 0, "AgendaItem": 0}
    for number, org_id in enumerate(sorted(chosen)):
        rows = by_lead[org_id]
        team = Team.objects.create(
            name=f"Casusteam {org_id}-{number}",
            kind=TeamKind.CASE_TEAM,
            organisation_id=org_id,
            cadence="maandelijks",
        )
        seats = [(u, org_id) for u in coaches[org_id][:4]]
        referrers = sorted({row[4] for row in rows})
        seats += [(care[c][0], c) for c in referrers[:3] if care.get(c)]
        TeamMember.objects.bulk_create(TeamMember(team=team, user_id=u, organisation_id=o) for u, o in seats)
        starts = (now + datetime.timedelta(days=rng.randint(3, 25))).replace(
            minute=0, second=0, microsecond=0
        )
        meeting = Meeting.objects.create(
            team=team,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            created_by_id=seats[0][0],
        )
        cases = Case.objects.bulk_create(
            Case(
                team=team,
                client_id=client_id,
                trajectory_id=trajectory_id,
                reason=rng.choice(CaseReason.values),
                question="Hoe gaan we verder met het werkdoel?",
                registered_by_id=coach_id,
                registered_by_organisation_id=org_id,
                created_at=now - datetime.timedelta(days=rng.randint(1, 20)),
            )
            for trajectory_id, client_id, _lead, coach_id, _referrer in rng.sample(
                rows, min(CASES_PER_MEETING, len(rows))
            )
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, case=case, position=position)
            for position, case in enumerate(cases, 1)
        )
        counts["Team"] += 1
        counts["TeamMember"] += len(seats)
        counts["Meeting"] += 1
        counts["Case"] += len(cases)
        counts["AgendaItem"] += len(cases)
    counts.update(_profiles(rng, open_rows, care, coaches, now))
    return counts


def _profiles(rng, open_rows, care, coaches, now) -> dict[str, int]:
    versions, consents = [], []
    today = timezone.localdate()
    seen: set[tuple[int, int]] = set()
    for _trajectory, client_id, lead_id, _coach, referrer_id in open_rows:
        if not care.get(referrer_id) or not coaches.get(lead_id) or rng.random() >= PROFILE_SHARE:
            continue
        if (client_id, lead_id) in seen:
            continue
        seen.add((client_id, lead_id))
        author = care[referrer_id][0]
        at = now - datetime.timedelta(days=rng.randint(10, 200))
        versions += [
            SectionVersion(
                client_id=client_id,
                section=section,
                text=text,
                author_id=author,
                organisation_id=referrer_id,
                created_at=at,
            )
            for section, text in TEXTS.items()
        ]
        consents.append(
            Consent(
                client_id=client_id,
                purpose=ConsentPurpose.PROFILE,
                recipient_id=lead_id,
                categories=[s.value for s in SHARED if s not in CARE_ONLY_SECTIONS],
                given_on=today - datetime.timedelta(days=rng.randint(1, 9)),
                evidence=EvidenceKind.SIGNED_FORM,
                recorded_by_id=author,
                recorded_by_organisation_id=referrer_id,
                recorded_at=at,
            )
        )
    SectionVersion.objects.bulk_create(versions, batch_size=2000)
    Consent.objects.bulk_create(consents, batch_size=2000)
    return {"SectionVersion": len(versions), "ProfileConsent": len(consents)}
