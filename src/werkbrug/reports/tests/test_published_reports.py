"""Point-in-time figures and published reports (issue 12 point 5), end to end over HTTP.

In 2014 SaRA runs seven trajectories; on 15 January 2015 the coordinator publishes the 2014 yearly
report. Today (2026) one 2014 trajectory is handed over to GTB as a GTB trajectory, one client's GGZ
flag is switched off and a 2014 job is verified, late. The published report does not move; a run of
2014 as of 15 January 2015 gives it again; a run as of today keeps the 2014 type, organisation and
GGZ counts, and its only differences (the NEC figures) are listed as revisions. The expected figures
are worked out from the specs with report_data's plain-Python model, never by the report code."""

from __future__ import annotations

import dataclasses
import datetime
import html

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from werkbrug.clients import actions as client_actions
from werkbrug.network.models import Role, TrajectoryType
from werkbrug.reports import formats
from werkbrug.reports.models import PublishedReport, PublishedReportIsFinal
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.tests import test_report_table_pages as tables
from werkbrug.testing import SIGNED, actor_for, make_user, pdf_text
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Outcome, OutcomeKind

TODAY = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=rd.BRUSSELS)
PUBLISHED_ON = datetime.date(2015, 1, 15)
START, END = datetime.date(2014, 1, 1), datetime.date(2014, 12, 31)
HANDED_OVER, GGZ_OFF, LATE_JOB = 0, 1, 2

SPECS = [
    # Handed over to GTB (as a GTB trajectory) today.
    rd.Spec(rd.SARA, "arbeidscoach", "M", rd.NORTH, True, "2014-02-01"),
    # The GGZ flag is switched off today.
    rd.Spec(rd.SARA, "ips", "F", rd.NORTH, True, "2014-03-01"),
    # A job in the regular economy in 2014, verified only today.
    rd.Spec(rd.SARA, "arbeidscoach", "M", rd.KEMPEN, False, "2014-01-10", None,
            (rd.paid("2014-06-01", rd.NEC_ESTIMATED),)),
    rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, True, "2014-04-01", None,
            (rd.paid("2014-05-01", rd.NEC_VERIFIED),)),
    rd.Spec(rd.SARA, "arbeidscoach", "F", rd.KEMPEN, False, "2014-05-01", "2014-11-30",
            (rd.Out(OutcomeKind.TRAINING, "2014-09-01"),)),
    rd.Spec(rd.SARA, "ips", "M", rd.NORTH, True, "2014-06-01", None,
            (rd.paid("2014-10-01", rd.SOCIAL_ESTIMATED),)),
    rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, False, "2014-07-01"),
    rd.Spec(rd.GTB, "gtb", "M", rd.NORTH, True, "2014-03-15"),
]  # fmt: skip
SARA_SPECS = [s for s in SPECS if s.org == rd.SARA]


def expected(specs: list[rd.Spec]) -> dict:
    return rd.expected_yearly(specs, with_organisations=False, start=START, end=END)


def build_2014(net) -> rd.Dataset:
    """report_data.build, but with each outcome recorded (and verified) in 2014 on its own date."""
    kempen = rd.SubRegion.objects.create(name=rd.KEMPEN)
    regions = {rd.NORTH: net.region, rd.KEMPEN: kempen}
    data = rd.Dataset(net=net, kempen=kempen, specs=SPECS)
    for number, spec in enumerate(SPECS, start=1):
        with rd.at(spec.started):
            client = net.new_client(
                first_name=f"Persoon{number}",
                last_name="Rapport",
                gender=spec.gender,
                subregion=regions[spec.region],
                ggz_contact=spec.ggz,
            )
            data.trajectories.append(rd.start_trajectory(net, client, spec.org, spec.type))
        coach = actor_for(rd.lead_coach(net, spec))
        for outcome in spec.outcomes:
            verified_on = rd.d(outcome.on) + datetime.timedelta(days=100)
            with rd.at(verified_on):
                trajectory_actions.record_outcome(
                    coach, data.trajectories[-1], kind=outcome.kind, on=rd.d(outcome.on),
                    economy=outcome.economy, certainty=outcome.certainty, verified_on=verified_on,
                )  # fmt: skip
        if spec.closed:
            with rd.at(spec.closed):
                trajectory_actions.close_trajectory(
                    coach, data.trajectories[-1], reason="goal_reached", note="", on=rd.d(spec.closed)
                )
    return data


def change_today(net, data: rd.Dataset) -> None:
    """Today: the handover, the GGZ flag switched off, the late verification."""
    handed_over = data.trajectories[HANDED_OVER]
    handover = trajectory_actions.propose_handover(
        actor_for(net.coach),
        handed_over,
        to_organisation=net.gtb,
        new_type=TrajectoryType.objects.get(code="gtb"),
        note="Klaar voor GTB.",
        evidence=SIGNED,
    )
    trajectory_actions.accept_handover(actor_for(net.gtb_coach), handover)
    client = data.trajectories[GGZ_OFF].client
    client.ggz_contact = False
    client_actions.update_client(actor_for(net.coach), client, ["ggz_contact"])
    job = Outcome.objects.get(trajectory=data.trajectories[LATE_JOB])
    trajectory_actions.verify_outcome(actor_for(net.coach), job, on=TODAY.date())


