"""The work-care report: a known half-year (January-June 2026, situation on 30/09/2026), every cell
checked against counts worked out here by hand from the story below; a later "as of" date; another
organisation; the funder's suppressed view in every format; a constant number of queries."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.reports.framework import SECONDARY, SMALL, Params
from werkbrug.reports.tests.report_data import from_json
from werkbrug.reports.workcare import WorkCareReport
from werkbrug.testing import actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.workcare.models import DayHours
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
START, END, AS_OF = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 9, 30)
D = datetime.date


def on(text: str):
    day = D.fromisoformat(text)
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 18, tzinfo=BRUSSELS), tick=False
    )


@pytest.fixture
def half_year(net):
    """The story (dates in 2026 unless said), all at one workshop of SaRA:
    - Anna: atelier, onward, from 1/10/2025; 4 h on 10/1 and 3.5 h on 3/2; paid work on 1/5;
    - Bert: enclave, onward, from 1/2; 6 h on 3/3; training on 1/6; an IPS trajectory from 1/4;
    - Chris: atelier, finality, 1/1-28/2, then individual placement, onward, from 1/3: counts once,
      as the latter; 2 h on 15/1 and 5 h on 1/4;
    - Dirk: home work, finality, from 1/7 (after the period); 3 h on 2/7;
    - Eva: atelier, finality, in 2025 only;
    - Fien: atelier, finality, from 1/3; 8 h on 30/6, 4 h on 1/7; paid work on 5/7 (after);
    - Greet: atelier, onward, from 1/5, recorded only on 5/10 (after 30/9);
    - four more (Extra 1-4): atelier, finality, from 1/6/2025, no hours.
    """
    coach = actor_for(net.coach)
    with on("2025-06-01"):
        w = workshop(net)
        people = {
            name: workcare_trajectory(net, first_name=name)
            for name in ("Anna", "Bert", "Chris", "Dirk", "Eva", "Fien", "Greet")
        }
        for i in range(1, 5):
            extra = workcare_trajectory(net, first_name=f"Extra{i}")
            agreement(net, extra, w, starts_on=D(2025, 6, 1), form="atelier", aim="finality")
        agreement(net, people["Anna"], w, starts_on=D(2025, 10, 1), form="atelier", aim="onward")
        agreement(net, people["Bert"], w, starts_on=D(2026, 2, 1), form="enclave", aim="onward")
        agreement(
            net,
            people["Chris"],
            w,
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 2, 28),
            form="atelier",
            aim="finality",
        )
        agreement(net, people["Chris"], w, starts_on=D(2026, 3, 1), form="individual", aim="onward")
        agreement(net, people["Dirk"], w, starts_on=D(2026, 7, 1), form="home", aim="finality")
        agreement(
            net,
            people["Eva"],
            w,
            starts_on=D(2025, 1, 1),
            ends_on=D(2025, 12, 31),
            form="atelier",
            aim="finality",
        )
        agreement(net, people["Fien"], w, starts_on=D(2026, 3, 1), form="atelier", aim="finality")
    with on("2026-10-05"):
        agreement(net, people["Greet"], w, starts_on=D(2026, 5, 1), form="atelier", aim="onward")
    hours = {
        "Anna": [("2026-01-10", "4"), ("2026-02-03", "3.5")],
        "Bert": [("2026-03-03", "6")],
        "Chris": [("2026-01-15", "2"), ("2026-04-01", "5")],
        "Dirk": [("2026-07-02", "3")],
        "Fien": [("2026-06-30", "8"), ("2026-07-01", "4")],
    }
    DayHours.objects.bulk_create(
        DayHours(
            workshop=w,
            trajectory=people[name],
            day=D.fromisoformat(day),
            hours=Decimal(h),
            recorded_by=net.coach,
        )
        for name, days in hours.items()
        for day, h in days
    )
    with on("2026-07-10"):
        trajectory_actions.record_outcome(
            coach, people["Anna"], kind="paid_work", on=D(2026, 5, 1), economy="nec"
        )
        trajectory_actions.record_outcome(coach, people["Bert"], kind="training", on=D(2026, 6, 1))
        trajectory_actions.record_outcome(
            coach, people["Fien"], kind="paid_work", on=D(2026, 7, 5), economy="nec"
        )
        referral = net.refer(people["Bert"].client)
        referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    with on("2026-04-01"):
        trajectory_actions.accept_referral(
            coach, referral, trajectory_type=TrajectoryType.objects.get(code="ips")
        )
    return w


def values(sections):
    return {s.key: {row.label: dict(row.values) for row in s.all_rows} for s in sections}


def figures(n, new, hours, paid=0, training=0, ips=0):
    return {"n": n, "new": new, "hours": hours, "paid_work": paid, "training": training, "ips": ips}


def expected(greet: bool = False):
    """By hand. Participants in the period: Anna, Bert, Chris (once, individual/onward), Fien, the four
    extras; Greet only as of later. New: Bert, Chris, Fien (and Greet). Hours in the period: Anna 7.5,
    Bert 6, Chris 7, Fien 8 = 28.5. Onward: Anna paid work, Bert training and IPS."""
    g = 1 if greet else 0
    total = figures(8 + g, 3 + g, 28.5, 1, 1, 1)
    return {
        "form": {
            "workshop (atelier)": figures(6 + g, 1 + g, 7.5 + 8, paid=1),
            "enclave in a company": figures(1, 1, 6.0, training=1, ips=1),
            "individual placement": figures(1, 1, 7.0),
            "home work": figures(0, 0, 0.0),
            "Total": total,
        },
        "aim": {
            "an end in itself (finaliteit)": figures(5, 1, 8.0),
            "a step towards work (doorstroom)": figures(3 + g, 2 + g, 7.5 + 6 + 7, 1, 1, 1),
            "Total": total,
        },
    }


def test_every_cell_of_the_work_care_report_matches_the_half_year_counted_by_hand(net, half_year):
    with on("2026-11-01"):
        sections = WorkCareReport().sections(Params(START, END, as_of=AS_OF), detail=True)
    assert values(sections) == expected()


def test_a_later_as_of_date_counts_the_late_agreement(net, half_year):
    with on("2026-11-01"):
        sections = WorkCareReport().sections(Params(START, END, as_of=D(2026, 10, 31)), detail=True)
    assert values(sections) == expected(greet=True)


def test_another_organisation_sees_none_of_it(net, half_year):
    other = net.gtb_coach.memberships.get().organisation
    with on("2026-11-01"):
        sections = WorkCareReport().sections(Params(START, END, as_of=AS_OF, organisation=other), detail=True)
    assert values(sections)["form"]["Total"] == figures(0, 0, 0.0)


def test_the_funder_gets_the_report_with_small_counts_suppressed_in_every_format(net, login, half_year):
    page = login(net.funder)
    url = reverse("reports:report", args=["workcare"])
    query = {"start": "2026-01-01", "end": "2026-06-30"}
    with on("2026-11-01"):
        parsed = from_json(json.loads(page.get(url, {**query, "format": "json"}).content))
        for fmt in ("csv", "xlsx", "pdf"):
            response = page.get(url, {**query, "format": fmt})
            assert response.status_code == 200, fmt
        html = page.get(url, query).content.decode()
    enclave = parsed["form"]["rows"]["enclave in a company"]
    assert enclave["n"] == str(SMALL)
    assert enclave["hours"] == str(SECONDARY)  # the hours of a hidden count are hidden too
    assert parsed["form"]["rows"]["individual placement"]["n"] == str(SMALL)
    # A funder's figures are today's: Greet counts. Finality 5 = 9 - 4 would give the small onward
    # count away.
    assert parsed["aim"]["total"]["n"] == 9
    assert parsed["aim"]["rows"]["a step towards work (doorstroom)"]["n"] == str(SMALL)
    assert parsed["aim"]["rows"]["an end in itself (finaliteit)"]["n"] == str(SECONDARY)
    assert "&lt;5" in html


def test_the_coordinator_sees_the_exact_figures(net, login, half_year):
    page = login(net.coordinator)
    url = reverse("reports:report", args=["workcare"])
    with on("2026-11-01"):
        parsed = from_json(
            json.loads(
                page.get(
                    url, {"start": "2026-01-01", "end": "2026-06-30", "as_of": "2026-09-30", "format": "json"}
                ).content
            )
        )
    assert parsed["form"]["rows"]["enclave in a company"]["n"] == 1
    assert parsed["aim"]["total"]["ips"] == 1


def test_the_report_runs_a_constant_number_of_queries(net, half_year, django_assert_max_num_queries):
    with on("2026-11-01"), django_assert_max_num_queries(2):
        WorkCareReport().sections(Params(START, END, as_of=AS_OF), detail=True)


def test_the_latest_known_agreement_and_only_the_periods_outcomes_ips_and_hours_count(
    net, django_assert_num_queries
):
    """March-May 2026. Hanna: atelier/finality 1/1-31/3, then enclave/onward 1/4-30/4 (the latest in
    the period, new), and home work from 1/6 (after it); training on 20/2 (before); an IPS trajectory
    from 20/5; 3 h on 10/2, 2.5 h on 10/3, 4 h on 10/4. Ivo: individual/finality 1/2-30/4; home
    work/onward from 1/5, recorded only on 10/6; an IPS trajectory from 15/2 (before); paid work on
    15/5; 1.25 h on 2/5, 6 h on 2/6. The same statement runs again with a later "as of" date."""
    coach = actor_for(net.coach)
    with on("2026-01-05"):
        w = workshop(net)
        hanna = workcare_trajectory(net, first_name="Hanna")
        ivo = workcare_trajectory(net, first_name="Ivo")
        agreement(
            net, hanna, w, starts_on=D(2026, 1, 1), ends_on=D(2026, 3, 31), form="atelier", aim="finality"
        )
        agreement(
            net, hanna, w, starts_on=D(2026, 4, 1), ends_on=D(2026, 4, 30), form="enclave", aim="onward"
        )
        agreement(net, hanna, w, starts_on=D(2026, 6, 1), form="home", aim="onward")
        agreement(
            net, ivo, w, starts_on=D(2026, 2, 1), ends_on=D(2026, 4, 30), form="individual", aim="finality"
        )
    with on("2026-06-10"):
        agreement(net, ivo, w, starts_on=D(2026, 5, 1), form="home", aim="onward")
    hours = [(hanna, "2026-02-10", "3"), (hanna, "2026-03-10", "2.5"), (hanna, "2026-04-10", "4")]
    hours += [(ivo, "2026-05-02", "1.25"), (ivo, "2026-06-02", "6")]
    DayHours.objects.bulk_create(
        DayHours(workshop=w, trajectory=t, day=D.fromisoformat(day), hours=Decimal(h), recorded_by=net.coach)
        for t, day, h in hours
    )
    with on("2026-06-15"):
        trajectory_actions.record_outcome(coach, hanna, kind="training", on=D(2026, 2, 20))
        trajectory_actions.record_outcome(coach, ivo, kind="paid_work", on=D(2026, 5, 15), economy="nec")
    for trajectory, day in ((hanna, "2026-05-20"), (ivo, "2026-02-15")):
        with on(day):
            referral = net.refer(trajectory.client)
            referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
            trajectory_actions.accept_referral(
                coach, referral, trajectory_type=TrajectoryType.objects.get(code="ips")
            )

    hanna_figures = figures(1, 1, 6.5, ips=1)
    ivo_figures = figures(1, 0, 1.25, paid=1)
    nobody = figures(0, 0, 0.0)
    total = figures(2, 1, 7.75, paid=1, ips=1)
    with on("2026-07-01"), django_assert_num_queries(1):  # one statement
        sections = WorkCareReport().sections(
            Params(D(2026, 3, 1), D(2026, 5, 31), as_of=D(2026, 5, 31)), detail=True
        )
    assert values(sections) == {
        "form": {
            "workshop (atelier)": nobody,
            "enclave in a company": hanna_figures,
            "individual placement": ivo_figures,
            "home work": nobody,
            "Total": total,
        },
        "aim": {
            "an end in itself (finaliteit)": ivo_figures,
            "a step towards work (doorstroom)": hanna_figures,
            "Total": total,
        },
    }

    # As of 30/6 Ivo's home-work agreement is known: it is his latest in the period, and new.
    ivo_later = figures(1, 1, 1.25, paid=1)
    total_later = figures(2, 2, 7.75, paid=1, ips=1)
    with on("2026-07-01"):
        later = WorkCareReport().sections(
            Params(D(2026, 3, 1), D(2026, 5, 31), as_of=D(2026, 6, 30)), detail=True
        )
    assert values(later)["form"] == {
        "workshop (atelier)": nobody,
        "enclave in a company": hanna_figures,
        "individual placement": nobody,
        "home work": ivo_later,
        "Total": total_later,
    }
    assert values(later)["aim"]["a step towards work (doorstroom)"] == figures(2, 2, 7.75, paid=1, ips=1)
