"""A publication whose job fails for good (docs/jobs.md "Report publication"): after the last attempt the
row is marked failed (when, and the error's kind only); the coordinator is told and can publish the
same report again; a funder never sees the failed row; two coordinators retrying at once get one
pending publication."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from werkbrug.core.exceptions import DomainError
from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.network.models import Role
from werkbrug.reports import publication
from werkbrug.reports.framework import Params
from werkbrug.reports.models import PublicationStatus, PublishedReport
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.yearly import YearlyReport
from werkbrug.testing import actor_for, client_of, make_user, race

pytestmark = pytest.mark.django_db

QUERY = "?year=2025"
URL = reverse("reports:publish", args=["yearly"]) + QUERY
# What the broken counting says: a text that must never reach the row or a page.
SECRET = "Jansen, Marie"


def _broken(published_id: int) -> bool:
    raise OperationalError(f"could not count for {SECRET}")


def _post(client, url=URL):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"confirm": "on"})


def _run_every_attempt() -> list[str]:
    """Run the worker until nothing is left to try (each retry made due at once); the row's status
    after each run."""
    statuses = []
    while DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        run_worker()
        statuses.append(PublishedReport.objects.order_by("pk").last().status)
    return statuses


def _yearly_now(client) -> dict:
    response = client.get(reverse("reports:report", args=["yearly"]), {"year": 2025, "format": "json"})
    return rd.from_json(response.json())


def test_a_job_failing_every_attempt_marks_the_row_failed_and_the_coordinator_publishes_again(
    net, login, data, job_queue
):
    job_queue.JOBS_MAX_ATTEMPTS = 3
    client = login(net.coordinator)
    assert _post(client).status_code == 302
    failed = PublishedReport.objects.get()
    with mock.patch.object(publication, "store_figures", _broken):
        statuses = _run_every_attempt()
    assert statuses == [PublicationStatus.PENDING, PublicationStatus.PENDING, PublicationStatus.FAILED]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    failed.refresh_from_db()
    assert failed.status == PublicationStatus.FAILED and failed.sections == []
    assert failed.failure == "OperationalError"  # the error's kind, not its text
    assert failed.failed_at is not None and failed.failed_at <= timezone.now()

    # The page says so, with no figures and no reload, in every format.
    page = client.get(reverse("reports:published", args=[failed.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Refresh" not in page
    assert 'data-publication="failed"' in html and "Publishing failed. Try again." in html
    assert SECRET not in html and "OperationalError" not in html
    assert 'class="report-table"' not in html and "data-no-revisions" not in html
    csv = client.get(reverse("reports:published", args=[failed.pk]), {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/html")
    assert 'data-publication="failed"' in csv.content.decode()
    listing = client.get(reverse("reports:published_list")).content.decode()
    assert f'data-published="{failed.pk}"' in listing and 'data-publication="failed"' in listing

    # "Publish again" leads to the publication form with the same parameters; the failed row does
    # not block it, and this time the job succeeds.
    again = html.split("data-publish-again")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert again.startswith(reverse("reports:publish", args=["yearly"]) + "?")
    assert client.get(again).status_code == 200
    response = _post(client, again)
    assert response.status_code == 302
    new = PublishedReport.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == reverse("reports:published", args=[new.pk])
    assert new.params == failed.params and new.as_of == failed.as_of
    run_worker()
    new.refresh_from_db()
    assert new.status == PublicationStatus.PUBLISHED
    page = client.get(reverse("reports:published", args=[new.pk]))
    assert rd.from_html(page.content.decode()) == _yearly_now(client)
    # The failed row stays as it was: failed, without figures.
    assert PublishedReport.objects.values("status", "sections").get(pk=failed.pk) == {
        "status": PublicationStatus.FAILED,
        "sections": [],
    }
    # Published now: the same parameters are refused again.
    assert "already published by" in _post(client).content.decode()
    assert PublishedReport.objects.count() == 2


def test_a_funder_never_sees_a_failed_publication(net, login, data):
    # The immediate backend (the tests' default) gives up at the first failure.
    coordinator = login(net.coordinator)
    with mock.patch.object(publication, "store_figures", _broken):
        _post(coordinator)
    failed = PublishedReport.objects.get()
    assert failed.status == PublicationStatus.FAILED
    _post(coordinator)
    published = PublishedReport.objects.exclude(pk=failed.pk).get()
    assert published.status == PublicationStatus.PUBLISHED

    funder = client_of(net.funder)
    listing = funder.get(reverse("reports:published_list")).content.decode()
    assert f'data-published="{published.pk}"' in listing  # the funder sees the list, and the good one
    assert f'data-published="{failed.pk}"' not in listing and "failed" not in listing
    assert funder.get(reverse("reports:published", args=[published.pk])).status_code == 200
    for fmt in ("html", "csv", "json"):
        url = reverse("reports:published", args=[failed.pk])
        assert funder.get(url, {"format": fmt}).status_code == 404
    for user in (net.outsider, make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)):
        assert client_of(user).get(reverse("reports:published", args=[failed.pk])).status_code == 404


def test_giving_up_leaves_a_published_row_alone(net, login, data, job_queue):
    _post(login(net.coordinator))
    row = PublishedReport.objects.get()
    assert publication.store_figures(row.pk) is True
    stored = PublishedReport.objects.values().get()
    assert publication.give_up(OperationalError("late"), row.pk) is False
    assert PublishedReport.objects.values().get() == stored
    assert not PublishedReport.objects.mark_failed(row.pk, reason="late")
    assert PublishedReport.objects.values().get() == stored


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_retrying_a_failed_publication_at_once_get_one_pending_row(tnet, job_queue):
    job_queue.JOBS_MAX_ATTEMPTS = 1
    second = make_user("coordinator2", tnet.sara, Role.COORDINATOR)
    params = Params(
        rd.NOW.date().replace(month=1, day=1),
        rd.NOW.date().replace(month=12, day=31),
        organisation=tnet.sara,
        as_of=rd.NOW.date(),
    )
    publication.publish_report(actor_for(tnet.coordinator), YearlyReport, params)
    with mock.patch.object(publication, "store_figures", _broken):
        run_worker()
    failed = PublishedReport.objects.get()
    assert failed.status == PublicationStatus.FAILED

    results = race(
        lambda: publication.publish_report(actor_for(tnet.coordinator), YearlyReport, params),
        lambda: publication.publish_report(actor_for(second), YearlyReport, params),
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    done = [r for r in results if isinstance(r, PublishedReport)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "already published by" in str(refused[0])
    rows = PublishedReport.objects.exclude(pk=failed.pk)
    assert [row.status for row in rows] == [PublicationStatus.PENDING]
    assert PublishedReport.objects.get(pk=failed.pk).status == PublicationStatus.FAILED