def yearly(client, **params):
    response = client.get(
        reverse("reports:report", args=["yearly"]), {"year": 2014, **params, "format": "json"}
    )
    assert response.status_code == 200, response.content[:300]
    return rd.from_json(response.json())


def publish(client) -> PublishedReport:
    url = reverse("reports:publish", args=["yearly"]) + "?year=2014"
    assert client.get(url).status_code == 200  # the confirmation page
    # The figures are counted by a job queued on commit (run at once in tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302, response.content[:500]
    published = PublishedReport.objects.get()
    assert response["Location"] == reverse("reports:published", args=[published.pk])
    return published


def published_page(client, published: PublishedReport, fmt: str = "html"):
    response = client.get(reverse("reports:published", args=[published.pk]), {"format": fmt})
    assert response.status_code == 200
    return response


def revision_cells(then: dict, now: dict) -> set[tuple]:
    """(section title, row, column header, published, now) for every cell that differs."""
    titles = {key: title for title, key in rd.YEARLY_TITLES.items()}
    headers = {key: header for header, key in rd.YEARLY_HEADERS_FIXED.items()}
    headers |= {kind: str(label) for kind, label in OutcomeKind.choices}
    cells = set()
    for key, section in then.items():
        for (label, values), (_label, values_now) in zip(
            rd.all_rows(section), rd.all_rows(now[key]), strict=True
        ):
            for column, value in values.items():
                if values_now[column] != value:
                    cells.add((titles[key], label, headers[column], value, values_now[column]))
    return cells


@pytest.fixture
def published_2014(net, login):
    data = build_2014(net)
    with time_machine.travel(datetime.datetime.combine(PUBLISHED_ON, datetime.time(9), tzinfo=rd.BRUSSELS)):
        published = publish(login(net.coordinator))
    with time_machine.travel(TODAY, tick=False):
        yield data, published


def test_the_published_2014_report_survives_a_handover_a_ggz_flag_and_a_late_verification(
    net, login, published_2014
):
    data, published = published_2014
    then = expected(SARA_SPECS)
    assert then["summary"]["total"]["nec"] == 1 and then["summary"]["total"]["ggz"] == 4
    client = login(net.coordinator)
    # As published: stored and shown, before anything changes.
    assert rd.from_html(published_page(client, published).content.decode()) == then
    stored = PublishedReport.objects.get().sections

    change_today(net, data)

    # The published report is unchanged: the stored row, and every format it is shown in.
    published.refresh_from_db()
    assert published.sections == stored and published.as_of == PUBLISHED_ON
    for fmt in rd.FORMATS:
        assert rd.read(fmt, published_page(client, published, fmt), then) == then, fmt
    # A run of 2014 as of the day it was published gives the published figures again.
    assert yearly(client, as_of=PUBLISHED_ON.isoformat()) == then
    # A run as of today: the handed-over trajectory is still SaRA's arbeidscoach trajectory in 2014
    # (it is GTB's GTB trajectory now), the client still counts as in contact with GGZ in 2014; the
    # late verification raises the NEC figures.
    late = dataclasses.replace(SPECS[LATE_JOB], outcomes=(rd.paid("2014-06-01", rd.NEC_VERIFIED),))
    now_specs = [late if s is SPECS[LATE_JOB] else s for s in SARA_SPECS]
    now = expected(now_specs)
    assert yearly(client) == now
    assert now["type"]["rows"]["Arbeidscoach-voortraject"]["active"] == 5
    assert now["summary"]["total"]["ggz"] == then["summary"]["total"]["ggz"]
    assert now["summary"]["total"]["nec"] == 2
    # Today's own figures did move: the trajectory is GTB's now.
    assert data.trajectories[HANDED_OVER].handovers.get().from_type.code == "arbeidscoach"
    # Its revisions are exactly the NEC cells that differ, and the page lists them.
    page = published_page(client, published)
    listed = {(r.section, r.row, r.column, r.published, r.now) for r in page.context["revisions"]}
    assert listed == revision_cells(then, now)
    assert listed and all(column.startswith(("Of which regular", "% NEC")) for _s, _r, column, *_ in listed)
    assert f'data-revisions="{len(listed)}"' in page.content.decode()


def test_without_changes_the_published_report_has_no_revisions(net, login, published_2014):
    _data, published = published_2014
    page = published_page(login(net.coordinator), published)
    assert page.context["revisions"] == []
    assert "data-no-revisions" in page.content.decode()
    assert 'data-definition="yearly/2"' in page.content.decode()


def test_the_funder_sees_the_published_report_suppressed_in_every_format(net, login, published_2014):
    _data, published = published_2014
    client = login(net.funder)
    then = expected(SARA_SPECS)
    for fmt in rd.FORMATS:
        parsed = rd.read(fmt, published_page(client, published, fmt), then)
        rd.assert_suppressed_view_of(parsed, then)
    assert rd.from_json(published_page(client, published, "json").json())["summary"]["total"]["nec"] == "<5"
    listing = client.get(reverse("reports:published_list"))
    assert f'data-published="{published.pk}"' in listing.content.decode()


