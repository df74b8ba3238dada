"""The coach's week (issue 15 point 5, seed 003): the 30-day clock from IPS entry to the first
employer contact about the client, and the weekly count of employer contacts (at least six face to
face, most of them in the community) that the coordinator reviews. Pure date rules and a few
grouped queries, so the pages keep a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q

from werkbrug.employers.models import ContactMode, ContactPlace, EmployerContact, WeeklyReview
from werkbrug.network.models import Organisation, Role, User

FIRST_CONTACT_DAYS = 30
FACE_TO_FACE_TARGET = 6


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week `day` lies in."""
    return day - timedelta(days=day.weekday())


def week_days(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    return start, start + timedelta(days=6)


def first_contact_due(started_on: datetime.date) -> datetime.date:
    return started_on + timedelta(days=FIRST_CONTACT_DAYS)


def days_left(started_on: datetime.date, today: datetime.date) -> int:
    """Days until the first employer contact is due; negative when overdue."""
    return (first_contact_due(started_on) - today).days


def share(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class WeekCount:
    coach: User
    total: int
    face_to_face: int
    community: int
    review: WeeklyReview | None

    @property
    def community_share(self) -> int | None:
        return share(self.community, self.total)

    @property
    def target_met(self) -> bool:
        return self.face_to_face >= FACE_TO_FACE_TARGET


COUNTS = {
    "total": Count("pk"),
    "face_to_face": Count("pk", filter=Q(mode=ContactMode.FACE_TO_FACE)),
    "community": Count("pk", filter=Q(place=ContactPlace.COMMUNITY)),
}


def week_counts(organisation: Organisation, start: datetime.date) -> list[WeekCount]:
    """Every coach of the organisation with this week's employer contacts (recorded for this
    organisation) and the coordinator's review: three queries, whatever the number of coaches."""
    first, last = week_days(start)
    coaches = list(
        User.objects.filter(memberships__organisation=organisation, memberships__role=Role.COACH)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    counted = {
        row["coach"]: row
        for row in EmployerContact.objects.filter(organisation=organisation, on__range=(first, last))
        .values("coach")
        .annotate(**COUNTS)
    }
    reviews = {
        r.coach_id: r
        for r in WeeklyReview.objects.filter(coach__in=coaches, week_start=start).select_related(
            "reviewed_by"
        )
    }
    empty = {"total": 0, "face_to_face": 0, "community": 0}
    return [
        WeekCount(
            coach=coach,
            total=counted.get(coach.pk, empty)["total"],
            face_to_face=counted.get(coach.pk, empty)["face_to_face"],
            community=counted.get(coach.pk, empty)["community"],
            review=reviews.get(coach.pk),
        )
        for coach in coaches
    ]
