"""Fidelity pages: the list with reviews compared over time, one review, the rows behind a figure,
PDF and XLSX. Read-only; the writes are in action_views.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from werkbrug.clients import access as client_access
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.downloads import download_name
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import client_view, role_view
from werkbrug.fidelity import access
from werkbrug.fidelity import figures as figs
from werkbrug.fidelity.actions import team_user_ids, totals
from werkbrug.fidelity.figures import BENCHMARK
from werkbrug.fidelity.models import ItemScore, Review
from werkbrug.fidelity.scale import (
    COLUMN_LABELS,
    FIGURE_NAMES,
    FIGURE_UNITS,
    SCALES,
    Column,
    Item,
    band_for,
    bands_for,
    count_rows,
)
from werkbrug.network.models import Role
from werkbrug.teams.models import Team, TeamKind
from werkbrug.trajectories.models import Trajectory

HISTORY = 8  # past reviews compared on the list page


@dataclass
class Row:
    item: Item
    cells: list[ItemScore | None]
    figures: list[dict[str, Any]]


def _figures_of(review: Review, item: Item) -> list[dict[str, Any]]:
    result = []
    for key, bands in item.figures:
        data = review.figure(key)
        result.append(
            {
                "key": key,
                "name": FIGURE_NAMES[key],
                "value": data.get("value"),
                "unit": FIGURE_UNITS[key],
                "counts": count_rows(data.get("counts", {})),
                "rows": len(data.get("ids", [])),
                "score": None if data.get("value") is None else bands.score(data["value"]),
                "anchors": bands.anchors(FIGURE_UNITS[key]),
            }
        )
    return result


def review_context(review: Review) -> dict[str, Any]:
    """Everything a review's page, PDF and XLSX show: two queries (scores, reviewers)."""
    scale = review.scale_def
    scores = list(review.scores.select_related("scored_by"))
    by_key = {(s.item, s.column): s for s in scores}
    rows = [
        Row(
            item,
            [by_key.get((item.key, c.value)) if c in item.columns else None for c in scale.columns],
            _figures_of(review, item),
        )
        for item in scale.items
    ]
    sums = totals(review, scores)
    columns = [
        {
            "key": c.value,
            "label": COLUMN_LABELS[c],
            "total": sums[c.value],
            "maximum": scale.maximum(c),
            "band": band_for(scale, c, sums[c.value]),
            "bands": bands_for(scale, c),
            "open": sum(1 for s in scores if s.column == c.value and s.score is None),
        }
        for c in scale.columns
    ]
    employment = review.figure("employment")
    employment = {**employment, "counts": count_rows(employment.get("counts", {}))}
    return {
        "review": review,
        "scale": scale,
        "rows": rows,
        "columns": columns,
        "reviewers": list(review.reviewers.order_by("last_name", "first_name")),
        "employment": employment,
        "benchmark": BENCHMARK,
    }


@role_view(Role.COORDINATOR, Role.COACH)
def index(request: HttpRequest) -> HttpResponse:
    """The organisation's reviews, newest first, with their totals per column and the per-item
    scores of the last ones side by side."""
    actor = Actor.from_request(request)
    access.require_reader(actor)
    reviews = (
        Review.objects.filter(organisation=actor.organisation)
        .select_related("team", "organisation")
        .defer("figures", "coach_ids")
    )
    page = Paginator(reviews, 25).get_page(request.GET.get("page"))
    recent = list(reviews[:HISTORY])
    scores = ItemScore.objects.filter(review__in=[r.pk for r in recent]).values_list(
        "review_id", "item", "column", "score"
    )
    grid: dict[tuple[str, str], dict[int, int | None]] = {}
    sums: dict[int, dict[str, int]] = {r.pk: {} for r in recent}
    for review_id, item, column, score in scores:
        grid.setdefault((item, column), {})[review_id] = score
        sums[review_id][column] = sums[review_id].get(column, 0) + (score or 0)
    compared = []
    for scale in SCALES.values():
        of_scale = [r for r in reversed(recent) if r.scale == scale.key]
        if not of_scale:
            continue
        compared.append(
            {
                "scale": scale,
                "reviews": of_scale,
                "totals": [
                    (
                        COLUMN_LABELS[c],
                        [
                            (sums[r.pk].get(c.value, 0), band_for(scale, c, sums[r.pk].get(c.value, 0)))
                            for r in of_scale
                        ],
                    )
                    for c in scale.columns
                ],
                "items": [
                    (item, COLUMN_LABELS[c], [grid.get((item.key, c.value), {}).get(r.pk) for r in of_scale])
                    for item in scale.items
                    for c in item.columns
                ],
            }
        )
    return render(
        request,
        "fidelity/index.html",
        {"page": page, "compared": compared, "can_open": access.can_manage(actor)},
    )


