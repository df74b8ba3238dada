"""Trajectory lists: the coach's caseload, the coordinator's capacity view and one coach's
trajectories, the handover inbox and the history of the handovers the organisation proposed. Rows
come through clients.access (`scope`); the handover inbox shows the answer forms, which post to the
action pages of trajectories.action_views."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from werkbrug.clients.access import scope
from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.dbdates import local_midnight
from werkbrug.core.paging import PAGE_SIZE, statement_page
from werkbrug.core.policy import client_view, role_view
from werkbrug.core.rows import RowFragment, day, html_row, url_maker
from werkbrug.network.models import Membership, Role, TrajectoryType, User
from werkbrug.referrals.worklist import assigned_to_me, triage_queue
from werkbrug.trajectories.capacity import coach_capacities
from werkbrug.trajectories.care_partner import lacks_care_partner
from werkbrug.trajectories.forms import AcceptHandoverForm, DeclineHandoverForm
from werkbrug.trajectories.models import (
    Certainty,
    Economy,
    Handover,
    HandoverStatus,
    Outcome,
    OutcomeKind,
    Trajectory,
    TrajectoryStatus,
)
from werkbrug.trajectories.panels import caseload_panels
from werkbrug.trajectories.views import RECEIVER_ROLES, coaches_of, default_coach
from werkbrug.trajectories.worklist import incoming_handovers

# A caseload row, built in Python: the table of a coach's trajectories, rendered per attribute and per
# condition in the template, was a fifth of the page's time (docs/bench.md). The same HTML as the
# template gave.
_CASELOAD_ROW = """<tr>
    <td><a href="{}">{}</a>
      {}</td>
    <td>{}{}</td>
    <td>{}</td>
    <td>{}
      {}</td>
    <td>{}</td>
  </tr>"""


@dataclass(frozen=True)
class CaseloadRow:
    """A caseload row: its trajectory, and the row's HTML built once in Python (`_CASELOAD_ROW`)."""

    trajectory: Trajectory
    html: SafeString


