"""A funder's report figures are computed once and shared for WERKBRUG_REPORT_SHARE_SECONDS
(reports.shared, docs/reports.md "Shared figures for funders"): through HTTP, on the real database.
Who computes is counted by wrapping the report's `sections`."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, Role
from werkbrug.reports import shared
from werkbrug.reports.formats import DOWNLOADS
from werkbrug.reports.framework import REGISTRY, SECONDARY, SMALL, Params
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.yearly import YearlyReport
from werkbrug.testing import actor_for, make_user

SARA_SPECS = [s for s in rd.SPECS if s.org == rd.SARA]
# Five more SaRA trajectories active in the year: enough to change the shown network total.
MORE = [rd.Spec(rd.SARA, "arbeidscoach", "F", rd.NORTH, False, "2025-04-01")] * 5


def url(slug: str = "yearly") -> str:
    return reverse("reports:report", args=[slug])


def get(client, slug: str = "yearly", **params):
    response = client.get(url(slug), {"year": rd.YEAR, **params} if slug == "yearly" else params)
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.fixture
def computed(monkeypatch):
    """The number of times each report computed its sections."""
    calls: dict[str, int] = {}
    for slug, report_class in REGISTRY.items():
        original = report_class.sections

        def counting(self, params, *, detail, _slug=slug, _original=original):
            calls[_slug] = calls.get(_slug, 0) + 1
            return _original(self, params, detail=detail)

        monkeypatch.setattr(report_class, "sections", counting)
    return calls


def other_funder():
    department = Organisation.objects.create(
        name="Agentschap Werk", kind=OrganisationKind.OTHER, org_type=OrganisationType.FUNDER
    )
    return make_user("funder2", department, Role.FUNDER)


TIME_LINE = re.compile(r'<p class="muted" data-data-as-of[^>]*>.*?</p>\s*')


def time_line(content: str) -> str:
    found = TIME_LINE.search(content)
    assert found is not None
    return found.group(0)


def figures_part(response) -> str:
    """The page from the parameters shown to the end of the main block, without the time line."""
    content = response.content.decode()
    start, end = content.index('<dl class="report-meta">'), content.index("</main>")
    return TIME_LINE.sub("", content[start:end])


class CacheSpy:
    """The cache as reports.shared sees it, remembering the keys it reads and writes: the figures'
    keys, and apart from them their stamps' keys."""

    def __init__(self) -> None:
        self.read: list[str] = []
        self.written: list[str] = []
        self.locked: list[str] = []
        self.stamps_read: list[str] = []
        self.stamps_written: list[str] = []

    def get(self, key: str) -> Any:
        (self.stamps_read if key.endswith(":stamp") else self.read).append(key)
        return cache.get(key)

    def set(self, key: str, value: Any, timeout: int) -> None:
        (self.stamps_written if key.endswith(":stamp") else self.written).append(key)
        cache.set(key, value, timeout)

    def add(self, key: str, value: Any, timeout: int) -> bool:
        """The recount's hold (never figures)."""
        self.locked.append(key)
        return cache.add(key, value, timeout)

    def delete(self, key: str) -> None:
        cache.delete(key)


@pytest.fixture
def spy(monkeypatch) -> CacheSpy:
    spy = CacheSpy()
    monkeypatch.setattr(shared, "cache", spy)
    return spy


def test_two_funders_and_their_downloads_use_figures_computed_once(data, login, computed, spy):
    first = get(login(data.net.funder))
    client = login(other_funder())
    second = get(client)
    assert computed == {"yearly": 1}
    assert figures_part(second) == figures_part(first)
    assert time_line(second.content.decode()) == time_line(first.content.decode())
    expected = rd.expected_yearly(rd.SPECS, with_organisations=True)
    parsed = rd.read("html", second, expected)
    rd.assert_suppressed_view_of(parsed, expected)
    # A download after the page: the same figures, and its audit line every time.
    for downloads, fmt in enumerate(("csv", "json"), start=1):
        assert rd.read(fmt, get(client, format=fmt), expected) == parsed
        assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == downloads
    assert datetime.datetime.fromisoformat(get(client, format="json").json()["generated_at"]) == rd.NOW
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 3
    assert computed == {"yearly": 1}
    # Five requests: each reads the stamp; the figures were read from the cache once (nothing there
    # yet), counted and written once, and kept in this worker's memory since.
    name = shared.key(YearlyReport(), Params(start=rd.START, end=rd.END))
    assert spy.read == spy.written == [name]
    assert spy.stamps_read == [shared.stamp_key(name)] * 5 and spy.stamps_written == [shared.stamp_key(name)]


