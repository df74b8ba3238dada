"""The coach's pages: the site list and a site's page, my week, the pending bookings, the agreement's
signed document, the poster and the coach's .ics feed. Read-only; the writes are declared in
`action_views.py`, the public page in `public_views.py`."""

from __future__ import annotations

import datetime

import segno
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditAction
from werkbrug.core.paging import paginate
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import role_view
from werkbrug.core.privatefiles import pdf_download
from werkbrug.outreach.access import (
    OUTREACH_ROLES,
    get_site,
    visible_appointments,
    visible_bookings,
    visible_hours,
    visible_sites,
)
from werkbrug.outreach.ics import CONTENT_TYPE, coach_calendar
from werkbrug.outreach.models import (
    Agreement,
    AppointmentState,
    BookingStatus,
    CancelledDate,
    RecruitmentStep,
    Site,
    Stage,
    covering_agreement,
)
from werkbrug.outreach.schedule import BRUSSELS, dates, slots_on

outreach_view = role_view(*OUTREACH_ROLES)


def with_status(sites: QuerySet[Site], today: datetime.date) -> QuerySet[Site]:
    """Sites with whether a signed agreement covers today, the latest recruitment stage and the
    number of pending bookings: annotations, so a list page runs a constant number of queries."""
    latest = RecruitmentStep.objects.filter(site=OuterRef("pk")).order_by("-on", "-pk")
    return sites.annotate(
        has_agreement=Exists(Agreement.objects.filter(covering_agreement(today), site=OuterRef("pk"))),
        stage=Subquery(latest.values("stage")[:1]),
        pending=Count("bookings", filter=Q(bookings__status=BookingStatus.PENDING)),
    )


@outreach_view
@require_safe
def site_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    today = timezone.localdate()
    sites = with_status(visible_sites(actor).select_related("subregion", "host"), today).order_by(
        "name", "pk"
    )  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()
    if q:
        sites = sites.filter(name__icontains=q)  # type: ignore[attr-defined]
    return render(
        request,
        "outreach/site_list.html",
        {"page": paginate(request, sites), "q": q, "stages": Stage.choices},
    )


def booking_url(request: HttpRequest, site: Site) -> str:
    return request.build_absolute_uri(reverse("outreach_public:book", args=[site.booking_code]))


@outreach_view
@require_safe
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    site = get_site(actor, pk)
    today = timezone.localdate()
    now = timezone.now()
    context = {
        "site": site,
        "steps": list(site.steps.select_related("by")),
        "agreements": list(site.agreements.all()),
        "has_agreement": site.agreements.filter(covering_agreement(today)).exists(),
        "hours": list(
            site.hours.select_related("coach").filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        ),
        "cancelled": list(
            CancelledDate.objects.filter(hours__site=site, on__gte=today).select_related("hours")[:20]
        ),
        "pending": list(
            visible_bookings(actor)
            .filter(site=site, status=BookingStatus.PENDING)
            .order_by("created_at")[:50]
        ),
        "appointments": list(
            visible_appointments(actor)
            .filter(hours__site=site, starts_at__gte=now - datetime.timedelta(days=7))
            .select_related("hours__coach")
            .order_by("starts_at")[:50]
        ),
        "booking_url": booking_url(request, site),
        "sessions": list(site.sessions.order_by("-held_on", "-pk")[:20]),  # type: ignore[attr-defined]
    }
    return render(request, "outreach/site_detail.html", context)


def week_of(request: HttpRequest) -> datetime.date:
    """The Monday of the week asked for (?week=YYYY-MM-DD, any day of it), else this week's."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    day = min(max(day, datetime.date(1900, 1, 8)), datetime.date(2100, 12, 24))
    return day - datetime.timedelta(days=day.weekday())


@outreach_view
@require_safe
def my_week(request: HttpRequest) -> HttpResponse:
    """My consultation hours and appointments this week (the coach's own)."""
    actor = Actor.from_request(request)
    monday = week_of(request)
    sunday = monday + datetime.timedelta(days=6)
    hours = list(
        visible_hours(actor)
        .filter(coach=actor.user, valid_from__lte=sunday)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=monday))
        .select_related("site")
    )
    cancelled = {
        (h, on)
        for h, on in CancelledDate.objects.filter(hours__in=hours, on__range=(monday, sunday)).values_list(
            "hours_id", "on"
        )
    }
    sessions = sorted(
        (
            (day, h, (h.pk, day) in cancelled, len(slots_on(h, day)))
            for h in hours
            for day in dates(h, monday, sunday)
        ),
        key=lambda row: (row[0], row[1].starts_at),
    )
    since = datetime.datetime.combine(monday, datetime.time.min, tzinfo=BRUSSELS)
    appointments = (
        visible_appointments(actor)
        .filter(
            hours__coach=actor.user, starts_at__gte=since, starts_at__lt=since + datetime.timedelta(days=7)
        )
        .select_related("hours__site")
        .order_by("starts_at")
    )
    context = {
        "monday": monday,
        "sunday": sunday,
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "sessions": sessions,
        "page": paginate(request, appointments),
        "no_shows": visible_appointments(actor)
        .filter(hours__coach=actor.user, state=AppointmentState.NO_SHOW)
        .count(),
    }
    return render(request, "outreach/my_week.html", context)


@outreach_view
@require_safe
def pending_bookings(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    bookings = (
        visible_bookings(actor)
        .filter(status=BookingStatus.PENDING)
        .select_related("site", "hours__coach")
        .order_by("created_at", "pk")
    )
    return render(request, "outreach/bookings.html", {"page": paginate(request, bookings)})


@outreach_view
@require_safe
def agreement_document(request: HttpRequest, pk: int, agreement_pk: int) -> FileResponse:
    """The signed agreement: only through this policy-checked, audited view, never MEDIA_URL."""
    actor = Actor.from_request(request)
    site = get_site(actor, pk)
    agreement = site.agreements.filter(pk=agreement_pk).first()
    if agreement is None:
        raise Http404
    response = pdf_download(
        agreement.signed_document, download_name(gettext("agreement"), agreement.pk, extension="pdf")
    )
    audit.record(actor, AuditAction.VIEW, agreement, client_id=None, summary="signed agreement")
    return response


def _poster(request: HttpRequest, pk: int) -> dict[str, object]:
    site = get_site(Actor.from_request(request), pk)
    url = booking_url(request, site)
    return {"site": site, "url": url, "qr": segno.make(url, error="m").svg_data_uri(scale=8, border=2)}


@outreach_view
@require_safe
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 page to print and hang at the site: the QR code and the short link to the booking page."""
    return render(request, "outreach/poster.html", _poster(request, pk))


@outreach_view
@require_safe
def poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _poster(request, pk)
    name = download_name(gettext("poster"), context["site"].pk, extension="pdf")  # type: ignore[attr-defined]
    return pdf_response("outreach/poster_pdf.html", context, request, name)


@outreach_view
@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The coach's consultation hours and appointments as an .ics file: served as the case team's
    meeting files are (teams: behind the login, private, never cached), and naming no one."""
    actor = Actor.from_request(request)
    data = coach_calendar(actor, actor.user)
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="consultation-hours.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
