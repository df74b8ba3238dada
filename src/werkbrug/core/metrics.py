"""Prometheus metrics (issue 19, point 5; docs/deploy.md, "Logs and metrics").

- `werkbrug_requests_total{view,method,status}` and `werkbrug_request_duration_seconds{view}`: per
  view name (the URL pattern's name, a bounded set; never a path);
- `werkbrug_request_queries{view}`: database queries per request;
- `werkbrug_jobs{queue,status}`: background jobs per state, read from django-tasks' database table
  at each scrape when that app is installed (queue depth: READY; failed jobs: FAILED).

Under gunicorn every worker is a process: set `PROMETHEUS_MULTIPROC_DIR` to an empty folder (made
anew at each start) and the workers write their values there; `/metrics` adds them up.
`/metrics` answers only with `Authorization: Bearer <WERKBRUG_METRICS_TOKEN>`; without the token
set, or with a wrong one, it is a 404 like any page that does not exist.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from werkbrug.core.policy import public_view

UNRESOLVED = "unresolved"

REQUESTS = Counter("werkbrug_requests", "Requests answered, per view", ["view", "method", "status"])
LATENCY = Histogram(
    "werkbrug_request_duration_seconds",
    "Time to answer a request, per view",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
QUERIES = Histogram(
    "werkbrug_request_queries",
    "Database queries per request, per view",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
)


def observe_request(view: str | None, method: str, status: int, seconds: float, queries: int) -> None:
    name = view or UNRESOLVED
    REQUESTS.labels(name, method, str(status)).inc()
    LATENCY.labels(name).observe(seconds)
    QUERIES.labels(name).observe(queries)


class JobsCollector(Collector):
    """Jobs per queue and state, counted at each scrape (one grouped query)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "werkbrug_jobs", "Background jobs per queue and state", labels=["queue", "status"]
        )
        rows = DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("pk")).order_by()
        for row in rows:
            family.add_metric([row["queue_name"], row["status"]], row["n"])
        yield family


def registry() -> CollectorRegistry:
    """What /metrics shows: this process's metrics, or every worker's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        MultiProcessCollector(combined)
    else:
        combined = CollectorRegistry()
        combined.register(_Process())
    combined.register(JobsCollector())
    return combined


class _Process(Collector):
    """The process-wide default registry (this process's counters), re-exported."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def _authorised(request: HttpRequest) -> bool:
    token = getattr(settings, "WERKBRUG_METRICS_TOKEN", "")
    if not token:
        return False
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@public_view
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format, for the scraper holding the token; 404 for everyone else."""
    if not _authorised(request):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