def test_the_funder_s_published_page_explains_both_marks_and_the_coordinator_s_none(
    net, login, published_2014
):
    _data, published = published_2014
    funder_page = html.unescape(published_page(login(net.funder), published).content.decode())
    assert rd.LEGEND in funder_page
    assert "are shown as \u201c<5\u201d" not in funder_page  # the old wording, from before "\u00d7"
    for fmt in ("csv", "pdf"):
        download = published_page(login(net.funder), published, fmt).content
        text = download.decode() if fmt == "csv" else " ".join(pdf_text(download).split())
        assert rd.LEGEND in text, fmt
    assert published_page(login(net.funder), published, "json").json()["legend"] == rd.LEGEND
    coordinator_page = html.unescape(published_page(login(net.coordinator), published).content.decode())
    assert rd.LEGEND not in coordinator_page


def test_a_long_table_of_the_published_report_pages_through_its_rows(net, login, published_2014, monkeypatch):
    """As on the report page (test_report_table_pages): one row a page here, for the two genders."""
    _data, published = published_2014
    client = login(net.coordinator)
    genders = [
        row["label"] for row in published_page(client, published, "json").json()["sections"][1]["rows"]
    ]
    assert len(genders) == 2
    monkeypatch.setattr(formats, "ROWS_PER_PAGE", 1)
    shown = []
    for number in (1, 2):
        response = client.get(reverse("reports:published", args=[published.pk]), {"rows-gender": number})
        section = tables.sections(response.content.decode())["gender"]
        shown += [row[0] for row in tables.body_rows(section)]
        assert f"{number}-{number}" in section
    assert shown == genders


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "coach", "admin"])
def test_others_get_404_on_a_published_report(net, login, published_2014, who):
    _data, published = published_2014
    user = (
        make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)
        if who == "other_coordinator"
        else getattr(net, who)
    )
    client = login(user)
    for fmt in ("html", "json", "csv"):
        assert (
            client.get(reverse("reports:published", args=[published.pk]), {"format": fmt}).status_code == 404
        )
    listing = client.get(reverse("reports:published_list"))
    assert listing.status_code == 404 or f'data-published="{published.pk}"' not in listing.content.decode()


@pytest.mark.parametrize("who", ["funder", "outsider", "coach"])
def test_only_a_coordinator_can_publish(net, login, frozen, who):
    client = login(getattr(net, who))
    url = reverse("reports:publish", args=["yearly"]) + "?year=2025"
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert not PublishedReport.objects.exists()


def test_publishing_needs_the_confirmation(net, login, frozen):
    client = login(net.coordinator)
    url = reverse("reports:publish", args=["yearly"]) + "?year=2025"
    assert client.post(url, {}).status_code == 200
    assert not PublishedReport.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    published = PublishedReport.objects.get()
    assert (published.organisation, published.definition) == (net.sara, "yearly/2")
    assert published.params["organisation"] == net.sara.pk


def test_a_published_report_cannot_be_saved_again_updated_or_deleted(net, login, published_2014):
    _data, published = published_2014
    stored = PublishedReport.objects.values().get()
    published.definition = "changed"
    with pytest.raises(PublishedReportIsFinal):
        published.save()
    with pytest.raises(PublishedReportIsFinal):
        published.delete()
    with pytest.raises(PublishedReportIsFinal):
        PublishedReport.objects.filter(pk=published.pk).update(definition="changed")
    with pytest.raises(PublishedReportIsFinal):
        PublishedReport.objects.all().delete()
    assert PublishedReport.objects.values().get() == stored


@pytest.mark.django_db(transaction=True)
def test_two_publications_of_the_same_report_at_once_store_one_and_tell_the_other(net):
    from werkbrug.core.exceptions import DomainError
    from werkbrug.reports.framework import Params
    from werkbrug.reports.publication import publish_report
    from werkbrug.reports.yearly import YearlyReport
    from werkbrug.testing import race

    second = make_user("coordinator2", net.sara, Role.COORDINATOR)
    params = Params(START, END, organisation=net.sara, as_of=PUBLISHED_ON)
    results = race(
        lambda: publish_report(actor_for(net.coordinator), YearlyReport, params),
        lambda: publish_report(actor_for(second), YearlyReport, params),
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    done = [r for r in results if isinstance(r, PublishedReport)]
    assert len(done) == 1 and len(refused) == 1, results
    assert PublishedReport.objects.count() == 1
    assert "already published by" in str(refused[0])
    # A later try with the same parameters is refused too; another date is a new publication.
    with pytest.raises(DomainError):
        publish_report(actor_for(net.coordinator), YearlyReport, params)
    publish_report(actor_for(net.coordinator), YearlyReport, dataclasses.replace(params, as_of=END))
    assert PublishedReport.objects.count() == 2
