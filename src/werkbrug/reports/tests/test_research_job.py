"""The research export as a background job (issue 19, docs/jobs.md): the request queues it, the
worker writes the file, the researcher follows the rows written and downloads the file the Python
reference (reports.research) writes; nobody else opens it, and an agreement ended meanwhile prepares nothing."""

# ruff: noqa: F811 - the fixtures imported are used as arguments
from __future__ import annotations

import hashlib

from django.urls import reverse

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.jobs.models import PreparedFile
from werkbrug.jobs.tests.queue import job_queue, run_worker  # noqa: F401 (fixture)
from werkbrug.reports.agreements import end_agreement
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.tests.test_research_export import (  # noqa: F401 (fixtures)
    TRAILER,
    agreement,
    people,
    research_org,
    researcher,
    without_k,
)
from werkbrug.reports.tests.test_research_stream import reference
from werkbrug.testing import actor_for, client_of, make_user

PREPARE = reverse("reports:research_prepare")


def test_the_export_is_prepared_by_the_worker_and_offered_to_the_researcher_only(
    people, agreement, without_k, researcher, research_org, net, job_queue, django_capture_on_commit_callbacks
):
    client = client_of(researcher)
    AuditEvent.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # queued after the commit
        response = client.post(PREPARE, {"year": rd.YEAR})
    prepared = PreparedFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:prepared", args=[prepared.pk]
    )
    assert (
        prepared.status == PreparedFile.Status.QUEUED and not AuditEvent.objects.exists()
    )  # nothing read yet
    page = client.get(response["Location"])
    assert (
        page["Refresh"] == "2" and reverse("jobs:download", args=[prepared.pk]) not in page.content.decode()
    )

    run_worker()

    prepared.refresh_from_db()
    assert prepared.status == PreparedFile.Status.READY and prepared.rows_written == len(people)
    page = client.get(reverse("jobs:prepared", args=[prepared.pk])).content.decode()
    assert f"{len(people)} rows written." in page and reverse("jobs:download", args=[prepared.pk]) in page
    file = client.get(reverse("jobs:download", args=[prepared.pk]))
    assert file["Content-Disposition"] == 'attachment; filename="werkbrug-research-export-2025.csv"'
    content = b"".join(file.streaming_content)
    found = TRAILER.search(content)
    assert found and int(found[2]) == len(people)
    # Complete (its checksum holds) and the same bytes as the Python reference's file.
    assert hashlib.sha256(content[: found.start()]).hexdigest() == found[3].decode()
    assert content[: found.start()] == reference()
    event = AuditEvent.objects.filter(object_type="research_export").first()
    assert (event.action, event.user, event.organisation, event.object_id) == (
        AuditAction.EXPORT,
        researcher,
        research_org,
        agreement.pk,
    )
    # Another researcher, the network admin, a funder: 404 on the page and the file.
    other = make_user("researcher2", research_org, "researcher")
    for user in (other, net.admin, net.funder):
        outsider = client_of(user)
        assert outsider.get(reverse("jobs:prepared", args=[prepared.pk])).status_code == 404
        assert outsider.get(reverse("jobs:download", args=[prepared.pk])).status_code == 404


def test_a_year_outside_the_agreement_is_refused_and_queues_nothing(people, agreement, researcher, job_queue):
    response = client_of(researcher).post(PREPARE, {"year": 2019})
    assert (
        response.status_code == 400
        and "None of your active agreements covers 2019." in response.content.decode()
    )
    assert not PreparedFile.objects.exists()


def test_only_a_researcher_may_ask_for_it(people, agreement, net, job_queue):
    for user in (net.coach, net.admin, net.funder):
        assert client_of(user).post(PREPARE, {"year": rd.YEAR}).status_code == 404
    assert not PreparedFile.objects.exists()


def test_an_agreement_ended_before_the_worker_runs_prepares_nothing(
    people, agreement, researcher, net, job_queue, django_capture_on_commit_callbacks
):
    client = client_of(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PREPARE, {"year": rd.YEAR})
    end_agreement(actor_for(net.admin), agreement)
    AuditEvent.objects.filter(object_type="research_export").delete()
    run_worker()
    prepared = PreparedFile.objects.get()
    assert prepared.status == PreparedFile.Status.FAILED and not prepared.file
    assert not AuditEvent.objects.filter(object_type="research_export").exists()
    assert client.get(reverse("jobs:download", args=[prepared.pk])).status_code == 404