def _caseload_rows(trajectories: Sequence[Trajectory], today: datetime.date) -> list[CaseloadRow]:
    """'Nobody falls through the cracks' (BRIEF §3E): flag active trajectories without a contact for
    NOT_SEEN_WEEKS weeks (counted from the start when there was no contact yet)."""
    threshold = int(getattr(settings, "NOT_SEEN_WEEKS", 4))
    detail, care_partner = url_maker("trajectories:detail"), url_maker("trajectories:care_partner_add")
    tz = timezone.get_current_timezone()
    phases = dict(Trajectory._meta.get_field("phase").flatchoices)
    paused = str(TrajectoryStatus.PAUSED.label)
    no_care_partner, overdue = gettext("no care partner on call"), gettext("overdue")
    rows = []
    for t in trajectories:
        since = t.last_contact_on or t.started_on
        weeks = max((today - since).days // 7, 0)
        next_due = getattr(t, "next_goal_due", None)
        unseen = ""
        if t.status == TrajectoryStatus.ACTIVE and weeks >= threshold:
            # As {% blocktranslate count %} gives it: our translation as it is, the number put in.
            unseen = html_row('<br><span class="badge badge-alert">{}</span>', mark_safe(_unseen(t, weeks)))  # noqa: S308
        due = day(next_due, tz)
        if next_due is not None and next_due < today:
            due = html_row('<span class="badge badge-alert">{} {}</span>', overdue, due)
        rows.append(
            CaseloadRow(
                t,
                html_row(
                    _CASELOAD_ROW,
                    detail(t.pk),
                    f"{t.client.last_name}, {t.client.first_name}",
                    html_row('<br><span class="badge">{}</span>', paused)
                    if t.status == TrajectoryStatus.PAUSED
                    else "",
                    t.type,
                    html_row(
                        '<br><a class="badge badge-alert" data-flag="care-partner" href="{}">{}</a>',
                        care_partner(t.pk),
                        no_care_partner,
                    )
                    if getattr(t, "needs_care_partner", False)
                    else "",
                    phases.get(t.phase, t.phase),
                    day(t.last_contact_on, tz) or "\u2014",
                    unseen,
                    due or "\u2014",
                ),
            )
        )
    return rows


def _unseen(t: Trajectory, weeks: int) -> str:
    if t.last_contact_on is None:
        text = ngettext(
            "no contact since the start %(n)s week ago", "no contact since the start %(n)s weeks ago", weeks
        )
    else:
        text = ngettext("not seen for %(n)s week", "not seen for %(n)s weeks", weeks)
    return text % {"n": weeks}


# What a caseload row shows; loading only these keeps a 40-row page cheap to build.
CASELOAD_FIELDS = (
    "client_id",
    "client__first_name",
    "client__last_name",
    "type__name",
    "phase",
    "status",
    "started_on",
    "last_contact_on",
    "lead_organisation_id",
    "coach_id",
)


def _caseload_queryset(actor: Actor, **filters: Any) -> QuerySet[Trajectory]:
    return (
        scope(actor, Trajectory.objects.filter(**filters).open().with_next_goal_due())
        .annotate(needs_care_partner=lacks_care_partner())
        .select_related("client", "type")
        .only(*CASELOAD_FIELDS)
        .order_by("client__last_name", "client__first_name", "pk")
    )


def _caseload_page(request: HttpRequest, actor: Actor, coach_id: int) -> Page:
    """The coach's open trajectories the organisation leads, a page of them; the first page runs a
    statement built once per membership and day (core.paging.statement_page)."""
    filters = {"coach_id": coach_id, "lead_organisation": actor.organisation}
    key = (*statements.actor_key("caseload", actor), coach_id)
    return statement_page(request, key, lambda: _caseload_queryset(actor, **filters))


def _to_verify(actor: Actor, today: datetime.date) -> QuerySet[Outcome]:
    """Estimated paid-work outcomes of the coach's trajectories whose check is due. The few
    candidates are found first and only they are access-checked: checked in the same query as the
    coach's trajectories, SQLite checked every trajectory the coach ever had (3.5 ms against 0.5).
    The candidates are looked up per trajectory the coach led here (`IN`, from the index on coach and
    organisation) in the small index of outcomes still to verify; as a join, SQLite's planner read
    every paid-work outcome of a small network instead (docs/bench.md, s33)."""
    led = Trajectory.objects.filter(coach=actor.user, lead_organisation=actor.organisation)
    due = Outcome.objects.filter(
        kind=OutcomeKind.PAID_WORK,
        certainty=Certainty.ESTIMATED,
        verify_due_on__lte=today,
        trajectory__in=led.values("pk"),
    )
    return scope(
        actor, Outcome.objects.filter(pk__in=due.values("pk")), client_path="trajectory__client"
    ).select_related("trajectory__client")


# "Paid work to verify", built in Python: a coach's list of fifty rows cost more in template nodes than
# the rest of the caseload (issue 14). The same HTML as the template gave.
_VERIFY = '<li><a href="{}#outcomes">{}</a>: {}{} {} {} · {}</li>'


def _verify_rows(outcomes: Sequence[Outcome]) -> list[SafeString]:
    detail, tz = url_maker("trajectories:detail"), timezone.get_current_timezone()
    kinds, economies = dict(OutcomeKind.choices), dict(Economy.choices)
    since, due = gettext("since"), gettext("to verify from %(date)s")
    return [
        html_row(
            _VERIFY,
            detail(o.trajectory_id),
            o.trajectory.client,
            kinds.get(o.kind, o.kind),
            html_row(" ({})", economies.get(o.economy, o.economy)) if o.economy else "",
            since,
            day(o.on, tz),
            # As {% blocktranslate %} gives it: our translation as it is, the date (digits) put in.
            mark_safe(due % {"date": day(o.verify_due_on, tz)}),  # noqa: S308
        )
        for o in outcomes
    ]


def _first(actor: Actor, name: str, size: int, build: Callable[[], QuerySet[Any]]) -> list[Any]:
    """The first `size` rows of `build()`, its statement built once per membership and day."""
    return statements.objects(statements.actor_key(name, actor), lambda: build()[:size])


@client_view
@lists_clients("trajectories:caseload")
def caseload(request: HttpRequest) -> HttpResponse:
    """The coach's start page. Its lists run statements built once per membership and day
    (core.statements: the access-checked querysets cost more to build than to run)."""
    actor = Actor.from_request(request)
    today = timezone.localdate()
    page = _caseload_page(request, actor, actor.user.pk)
    related = ("client", "line", "referring_organisation")
    assigned = lambda: assigned_to_me(actor).select_related(*related).order_by("created_at", "pk")  # noqa: E731
    referrals = _first(actor, "caseload referrals", PAGE_SIZE, assigned)
    due = lambda: _to_verify(actor, today).order_by("verify_due_on", "pk")  # noqa: E731
    to_verify = _first(actor, "caseload to verify", PAGE_SIZE, due)
    return render(
        request,
        "trajectories/caseload.html",
        {
            "page": page,
            "rows": _caseload_rows(list(page), today),
            "not_seen_weeks": int(getattr(settings, "NOT_SEEN_WEEKS", 4)),
            "referrals": referrals,
            "to_verify": _verify_rows(to_verify),
            **_waiting_handovers(actor),
            # What the areas above add (follow-along due, …): trajectories.panels.
            "panels": caseload_panels(actor, today),
        },
    )


# How many incoming handovers a start page lists; the handover inbox has them all.
START_PAGE_HANDOVERS = 10


def _waiting_handovers(actor: Actor) -> dict[str, Any]:
    """The handovers proposed to the organisation, for the top of a start page: the oldest first,
    and how many there are (the menu's counter). Statements built once per membership and day."""
    related = ("trajectory__client", "from_organisation", "new_type")
    oldest = lambda: incoming_handovers(actor).select_related(*related).order_by("proposed_at", "pk")  # noqa: E731
    rows = _first(actor, "start page handovers", START_PAGE_HANDOVERS, oldest)
    if len(rows) < START_PAGE_HANDOVERS:
        return {"incoming_handovers": rows, "incoming_count": len(rows)}
    count = statements.count(
        statements.actor_key("start page handovers count", actor), lambda: incoming_handovers(actor)
    )
    return {"incoming_handovers": rows, "incoming_count": count}


@dataclass
class CoachLoad:
    user: User | None
    fte: Decimal | None = None
    capacity: int | None = None
    capacity_is_norm: bool = False
    active: int = 0
    paused: int = 0

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.active > self.capacity

    @property
    def load_percent(self) -> int | None:
        return round(100 * self.active / self.capacity) if self.capacity else None


@role_view(Role.COORDINATOR)
def capacity(request: HttpRequest) -> HttpResponse:
    """Per coach: active dossiers against capacity (the coach's own figure, or the norm of the type
    they mostly carry times FTE; BRIEF §3A, §3D); per trajectory type: counts."""
    actor = Actor.from_request(request)
    org = actor.organisation
    memberships = list(
        Membership.objects.filter(organisation=org, role=Role.COACH, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__pk")
    )
    # Counts only, no client data: every open trajectory the organisation leads is work its coaches
    # carry, as the caseload report counts it (reports.caseload), also when the client no longer
    # shares the file with it. Scoping the counts would read the organisation's whole involvement
    # history on every view, so the page would slow down as the years pass.
    counts = list(
        Trajectory.objects.filter(lead_organisation=org)
        .open()
        .values("coach_id", "type_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    types = {t.pk: t for t in TrajectoryType.objects.all()}
    capacities = coach_capacities(
        memberships, ((row["coach_id"], row["type_id"], row["n"]) for row in counts), types
    )
    loads: dict[int | None, CoachLoad] = {
        m.user_id: CoachLoad(
            user=m.user,
            fte=m.fte,
            capacity=capacities[m.user_id].dossiers,
            capacity_is_norm=capacities[m.user_id].is_norm,
        )
        for m in memberships
    }
    others = CoachLoad(user=None)  # no coach, or a coach who left the organisation
    per_type: dict[int, dict[str, int]] = defaultdict(lambda: {"active": 0, "paused": 0})
    for row in counts:
        load = loads.get(row["coach_id"], others)
        if row["status"] == TrajectoryStatus.ACTIVE:
            load.active += row["n"]
        else:
            load.paused += row["n"]
        per_type[row["type_id"]][row["status"]] += row["n"]

    coaches = [loads[m.user_id] for m in memberships]
    type_rows = [
        {"type": types[type_id], **numbers}
        for type_id, numbers in sorted(per_type.items(), key=lambda item: types[item[0]].name)
    ]
    related = ("client", "line", "referring_organisation")
    oldest = lambda: triage_queue(actor).select_related(*related).order_by("-urgency", "created_at", "pk")  # noqa: E731
    triage = _first(actor, "start page triage", START_PAGE_HANDOVERS, oldest)
    if len(triage) < START_PAGE_HANDOVERS:
        triage_count = len(triage)
    else:
        key = statements.actor_key("start page triage count", actor)
        triage_count = statements.count(key, lambda: triage_queue(actor))
    return render(
        request,
        "trajectories/capacity.html",
        {
            **_waiting_handovers(actor),
            "triage": triage,
            "triage_count": triage_count,
            "coaches": coaches,
            "others": others if (others.active or others.paused) else None,
            "type_rows": type_rows,
            "total_active": sum(c.active for c in coaches) + others.active,
            "total_capacity": sum(c.capacity or 0 for c in coaches),
        },
    )


@role_view(Role.COORDINATOR)
@lists_clients("trajectories:coach_trajectories")
def coach_trajectories(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Read-only list of one coach's open trajectories, for the coordinator of that organisation."""
    actor = Actor.from_request(request)
    membership = (
        Membership.objects.filter(organisation=actor.organisation, role=Role.COACH, user_id=user_pk)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    page = _caseload_page(request, actor, user_pk)
    return render(
        request,
        "trajectories/coach_trajectories.html",
        {
            "coach": membership.user,
            "page": page,
            "rows": _caseload_rows(list(page), timezone.localdate()),
            "not_seen_weeks": int(getattr(settings, "NOT_SEEN_WEEKS", 4)),
        },
    )


# The columns both lists of the handover inbox show (each column is converted for each row).
_SHOWN = (
    *("trajectory", "new_type", "proposed_by", "proposed_at"),
    *("trajectory__client__first_name", "trajectory__client__last_name", "trajectory__client__erased_at"),
    *("new_type__name", "proposed_by__first_name", "proposed_by__last_name", "proposed_by__username"),
)


# The inbox's list of what the organisation proposed is a worklist: the open proposals, and those
# answered in the last RECENT_DAYS days. The whole history has its own paged page (handovers_proposed),
# so the inbox does not grow with the years.
RECENT_DAYS = 30


def _proposed_by(actor: Actor) -> QuerySet[Handover]:
    """The handovers the actor's organisation proposed, newest first, as far as the clients' consents
    let it see them, with only what the rows show."""
    return (
        scope(
            actor,
            Handover.objects.filter(from_organisation=actor.organisation),
            client_path="trajectory__client",
        )
        .select_related("trajectory__client", "new_type", "proposed_by", "to_organisation")
        .only(*_SHOWN, "status", "decided_at", "decision_note", "to_organisation__name")
    )


def _link(handovers: Iterable[Handover]) -> None:
    """Give each handover the URL of its trajectory's page (`trajectory_url`), for its row."""
    trajectory_url = url_maker("trajectories:detail")
    for h in handovers:
        h.trajectory_url = trajectory_url(h.trajectory_id)  # type: ignore[attr-defined]


@client_view
@lists_clients("trajectories:handovers")
def handovers(request: HttpRequest) -> HttpResponse:
    """Incoming proposals to answer, and what the organisation proposed to others lately."""
    actor = Actor.from_request(request)
    # What each list shows, and no more: every related row is a model instance per row.
    related = ("trajectory__client", "new_type", "proposed_by")
    # The rows the menu's counter counts; statements built once per membership and day.
    incoming = statement_page(
        request,
        statements.actor_key("handover inbox", actor),
        lambda: (
            incoming_handovers(actor)
            .select_related(*related, "trajectory__type", "from_organisation")
            .only(*_SHOWN, "note", "trajectory__type__name", "from_organisation__name")
            .order_by("proposed_at", "pk")
        ),
    )
    may_answer = actor.has_role(*RECEIVER_ROLES)
    rows = _answer_rows(request, actor, list(incoming)) if may_answer else [(h, "", "") for h in incoming]
    # The day is part of the statement's key, so the boundary moves with it.
    since = local_midnight(timezone.localdate() - datetime.timedelta(days=RECENT_DAYS))
    # One row more than shown, to say so when the list is cut (the history page has them all).
    outgoing = _first(
        actor,
        "handovers proposed",
        PAGE_SIZE + 1,
        lambda: _proposed_by(actor).filter(Q(status=HandoverStatus.PROPOSED) | Q(decided_at__gte=since)),
    )
    outgoing_cut = len(outgoing) > PAGE_SIZE
    outgoing = outgoing[:PAGE_SIZE]
    _link((*incoming, *outgoing))
    return render(
        request,
        "trajectories/handovers.html",
        {
            "page": incoming,
            "rows": rows,
            "may_answer": may_answer,
            "outgoing": outgoing,
            "outgoing_cut": outgoing_cut,
            "page_size": PAGE_SIZE,
            "recent_days": RECENT_DAYS,
            "incoming_sections": _incoming_sections(rows, may_answer),
            "outgoing_rows": _outgoing_rows(outgoing),
        },
    )


@client_view
@lists_clients("trajectories:handovers_proposed")
def handovers_proposed(request: HttpRequest) -> HttpResponse:
    """Every handover the organisation proposed, newest first, a page at a time."""
    actor = Actor.from_request(request)
    page = statement_page(
        request, statements.actor_key("handovers proposed, all", actor), lambda: _proposed_by(actor)
    )
    outgoing = list(page)
    _link(outgoing)
    return render(
        request,
        "trajectories/handovers_proposed.html",
        {"page": page, "outgoing": outgoing, "outgoing_rows": _outgoing_rows(outgoing)},
    )


# The handover inbox's rows, built in Python: a page of fifty rows cost more in template nodes than
# the rest of the page (issue 14: the page grew with its rows). The same HTML as the template gave.
_INCOMING = """<section id="handover-{}">
    <h3><a href="{}">{}</a> · {} → {}</h3>
    <p><small class="muted">{} {}, {} · {}: {}</small></p>
    <blockquote>{}</blockquote>
    {}
  </section>"""
_ANSWER = """<div class="grid-2">
  {}
  {}
</div>"""
_OUTGOING = """<tr>
      <td><a href="{}#handover">{}</a></td>
      <td>{} ({})</td>
      <td>{} · {}</td>
      <td><span class="badge{}">{}</span>{}{}</td>
    </tr>"""


def _incoming_sections(rows: Sequence[tuple[Handover, str, str]], may_answer: bool) -> list[SafeString]:
    """Each incoming handover: the client (linked), from whom to which type, who proposed it and
    when, the trajectory's type now, the note, and the answer forms for those who may answer."""
    tz = timezone.get_current_timezone()
    proposed_by, now = gettext("proposed by"), gettext("now")
    return [
        html_row(
            _INCOMING,
            h.pk,
            h.trajectory_url,  # type: ignore[attr-defined]
            h.trajectory.client,
            h.from_organisation,
            h.new_type,
            proposed_by,
            h.proposed_by,
            day(h.proposed_at, tz),
            now,
            h.trajectory.type,
            linebreaksbr(h.note, autoescape=True),
            html_row(_ANSWER, accept, decline) if may_answer else "",
        )
        for h, accept, decline in rows
    ]


def _outgoing_rows(outgoing: Sequence[Handover]) -> list[SafeString]:
    """Each handover the organisation proposed: the client (linked to the trajectory's handover),
    to whom and which type, when and by whom, and its status (accepted in green) with the decision's
    date and note."""
    tz = timezone.get_current_timezone()
    statuses = {value: str(label) for value, label in HandoverStatus.choices}
    return [
        html_row(
            _OUTGOING,
            h.trajectory_url,  # type: ignore[attr-defined]
            h.trajectory.client,
            h.to_organisation,
            h.new_type,
            day(h.proposed_at, tz),
            h.proposed_by,
            " badge-ok" if h.status == HandoverStatus.ACCEPTED else "",
            statuses.get(h.status, h.status),
            f" {day(h.decided_at, tz)}" if h.decided_at else "",
            html_row("<br><small>{}</small>", h.decision_note) if h.decision_note else "",
        )
        for h in outgoing
    ]


def _answer_rows(
    request: HttpRequest, actor: Actor, incoming: Sequence[Handover]
) -> list[tuple[Handover, str, str]]:
    """Each incoming handover with its accept and decline forms. The forms are the same on every row
    but for the handover's ids, so each is rendered once for the page (core.rows.RowFragment)."""
    if not incoming:
        return []
    org = actor.organisation
    coaches = coaches_of(org.pk) if org is not None else []
    accept, decline = RowFragment("pk", "trajectory"), RowFragment("pk", "trajectory")
    stub = {"pk": accept.standin("pk"), "trajectory_id": accept.standin("trajectory")}
    accept_form = AcceptHandoverForm(
        coaches=coaches, initial={"coach": default_coach(actor)}, auto_id=f"accept{stub['pk']}-%s"
    )
    accept.render("trajectories/_handover_accept.html", {"h": stub, "accept_form": accept_form}, request)
    stub = {"pk": decline.standin("pk"), "trajectory_id": decline.standin("trajectory")}
    decline_form = DeclineHandoverForm(auto_id=f"decline{stub['pk']}-%s")
    decline.render("trajectories/_handover_decline.html", {"h": stub, "decline_form": decline_form}, request)
    return [
        (
            h,
            accept.fill(pk=h.pk, trajectory=h.trajectory_id),
            decline.fill(pk=h.pk, trajectory=h.trajectory_id),
        )
        for h in incoming
    ]
