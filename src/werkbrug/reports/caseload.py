"""Caseload and waiting lists (BRIEF §3A, §3D): open dossiers per coach, team and organisation,
the active ones against capacity, today; per referral line the people waiting today and the waiting time of the
trajectories started in the period (median, 90th percentile); monthly inflow and outflow of the lines.

The number of queries does not depend on the data: the lines, the team members, the coach
memberships, the trajectory types and the organisation names (small tables), and four grouped
aggregates: open trajectories per organisation, coach, type and status; referrals waiting per line;
the waiting-time histogram per line; referral events per line, kind and month
(referrals.queries.total_flow).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import statements
from werkbrug.core.dbdates import DaysFromLocalDate, Scanned, local_midnight
from werkbrug.network.models import Membership, Organisation, ReferralLine, Role, TrajectoryType
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.referrals.queries import total_flow
from werkbrug.reports.framework import (
    LABEL,
    PERCENT,
    STAT,
    Chart,
    Column,
    Cube,
    Params,
    Report,
    Row,
    Section,
    percentile,
    register,
    share,
)
from werkbrug.reports.persons import add_persons, persons_column
from werkbrug.teams.models import TeamMember
from werkbrug.trajectories.capacity import coach_capacities
from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

# --- caseload against capacity -----------------------------------------------------------------------


@dataclass
class Load:
    active: int = 0
    paused: int = 0
    capacity: int = 0

    def add(self, status: str, n: int) -> None:
        if status == TrajectoryStatus.ACTIVE:
            self.active += n
        else:
            self.paused += n

    @property
    def open(self) -> int:
        return self.active + self.paused


LOAD_MEASURES = ("active", "paused", "open")
# Without per-person detail (funders), a team is shown only with at least this many coaches in scope.
MIN_TEAM_COACHES = 2
CoachKey = tuple[int, int]  # (organisation id, user id) of a coach membership


def load_columns(label: str) -> list[Column]:
    return [
        Column("label", label, LABEL),
        Column("active", _("Active")),
        Column("paused", _("Paused")),
        Column("open", _("Open (active and paused)")),
        persons_column("open"),
        # A staffing figure, not a count of people: never hidden.
        Column("capacity", _("Capacity (dossiers)"), STAT),
        Column(
            "load",
            _("Load (active / capacity)"),
            PERCENT,
            part="active",
            whole="capacity",
            guard_complement=False,
        ),
    ]


def load_row(label: str, load: Load, key: Hashable) -> Row:
    return Row(
        label,
        {
            "active": load.active,
            "paused": load.paused,
            "open": load.open,
            "capacity": load.capacity,
            # Paused dossiers do not take a coach's time (BRIEF §3A: active clients per coach).
            "load": share(load.active, load.capacity),
        },
        keys={measure: (measure, key) for measure in LOAD_MEASURES},
    )


def load_section(key: str, title: str, label: str, rows: list[Row], note: str, **extra: Any) -> Section:
    return Section(
        key=key,
        title=title,
        columns=load_columns(label),
        rows=rows,
        note=note,
        partitions=(("open", ("active", "paused")),),
        **extra,
    )


@dataclass
class Caseload:
    """The open-trajectory cube laid out per coach membership, organisation and user."""

    capacity: dict[CoachKey, int]  # the coach memberships in scope (and in the team, if one is chosen)
    per_coach: dict[CoachKey, Load]
    per_org: dict[int, Load]
    per_user: dict[int, Load]  # open trajectories only; capacity is per membership
    others: Load  # no coach, or one who is not (or no longer) an active coach of the lead organisation
    total: Load


@dataclass(frozen=True)
class Scope:
    """What the parameters select. A referral line selects its organisation (coaches, capacity)."""

    organisation_id: int | None
    line_id: int | None
    type_id: int | None
    team_members: frozenset[int] | None  # None: no team chosen

    def in_team(self, user_id: int | None) -> bool:
        return self.team_members is None or user_id in self.team_members


def caseload(scope: Scope, key: Hashable, *, with_users: bool) -> tuple[Caseload, dict[CoachKey, Membership]]:
    """Two small queries (memberships, types) and one aggregate over the open trajectories (its
    statement kept under `key`, core.statements)."""
    memberships = Membership.objects.filter(role=Role.COACH, is_active=True)
    if scope.organisation_id is not None:
        memberships = memberships.filter(organisation_id=scope.organisation_id)
    if with_users:
        memberships = memberships.select_related("user")
    measures = ("n", "shown") if scope.line_id is not None else ("n",)
    # Status first: grouped by the organisation or the coach first, SQLite walks the index on that
    # column to save the sort, looking up every trajectory, closed ones too (six times slower).
    dims = ("status", "type_id", "coach_id", "lead_organisation_id")

    def open_cells() -> QuerySet[Trajectory, dict[str, Any]]:
        trajectories = Trajectory.objects.open()
        if scope.organisation_id is not None:
            trajectories = trajectories.filter(lead_organisation_id=scope.organisation_id)
        counts: dict[str, Any] = {"n": Count("pk")}
        if scope.line_id is not None:
            counts["shown"] = Count("pk", filter=Q(referral__line_id=scope.line_id))
        return trajectories.values(*dims).annotate(**counts).order_by()

    cube = Cube(statements.values(key, open_cells), dims, measures)
    types = {t.pk: t for t in TrajectoryType.objects.all()}

    # Capacity follows from everything the organisation leads: the filters do not change it.
    carried: dict[int, list[tuple[int | None, int, int]]] = defaultdict(list)
    for (_status, type_id, coach_id, org_id), values in cube.cells:
        carried[org_id].append((coach_id, type_id, values[0]))
    by_org: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_org[membership.organisation_id].append(membership)
    capacity: dict[CoachKey, int] = {}
    members: dict[CoachKey, Membership] = {}
    for org_id, org_memberships in by_org.items():
        capacities = coach_capacities(org_memberships, carried.get(org_id, ()), types)
        for membership in org_memberships:
            key = (org_id, membership.user_id)
            if scope.in_team(membership.user_id):
                capacity[key] = capacities[membership.user_id].dossiers or 0
                members[key] = membership

    result = Caseload(
        capacity=capacity,
        per_coach={key: Load(capacity=cap) for key, cap in capacity.items()},
        per_org=defaultdict(Load),
        per_user=defaultdict(Load),
        others=Load(),
        total=Load(capacity=sum(capacity.values())),
    )
    for (org_id, _user_id), cap in capacity.items():
        result.per_org[org_id].capacity += cap
    for (status, type_id, coach_id, org_id), values in cube.cells:
        n = values[-1]  # on the chosen line, or all
        if not n or (scope.type_id is not None and type_id != scope.type_id) or not scope.in_team(coach_id):
            continue
        coach = result.per_coach.get((org_id, coach_id)) if coach_id is not None else None
        for load in (coach or result.others, result.per_org[org_id], result.total):
            load.add(status, n)
        if coach_id is not None:
            result.per_user[coach_id].add(status, n)
    return result, members


# The caseload's rows as fields of the trajectories: a coach row is a coach membership, a team row
# the trajectories whose coach sits in the team.
PERSON_FIELDS: dict[str, str | tuple[str, ...]] = {
    "organisation": "lead_organisation_id",
    "coach": ("lead_organisation_id", "coach_id"),
    "team": "coach__team_memberships__team_id",
}


def open_in(scope: Scope) -> QuerySet[Trajectory]:
    """The open trajectories the caseload counts, as a queryset (the cube filters type and team in
    Python)."""
    trajectories = Trajectory.objects.open()
    if scope.organisation_id is not None:
        trajectories = trajectories.filter(lead_organisation_id=scope.organisation_id)
    if scope.line_id is not None:
        trajectories = trajectories.filter(referral__line_id=scope.line_id)
    if scope.type_id is not None:
        trajectories = trajectories.filter(type_id=scope.type_id)
    if scope.team_members is not None:
        trajectories = trajectories.filter(coach_id__in=scope.team_members)
    return trajectories


def with_persons(sections: list[Section], params: Params, scope: Scope) -> None:
    """The unique persons of the open trajectories beside them (reports.persons)."""
    add_persons(
        sections,
        params.statement_key("caseload persons", scope),
        lambda: open_in(scope),
        anchor="open",
        fields=PERSON_FIELDS,
    )


# --- the report ----------------------------------------------------------------------------------


def started_from_lines(params: Params, line_ids: list[int] | None) -> QuerySet[Trajectory, dict[str, Any]]:
    """The trajectories started in the period from a referral (on one of `line_ids`, or any), counted
    per line and per number of days from the referral's submission to the start: the waiting times.
    SQLite would walk the index on started_on and look each trajectory and referral up in date order,
    all over both tables (seconds for a few years); scanning the trajectories in their own order
    finds the referrals nearly in theirs."""
    started = Trajectory.objects.alias(started=Scanned("started_on")).filter(
        started__range=(params.start, params.end), referral__isnull=False
    )
    if line_ids is not None:
        # Only the lines' referrals accepted since the period began can have started a
        # trajectory in it: a trajectory starts when its referral is accepted, on that day or
        # back-dated, never later (trajectories.actions.accept_referral), and an accepted
        # referral stays accepted. Read through the index on (line, status, decided_at,
        # created_at), the report no longer reads every referral the lines ever had: for
        # the largest organisation at full scale 2,543 instead of 15,244 (docs/bench.md, s49).
        accepted = {
            "line_id__in": line_ids,
            "status": ReferralStatus.ACCEPTED,
            "decided_at__gte": local_midnight(params.start),
        }
        started = started.filter(**{f"referral__{lookup}": value for lookup, value in accepted.items()})
        if connections[started.db].vendor == "postgresql":
            # Through the same referrals as a subquery: PostgreSQL would otherwise hash every
            # trajectory the network started in the period (57,000 at full scale) to join the
            # few thousand of these lines, and the more so the larger the network. SQLite goes from
            # the index by itself; the subquery would make it read each referral's row (s45).
            started = started.filter(referral__in=Referral.objects.filter(**accepted))
    days = DaysFromLocalDate(
        "referral__created_at", "started_on", years=(params.start.year - 10, params.end.year)
    )
    # Days first: grouped by line first, SQLite would read the referrals in line order.
    return started.values(days=days, line=F("referral__line_id")).annotate(n=Count("pk")).order_by()


@register
class CaseloadReport(Report):
    slug = "caseload"
    title = gettext_lazy("Caseload and waiting lists")
    description = gettext_lazy(
        "Active trajectories per coach, team and organisation against capacity, today; per referral line "
        "the people waiting today and the waiting time (median, 90th percentile) of the trajectories "
        "started in the period; monthly inflow and outflow of the referral lines."
    )
    filters = ("organisation", "line", "team", "trajectory_type")
    definition = "caseload/1"
    definition_note = gettext_lazy(
        "A snapshot of the day it is made: open trajectories and waiting lists today, with the current "
        "type and lead organisation; waiting times of the trajectories started in the period."
    )
    dated = False

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        organisation_id = params.organisation.pk if params.organisation is not None else None
        if organisation_id is None and params.line is not None:
            organisation_id = params.line.organisation_id
        team_members = None
        if params.team is not None:
            team_members = frozenset(
                TeamMember.objects.filter(team=params.team).values_list("user_id", flat=True)
            )
        scope = Scope(
            organisation_id=organisation_id,
            line_id=params.line.pk if params.line is not None else None,
            type_id=params.type.pk if params.type is not None else None,
            team_members=team_members,
        )
        lines = ReferralLine.objects.order_by("name", "pk")
        if params.line is not None:
            lines = lines.filter(pk=params.line.pk)
        elif organisation_id is not None:
            lines = lines.filter(organisation_id=organisation_id)
        line_names = dict(lines.values_list("pk", "name"))
        line_ids = list(line_names) if organisation_id is not None else None

        sections = self.caseload_sections(params, scope, detail=detail)
        with_persons(sections, params, scope)
        sections.append(self.waiting_section(params, line_ids, line_names))
        sections.append(self.flow_section(params, line_ids))
        return sections

    @staticmethod
    def caseload_sections(params: Params, scope: Scope, *, detail: bool) -> list[Section]:
        load, members = caseload(scope, params.statement_key("caseload cube", scope), with_users=detail)
        note = _(
            "Open trajectories (active or paused) on the day the report is made, whatever the period. The "
            "load sets the active ones against capacity, as the capacity page does: the number of "
            "dossiers set for the coach or, without one, the norm per FTE of the trajectory type the "
            "coach mostly carries times the coach's FTE."
        )
        if scope.line_id is not None or scope.type_id is not None:
            note += " " + _(
                "Only the trajectories of the chosen referral line or trajectory type are counted; the "
                "capacity is the coaches' whole capacity."
            )
        total = load_row(_("Total"), load.total, "all")
        org_names: dict[int, str] = {}
        if params.organisation is None:
            # The organisations with a coach in scope or an open trajectory counted.
            org_names = dict(Organisation.objects.filter(pk__in=list(load.per_org)).values_list("pk", "name"))

        sections = []
        if detail:

            def order(key: CoachKey) -> tuple[Any, ...]:
                user = members[key].user
                return (org_names.get(key[0], ""), user.last_name, user.first_name, user.pk)

            def label(key: CoachKey) -> str:
                name = str(members[key].user)
                return f"{name} ({org_names[key[0]]})" if params.organisation is None else name

            rows = [
                load_row(label(key), load.per_coach[key], ("coach", key))
                for key in sorted(members, key=order)
            ]
            if load.others.open:
                others = load_row(_("Without a current coach"), load.others, "others")
                others.values.update(capacity=None, load=None)  # nobody's capacity
                rows.append(others)
            sections.append(
                load_section(
                    "coaches",
                    _("Per coach"),
                    _("Coach"),
                    rows,
                    note,
                    total=total,
                    chart=Chart("bar", ("active", "capacity")),
                )
            )
        sections.append(CaseloadReport.team_section(params, load, note, detail=detail))
        if params.organisation is None:
            rows = [
                load_row(org_names[org_id], load.per_org[org_id], ("organisation", org_id))
                for org_id in sorted(org_names, key=lambda k: (org_names[k], k))
            ]
            sections.append(
                load_section(
                    "organisations", _("Per organisation"), _("Organisation"), rows, note, total=total
                )
            )
        return sections

    @staticmethod
    def team_section(params: Params, load: Caseload, note: str, *, detail: bool) -> Section:
        members = TeamMember.objects.filter(team__is_active=True)
        if params.team is not None:
            members = TeamMember.objects.filter(team=params.team)
        team_users: dict[int, set[int]] = defaultdict(set)
        team_names: dict[int, str] = {}
        for team_id, name, user_id in members.values_list("team_id", "team__name", "user_id"):
            team_users[team_id].add(user_id)
            team_names[team_id] = name
        rows = []
        for team_id in sorted(team_names, key=lambda k: (team_names[k], k)):
            users = team_users[team_id]
            coaches = [key for key in load.capacity if key[1] in users]
            if len({user_id for _org, user_id in coaches}) < (1 if detail else MIN_TEAM_COACHES):
                continue  # no coach in scope sits in this team; or one, whose row a funder may not see
            team = Load(capacity=sum(load.capacity[key] for key in coaches))
            for user_id in users:
                if user_id in load.per_user:
                    team.active += load.per_user[user_id].active
                    team.paused += load.per_user[user_id].paused
            # With a team chosen, the report counts its members' trajectories only: its row is the total.
            rows.append(load_row(team_names[team_id], team, "all" if params.team else ("team", team_id)))
        team_note = _(
            "Open trajectories whose coach is a member of the team, against the capacity of those "
            "coaches. A coach can sit in several teams, so the rows do not add up."
        )
        if not detail:
            team_note += " " + _("A team with a single coach is left out: its row would be that coach's.")
        return load_section("teams", _("Per team"), _("Team"), rows, f"{team_note} {note}", rows_add_up=False)

    @staticmethod
    def waiting_section(params: Params, line_ids: list[int] | None, line_names: Mapping[int, str]) -> Section:
        waiting = Referral.objects.filter(status=ReferralStatus.WAITING)
        if line_ids is not None:
            waiting = waiting.filter(line_id__in=line_ids)
        waiting_now: dict[int, int] = dict(
            waiting.values("line_id").annotate(n=Count("pk")).order_by().values_list("line_id", "n")
        )

        histograms: dict[int, dict[int | float, int]] = defaultdict(lambda: defaultdict(int))
        overall: dict[int | float, int] = defaultdict(int)
        key = params.statement_key(
            "caseload waiting times", tuple(line_ids) if line_ids is not None else None
        )
        for cell in statements.values(key, lambda: started_from_lines(params, line_ids)):
            histograms[cell["line"]][cell["days"]] += cell["n"]
            overall[cell["days"]] += cell["n"]

        def row(label: str, now: int, histogram: Mapping[int | float, int], key: Hashable) -> Row:
            median, p90 = percentile(histogram, 0.5), percentile(histogram, 0.9)
            return Row(
                label,
                {
                    "waiting": now,
                    "started": sum(histogram.values()),
                    "median": round(median, 1) if median is not None else None,
                    "p90": round(p90, 1) if p90 is not None else None,
                },
                keys={"waiting": ("waiting", key), "started": ("started_from_referral", key)},
            )

        return Section(
            key="waiting",
            title=_("Waiting lists per referral line"),
            columns=[
                Column("label", _("Referral line"), LABEL),
                Column("waiting", _("Waiting today")),
                Column("started", _("Trajectories started in the period")),
                Column("median", _("Waiting time, median (days)"), STAT, basis="started"),
                Column("p90", _("Waiting time, 90th percentile (days)"), STAT, basis="started"),
            ],
            rows=[
                row(name, waiting_now.get(line_id, 0), histograms.get(line_id, {}), ("line", line_id))
                for line_id, name in line_names.items()
            ],
            total=row(_("Total"), sum(waiting_now.values()), overall, "all"),
            note=_(
                "Waiting today: referrals on the line's waiting list on the day the report is made. "
                "Waiting time: the days from the day a referral was submitted (on its first line, before "
                "any redirect) to the day its trajectory started, for the trajectories started in the "
                "period, on the line the referral was accepted on. The median and the 90th percentile "
                "interpolate between the two nearest values. Teams and trajectory types do not narrow "
                "this table."
            ),
        )

    @staticmethod
    def flow_section(params: Params, line_ids: list[int] | None) -> Section:
        months = total_flow(line_ids, params.start, params.end)
        rows = [
            Row(f"{cell['month']:%Y-%m}", {"inflow": cell["inflow"], "outflow": cell["outflow"]})
            for cell in months
        ]
        return Section(
            key="flow",
            title=_("Monthly inflow and outflow"),
            columns=[
                Column("label", _("Month"), LABEL),
                Column("inflow", _("Inflow")),
                Column("outflow", _("Outflow")),
            ],
            rows=rows,
            total=Row(
                _("Total"),
                {
                    "inflow": sum(cell["inflow"] for cell in months),
                    "outflow": sum(cell["outflow"] for cell in months),
                },
            ),
            chart=Chart("line", ("inflow", "outflow")),
            note=_(
                "Inflow: referrals arriving on the referral lines, submitted or redirected to them. "
                "Outflow: referrals leaving a line's queue, assigned to a coach, declined, or redirected "
                "to another line. A redirect between two of the lines counts as outflow of the one and "
                "inflow of the other. The first and the last month count only their days in the period."
            ),
        )
