"""Who sees what of a team (DESIGN §5, issue: case teams).

- Fixed members see their team's meetings, agenda, minutes, cases and actions.
- A guest invited for one agenda item sees that item only (and the meeting's date and place).
- Anyone else gets 404.
- A case shows the client's identity only while the client consents to discussion in that team
  (an active consent with purpose "case_team" naming the team's host organisation); otherwise
  everyone, members included, sees the anonymous label and no identifying field.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from werkbrug.clients.models import Consent, ConsentPurpose
from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.network.models import User
from werkbrug.teams.models import AgendaItem, Case, ItemGuest, Meeting, Team, TeamMember


def member_teams(actor: Actor) -> QuerySet[Team]:
    """Teams the actor sits in as a fixed member, for the organisation they act for."""
    if actor.membership is None:
        return Team.objects.none()
    return Team.objects.filter(
        members__user=actor.user, members__organisation=actor.organisation, is_active=True
    ).distinct()


def is_member(actor: Actor, team: Team) -> bool:
    return (
        actor.membership is not None
        and TeamMember.objects.filter(team=team, user=actor.user, organisation=actor.organisation).exists()
    )


def people_of(team_id: int, guests: QuerySet[ItemGuest]) -> QuerySet[User]:
    """The team's fixed members and these guests, by name. One IN list over the union of their ids:
    both engines look each person up by key. An OR of two IN lists made PostgreSQL read every user
    of the network (1 ms at full scale, docs/bench.md s46)."""
    ids = TeamMember.objects.filter(team_id=team_id).values("user_id").union(guests.values("user_id"))
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    """Meetings of the actor's teams, and meetings with an item the actor is invited for."""
    if actor.membership is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(team__in=member_teams(actor))
        | Q(pk__in=ItemGuest.objects.filter(user=actor.user).values("item__meeting_id"))
    )


def _meeting_statement(actor: Actor) -> QuerySet[Meeting]:
    """`visible_meetings` with the team and whether the actor is a member (`actor_is_member`), for
    the meeting `statements.BOUND`."""
    if actor.membership is None:
        return Meeting.objects.none()
    seat = TeamMember.objects.filter(
        team=OuterRef("team_id"), user=actor.user, organisation=actor.organisation
    )
    return (
        visible_meetings(actor)
        .select_related("team")
        .annotate(actor_is_member=Exists(seat))
        .filter(pk=statements.BOUND)
    )


def get_meeting(actor: Actor, pk: int | str) -> Meeting:
    """A meeting the actor sees, else 404; `seat_of(meeting)` tells whether the actor is a member.
    Its statement is built once per membership (core.statements)."""
    return statements.one(statements.actor_key("team meeting", actor), lambda: _meeting_statement(actor), pk)


def seat_of(meeting: Meeting) -> bool:
    """Whether the actor of `get_meeting` sits in the meeting's team (else they are a guest)."""
    return bool(getattr(meeting, "actor_is_member", False))


def visible_items(actor: Actor, meeting: Meeting) -> QuerySet[AgendaItem]:
    """All items for a member; for a guest only the items they are invited for."""
    items = meeting.items.all()
    if seat_of(meeting):
        return items
    return items.filter(guests__user=actor.user)


def named_cases_q(prefix: str = "") -> Exists:
    """An expression: the case's client consents (now) to discussion in the case's team."""
    ref = OuterRef(f"{prefix}client_id")
    team_org = OuterRef(f"{prefix}team__organisation_id")
    return Exists(
        Consent.objects.active(timezone.localdate()).filter(
            client_id=ref, recipient_id=team_org, purpose=ConsentPurpose.CASE_TEAM
        )
    )


def with_named(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `named` on cases: may the client's identity be shown?"""
    return cases.annotate(named=named_cases_q())


def is_named(case: Case) -> bool:
    return (
        Consent.objects.active()
        .filter(
            client_id=case.client_id, recipient_id=case.team.organisation_id, purpose=ConsentPurpose.CASE_TEAM
        )
        .exists()
    )


def case_label(case: Case, named: bool) -> str:
    """What everyone sees of the person: the name with consent, the anonymous label without."""
    if named:
        return f"{case.client.first_name} {case.client.last_name}"
    return case.anonymous_label
