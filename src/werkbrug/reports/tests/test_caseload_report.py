"""The caseload and waiting-list report, over a known dataset, in every format.

The dataset is built through the actions at fixed Brussels times in 2026 ("now" is 15 June 2026).
What the report must say is worked out here in plain Python over what was built (the action log,
the trajectories read back from the database) or counted by hand, never by calling the report code.
"""

from __future__ import annotations

import datetime
import io
import math
import statistics
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.models import Client
from werkbrug.network import actions as network_actions
from werkbrug.network.models import Membership, ReferralLine, Role, TrajectoryType, User
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import DeclineReason, Referral
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.tests.report_data import BRUSSELS, local
from werkbrug.teams import actions as team_actions
from werkbrug.teams.models import Team, TeamKind
from werkbrug.testing import SIGNED, Network, actor_for, make_user
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import CloseReason, Trajectory

NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=BRUSSELS)
YEAR = 2026
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
FORMATS = ("html", "json", "csv", "xlsx", "pdf")
SMALL = "<5"
SECONDARY = rd.SECONDARY

TITLES = {
    "Per coach": "coaches",
    "Per team": "teams",
    "Per organisation": "organisations",
    "Waiting lists per referral line": "waiting",
    "Monthly inflow and outflow": "flow",
}
HEADERS = {
    "Active": "active",
    "Paused": "paused",
    "Open (active and paused)": "open",
    "Unique persons (across organisations)": "persons",
    "Capacity (dossiers)": "capacity",
    "Load (active / capacity)": "load",
    "Waiting today": "waiting",
    "Trajectories started in the period": "started",
    "Waiting time, median (days)": "median",
    "Waiting time, 90th percentile (days)": "p90",
    "Inflow": "inflow",
    "Outflow": "outflow",
}


def at(moment: str) -> Any:
    return time_machine.travel(local(moment), tick=False)


# --- the dataset ------------------------------------------------------------------------------------


@dataclass
class Data:
    net: Network
    griet: User  # no capacity set, half time, mostly IPS
    lotte: User  # no capacity set, full time, carries nothing
    pieter: User  # capacity 3, over it
    gone: User  # a coach who left SaRA: their trajectory has no current coach
    ips_team: Team
    job_team: Team
    solo_team: Team
    # (local time, event kind, line, line redirected from) of every referral event that counts as
    # inflow or outflow.
    log: list[tuple[datetime.datetime, str, ReferralLine, ReferralLine | None]] = field(default_factory=list)
    trajectories: list[Trajectory] = field(default_factory=list)

    def client(self, name: str) -> Client:
        return self.net.new_client(first_name=name)

    def submit(self, name: str, line: ReferralLine, when: str) -> Referral:
        with at(when):
            referral = self.net.refer(self.client(name), line=line)
        self.log.append((local(when), "submitted", line, None))
        return referral

    def screener(self, line: ReferralLine) -> User:
        return self.net.screener if line == self.net.coach_line else self.net.gtb_screener

    def start(
        self, name: str, line: ReferralLine, coach: User, type_code: str, submitted: str, accepted: str
    ) -> Trajectory:
        referral = self.submit(name, line, submitted)
        with at(accepted):
            referral_actions.assign_referral(actor_for(self.screener(line)), referral, coach=coach)
            trajectory = trajectory_actions.accept_referral(
                actor_for(coach), referral, trajectory_type=TrajectoryType.objects.get(code=type_code)
            )
        self.log.append((local(accepted), "assigned", line, None))
        self.trajectories.append(trajectory)
        return trajectory

    def waitlist(self, referral: Referral, when: str) -> None:
        with at(when):
            referral_actions.waitlist_referral(
                actor_for(self.screener(referral.line)), referral, expected_start=None
            )

    def redirect(self, referral: Referral, to: ReferralLine, when: str) -> None:
        origin = referral.line
        with at(when):
            referral_actions.redirect_referral(
                actor_for(self.screener(origin)), referral, line=to, note="past beter", evidence=SIGNED
            )
        self.log.append((local(when), "redirected", to, origin))

    def decline(self, referral: Referral, when: str) -> None:
        with at(when):
            referral_actions.decline_referral(
                actor_for(self.screener(referral.line)),
                referral,
                reason=DeclineReason.NOT_TARGET_GROUP,
                note="",
            )
        self.log.append((local(when), "declined", referral.line, None))


