"""Network-wide aggregate figures for funders and evaluators: counts only, small cells suppressed."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from werkbrug.core.policy import role_view
from werkbrug.core.suppression import suppress
from werkbrug.network.models import Role
from werkbrug.referrals.models import Referral
from werkbrug.trajectories.models import Outcome, OutcomeKind, Trajectory


@role_view(Role.FUNDER)
def figures(request: HttpRequest) -> HttpResponse:
    """This year's figures: one grouped aggregate per table, never a person."""
    this_year = timezone.localdate().year
    requested = request.GET.get("year", "")
    year = int(requested) if requested.isdigit() and 2000 <= int(requested) <= this_year else this_year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    referrals = (
        Referral.objects.filter(created_at__date__range=(start, end))
        .values("line__name")
        .annotate(n=Count("pk"))
        .order_by("line__name")
    )
    trajectories = (
        Trajectory.objects.filter(started_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("type__name")
        .annotate(active=Count("pk"), started=Count("pk", filter=Q(started_on__gte=start)))
        .order_by("type__name")
    )
    outcomes = (
        Outcome.objects.filter(on__range=(start, end)).values("kind").annotate(n=Count("pk")).order_by("kind")
    )
    labels = dict(OutcomeKind.choices)
    return render(
        request,
        "core/figures.html",
        {
            "year": year,
            "referrals": [(r["line__name"], suppress(r["n"])) for r in referrals],
            "trajectories": [
                (t["type__name"], suppress(t["active"]), suppress(t["started"])) for t in trajectories
            ],
            "outcomes": [(labels.get(o["kind"], o["kind"]), suppress(o["n"])) for o in outcomes],
        },
    )
