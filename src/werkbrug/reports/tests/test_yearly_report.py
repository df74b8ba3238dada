"""The yearly registration report's figures, checked against a known dataset in every format (HTML,
XLSX, CSV, JSON, PDF text): exact for the coordinator (own organisation only), network-wide with small
counts hidden for the funder; the filters narrow the figures."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.network.models import Role, TrajectoryType
from werkbrug.reports.tests import report_data as rd
from werkbrug.teams import actions as team_actions
from werkbrug.teams.models import TeamKind
from werkbrug.testing import actor_for, make_user

SARA_SPECS = [s for s in rd.SPECS if s.org == rd.SARA]
GTB_SPECS = [s for s in rd.SPECS if s.org == rd.GTB]


def get(client, fmt: str, **params):
    response = client.get(
        reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, **params, "format": fmt}
    )
    assert response.status_code == 200, response.content[:500]
    return response


def test_the_dataset_gives_the_figures_worked_out_by_hand():
    """The expectations are plain Python over the specs; these constants are the same figures counted
    by hand from the table in report_data, so that a slip in either shows."""
    sara = rd.figures(SARA_SPECS)
    assert (sara["active"], sara["started"], sara["ggz"], sara["paid_work"], sara["nec"]) == (15, 10, 7, 6, 2)
    assert sara["ggz_share"] == 46.7 and sara["paid_work_share"] == 40.0 and sara["nec_share"] == 33.3
    everyone = rd.figures(rd.SPECS)
    assert (
        everyone["active"],
        everyone["started"],
        everyone["ggz"],
        everyone["paid_work"],
        everyone["nec"],
    ) == (
        21,
        14,
        10,
        9,
        3,
    )
    gtb = rd.figures(GTB_SPECS)
    assert (gtb["active"], gtb["started"], gtb["paid_work"], gtb["nec"]) == (6, 4, 3, 1)
    expected = rd.expected_yearly(SARA_SPECS, with_organisations=False)
    assert expected["gender"]["rows"]["woman"]["active"] == 7
    assert expected["gender"]["rows"]["man"]["active"] == 8
    assert expected["subregion"]["rows"][rd.KEMPEN]["active"] == 4
    assert expected["type"]["rows"]["IPS"] == rd.figures(SARA_SPECS[13:17])
    assert expected["type"]["rows"]["IPS"]["active"] == 4
    assert expected["outcomes"]["rows"]["paid work"] == {"n": 6}
    assert expected["outcomes"]["rows"]["training"] == {"n": 3}  # the one in 2026 does not count
    assert expected["outcomes_per_type"]["total"]["drop_out"] == 1


@pytest.mark.parametrize("fmt", rd.FORMATS)
def test_the_coordinator_gets_the_exact_figures_of_their_own_organisation(data, login, fmt):
    expected = rd.expected_yearly(SARA_SPECS, with_organisations=False)
    parsed = rd.read(fmt, get(login(data.net.coordinator), fmt), expected)
    assert parsed == expected
    # Trajectories led by GTB count nowhere: not as a type, not in any total.
    assert "GTB-trajectbegeleiding" not in parsed["type"]["rows"]
    assert parsed["summary"]["total"]["active"] == 15
    assert "organisation" not in parsed


@pytest.mark.parametrize("fmt", rd.FORMATS)
def test_the_funder_gets_network_wide_figures_with_small_counts_hidden(data, login, fmt):
    expected = rd.expected_yearly(rd.SPECS, with_organisations=True)
    parsed = rd.read(fmt, get(login(data.net.funder), fmt), expected)
    rd.assert_suppressed_view_of(parsed, expected)
    assert rd.recoverable_cells(parsed) == []
    total = parsed["summary"]["total"]
    assert (total["active"], total["started"], total["ggz"], total["paid_work"]) == (21, 14, 10, 9)
    assert total["nec"] == rd.SUPPRESSED  # three trajectories
    assert set(parsed["organisation"]["rows"]) == {rd.SARA, rd.GTB}
    assert parsed["type"]["rows"]["IPS"]["active"] == rd.SUPPRESSED  # four trajectories
    assert parsed["outcomes"]["rows"]["work-care (arbeidszorg)"] == {"n": 0}


def test_every_format_shows_the_funder_the_same_figures(data, login):
    expected = rd.expected_yearly(rd.SPECS, with_organisations=True)
    client = login(data.net.funder)
    parsed = {fmt: rd.read(fmt, get(client, fmt), expected) for fmt in rd.FORMATS}
    for fmt in ("html", "csv", "xlsx", "pdf"):
        assert parsed[fmt] == parsed["json"], fmt


def test_the_json_says_what_was_asked_and_that_small_cells_are_hidden(data, login):
    funder = get(login(data.net.funder), "json").json()
    assert funder["report"] == "yearly"
    assert funder["params"] == {
        "start": "2025-01-01",
        "end": "2025-12-31",
        "organisation": None,
        "line": None,
        "team": None,
        "type": None,
        "as_of": rd.NOW.date().isoformat(),  # today, the default
    }
    assert funder["small_cells_suppressed"] is True
    coordinator = get(login(data.net.coordinator), "json").json()
    assert coordinator["small_cells_suppressed"] is False
    assert coordinator["params"]["organisation"] == rd.SARA


def test_downloads_are_attachments_that_are_not_cached(data, login):
    client = login(data.net.funder)
    for fmt, content_type in (
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ):
        response = get(client, fmt)
        assert response["Content-Type"] == content_type
        assert (
            f'filename="werkbrug-yearly-registration-report-20250101-20251231.{fmt}"'
            in response["Content-Disposition"]
        )
        assert response["Cache-Control"] == "no-store, private"


def gtb_coordinator(data):
    return make_user("coordinator_gtb", data.net.gtb, Role.COORDINATOR)


def test_a_funder_gets_the_network_s_fixed_tables_whatever_filter_is_asked_for(data, login):
    # One organisation's, line's or team's figures subtracted from the network's would give the
    # others' small counts away: a funder gets the network with its breakdowns as rows, no filter.
    team = team_actions.create_team(
        actor_for(data.net.admin), name="GTB-team", kind=TeamKind.CASE_TEAM, organisation=data.net.gtb
    )
    team_actions.add_member(actor_for(data.net.admin), team, user=data.net.gtb_coach)
    client = login(data.net.funder)
    network = get(client, "json").json()
    expected = rd.expected_yearly(rd.SPECS, with_organisations=True)
    for narrowing in ({"organisation": data.net.gtb.pk}, {"line": data.net.gtb_line.pk}, {"team": team.pk}):
        response = get(client, "json", **narrowing)
        assert response.status_code == 200
        assert response.json()["sections"] == network["sections"], narrowing
        assert response.json()["params"]["organisation"] is None
        rd.assert_suppressed_view_of(rd.from_json(response.json()), expected)
        assert rd.from_json(response.json())["summary"]["total"]["active"] == 21


def test_the_line_filter_narrows_the_figures_to_trajectories_referred_through_that_line(data, login):
    coordinator = rd.from_json(get(login(data.net.coordinator), "json", line=data.net.coach_line.pk).json())
    assert coordinator == rd.expected_yearly(SARA_SPECS, with_organisations=False)
    gtb = rd.from_json(get(login(gtb_coordinator(data)), "json", line=data.net.gtb_line.pk).json())
    assert gtb == rd.expected_yearly(GTB_SPECS, with_organisations=False)
    assert gtb["summary"]["total"]["active"] == 6


def test_the_type_filter_narrows_the_coordinators_figures_to_that_type(data, login):
    ips = TrajectoryType.objects.get(code="ips")
    parsed = rd.from_json(get(login(data.net.coordinator), "json", trajectory_type=ips.pk).json())
    ips_specs = [s for s in SARA_SPECS if s.type == "ips"]
    assert parsed == rd.expected_yearly(ips_specs, with_organisations=False)
    assert parsed["summary"]["total"]["active"] == 4


def test_the_team_filter_narrows_the_figures_to_trajectories_of_the_teams_members(data, login):
    team = team_actions.create_team(
        actor_for(data.net.admin), name="GTB-team", kind=TeamKind.CASE_TEAM, organisation=data.net.gtb
    )
    client = login(gtb_coordinator(data))
    parsed = rd.from_json(get(client, "json", team=team.pk).json())
    assert parsed["summary"]["total"]["active"] == 0  # no member yet
    team_actions.add_member(actor_for(data.net.admin), team, user=data.net.gtb_coach)
    parsed = rd.from_json(get(client, "json", team=team.pk).json())
    assert parsed == rd.expected_yearly(GTB_SPECS, with_organisations=False)
    assert parsed["summary"]["total"]["active"] == 6


def test_coordinators_of_two_organisations_get_their_own_figures_one_after_the_other(data, login):
    # The report keeps its statements per parameters (Params.statement_key): in one process, the
    # second organisation's run must not be served the first one's statement, nor the first's again.
    sara, gtb = (
        rd.expected_yearly(SARA_SPECS, with_organisations=False),
        rd.expected_yearly(GTB_SPECS, with_organisations=False),
    )
    for user, want in (
        (data.net.coordinator, sara),
        (gtb_coordinator(data), gtb),
        (data.net.coordinator, sara),
    ):
        assert rd.from_json(get(login(user), "json").json()) == want
    assert sara != gtb


def test_the_outcomes_are_counted_in_the_statement_that_reads_the_trajectories(data, login):
    """The trajectories are read once: the outcomes in the period are a branch of the statement that
    reads them for the cube and the persons (reports.persons.Joined), not a second statement that
    reads them again. On SQLite that branch comes first: after another branch, SQLite read the
    outcomes another way, and the statement took three to four times as long at full scale (docs/bench.md, s47)."""
    client = login(data.net.coordinator)
    with CaptureQueriesContext(connection) as captured:
        parsed = rd.from_json(get(client, "json").json())
    assert parsed == rd.expected_yearly(SARA_SPECS, with_organisations=False)
    assert parsed["summary"]["total"]["paid_work"] == 6 and parsed["summary"]["total"]["nec"] == 2
    reading_outcomes = [q["sql"] for q in captured.captured_queries if '"trajectories_outcome"' in q["sql"]]
    assert len(reading_outcomes) == 1
    (sql,) = reading_outcomes
    assert sql.startswith("WITH base")
    branches = sql.split(" UNION ALL ")
    joined = [index for index, branch in enumerate(branches) if '"trajectories_outcome"' in branch]
    assert joined == ([0] if connection.vendor == "sqlite" else [1])


def test_a_period_counts_what_was_active_and_happened_in_it(data, login):
    start, end = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
    response = login(data.net.coordinator).get(
        reverse("reports:report", args=["yearly"]),
        {"start": "2025-04-01", "end": "2025-09-30", "format": "json"},
    )
    assert response.status_code == 200
    assert response.json()["params"]["start"] == "2025-04-01"
    parsed = rd.from_json(response.json())
    expected = rd.expected_yearly(SARA_SPECS, with_organisations=False, start=start, end=end)
    assert parsed == expected
    # Eleven arbeidscoach and three IPS trajectories; closed on 1 May: active; started on 1 September: counted; paid work in January-March or
    # October does not count, in May, June and September it does.
    assert parsed["summary"]["total"]["active"] == 14
    assert parsed["summary"]["total"]["paid_work"] == 3


def test_the_html_page_shows_the_parameters_and_the_download_links(data, login):
    response = login(data.net.coordinator).get(reverse("reports:report", args=["yearly"]), {"year": rd.YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    assert "01/01/2025 - 31/12/2025" in page
    for fmt in ("csv", "xlsx", "json", "pdf"):
        assert f'data-format="{fmt}"' in page
        assert f"year={rd.YEAR}&amp;format={fmt}" in page