def add_trajectories(net) -> None:
    for number, spec in enumerate(MORE, start=1):
        with rd.at(spec.started):
            client = net.new_client(
                first_name=f"Later{number}", last_name="Rapport", gender=spec.gender, subregion=net.region
            )
            rd.start_trajectory(net, client, spec.org, spec.type)


def test_a_change_is_not_seen_within_the_window_and_is_seen_after_it(data, login, computed):
    client = login(data.net.funder)
    before = get(client)
    add_trajectories(data.net)
    assert rd.figures(rd.SPECS)["active"] == 21
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=299), tick=False):
        within = get(client)
    assert computed == {"yearly": 1}
    assert figures_part(within) == figures_part(before)
    assert time_line(within.content.decode()) == time_line(before.content.decode())
    assert rd.from_html(within.content.decode())["summary"]["total"]["active"] == 21
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=301), tick=False):
        after = get(client)
    assert computed == {"yearly": 2}
    parsed = rd.from_html(after.content.decode())
    assert parsed["summary"]["total"]["active"] == rd.figures(rd.SPECS + MORE)["active"] == 26
    assert parsed["organisation"]["rows"][rd.SARA]["active"] == rd.figures(SARA_SPECS + MORE)["active"] == 20
    # From when the figures are: 10:00 before, 10:05 after (the pages are in English here).
    with translation.override("en"):
        ten, five_past = (
            date_format(timezone.localtime(rd.NOW + datetime.timedelta(minutes=m)), "TIME_FORMAT")
            for m in (0, 5)
        )
    assert (ten, five_past) == ("10 a.m.", "10:05 a.m.")
    assert f"Figures from {ten};" in time_line(before.content.decode())
    assert f"Figures from {five_past};" in time_line(after.content.decode())


def test_while_one_funder_counts_stale_figures_again_the_others_get_the_last_ones(data, login, computed, spy):
    """After the window the first funder to ask counts again; one who asks while that runs gets the
    last figures with their time, not a second count; the next one after it gets the new figures."""
    first, second = login(data.net.funder), login(other_funder())
    before = get(first)
    add_trajectories(data.net)
    name = shared.key(YearlyReport(), Params(start=rd.START, end=rd.END))
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=301), tick=False):
        # The first funder's recount is under way (its hold is in the cache).
        assert cache.add(shared.recount_key(name), True, shared.RECOUNT_SECONDS)
        during = get(second)
        assert computed == {"yearly": 1}
        assert figures_part(during) == figures_part(before)
        assert time_line(during.content.decode()) == time_line(before.content.decode())
        # It ends: the next funder counts again, holding off the others while it does.
        cache.delete(shared.recount_key(name))
        after = get(second)
    assert computed == {"yearly": 2}
    assert rd.from_html(after.content.decode())["summary"]["total"]["active"] == 26
    # The hold was asked for by the first count, by the funder it held off, and by the recount.
    assert spy.locked == [shared.recount_key(name)] * 3
    assert cache.get(shared.recount_key(name)) is None  # freed after the count
    # A count that fails frees the hold as well.
    later = rd.NOW + datetime.timedelta(seconds=700)
    with time_machine.travel(later, tick=False), pytest.MonkeyPatch.context() as patch:
        patch.setattr(YearlyReport, "sections", lambda *args, **kwargs: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            shared.run(
                YearlyReport(),
                actor_for(data.net.funder),
                Params(start=rd.START, end=rd.END),
                now=timezone.now(),
            )
    assert cache.get(shared.recount_key(name)) is None


def test_a_worker_reads_the_figures_again_when_another_counted_them(data, login, computed, spy):
    """A worker keeps the figures it read in memory while the cache's stamp names them. Another
    worker's count, or a cleared cache, makes it read the cache again, within its window too."""
    client = login(data.net.funder)
    name = shared.key(YearlyReport(), Params(start=rd.START, end=rd.END))
    before = get(client)
    get(client)
    assert spy.read == [name] and computed == {"yearly": 1}
    old = shared._kept.get(name)
    add_trajectories(data.net)
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=301), tick=False):
        recounted = get(client)  # as another worker would count them again
    assert computed == {"yearly": 2}
    assert rd.from_html(recounted.content.decode())["summary"]["total"]["active"] == 26
    # This worker still holds the old figures: the new stamp makes it read the new ones once.
    shared._kept.clear()
    shared._kept.put(name, old)
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=302), tick=False):
        assert figures_part(get(client)) == figures_part(recounted)
        assert figures_part(get(client)) == figures_part(recounted)
    assert figures_part(recounted) != figures_part(before)
    assert spy.read == [name] * 2 and computed == {"yearly": 2}  # the recount wrote, not read, them
    # A cleared cache is counted again at once, whatever the worker holds.
    cache.clear()
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=303), tick=False):
        get(client)
    assert computed == {"yearly": 3}


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_no_format_changes_the_figures_a_worker_keeps(data, login, spy, slug):
    """The requests of a worker share the sections it keeps: the page, a later page of a table and
    every download only read them."""
    client = login(data.net.funder)
    get(client, slug)
    kept = shared._kept.get(spy.written[0])  # the one just counted
    before = shared.dump(kept.sections)
    for params in ({}, {"rows-organisation": "2"}, *({"format": fmt} for fmt in DOWNLOADS)):
        get(client, slug, **params)
        assert shared._kept.get(spy.written[0]) is kept
        assert shared.dump(kept.sections) == before, params


