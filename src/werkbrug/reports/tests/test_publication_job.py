"""Publishing a report through a job (issue 19): the request records the publication, pending, and
queues the job with its id; the page says "being published" until the job stored the figures; a
double submit publishes once; stored figures never change again."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.network.models import Role
from werkbrug.reports.models import PublicationStatus, PublishedReport, PublishedReportIsFinal
from werkbrug.reports.publication import store_figures
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import make_user

pytestmark = pytest.mark.django_db

URL = reverse("reports:publish", args=["yearly"]) + "?year=2025"


def _post(client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"confirm": "on"})


def _yearly_now(client) -> dict:
    response = client.get(reverse("reports:report", args=["yearly"]), {"year": 2025, "format": "json"})
    return rd.from_json(response.json())


def test_the_page_says_being_published_until_the_worker_stored_the_figures(net, login, data, job_queue):
    client = login(net.coordinator)
    response = _post(client)
    assert response.status_code == 302
    published = PublishedReport.objects.get()
    assert response["Location"] == reverse("reports:published", args=[published.pk])
    assert published.status == PublicationStatus.PENDING and published.sections == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "werkbrug.reports.publish_tasks.publish_figures"
    assert queued.args_kwargs == {"args": [published.pk], "kwargs": {}}
    for fmt in ("html", "csv"):
        page = client.get(reverse("reports:published", args=[published.pk]), {"format": fmt})
        assert page.status_code == 200 and page["Refresh"] == "2"
        assert 'data-publication="pending"' in page.content.decode()
    assert 'data-publication="pending"' in client.get(reverse("reports:published_list")).content.decode()
    run_worker()
    published = PublishedReport.objects.get()
    assert published.status == PublicationStatus.PUBLISHED
    page = client.get(reverse("reports:published", args=[published.pk]))
    assert "Refresh" not in page and 'data-publication="pending"' not in page.content.decode()
    # The stored figures are those of a run of the same report as of the same day.
    assert rd.from_html(page.content.decode()) == _yearly_now(client)
    assert 'data-publication="pending"' not in client.get(reverse("reports:published_list")).content.decode()


def test_a_report_being_published_is_404_for_someone_of_another_organisation(net, login, data, job_queue):
    _post(login(net.coordinator))
    published = PublishedReport.objects.get()
    assert published.status == PublicationStatus.PENDING
    for user in (net.outsider, make_user("gtbcoordinator", net.gtb, Role.COORDINATOR)):
        assert login(user).get(reverse("reports:published", args=[published.pk])).status_code == 404


def test_publishing_through_the_page_runs_the_job_and_a_double_submit_publishes_once(net, login, data):
    client = login(net.coordinator)
    assert _post(client).status_code == 302
    refused = _post(client)
    assert refused.status_code == 200
    assert "already published by" in refused.content.decode()
    published = PublishedReport.objects.get()
    assert published.status == PublicationStatus.PUBLISHED
    assert rd.from_html(client.get(reverse("reports:published", args=[published.pk])).content.decode()) == (
        _yearly_now(client)
    )


def test_the_figures_are_stored_once_and_a_published_report_does_not_change(net, login, data, job_queue):
    _post(login(net.coordinator))
    published = PublishedReport.objects.get()
    assert store_figures(published.pk) is True
    stored = PublishedReport.objects.values().get()
    # The job run again (a retry, a second worker): nothing changes.
    assert store_figures(published.pk) is False
    run_worker()
    assert PublishedReport.objects.values().get() == stored
    assert not PublishedReport.objects.store_figures(published.pk, sections=[])
    assert PublishedReport.objects.values().get() == stored
    with pytest.raises(PublishedReportIsFinal):
        PublishedReport.objects.filter(pk=published.pk).update(status=PublicationStatus.PENDING)