def build(net: Network) -> Data:
    admin = actor_for(net.admin)
    sara_line, gtb_line = net.coach_line, net.gtb_line
    griet = make_user("griet", net.sara, Role.COACH, fte=Decimal("0.50"))
    lotte = make_user("lotte", net.sara, Role.COACH)
    pieter = make_user("pieter", net.sara, Role.COACH, capacity=3)
    gone = make_user("oud", net.sara, Role.COACH, capacity=30)
    ips_team = team_actions.create_team(
        admin, name="IPS-team Noord", kind=TeamKind.IPS_TEAM, organisation=net.sara
    )
    job_team = team_actions.create_team(admin, name="Jobteam", kind=TeamKind.CASE_TEAM, organisation=net.sara)
    solo_team = team_actions.create_team(admin, name="Werkplekteam", kind=TeamKind.MDO, organisation=net.sara)
    teams = (
        (ips_team, (net.coach, griet, net.care)),
        (job_team, (pieter, net.gtb_coach)),
        (solo_team, (griet,)),
    )
    for team, users in teams:
        for user in users:
            team_actions.add_member(admin, team, user=user)
    data = Data(net, griet, lotte, pieter, gone, ips_team, job_team, solo_team)
    coach = net.coach

    # SaRA's coach: one submitted before the year; one submitted at 23:30 on 31 January (paused
    # later); one half an hour into 1 March (still 28 February in UTC); one closed; one submitted at
    # 01:30 summer time on 31 May (30 May in UTC).
    data.start("Anna", sara_line, coach, "arbeidscoach", "2025-11-20 09:00", "2026-01-05 10:00")
    paused = data.start("Bart", sara_line, coach, "arbeidscoach", "2026-01-31 23:30", "2026-02-10 11:00")
    data.start("Carla", sara_line, coach, "arbeidscoach", "2026-03-01 00:30", "2026-03-20 09:00")
    closed = data.start("Dirk", sara_line, coach, "arbeidscoach", "2026-02-02 10:00", "2026-02-03 10:00")
    data.start("Els", sara_line, coach, "arbeidscoach", "2026-05-31 01:30", "2026-06-10 10:00")
    # Griet: two IPS, one arbeidscoach.
    data.start("Fien", sara_line, griet, "ips", "2026-01-10 10:00", "2026-01-20 10:00")
    data.start("Gert", sara_line, griet, "ips", "2026-02-15 10:00", "2026-04-15 10:00")
    data.start("Hanne", sara_line, griet, "arbeidscoach", "2026-03-03 10:00", "2026-03-04 10:00")
    # Pieter: five open (one paused, one started in 2025) against a capacity of three.
    data.start("Ilse", sara_line, pieter, "arbeidscoach", "2026-04-01 10:00", "2026-04-08 10:00")
    data.start("Jan", sara_line, pieter, "arbeidscoach", "2026-04-02 10:00", "2026-04-30 10:00")
    paused_too = data.start(
        "Karel", sara_line, pieter, "arbeidscoach", "2026-04-03 10:00", "2026-05-04 10:00"
    )
    data.start("Lien", sara_line, pieter, "arbeidscoach", "2026-04-04 10:00", "2026-06-01 10:00")
    data.start("Mark", sara_line, pieter, "arbeidscoach", "2025-12-01 10:00", "2025-12-15 10:00")
    # The coach who left.
    data.start("Nele", sara_line, gone, "arbeidscoach", "2026-01-12 10:00", "2026-01-13 10:00")
    with at("2026-06-01 09:00"):
        membership = Membership.objects.get(user=gone, organisation=net.sara, role=Role.COACH)
        network_actions.update_membership(
            admin, membership, role=Role.COACH, capacity=30, fte=Decimal("1.00"), is_active=False
        )
        trajectory_actions.pause_trajectory(actor_for(coach), paused, reason="opname")
        trajectory_actions.pause_trajectory(actor_for(pieter), paused_too, reason="opname")
        trajectory_actions.close_trajectory(
            actor_for(coach), closed, reason=CloseReason.CLIENT_CHOICE, note=""
        )

    # SaRA's waiting list, a declined referral and a referral sent on to GTB.
    data.waitlist(data.submit("Olga", sara_line, "2026-05-01 10:00"), "2026-05-02 10:00")
    data.waitlist(data.submit("Paul", sara_line, "2026-05-20 10:00"), "2026-05-21 10:00")
    data.decline(data.submit("Quinten", sara_line, "2026-03-10 10:00"), "2026-03-12 10:00")
    data.redirect(data.submit("Rita", sara_line, "2026-04-10 10:00"), gtb_line, "2026-04-12 10:00")
    # GTB sends one to SaRA, who puts it on the waiting list.
    sent_on = data.submit("Sven", gtb_line, "2026-05-05 10:00")
    data.redirect(sent_on, sara_line, "2026-05-06 10:00")
    data.waitlist(sent_on, "2026-05-07 10:00")

    # GTB: six trajectories, two waiting.
    gtb_coach = net.gtb_coach
    data.start("Tom", gtb_line, gtb_coach, "gtb", "2026-01-15 10:00", "2026-02-01 10:00")
    data.start("Ulla", gtb_line, gtb_coach, "gtb", "2026-02-20 10:00", "2026-03-02 10:00")
    data.start("Vera", gtb_line, gtb_coach, "gtb", "2026-03-05 10:00", "2026-05-05 10:00")
    data.start("Wim", gtb_line, gtb_coach, "gtb", "2026-04-20 10:00", "2026-04-21 10:00")
    data.start("Xavier", gtb_line, gtb_coach, "gtb", "2026-05-01 10:00", "2026-05-11 10:00")
    data.start("Yana", gtb_line, gtb_coach, "gtb", "2026-05-02 10:00", "2026-06-01 10:00")
    data.waitlist(data.submit("Zeno", gtb_line, "2026-06-02 10:00"), "2026-06-03 10:00")
    data.waitlist(data.submit("Ann", gtb_line, "2026-06-05 10:00"), "2026-06-06 10:00")
    return data


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(frozen, net) -> Data:
    return build(net)


