"""The annex 11.5 report: a known half-year (January-June 2026, situation on 30/09/2026), every cell
checked against counts worked out here by hand from the story below; a later "as of" date; the
funder's suppressed view; the formats."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.clients.models import BenefitStatus
from werkbrug.network.models import Role
from werkbrug.outreach import actions, booking_actions, path_actions, project_actions
from werkbrug.outreach.models import AppointmentState, Destination, PathChannel
from werkbrug.outreach.tests.data import site
from werkbrug.reports.annex import AnnexReport
from werkbrug.reports.framework import SMALL, Params
from werkbrug.reports.tests.report_data import from_json
from werkbrug.testing import actor_for, make_user

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
START, END, AS_OF = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 9, 30)


def on(text: str):
    day = datetime.date.fromisoformat(text)
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 18, tzinfo=BRUSSELS), tick=False
    )


@pytest.fixture
def half_year(net):
    """The story (dates in 2026 unless said):
    - sites A (in project P, signed agreement from 1/1) and B (agreement not signed);
    - path 1 Mira at A, self-booking, 3/2: VDAB presumed with a work incapacity (she said so),
      insurer verified 1/5; informed decision 1/3;
    - path 2 Ali at A, consultation hours, 10/3: VDAB verified 1/8 (before 30/9), training;
    - path 3 Noor at B (a client file, incapacity benefit), care professional, 1/4: VDAB, verified
      2/10 (after 30/9: still presumed then);
    - path 4 Noor again, at A, consultation hours, 5/5: maatwerk (collective);
    - path 5 Jo at A, started 20/12/2025 (before the period): VDAB on 10/1;
    - path 6 Els at A, started 2/7 (after the period): VDAB;
    - path 7 Tim at A, 6/6: volunteering, recorded only on 5/10 (after 30/9);
    - sessions: A 1/3 info session for clients, 12; B 1/4 webinar for clients, 30; A 1/5 on the
      ward for care professionals, 8; A 10/7 (after the period) for clients, 50;
    - appointments at A on Tuesday 3/2: 9:00 no-show, 9:30 attended (Mira's).
    """
    coach, boss = actor_for(net.coach), actor_for(net.coordinator)
    with on("2025-12-20"):
        a = site(net, name="A")
        b = site(net, name="B")
        actions.record_agreement(coach, a, starts_on=START, signed_on=datetime.date(2025, 12, 20))
        actions.record_agreement(coach, b, starts_on=START)
        p = project_actions.create_project(
            boss, name="P", starts_on=START, ends_on=datetime.date(2027, 12, 31)
        )
        project_actions.add_site(boss, p, site=a)
        h = actions.add_hours(
            coach,
            a,
            coach=net.coach,
            weekday=1,
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
            valid_from=datetime.date(2026, 1, 6),
        )
        jo = path_actions.start_path(
            coach, a, first_name="Jo", channel=PathChannel.OTHER, started_on=datetime.date(2025, 12, 20)
        )
        # Registered before her paths: a coach hangs a path only on a file they may see then.
        noor_client = net.new_client(by=net.coach, first_name="Noor", benefit_status=BenefitStatus.INCAPACITY)

    def path(site_, name, channel, day, client=None):
        with on(day):
            return path_actions.start_path(
                coach,
                site_,
                first_name=name,
                channel=channel,
                started_on=datetime.date.fromisoformat(day),
                client=client,
            )

    def refer(p_, destination, day, **extra):
        with on(day):
            return path_actions.refer_onward(
                coach, p_, destination=destination, referred_on=datetime.date.fromisoformat(day), **extra
            )

    def verify(r, day):
        with on(day):
            path_actions.verify_referral(coach, r, on=datetime.date.fromisoformat(day))

    with on("2026-01-10"):
        path_actions.refer_onward(
            coach, jo, destination=Destination.VDAB, referred_on=datetime.date(2026, 1, 10)
        )
    with on("2026-02-01"):
        missed = booking_actions.book_appointment(
            coach,
            h,
            starts_at=datetime.datetime(2026, 2, 3, 9, tzinfo=BRUSSELS),
            first_name="X",
            phone="1",
            email="",
        )
        came = booking_actions.book_appointment(
            coach,
            h,
            starts_at=datetime.datetime(2026, 2, 3, 9, 30, tzinfo=BRUSSELS),
            first_name="Mira",
            phone="2",
            email="",
        )
    with on("2026-02-03"):
        booking_actions.set_appointment_state(coach, missed, state=AppointmentState.NO_SHOW)
        booking_actions.set_appointment_state(coach, came, state=AppointmentState.ATTENDED)
        mira = path_actions.start_path_from_appointment(coach, came)
    mira.channel = PathChannel.SELF_BOOKING  # she had booked herself on the poster's page
    mira.save()
    refer(mira, Destination.VDAB, "2026-02-10", work_incapacity=True)
    insurer = refer(mira, Destination.INSURER, "2026-02-11")
    verify(insurer, "2026-05-01")
    with on("2026-03-01"):
        path_actions.record_decision(coach, mira, on=datetime.date(2026, 3, 1))
        path_actions.record_session(
            coach, a, held_on=datetime.date(2026, 3, 1), kind="info_session", audience="clients", reached=12
        )
    ali = path(a, "Ali", PathChannel.HOURS, "2026-03-10")
    ali_vdab = refer(ali, Destination.VDAB, "2026-03-11")
    refer(ali, Destination.TRAINING, "2026-03-12")
    verify(ali_vdab, "2026-08-01")
    noor_b = path(b, "Noor", PathChannel.CARE_PROFESSIONAL, "2026-04-01", client=noor_client)
    noor_vdab = refer(noor_b, Destination.VDAB, "2026-04-02")
    verify(noor_vdab, "2026-10-02")
    with on("2026-04-01"):
        path_actions.record_session(
            coach, b, held_on=datetime.date(2026, 4, 1), kind="webinar", audience="clients", reached=30
        )
    with on("2026-05-01"):
        path_actions.record_session(
            coach,
            a,
            held_on=datetime.date(2026, 5, 1),
            kind="on_the_ward",
            audience="professionals",
            reached=8,
        )
    noor_a = path(a, "Noor", PathChannel.HOURS, "2026-05-05", client=noor_client)
    refer(noor_a, Destination.MAATWERK, "2026-05-06", maatwerk_kind="collective")
    tim = path(a, "Tim", PathChannel.HOURS, "2026-06-06")
    with on("2026-10-05"):
        path_actions.refer_onward(
            coach, tim, destination=Destination.VOLUNTEERING, referred_on=datetime.date(2026, 6, 6)
        )
    els = path(a, "Els", PathChannel.HOURS, "2026-07-02")
    refer(els, Destination.VDAB, "2026-07-02")
    with on("2026-07-10"):
        path_actions.record_session(
            coach, a, held_on=datetime.date(2026, 7, 10), kind="info_session", audience="clients", reached=50
        )
    return p


def values(sections):
    return {s.key: {row.label: dict(row.values) for row in s.all_rows} for s in sections}


ZERO = {"n": 0, "verified": 0, "presumed": 0}


def expected(as_of_later: bool = False):
    """By hand, from the story. Paths in the period: 1 Mira, 2 Ali, 3 Noor (B), 4 Noor (A), 7 Tim (5 Jo
    started before, 6 Els after). Tim's path counts as reach; his volunteering, recorded after 30/9,
    only as of later."""
    vdab_persons = 4  # Mira, Ali, Noor, Jo (his path began before the period, his referral in it)
    vdab_verified = 1 + (1 if as_of_later else 0)  # Ali by 1/8; Noor only on 2/10
    results = {
        label: dict(ZERO)
        for label in (
            "VDAB registration",
            "occupational physician",
            "insurer / advising physician / TNWC",
            "maatwerk application (individual or collective)",
            "training",
            "(partial) return to work",
            "volunteering",
            "AMA-WVG",
            "no further steps",
            "other",
        )
    }
    results["VDAB registration"] = {
        "n": vdab_persons,
        "verified": vdab_verified,
        "presumed": vdab_persons - vdab_verified,
    }
    results["of which with a recognised work incapacity"] = {"n": 2}  # Mira (said), Noor (benefit)
    results["insurer / advising physician / TNWC"] = {"n": 1, "verified": 1, "presumed": 0}
    results["maatwerk application (individual or collective)"] = {"n": 1, "verified": 0, "presumed": 1}
    results["training"] = {"n": 1, "verified": 0, "presumed": 1}
    if as_of_later:
        results["volunteering"] = {"n": 1, "verified": 0, "presumed": 1}
    return {
        "reach": {"Individual": {"n": 5}, "Collective (info session, webinar, on the ward)": {"n": 12 + 30}},
        "results": results,
        "channels": {
            "consultation hours": {"n": 3},  # Ali, Noor at A, Tim
            "self-booking": {"n": 1},
            "referred by a care professional": {"n": 1},
            "after an info session": {"n": 0},
            "other": {"n": 0},
            "Total": {"n": 5},
        },
        "evaluators": {
            "Unique persons reached individually": {"n": 4},  # Mira, Ali, Noor (twice), Tim
            "Informed decisions": {"n": 1},
            "No-shows": {"n": 1},
            "Sites with an agreement": {"n": 1},
            "Actions aimed at care professionals": {"n": 1},
            "Care professionals reached": {"n": 8},
        },
        # Project P has site A: Mira, Ali, Noor (at A), Tim; collective 12 (the 30 were at B); VDAB
        # at A: Mira, Ali, Jo, of which Ali verified.
        "projects": {"P": {"individual": 4, "collective": 12, "vdab": 3, "vdab_verified": 1}},
    }


def test_every_cell_of_the_annex_matches_the_half_year_counted_by_hand(net, half_year):
    with on("2026-11-01"):
        sections = AnnexReport().sections(Params(START, END, as_of=AS_OF), detail=True)
    assert values(sections) == expected()
    results = next(s for s in sections if s.key == "results")
    assert "several categories" in str(results.note)


def test_a_later_as_of_date_sees_the_late_verification_and_the_late_referral(net, half_year):
    with on("2026-11-01"):
        sections = AnnexReport().sections(Params(START, END, as_of=datetime.date(2026, 10, 31)), detail=True)
    assert values(sections) == expected(as_of_later=True)


def test_a_coordinator_of_another_organisation_sees_none_of_it(net, half_year):
    with on("2026-11-01"):
        sections = AnnexReport().sections(
            Params(START, END, as_of=AS_OF, organisation=net.gtb_coach.memberships.get().organisation),
            detail=True,
        )
    assert values(sections)["reach"] == {
        "Individual": {"n": 0},
        "Collective (info session, webinar, on the ward)": {"n": 0},
    }
    assert values(sections)["projects"] == {}


def test_each_date_and_organisation_gets_its_own_statements_one_run_after_the_other(net, half_year):
    # The annex keeps its statements per parameters (Params.statement_key): in one process, a run
    # for another date or organisation must not be served the statement of the run before it.
    gtb = net.gtb_coach.memberships.get().organisation
    with on("2026-11-01"):
        runs = [
            Params(START, END, as_of=AS_OF),
            Params(START, END, as_of=datetime.date(2026, 10, 31)),
            Params(START, END, as_of=AS_OF, organisation=gtb),
            Params(START, END, as_of=AS_OF),
        ]
        found = [values(AnnexReport().sections(params, detail=True)) for params in runs]
    assert found[0] == found[3] == expected()
    assert found[1] == expected(as_of_later=True)
    assert found[2]["reach"] == {
        "Individual": {"n": 0},
        "Collective (info session, webinar, on the ward)": {"n": 0},
    }
    assert found[2]["projects"] == {}


def test_the_funder_gets_the_annex_with_small_counts_suppressed_in_every_format(net, login, half_year):
    page = login(net.funder)
    url = reverse("reports:report", args=["annex"])
    query = {"start": "2026-01-01", "end": "2026-06-30"}
    with on("2026-11-01"):
        content = json.loads(page.get(url, {**query, "format": "json"}).content)
        parsed = from_json(content)
        assert parsed["reach"]["rows"]["Individual"]["n"] == 5
        assert parsed["reach"]["rows"]["Collective (info session, webinar, on the ward)"]["n"] == 42
        assert parsed["results"]["rows"]["training"]["n"] == str(SMALL)
        assert parsed["evaluators"]["rows"]["No-shows"]["n"] == str(SMALL)
        for fmt in ("csv", "xlsx", "pdf"):
            response = page.get(url, {**query, "format": fmt})
            assert response.status_code == 200, fmt
        html = page.get(url, query).content.decode()
    assert "42" in html and "&lt;5" in html
    assert "A person may count in several categories." in html


def test_the_coordinator_sees_the_exact_annex_as_of_the_date_chosen(net, login, half_year):
    page = login(net.coordinator)
    url = reverse("reports:report", args=["annex"])
    with on("2026-11-01"):
        content = json.loads(
            page.get(
                url, {"start": "2026-01-01", "end": "2026-06-30", "as_of": "2026-09-30", "format": "json"}
            ).content
        )
    parsed = from_json(content)
    assert parsed["results"]["rows"]["VDAB registration"] == {"n": 4, "verified": 1, "presumed": 3}
    assert parsed["projects"]["rows"]["P"] == {
        "individual": 4,
        "collective": 12,
        "vdab": 3,
        "vdab_verified": 1,
    }


def test_the_annex_runs_a_constant_number_of_queries(net, half_year, django_assert_max_num_queries):
    with on("2026-11-01"), django_assert_max_num_queries(10):
        AnnexReport().sections(Params(START, END, as_of=AS_OF), detail=True)


@pytest.mark.django_db
def test_the_annex_runs_over_the_generated_network():
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from werkbrug.outreach.models import Path

    call_command("generate_network", "--scale", "tiny", stdout=StringIO())
    today = timezone.localdate()
    start = today - datetime.timedelta(days=364)
    sections = AnnexReport().sections(Params(start, today), detail=True)
    got = values(sections)
    assert (
        got["reach"]["Individual"]["n"] == Path.objects.filter(started_on__range=(start, today)).count() > 0
    )
    assert got["channels"]["Total"]["n"] == got["reach"]["Individual"]["n"]


def project_expected(*, individual, collective, channels, results, evaluators, project_row, name):
    """The whole table for one project, from the counts given (zero wherever not given)."""
    table = expected()
    table["reach"] = {
        "Individual": {"n": individual},
        "Collective (info session, webinar, on the ward)": {"n": collective},
    }
    table["results"] = {label: dict(ZERO) for label in table["results"]}
    table["results"]["of which with a recognised work incapacity"] = {"n": 0}
    for label, cell in results.items():
        table["results"][label] = cell
    table["channels"] = {label: {"n": channels.get(label, 0)} for label in table["channels"]}
    table["channels"]["Total"] = {"n": individual}
    table["evaluators"] = {label: {"n": evaluators.get(label, 0)} for label in table["evaluators"]}
    table["projects"] = {name: project_row}
    return table


def test_every_cell_of_the_annex_narrowed_to_a_project_matches_the_half_year(net, half_year):
    """Project P has site A only (from 1/1/2026): what happened at B (Noor's path by a care
    professional, the webinar) is not P's."""
    with on("2026-11-01"):
        sections = AnnexReport().sections(Params(START, END, as_of=AS_OF, project=half_year), detail=True)
    assert values(sections) == project_expected(
        individual=4,  # Mira, Ali, Noor at A, Tim
        collective=12,
        channels={"consultation hours": 3, "self-booking": 1},
        results={
            "VDAB registration": {"n": 3, "verified": 1, "presumed": 2},  # Mira, Ali (verified), Jo
            "of which with a recognised work incapacity": {"n": 1},  # Mira; Noor's VDAB was at B
            "insurer / advising physician / TNWC": {"n": 1, "verified": 1, "presumed": 0},
            "maatwerk application (individual or collective)": {"n": 1, "verified": 0, "presumed": 1},
            "training": {"n": 1, "verified": 0, "presumed": 1},
        },
        evaluators={
            "Unique persons reached individually": 4,
            "Informed decisions": 1,
            "No-shows": 1,
            "Sites with an agreement": 1,
            "Actions aimed at care professionals": 1,
            "Care professionals reached": 8,
        },
        project_row={"individual": 4, "collective": 12, "vdab": 3, "vdab_verified": 1},
        name="P",
    )


def test_a_project_counts_only_within_its_own_period(net, half_year):
    """Project Q has site A from 1/3 to 30/4/2026: only Ali's path (10/3), his VDAB (verified 1/8)
    and training, and the info session of 1/3 fall in it."""
    boss = actor_for(net.coordinator)
    q = project_actions.create_project(
        boss, name="Q", starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 4, 30)
    )
    project_actions.add_site(boss, q, site=half_year.sites.get())
    with on("2026-11-01"):
        sections = AnnexReport().sections(Params(START, END, as_of=AS_OF, project=q), detail=True)
    assert values(sections) == project_expected(
        individual=1,
        collective=12,
        channels={"consultation hours": 1},
        results={
            "VDAB registration": {"n": 1, "verified": 1, "presumed": 0},
            "training": {"n": 1, "verified": 0, "presumed": 1},
        },
        evaluators={"Unique persons reached individually": 1, "Sites with an agreement": 1},
        project_row={"individual": 1, "collective": 12, "vdab": 1, "vdab_verified": 1},
        name="Q",
    )


