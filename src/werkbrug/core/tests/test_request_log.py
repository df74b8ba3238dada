"""Observability (issue 19, point 5): one JSON log line per request with the request id, the id
returned in a header and shown on the error pages, /metrics behind a token, and no client data in
any log line."""

from __future__ import annotations

import datetime
import json
import logging
import re
import uuid

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.core.logjson import JsonFormatter
from werkbrug.core.requestlog import HEADER
from werkbrug.testing import client_of, valid_insz

REQUEST_LOGGER = "werkbrug.request"


def request_lines(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == REQUEST_LOGGER]


def test_a_request_writes_one_json_line_with_who_what_and_how_long(net, caplog):
    client = net.new_client()
    net.trajectory(client)
    page = client_of(net.coach)
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    with CaptureQueriesContext(connection) as queries:
        response = page.get(reverse("clients:detail", args=[client.pk]))
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert line["request_id"] == response[HEADER]
    assert uuid.UUID(line["request_id"]).version == 4
    assert line["user_id"] == net.coach.pk
    assert line["organisation_id"] == net.sara.pk
    assert line["method"] == "GET"
    assert line["route"] == "clients/<int:pk>/"  # the pattern: never the path with its numbers
    assert line["view"] == "clients:detail"
    assert line["status"] == 200
    assert line["queries"] == len(queries.captured_queries)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["logger"] == REQUEST_LOGGER and line["level"] == "INFO"


def test_an_anonymous_request_logs_no_user_and_no_organisation(db, client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    response = client.get(reverse("core:healthz"))
    [line] = request_lines(caplog)
    assert (line["user_id"], line["organisation_id"], line["view"], line["status"]) == (
        None,
        None,
        "core:healthz",
        response.status_code,
    )


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("6f1c1f0e-52a4-4bd4-9a43-5e4b1f8b2a10", True),  # a load balancer's uuid
        ("0123456789abcdef0123456789abcdef", True),  # nginx's $request_id
        ("Jan Peeters", False),  # not an id: replaced
        ("<script>", False),
        ("abc", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_well_formed(db, client, incoming, kept):
    response = client.get(reverse("core:healthz"), HTTP_X_REQUEST_ID=incoming)
    assert (response[HEADER] == incoming) is kept
    if not kept:
        assert uuid.UUID(response[HEADER]).version == 4


def test_the_404_page_shows_the_request_id(net):
    client = net.new_client()
    response = client_of(net.outsider).get(reverse("clients:detail", args=[client.pk]))
    assert response.status_code == 404
    assert f"Reference for the helpdesk: {response[HEADER]}" in response.content.decode()


def test_the_403_page_shows_the_request_id(net):
    page = WebClient(enforce_csrf_checks=True)
    page.force_login(net.coach)
    response = page.post(reverse("core:logout"))
    assert response.status_code == 403
    assert response[HEADER] in response.content.decode()


def test_the_500_page_shows_the_request_id_and_the_log_line_says_500(db, settings, caplog):
    settings.ROOT_URLCONF = "werkbrug.core.tests.urls_boom"
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    response = WebClient(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="0123456789abcdef")
    assert response.status_code == 500
    assert "Reference for the helpdesk: 0123456789abcdef" in response.content.decode()
    [line] = request_lines(caplog)
    assert (line["request_id"], line["status"], line["route"]) == ("0123456789abcdef", 500, "boom/")


# --- /metrics ---------------------------------------------------------------------------------------


def test_metrics_are_404_without_a_configured_token(db, client, settings):
    settings.WERKBRUG_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_are_404_with_a_wrong_or_missing_token(db, client, settings):
    settings.WERKBRUG_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-token").status_code == 404


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_per_view_with_the_token(db, client, settings):
    settings.WERKBRUG_METRICS_TOKEN = "s3cret-token"
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret-token"}
    before = client.get("/metrics", **auth).content.decode()
    for _ in range(3):
        client.get(reverse("core:healthz"))
    response = client.get("/metrics", **auth)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    after = response.content.decode()
    labels = {"view": "core:healthz", "method": "GET", "status": "200"}
    assert (
        _sample(after, "werkbrug_requests_total", **labels)
        - _sample(before, "werkbrug_requests_total", **labels)
        == 3
    )
    assert _sample(after, "werkbrug_request_duration_seconds_count", view="core:healthz") >= 3
    assert _sample(after, "werkbrug_request_queries_count", view="core:healthz") >= 3
    assert "# TYPE werkbrug_jobs gauge" in after
    # No path, no ids: a view name is the only label of a request.
    assert "/healthz" not in after


# --- no client data in the logs ---------------------------------------------------------------------


def test_no_log_line_contains_a_clients_name_or_insz(net, caplog):
    """Acceptance of issue 19: a handful of client pages, the search with the name typed in, a page
    the outsider may not see, and every log record of every logger, formatted as it is written."""
    insz = valid_insz(datetime.date(1987, 11, 3), "245")
    client = net.new_client(first_name="Zoltanna", last_name="Vermeulenbeek", insz=insz)
    net.trajectory(client)
    caplog.set_level(logging.DEBUG)
    coach = client_of(net.coach)
    pages = [
        reverse("clients:detail", args=[client.pk]),
        reverse("clients:list") + "?q=Vermeulenbeek",
        reverse("clients:list") + f"?q={insz}",
        reverse("clients:edit", args=[client.pk]),
        reverse("clients:access_log", args=[client.pk]),
        reverse("trajectories:caseload") + "?q=Zoltanna",
    ]
    for url in pages:
        assert coach.get(url).status_code == 200, url
    assert client_of(net.outsider).get(pages[0] + "?q=Vermeulenbeek").status_code == 404
    assert client_of(net.outsider).get(pages[1]).status_code in (200, 404)
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert len(request_lines(caplog)) == len(pages) + 2  # the capture did see the requests
    written = "\n".join(lines)
    for secret in ("Zoltanna", "Vermeulenbeek", insz, insz[:6]):
        assert secret not in written, secret


def test_the_jobs_metric_counts_django_tasks_rows_per_queue_and_state(monkeypatch):
    """The collector reads django-tasks' job table with one grouped count (here a stand-in for its
    model) and says nothing when the queue is empty."""
    from werkbrug.core import metrics

    rows = [
        {"queue_name": "default", "status": "READY", "n": 7},
        {"queue_name": "default", "status": "FAILED", "n": 2},
    ]

    class Rows:
        def values(self, *fields):
            assert fields == ("queue_name", "status")
            return self

        def annotate(self, **counts):
            return self

        def order_by(self):
            return rows

    class DBTaskResult:
        objects = Rows()

    monkeypatch.setattr(metrics, "DBTaskResult", DBTaskResult)
    [family] = list(metrics.JobsCollector().collect())
    assert {(s.labels["queue"], s.labels["status"]): s.value for s in family.samples} == {
        ("default", "READY"): 7,
        ("default", "FAILED"): 2,
    }
    rows.clear()
    [family] = list(metrics.JobsCollector().collect())
    assert family.samples == []