@override_settings(WERKBRUG_REPORT_SHARE_SECONDS=0)
def test_the_setting_0_computes_the_figures_for_every_request(data, login, computed, spy):
    client = login(data.net.funder)
    first, second = get(client), get(login(other_funder()))
    get(client, format="csv")
    assert computed == {"yearly": 3}
    assert figures_part(first) == figures_part(second)
    assert "data-shared" not in time_line(first.content.decode())
    assert spy.read == spy.written == []


def test_the_language_is_part_of_the_key(data, login, computed):
    client = login(data.net.funder)
    default = get(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = get(client)
    assert computed == {"yearly": 2}
    with translation.override("fr"):
        title = str(YearlyReport.title)
    with translation.override("en"):
        assert str(YearlyReport.title) != title
    assert title in french.content.decode() and title not in default.content.decode()
    # Each language's figures are shared on their own: neither is computed again.
    get(client)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert figures_part(get(client)) == figures_part(default)
    assert computed == {"yearly": 2}


def test_a_coordinator_never_reads_or_writes_the_shared_figures(data, login, computed, spy):
    get(login(data.net.funder))
    assert len(spy.read) == len(spy.written) == 1
    coordinator = login(data.net.coordinator)
    expected = rd.expected_yearly(SARA_SPECS, with_organisations=False)
    for times in (2, 3):
        assert rd.read("html", get(coordinator), expected) == expected
        assert computed == {"yearly": times}
        assert len(spy.read) == len(spy.written) == 1
    # What is stored is the funder's suppressed view only.
    assert spy.written == [shared.key(YearlyReport(), Params(start=rd.START, end=rd.END))]
    stored = shared.load(cache.get(spy.written[0])["sections"])
    values = [v for section in stored for row in section.all_rows for v in row.values.values()]
    assert SMALL in values and SECONDARY in values
    assert not [v for v in values if isinstance(v, int) and 0 < v < 5]


def test_a_funder_after_a_coordinator_computes_the_funders_own_figures(data, login, computed, spy):
    get(login(data.net.coordinator))
    assert spy.read == spy.written == []
    expected = rd.expected_yearly(rd.SPECS, with_organisations=True)
    rd.assert_suppressed_view_of(rd.read("html", get(login(data.net.funder)), expected), expected)
    assert computed == {"yearly": 2}


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_the_shared_page_is_the_live_page_apart_from_the_time_line(data, login, computed, slug):
    client = login(data.net.funder)
    with override_settings(WERKBRUG_REPORT_SHARE_SECONDS=0):
        live = get(client, slug)
    stored = get(client, slug)
    with time_machine.travel(rd.NOW + datetime.timedelta(seconds=60), tick=False):
        hit = get(client, slug)
    assert computed == {slug: 2}
    assert figures_part(stored) == figures_part(live)
    assert figures_part(hit) == figures_part(live)
    assert "data-shared" in time_line(hit.content.decode())
    assert time_line(hit.content.decode()) == time_line(stored.content.decode())


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_the_stored_form_gives_the_suppressed_sections_back_exactly(data, slug):
    actor = actor_for(data.net.funder)
    report = REGISTRY[slug]()
    with translation.override("nl-be"):
        sections = report.sections(Params(start=rd.START, end=rd.END), detail=False)
        report.suppress(sections)
        assert report.suppresses_for(actor)
        assert shared.load(shared.dump(sections)) == sections
