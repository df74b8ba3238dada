"""The retention period (GDPR art. 5(1)(e)): which clients are due to be anonymised, and doing it
through the same erasure as a request (docs/privacy.md, "Retention").

A client is due on `today` when, conservatively (in doubt, keep):
1. nothing of the file is open: no referral still open (submitted, waiting, case team, assigned), no
   trajectory active or paused, no case open in a case team;
2. every organisation involved with the client (clients.Involvement: registered, referred, line,
   lead, partner, handover, case team) has a retention period — one without keeps the data; and
3. the last thing that happened in the file lies longer ago than the longest of those periods.
   The last thing is the latest of: registration, referral created or decided, trajectory started
   or closed, a contact, an outcome (dated, verified or due for verification), a profile section
   saved, feedback sent, a consent recorded or withdrawn, a case registered or closed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from werkbrug.clients.models import Client, Consent, Involvement
from werkbrug.exchange.models import Feedback, SectionVersion
from werkbrug.privacy.actions import erase_client
from werkbrug.privacy.models import RETENTION_REQUESTER, ErasureRequest
from werkbrug.referrals.models import OPEN_STATUSES, Referral
from werkbrug.teams.models import Case, CaseStatus
from werkbrug.trajectories.models import Contact, Outcome, Trajectory, TrajectoryStatus


@dataclass(frozen=True)
class Due:
    client_id: int
    last_activity: datetime.date
    years: int
    organisations: int
    ends_on: datetime.date

    @property
    def reason(self) -> str:
        """The rule, in words, for the erasure request and the command's listing (no names)."""
        return (
            f"retention period: nothing open, last activity on {self.last_activity:%Y-%m-%d}, "
            f"longest retention of the {self.organisations} involved organisation(s) {self.years} "
            f"year(s), ended on {self.ends_on:%Y-%m-%d}"
        )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one: the day after 28 February
        return day.replace(year=day.year + years, month=3, day=1)


def candidates() -> QuerySet[Client]:
    """Clients with nothing open whose every involved organisation has a retention period."""
    client = OuterRef("pk")
    open_trajectory = Trajectory.objects.filter(client=client).exclude(status=TrajectoryStatus.CLOSED)
    open_referral = Referral.objects.filter(client=client, status__in=OPEN_STATUSES)
    open_case = Case.objects.filter(client=client, status=CaseStatus.OPEN)
    keeps = Involvement.objects.filter(client=client, organisation__retention_years__isnull=True)
    involved = Involvement.objects.filter(client=client)
    return (
        Client.objects.filter(erased_at__isnull=True)
        .filter(Exists(involved))
        .exclude(Exists(open_trajectory))
        .exclude(Exists(open_referral))
        .exclude(Exists(open_case))
        .exclude(Exists(keeps))
        .order_by("pk")
    )


def _latest(rows: QuerySet, client_field: str, *fields: str) -> dict[int, datetime.date]:
    """The latest of these date or date-time fields per client."""
    latest: dict[int, datetime.date] = {}
    for client_id, *values in (
        rows.order_by()
        .values(client_field)
        .annotate(**{f"latest_{f}": Max(f) for f in fields})
        .values_list(client_field, *[f"latest_{f}" for f in fields])
    ):
        for value in values:
            if value is None:
                continue
            day = timezone.localdate(value) if isinstance(value, datetime.datetime) else value
            if client_id not in latest or day > latest[client_id]:
                latest[client_id] = day
    return latest


def last_activity(clients: QuerySet[Client]) -> dict[int, datetime.date]:
    """The day of the last thing that happened in each client's file (one grouped query per kind)."""
    ids = clients.values("pk")
    sources: Iterable[dict[int, datetime.date]] = (
        _latest(Client.objects.filter(pk__in=ids), "pk", "created_at"),
        _latest(Referral.objects.filter(client__in=ids), "client_id", "created_at", "decided_at"),
        _latest(Trajectory.objects.filter(client__in=ids), "client_id", "started_on", "closed_on"),
        _latest(Contact.objects.filter(trajectory__client__in=ids), "trajectory__client_id", "on"),
        _latest(
            Outcome.objects.filter(trajectory__client__in=ids),
            "trajectory__client_id",
            "on",
            "verified_on",
            "verify_due_on",
        ),
        _latest(SectionVersion.objects.filter(client__in=ids), "client_id", "created_at"),
        _latest(Feedback.objects.filter(client__in=ids), "client_id", "created_at"),
        _latest(Consent.objects.filter(client__in=ids), "client_id", "recorded_at", "withdrawn_at"),
        _latest(Case.objects.filter(client__in=ids), "client_id", "created_at", "closed_at"),
    )
    latest: dict[int, datetime.date] = {}
    for source in sources:
        for client_id, day in source.items():
            if client_id not in latest or day > latest[client_id]:
                latest[client_id] = day
    return latest


def clients_due(today: datetime.date, clients: QuerySet[Client] | None = None) -> list[Due]:
    rows = candidates() if clients is None else clients
    counts = _organisation_counts(rows)
    latest = last_activity(rows)
    due = []
    longest = rows.annotate(years=Max("involvements__organisation__retention_years"))
    for client_id, years in longest.values_list("pk", "years"):
        last = latest.get(client_id)
        if last is None or years is None:
            continue
        ends_on = add_years(last, years)
        if ends_on < today:
            due.append(Due(client_id, last, years, counts.get(client_id, 0), ends_on))
    return due


def _organisation_counts(rows: QuerySet[Client]) -> dict[int, int]:
    counts: dict[int, set[int]] = {}
    for client_id, organisation_id in Involvement.objects.filter(client__in=rows.values("pk")).values_list(
        "client_id", "organisation_id"
    ):
        counts.setdefault(client_id, set()).add(organisation_id)
    return {client_id: len(orgs) for client_id, orgs in counts.items()}


def apply_retention(today: datetime.date) -> list[Due]:
    """Erase every client due, each in its own transaction; the rule is checked again on the locked
    row, so a file re-opened meanwhile is kept."""
    done = []
    for due in clients_due(today):
        with transaction.atomic():
            client = Client.objects.select_for_update().filter(pk=due.client_id).first()
            if client is None:
                continue
            still = clients_due(today, candidates().filter(pk=client.pk))
            if not still:
                continue
            request = ErasureRequest(
                received_on=today, requested_by=RETENTION_REQUESTER, reason=still[0].reason
            )
            erase_client(None, client, request=request)
            done.append(still[0])
    return done