LIVE_DAYS = 365


@role_view(Role.COORDINATOR, Role.COACH)
def live(request: HttpRequest) -> HttpResponse:
    """The computed items now: the last twelve months of the organisation's IPS coaches (or of one
    of its IPS teams), computed on every view and stored nowhere; a review keeps them."""
    actor = Actor.from_request(request)
    access.require_reader(actor)
    teams = list(
        Team.objects.filter(organisation=actor.organisation, kind=TeamKind.IPS_TEAM, is_active=True).order_by(
            "name"
        )
    )
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), None)
    scale = SCALES.get(request.GET.get("scale", ""), SCALES["nl"])
    today = timezone.localdate()
    start = today - datetime.timedelta(days=LIVE_DAYS - 1)
    coach_ids = figs.scope_coach_ids(actor.organisation, team_user_ids(team), start, today)  # type: ignore[arg-type]
    scope = figs.Scope(actor.organisation, coach_ids, start, today)  # type: ignore[arg-type]
    now = Review(
        organisation=actor.organisation,
        team=team,
        scale=scale.key,
        period_from=start,
        period_to=today,
        figures={key: figure.as_json() for key, figure in figs.compute(scope, today).items()},
    )
    items = [(item, _figures_of(now, item)) for item in scale.items if item.is_computed]
    employment = now.figure("employment")
    return render(
        request,
        "fidelity/live.html",
        {
            "teams": teams,
            "team": team,
            "scales": list(SCALES.values()),
            "scale": scale,
            "items": items,
            "start": start,
            "today": today,
            "employment": {**employment, "counts": count_rows(employment.get("counts", {}))},
            "can_open": access.can_manage(actor),
        },
    )


@role_view(Role.COORDINATOR, Role.COACH)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    review = access.get_review(actor, pk)
    context = review_context(review)
    context["can_score"] = not review.is_final and access.can_score(actor, review)
    context["can_manage"] = not review.is_final and access.can_manage(actor)
    return render(request, "fidelity/detail.html", context)


@client_view
@lists_clients("fidelity:rows")
def rows(request: HttpRequest, pk: int, figure: str) -> HttpResponse:
    """The trajectories a figure counted, as far as the reader may see them (clients.access)."""
    actor = Actor.from_request(request)
    review = access.get_review(actor, pk)
    if figure not in FIGURE_NAMES and figure != "employment":
        raise Http404
    ids = review.figure(figure).get("ids", [])
    visible = client_access.scope(
        actor,
        Trajectory.objects.for_organisation(actor.organisation).filter(pk__in=ids),
    ).select_related("client", "coach", "type")
    page = Paginator(visible.order_by("started_on", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "fidelity/rows.html",
        {
            "review": review,
            "figure": FIGURE_NAMES.get(figure) or gettext("Employment rate"),
            "page": page,
            "counted": len(ids),
            "back": reverse("fidelity:detail", args=[review.pk]),
        },
    )


@role_view(Role.COORDINATOR, Role.COACH)
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    review = access.get_review(actor, pk)
    name = download_name(str(review._meta.verbose_name), review.pk, extension="pdf")
    return pdf_response("fidelity/review_pdf.html", review_context(review), request, name)


@role_view(Role.COORDINATOR, Role.COACH)
def xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from werkbrug.fidelity.export import review_xlsx

    actor = Actor.from_request(request)
    review = access.get_review(actor, pk)
    response = HttpResponse(
        review_xlsx(review_context(review)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = download_name(str(review._meta.verbose_name), review.pk, extension="xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


__all__ = ["Column", "detail", "index", "pdf", "rows", "xlsx"]