def test_the_coordinator_chooses_a_project_of_their_own_organisation_only(net, login, half_year):
    url = reverse("reports:report", args=["annex"])
    query = {"start": "2026-01-01", "end": "2026-06-30", "as_of": "2026-09-30", "format": "json"}
    gtb = net.gtb_coach.memberships.get().organisation
    with on("2026-11-01"):
        mine = login(net.coordinator).get(url, {**query, "project": half_year.pk})
        assert from_json(json.loads(mine.content))["reach"]["rows"]["Individual"]["n"] == 4  # 5 for SaRA
        other = login(make_user("gtbcoordinator", gtb, Role.COORDINATOR))
        assert other.get(url, {**query, "project": half_year.pk}).status_code == 400
        assert other.get(url, {**query, "project": "x"}).status_code == 400
        # A funder gets no filter: the network's table whatever is asked.
        funder = from_json(json.loads(login(net.funder).get(url, {**query, "project": half_year.pk}).content))
    assert funder["reach"]["rows"]["Individual"]["n"] == 5


def test_one_organisations_referrals_to_vdab_are_found_from_its_own_sites(net, half_year):
    # For one organisation SQLite keeps the destination off its index (core.dbdates.Scanned), so
    # that it starts from the organisation's sites, not from the network's referrals to VDAB; the
    # network's annex keeps the index. Both count the same referrals (the cells by hand above).
    own = net.coordinator.memberships.get().organisation
    scanned = '+"outreach_onwardreferral"."destination" ='
    with on("2026-11-01"):
        with CaptureQueriesContext(connection) as narrowed:
            mine = values(
                AnnexReport().sections(Params(START, END, as_of=AS_OF, organisation=own), detail=True)
            )
        with CaptureQueriesContext(connection) as network:
            AnnexReport().sections(Params(START, END, as_of=AS_OF), detail=True)
    assert any(scanned in q["sql"] for q in narrowed.captured_queries) == (connection.vendor == "sqlite")
    assert not any(scanned in q["sql"] for q in network.captured_queries)
    assert mine["projects"] == expected()["projects"]