# --- what the report must say, worked out here ----------------------------------------------------


def interpolated(values: list[int], q: float) -> float:
    """The q-quantile with linear interpolation between the two nearest ranks (percentile_cont)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def waiting_days(trajectories: list[Trajectory], line: ReferralLine | None = None) -> list[int]:
    """Days from the local submission date to the start, of the trajectories started in the year."""
    days = []
    for trajectory in Trajectory.objects.filter(pk__in=[t.pk for t in trajectories]).select_related(
        "referral"
    ):
        referral = trajectory.referral
        if referral is None or trajectory.started_on.year != YEAR or (line and referral.line_id != line.pk):
            continue
        days.append((trajectory.started_on - timezone.localtime(referral.created_at).date()).days)
    return days


def waiting_row(waiting: int, days: list[int]) -> dict[str, Any]:
    return {
        "waiting": waiting,
        "started": len(days),
        "median": round(statistics.median(days), 1),
        "p90": round(interpolated(days, 0.9), 1),
    }


def flow(data: Data, lines: list[ReferralLine]) -> dict[str, dict[str, int]]:
    inflow: Counter[str] = Counter()
    outflow: Counter[str] = Counter()
    for moment, kind, line, origin in data.log:
        month = f"{moment:%Y-%m}"
        if moment.year != YEAR:
            continue
        if kind in ("submitted", "redirected") and line in lines:
            inflow[month] += 1
        if kind in ("assigned", "declined") and line in lines:
            outflow[month] += 1
        if kind == "redirected" and origin in lines:
            outflow[month] += 1
    rows = {m: {"inflow": inflow[m], "outflow": outflow[m]} for m in MONTHS}
    rows["Total"] = {"inflow": sum(inflow.values()), "outflow": sum(outflow.values())}
    return rows


def load(active: int, paused: int, capacity: int) -> dict[str, Any]:
    return {
        "active": active,
        "paused": paused,
        "open": active + paused,
        # Every client of the dataset has a name of their own: one person per open trajectory.
        "persons": active + paused,
        "capacity": capacity,
        "load": round(100 * active / capacity, 1) if capacity else None,
    }


# Capacity by the rule, by hand: Coach 35 (set); Griet mostly carries IPS (norm 20) at 0.5 FTE = 10;
# Lotte carries nothing, so SaRA's most carried type (arbeidscoach, 35) at 1.0 FTE = 35; Pieter 3.
CAPACITY = {"Coach SaRA": 35, "Griet SaRA": 10, "Lotte SaRA": 35, "Pieter SaRA": 3}
SARA_CAPACITY = sum(CAPACITY.values())
GTB_CAPACITY = 40


def expected_for_coordinator(data: Data) -> dict[str, Any]:
    sara = [data.net.coach_line]
    sara_days = waiting_days(data.trajectories, data.net.coach_line)
    # Open trajectories by hand: Coach 3 active + 1 paused (one closed); Griet 3; Lotte none;
    # Pieter 4 + 1 paused; the coach who left 1.
    coaches = {
        "Coach SaRA": load(3, 1, 35),
        "Griet SaRA": load(3, 0, 10),
        "Lotte SaRA": load(0, 0, 35),
        "Pieter SaRA": load(4, 1, 3),
        # Not a row of one dimension: no persons figure.
        "Without a current coach": {**load(1, 0, 0), "capacity": None, "persons": None},
        "Total": load(11, 2, SARA_CAPACITY),
    }
    return {
        "coaches": coaches,
        "teams": {
            # Coach and Griet (the care professional carries nothing); Pieter (GTB's coach is not SaRA's).
            "IPS-team Noord": load(6, 1, 45),
            "Jobteam": load(4, 1, 3),
            "Werkplekteam": load(3, 0, 10),  # Griet alone: not for the funder
        },
        "waiting": {
            "SaRA arbeidscoach": waiting_row(3, sara_days),
            "Total": waiting_row(3, sara_days),
        },
        "flow": flow(data, sara),
    }


def expected_for_funder(data: Data) -> dict[str, Any]:
    sara_days = waiting_days(data.trajectories, data.net.coach_line)
    gtb_days = waiting_days(data.trajectories, data.net.gtb_line)
    return {
        "teams": {"IPS-team Noord": load(6, 1, 45), "Jobteam": load(4 + 6, 1, 3 + GTB_CAPACITY)},
        "organisations": {
            "GTB Antwerpen": load(6, 0, GTB_CAPACITY),
            "SaRA Arbeidscoaching": load(11, 2, SARA_CAPACITY),
            "Total": load(17, 2, SARA_CAPACITY + GTB_CAPACITY),
        },
        "waiting": {
            "GTB trajectbegeleiding": waiting_row(2, gtb_days),
            "SaRA arbeidscoach": waiting_row(3, sara_days),
            "Total": waiting_row(5, sara_days + gtb_days),
        },
        "flow": flow(data, [data.net.coach_line, data.net.gtb_line]),
    }


def test_the_dataset_gives_the_figures_worked_out_by_hand(data):
    """The hand counts above agree with the dataset as built."""
    assert sorted(waiting_days(data.trajectories, data.net.coach_line)) == [
        1,
        1,
        1,
        7,
        10,
        10,
        10,
        19,
        28,
        31,
        46,
        58,
        59,
    ]
    # The summer-time submission at 01:30 on 31 May (23:30 UTC on 30 May) waited ten days, not eleven.
    els = next(t for t in data.trajectories if t.client.first_name == "Els")
    assert waiting_days([els]) == [10]
    open_per_coach = Counter(
        (t.coach.first_name, t.status)
        for t in Trajectory.objects.exclude(status="closed").select_related("coach")
    )
    assert open_per_coach == {
        ("Coach", "active"): 3, ("Coach", "paused"): 1, ("Griet", "active"): 3, ("Pieter", "active"): 4,
        ("Pieter", "paused"): 1, ("Oud", "active"): 1, ("Gtbcoach", "active"): 6,
    }  # fmt: skip
    sara_flow = flow(data, [data.net.coach_line])
    # 23:30 on 31 January is January; 00:30 on 1 March is March (Brussels time).
    assert [sara_flow[m]["inflow"] for m in MONTHS[:6]] == [3, 2, 3, 5, 4, 0]
    assert [sara_flow[m]["outflow"] for m in MONTHS[:6]] == [3, 2, 3, 4, 1, 2]


# --- reading every format back --------------------------------------------------------------------


# The shared readers of `report_data`, with this report's titles and headers; the tests here read a
# section as {label: values}, the total under the label "Total".


def flat(parsed: dict[str, Any]) -> dict[str, Any]:
    return {
        key: {**section["rows"], **({"Total": section["total"]} if section["total"] is not None else {})}
        for key, section in parsed.items()
    }


def from_json(content: dict[str, Any]) -> dict[str, Any]:
    return flat(rd.from_json(content))


def nested(expected: dict[str, Any]) -> dict[str, Any]:
    return {
        key: {"rows": {label: v for label, v in rows.items() if label != "Total"}, "total": rows.get("Total")}
        for key, rows in expected.items()
    }


def get(client, fmt: str, **params: Any):
    response = client.get(
        reverse("reports:report", args=["caseload"]), {"year": YEAR, "format": fmt, **params}
    )
    assert response.status_code == 200, response.content[:500]
    return response


def read(fmt: str, response: Any, expected: dict[str, Any]) -> dict[str, Any]:
    if fmt == "json":
        return from_json(response.json())
    if fmt == "csv":
        return flat(rd.from_csv(response.content, TITLES, HEADERS))
    if fmt == "xlsx":
        return flat(rd.from_xlsx(response.content, TITLES, HEADERS))
    if fmt == "pdf":
        return flat(rd.from_pdf(response.content, nested(expected), TITLES))
    return flat(rd.from_html(response.content.decode(), HEADERS))


def text_of(fmt: str, response: Any) -> str:
    if fmt == "pdf":
        return "\n".join("  ".join(cells) for cells in rd.pdf_lines(response.content))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return response.content.decode()


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_coordinator_gets_exact_figures_per_coach_team_line_and_month(data, login, fmt):
    expected = expected_for_coordinator(data)
    got = read(fmt, get(login(data.net.coordinator), fmt), expected)
    assert set(got) == {"coaches", "teams", "waiting", "flow"}  # no per-organisation table
    for key, rows in expected.items():
        assert got[key] == rows, key


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_funder_gets_no_coach_and_sees_small_counts_as_less_than_five(data, login, fmt):
    expected = expected_for_funder(data)
    response = get(login(data.net.funder), fmt)
    got = read(fmt, response, expected)
    assert "coaches" not in got
    assert "Werkplekteam" not in got["teams"]  # one coach: that coach's row
    text = text_of(fmt, response)
    for name in ("Coach SaRA", "Griet SaRA", "Lotte SaRA", "Pieter SaRA", "Oud SaRA", "Gtbcoach GTB"):
        assert name not in text
    assert "Without a current coach" not in text

    for key, rows in expected.items():
        assert list(got[key]) == list(rows), key
        for label, values in rows.items():
            for column, true in values.items():
                shown = got[key][label][column]
                if isinstance(true, int) and 0 < true < 5 and column not in ("capacity", "median", "p90"):
                    assert shown == SMALL, (key, label, column)
                else:  # the true figure, or hidden to protect a small one: never "<5"
                    assert shown in (true, SECONDARY), (key, label, column)
    # The small counts themselves.
    assert got["organisations"]["SaRA Arbeidscoaching"]["paused"] == SMALL
    assert got["waiting"]["SaRA arbeidscoach"]["waiting"] == SMALL
    assert got["waiting"]["GTB trajectbegeleiding"]["waiting"] == SMALL
    # Figures over enough trajectories are shown, the waiting-time percentiles with them.
    assert got["waiting"]["Total"] == expected["waiting"]["Total"]
    assert got["waiting"]["SaRA arbeidscoach"]["median"] == expected["waiting"]["SaRA arbeidscoach"]["median"]
    assert got["organisations"]["Total"]["capacity"] == SARA_CAPACITY + GTB_CAPACITY


def test_the_waiting_time_percentiles_interpolate_between_the_nearest_days(data, login):
    got = from_json(get(login(data.net.coordinator), "json").json())["waiting"]["SaRA arbeidscoach"]
    days = waiting_days(data.trajectories, data.net.coach_line)  # 13 values
    assert got["median"] == statistics.median(days) == 10
    # The 90th percentile lies at rank 0.9 * 12 = 10.8 of the sorted days (from 0): 46 + 0.8 * (58 - 46).
    assert got["p90"] == round(interpolated(days, 0.9), 1) == 55.6


@pytest.mark.parametrize("zone", ["Europe/Brussels", "UTC", "America/New_York"])
def test_the_waiting_days_count_from_the_local_date_of_submission(net, settings, zone):
    from werkbrug.core.dbdates import DaysFromLocalDate

    settings.TIME_ZONE = zone
    tz = zoneinfo.ZoneInfo(zone)
    moments = [
        "2026-01-31 23:30",
        "2026-03-29 00:30",
        "2026-03-29 03:30",
        "2026-07-01 00:30",
        "2026-10-25 23:59",
    ]
    for text in moments:
        with time_machine.travel(datetime.datetime.fromisoformat(text).replace(tzinfo=tz), tick=False):
            trajectory = net.trajectory(net.new_client(first_name=text[-5:]))
        trajectory.started_on = datetime.date(2026, 11, 1)
        trajectory.save(update_fields=["started_on"])  # the only way to make the dates differ
    expected = sorted(
        (datetime.date(2026, 11, 1) - datetime.datetime.fromisoformat(text).date()).days for text in moments
    )
    days = DaysFromLocalDate("referral__created_at", "started_on", years=(2016, 2026))
    assert sorted(Trajectory.objects.values_list(days, flat=True)) == expected


def test_the_filters_narrow_the_trajectories_but_not_the_capacity(data, login):
    client = login(data.net.coordinator)
    ips = TrajectoryType.objects.get(code="ips")
    got = from_json(get(client, "json", trajectory_type=ips.pk).json())
    assert got["coaches"]["Griet SaRA"] == load(2, 0, 10)
    assert got["coaches"]["Coach SaRA"] == load(0, 0, 35)
    assert got["coaches"]["Total"] == load(2, 0, SARA_CAPACITY)

    got = from_json(get(client, "json", team=data.ips_team.pk).json())
    assert list(got["coaches"]) == ["Coach SaRA", "Griet SaRA", "Total"]
    assert got["coaches"]["Total"] == load(6, 1, 45)
    assert got["teams"] == {"IPS-team Noord": load(6, 1, 45)}

    # A funder gets the fixed publication tables: a line filter is not applied (a narrowed table
    # could be subtracted from the network's), so the answer is the network's.
    funder = login(data.net.funder)
    narrowed = get(funder, "json", line=data.net.gtb_line.pk).json()
    assert narrowed["sections"] == get(funder, "json").json()["sections"]
    got = from_json(narrowed)
    assert list(got["organisations"]) == ["GTB Antwerpen", "SaRA Arbeidscoaching", "Total"]


def test_the_report_and_the_capacity_page_use_the_same_capacity(data, login):
    client = login(data.net.coordinator)
    page = client.get(reverse("trajectories:capacity"))
    on_page = {str(c.user): c.capacity for c in page.context["coaches"]}
    assert on_page == CAPACITY
    report = from_json(get(client, "json").json())["coaches"]
    assert {name: report[name]["capacity"] for name in CAPACITY} == CAPACITY


def test_the_months_of_a_shorter_period_count_only_its_days(data, login):
    got = from_json(get(login(data.net.coordinator), "json", start="2026-01-15", end="2026-03-01").json())
    # Inflow from 15 January: Bart (31 Jan, 23:30); February: Dirk, Gert; 1 March: Carla (00:30).
    assert got["flow"] == {
        "2026-01": {"inflow": 1, "outflow": 1},  # Fien assigned on 20 Jan (Nele: 13 Jan, before)
        "2026-02": {"inflow": 2, "outflow": 2},
        "2026-03": {"inflow": 1, "outflow": 0},
        "Total": {"inflow": 4, "outflow": 3},
    }


@pytest.mark.parametrize("user", ["coach", "screener", "care", "outsider", "admin", "gtb_coach"])
def test_other_roles_get_404_on_the_report(net, login, user):
    client = login(getattr(net, user))
    for fmt in ("html", "json"):
        response = client.get(reverse("reports:report", args=["caseload"]), {"format": fmt})
        assert response.status_code == 404


@pytest.mark.parametrize("extra", [1, 20])
def test_the_report_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, extra):
    admin = actor_for(net.admin)
    team = team_actions.create_team(admin, name="Team", kind=TeamKind.IPS_TEAM, organisation=net.sara)
    team_actions.add_member(admin, team, user=net.coach)
    for i in range(extra):
        trajectory = net.trajectory(net.new_client(first_name=f"Client{i}"))
        if i % 3 == 0:
            trajectory_actions.pause_trajectory(actor_for(net.coach), trajectory, reason="opname")
        waiting = net.refer(net.new_client(first_name=f"Wachtend{i}"))
        referral_actions.waitlist_referral(actor_for(net.screener), waiting, expected_start=None)
    for user in (net.coordinator, net.funder):
        client = login(user)
        for fmt in ("html", "json"):
            # 15, and the unique persons: in total and per coach, team or organisation (3 queries);
            # on PostgreSQL the two that plan the report for its own values (core.replica).
            with django_assert_max_num_queries(18 + (2 if connection.vendor == "postgresql" else 0)):
                client.get(reverse("reports:report", args=["caseload"]), {"format": fmt})
