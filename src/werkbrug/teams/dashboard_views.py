"""The team dashboard: the figures the ZoWeZo team keeps (seed 000: "next to the number of cases
guided in the team, the results of the trajectories in the team are mapped").

Aggregates only, one query per figure, for the team's fixed members; no client is named or listed.
The counts are not suppressed below 5 as for funders: the members discuss these very cases.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from werkbrug.core.actor import Actor
from werkbrug.core.policy import client_view
from werkbrug.teams.followup_actions import get_member_team
from werkbrug.teams.models import ActionItem, AgendaItem, Case, CaseStatus, Team
from werkbrug.trajectories.models import Certainty, Outcome, OutcomeKind


@dataclass(frozen=True)
class YearRow:
    year: int
    registered: int
    still_open: int


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    outcomes: int
    verified: int
    trajectories: int


@dataclass(frozen=True)
class Waiting:
    """Days from a case's registration to the first meeting that had it on the agenda."""

    discussed: int = 0
    median_days: float | None = None
    max_days: int | None = None
    # Open cases not yet on any agenda, and the longest of their waits so far.
    waiting_now: int = 0
    longest_now: int | None = None


@dataclass
class TeamFigures:
    open_cases: int = 0
    total_cases: int = 0
    linked_cases: int = 0
    per_year: list[YearRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    waiting: Waiting = field(default_factory=Waiting)
    lead_decisions: list[tuple[str, int]] = field(default_factory=list)
    open_actions: int = 0
    overdue_actions: int = 0


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def case_counts(team: Team) -> dict[str, int]:
    return Case.objects.filter(team=team).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
        linked=Count("pk", filter=Q(trajectory__isnull=False)),
    )


def cases_per_year(team: Team) -> list[YearRow]:
    rows = (
        Case.objects.filter(team=team)
        .annotate(year=ExtractYear("created_at"))
        .values("year")
        .annotate(registered=Count("pk"), still_open=Count("pk", filter=Q(status=CaseStatus.OPEN)))
        .order_by("year")
    )
    return [YearRow(r["year"], r["registered"], r["still_open"]) for r in rows]


def outcomes(team: Team) -> list[OutcomeRow]:
    """Outcomes of the trajectories linked to the team's cases, per kind (every kind, zeros too)."""
    linked = Case.objects.filter(team=team, trajectory__isnull=False).values("trajectory_id")
    counted = {
        r["kind"]: r
        for r in Outcome.objects.filter(trajectory_id__in=linked)
        .values("kind")
        .annotate(
            n=Count("pk"),
            verified=Count("pk", filter=Q(certainty=Certainty.VERIFIED)),
            trajectories=Count("trajectory_id", distinct=True),
        )
        .order_by()
    }
    return [
        OutcomeRow(
            str(kind.label),
            counted.get(kind.value, {}).get("n", 0),
            counted.get(kind.value, {}).get("verified", 0),
            counted.get(kind.value, {}).get("trajectories", 0),
        )
        for kind in OutcomeKind
    ]


def waiting(team: Team, today: datetime.date) -> Waiting:
    """One query: each case's registration and the start of the first of this team's meetings that
    had it on the agenda; the days are counted here (calendar days, Brussels time)."""
    rows = (
        Case.objects.filter(team=team)
        .annotate(first_meeting=Min("items__meeting__starts_at", filter=Q(items__meeting__team_id=team.pk)))
        .values_list("created_at", "first_meeting", "status")
        .order_by()
    )
    waits: list[int] = []
    current: list[int] = []
    for created_at, first_meeting, status in rows:
        if first_meeting is not None:
            waits.append(max((_local_day(first_meeting) - _local_day(created_at)).days, 0))
        elif status == CaseStatus.OPEN:
            current.append(max((today - _local_day(created_at)).days, 0))
    return Waiting(
        discussed=len(waits),
        median_days=statistics.median(waits) if waits else None,
        max_days=max(waits) if waits else None,
        waiting_now=len(current),
        longest_now=max(current) if current else None,
    )


def lead_decisions(team: Team) -> list[tuple[str, int]]:
    """Which service the team asked to lead, how often: the team as a switchboard between partners."""
    rows = (
        AgendaItem.objects.filter(meeting__team=team, lead_organisation__isnull=False)
        .values("lead_organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_organisation__name")
    )
    return [(r["lead_organisation__name"], r["n"]) for r in rows]


def action_counts(team: Team, today: datetime.date) -> dict[str, int]:
    return ActionItem.objects.filter(team=team, done_on__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )


def team_figures(team: Team, today: datetime.date) -> TeamFigures:
    counts = case_counts(team)
    actions = action_counts(team, today)
    return TeamFigures(
        open_cases=counts["open"],
        total_cases=counts["total"],
        linked_cases=counts["linked"],
        per_year=cases_per_year(team),
        outcomes=outcomes(team),
        waiting=waiting(team, today),
        lead_decisions=lead_decisions(team),
        open_actions=actions["open"],
        overdue_actions=actions["overdue"],
    )


@client_view
def dashboard(request: HttpRequest, team_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    team = get_member_team(actor, team_pk)
    today = timezone.localdate()
    return render(
        request,
        "teams/dashboard.html",
        {"team": team, "figures": team_figures(team, today), "today": today},
    )
