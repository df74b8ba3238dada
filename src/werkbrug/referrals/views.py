"""Referral pages: refer, follow my referrals, the screener's inbox and triage, the waiting lists."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.access import get_visible, scope
from werkbrug.clients.models import Client
from werkbrug.core import statements
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.choosers import chosen_pk
from werkbrug.core.forms import FormPart
from werkbrug.core.paging import paginate, statement_page
from werkbrug.core.policy import client_view, role_view
from werkbrug.core.rows import day, html_row, url_maker
from werkbrug.network.indications import of_versions, published
from werkbrug.network.models import ReferralLine, Role, TrajectoryType
from werkbrug.referrals import actions
from werkbrug.referrals.forms import (
    AcceptForm,
    AssignForm,
    DeclineForm,
    RedirectForm,
    ReferralForm,
    RequiredNoteForm,
    WaitlistForm,
)
from werkbrug.referrals.models import TRIAGE_STATUSES, Referral, ReferralStatus, Urgency
from werkbrug.referrals.queries import monthly_flow, waiting_positions
from werkbrug.referrals.status import as_received, outcome_shared, submitted_line, with_outcome_flag
from werkbrug.referrals.triage import Choice, LineIndex, leading_lines, suggest
from werkbrug.referrals.worklist import screened_lines, triage_queue


def _lines() -> QuerySet[ReferralLine]:
    return ReferralLine.objects.filter(is_active=True, organisation__is_active=True).select_related(
        "organisation"
    )


_RELATED = ("client", "line", "line__organisation", "referring_organisation", "referred_by", "assigned_coach")


def _referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor's organisation made or receives; pass through scope() or get_visible()."""
    return Referral.objects.for_organisation(actor.organisation).select_related(*_RELATED)


# The referral form in two parts around the triage suggestion: the indications, then the line the
# suggestion preselects (with why, when another line is chosen), then the rest.
_BEFORE_SUGGESTION = ("question", "indications", "line")


def _create_page(step: Step) -> dict[str, Any]:
    form = step.form
    checked = form["indications"].value() or []
    return {
        "client": step.target,
        "suggestion": suggest(checked, _lines()) if checked else None,
        "chosen_line": chosen_pk(form["line"].value()),
        "first_part": FormPart(form, _BEFORE_SUGGESTION, first=True),
        "second_part": FormPart(form, [name for name in form.fields if name not in _BEFORE_SUGGESTION]),
    }


def _referral_form(step: Step) -> ReferralForm:
    """The referral form. Indications in the address (`?indications=…`) are ticked and the line they
    suggest is preselected; without a suggested line none is: the user chooses, never a default."""
    initial: dict[str, Any] = {"evidence": "signed_form", "channel": "care_professional"}
    checked = step.request.GET.getlist("indications") if step.data is None else []
    if checked:
        initial["indications"] = checked
        suggestion = suggest(checked, list(_lines()))
        if suggestion.line is not None:
            initial["line"] = suggestion.line.pk
    return ReferralForm(step.data, initial=initial)


def _submit_referral(step: Step, data: dict[str, Any]) -> Referral:
    evidence = cast(ReferralForm, step.form).evidence_value()
    fields = {name: data[name] for name in ("line", "question", "indications", "urgency", "channel")}
    return actions.submit_referral(
        step.actor,
        step.target,
        **fields,
        evidence=evidence,
        follow_outcome=bool(data.get("follow_outcome")),
        share=data.get("share") or [],
    )


referral_create = action_view(
    policy=client_view,
    load=lambda step: get_visible(step.actor, Client.objects.all(), step.kwargs["client_pk"], client_path=""),
    form=_referral_form,
    run=_submit_referral,
    success=_("The referral was sent. You can follow its status here."),
    done=lambda step, referral: reverse("referrals:detail", args=[referral.pk]),
    template="referrals/create.html",
    context=_create_page,
    refused_status=200,
)


# The lines of the network, a page at a time: the referral form links here instead of listing them all.
LINES_PER_PAGE = 12


@client_view
def line_directory(request: HttpRequest) -> HttpResponse:
    """The referral lines and their indications, searchable by name, organisation or description.
    Opened from the referral form (loaded into it with htmx, `?partial=1`) or on its own."""
    text = request.GET.get("q", "").strip()[:100]
    lines = _lines().order_by("name", "pk")
    for word in text.split():
        lines = lines.filter(
            Q(name__icontains=word) | Q(organisation__name__icontains=word) | Q(description__icontains=word)
        )
    page = paginate(request, lines, size=LINES_PER_PAGE)
    book = published()
    rows = [(line, book.labels(line.indications)) for line in page]
    template = "referrals/_line_directory.html" if request.GET.get("partial") else "referrals/lines.html"
    return render(request, template, {"page": page, "rows": rows, "q": text})


@client_view
def triage_suggestion(request: HttpRequest) -> HttpResponse:
    """The suggestion for a set of indications (htmx partial on the referral form)."""
    checked = request.GET.getlist("indications")
    return render(
        request,
        "referrals/_suggestion.html",
        {"suggestion": suggest(checked, list(_lines())), "chosen_line": request.GET.get("line", "")},
    )


@client_view
@lists_clients("referrals:mine")
def my_referrals(request: HttpRequest) -> HttpResponse:
    """What my organisation referred, and where it stands now (the referrer's feedback loop)."""
    actor = Actor.from_request(request)
    referrals = with_outcome_flag(
        scope(actor, _referrals(actor))
        .filter(referring_organisation=actor.organisation)
        .select_related("trajectory", "trajectory__lead_organisation", "trajectory__type"),
        actor.organisation,
    )
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        # Filtering by a status the referrer may not see would tell it (referrals.status).
        referrals = referrals.filter(Q(outcome_shared=True), status=status)
    page = paginate(request, referrals.order_by("-created_at", "-pk"))
    positions = waiting_positions(
        {r.line_id for r in page if r.status == ReferralStatus.WAITING and r.outcome_shared}  # type: ignore[attr-defined]
    )
    for referral in page:
        referral.position = positions.get(referral.pk)  # type: ignore[attr-defined]
        if not referral.outcome_shared:  # type: ignore[attr-defined]
            referral.line = submitted_line(referral)  # for display: nothing about a redirect
    return render(
        request, "referrals/mine.html", {"page": page, "statuses": ReferralStatus.choices, "status": status}
    )


# The columns the inbox's rows read, and no more: each column is converted for each row.
_INBOX_FIELDS = (
    *(
        "client",
        "line",
        "referring_organisation",
        "urgency",
        "status",
        "created_at",
        "indications",
        "draaiboek",
    ),
    *(
        "client__first_name",
        "client__last_name",
        "client__erased_at",
        "line__name",
        "referring_organisation__name",
    ),
)


@role_view(Role.SCREENER, Role.COORDINATOR)
@lists_clients("referrals:inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    """The screener's inbox: open referrals on the lines they screen, urgent and oldest first."""
    actor = Actor.from_request(request)
    lines = list(screened_lines(actor))
    # The same rows as the menu's counter (referrals.worklist); the first page runs a statement built
    # once per membership, day and lines (core.paging.statement_page).
    page = statement_page(
        request,
        (*statements.actor_key("triage inbox", actor), tuple(line.pk for line in lines)),
        lambda: (
            triage_queue(actor, lines)
            .select_related("client", "line", "referring_organisation")  # what the rows show
            .only(*_INBOX_FIELDS)
            .order_by("-urgency", "created_at", "pk")
        ),
    )
    # Once for the page, from the few lines a suggestion can lead with: each row's looks up its indications.
    index = LineIndex(leading_lines(("triage leading lines",), _lines))
    # Each referral with the draaiboek it was triaged under (one query for the page).
    books = of_versions([r.draaiboek_id for r in page])
    rows = [(r, index.choose(r.indications, books[r.draaiboek_id])) for r in _for_rows(page)]
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "rows": rows, "table_rows": _inbox_rows(rows), "lines": lines},
    )


# A row of the inbox, built in Python: a page of fifty rows cost more in template nodes than the rest
# of the page (issue 14: the page grew with its rows). The same HTML as a template row would give.
_INBOX_ROW = """<tr>
    <td><a href="{}">{}</a><br><small>{}</small></td>
    <td>{}</td><td>{}</td>
    <td>{}</td>
    <td>{}</td>
    <td>{}{}</td>
  </tr>"""


def _inbox_rows(rows: Iterable[tuple[Referral, Choice]]) -> list[SafeString]:
    """The inbox's table rows: client (linked) and who referred, line, received, urgency (urgent as
    a badge), status, and the suggested line with "(case team)" when the case team is suggested."""
    tz = timezone.get_current_timezone()
    case_team = html_row(" ({})", gettext("case team"))
    return [
        html_row(
            _INBOX_ROW,
            r.detail_url,  # type: ignore[attr-defined]
            r.client,
            r.referring_organisation,
            r.line,
            day(r.created_at, tz),
            html_row('<span class="badge badge-alert">{}</span>', r.urgency_label)  # type: ignore[attr-defined]
            if r.urgency == Urgency.URGENT
            else r.urgency_label,  # type: ignore[attr-defined]
            r.status_label,  # type: ignore[attr-defined]
            choice.line.name if choice.line else "",
            case_team if choice.to_case_team else "",
        )
        for r, choice in rows
    ]


def _for_rows(referrals: Iterable[Referral]) -> Iterable[Referral]:
    """The referrals of a list with what its rows show that Django would work out per row: the link
    (`detail_url`, one `reverse` for the list) and the urgency's and status's wording (`urgency_label`,
    `status_label`: `get_FOO_display()` hashes every choice on each call)."""
    detail = url_maker("referrals:detail")
    urgencies = {value: str(label) for value, label in Urgency.choices}
    statuses = {value: str(label) for value, label in ReferralStatus.choices}
    for r in referrals:
        r.detail_url = detail(r.pk)  # type: ignore[attr-defined]
        r.urgency_label = urgencies.get(r.urgency, r.urgency)  # type: ignore[attr-defined]
        r.status_label = statuses.get(r.status, r.status)  # type: ignore[attr-defined]
        yield r


# The columns the waiting lists' rows read (each column is converted for each row).
_WAITING_FIELDS = (
    *("client", "line", "urgency", "status", "waiting_since", "expected_start"),
    *("client__first_name", "client__last_name", "client__erased_at"),
)


@role_view(Role.SCREENER, Role.COORDINATOR)
@lists_clients("referrals:waiting")
def waiting_lists(request: HttpRequest) -> HttpResponse:
    """Waiting list per line of my organisation, with monthly inflow and outflow."""
    actor = Actor.from_request(request)
    lines = list(ReferralLine.objects.filter(organisation=actor.organisation).order_by("name"))
    ids = tuple(line.pk for line in lines)
    waiting = statements.objects(
        (*statements.actor_key("waiting lists", actor), ids),
        lambda: (
            scope(  # with the client only: what the rows show
                actor, Referral.objects.for_organisation(actor.organisation).select_related("client")
            )
            .filter(line__in=ids, status=ReferralStatus.WAITING)
            .only(*_WAITING_FIELDS)
        ),
    )
    positions = waiting_positions(ids)
    waiting = sorted(_for_rows(waiting), key=lambda r: (r.line_id, positions.get(r.pk, 0)))
    flows = monthly_flow(lines)
    by_line: dict[int, list[tuple[Referral, int | None]]] = {line.pk: [] for line in lines}
    for r in waiting:
        by_line[r.line_id].append((r, positions.get(r.pk)))
    sections = [
        {
            "line": line,
            "waiting": by_line[line.pk],
            "rows": _waiting_rows(by_line[line.pk]),
            "flow": flows.get(line.pk, []),
        }
        for line in lines
    ]
    return render(request, "referrals/waiting.html", {"sections": sections})


# A row of a waiting list, built in Python as the inbox's (the same HTML as the template gave).
_WAITING_ROW = '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>'


def _waiting_rows(waiting: Iterable[tuple[Referral, int | None]]) -> list[SafeString]:
    """A line's waiting list: place, client (linked), urgency, waiting since, expected start (— when
    none is known)."""
    tz = timezone.get_current_timezone()
    return [
        html_row(
            _WAITING_ROW,
            position,
            r.detail_url,  # type: ignore[attr-defined]
            r.client,
            r.urgency_label,  # type: ignore[attr-defined]
            day(r.waiting_since, tz),
            day(r.expected_start) or "—",
        )
        for r, position in waiting
    ]


def _detail_context(actor: Actor, referral: Referral) -> dict[str, Any]:
    # The wording of the draaiboek version the referral was triaged under.
    book = of_versions([referral.draaiboek_id])[referral.draaiboek_id]
    events = referral.events.select_related("by", "organisation", "from_line", "to_line")
    if not outcome_shared(referral, actor.organisation):
        # The referrer without the client's consent: "received by the line", and its own steps only.
        return {
            "referral": as_received(referral),
            "received_only": True,
            "events": events.filter(organisation=actor.organisation),
            "indications": book.labels(referral.indications),
            "draaiboek": book.version,
        }
    triager = referral.status in TRIAGE_STATUSES and actions.can_triage(actor, referral.line)
    assignee = referral.status == ReferralStatus.ASSIGNED and referral.assigned_coach_id == actor.user.pk
    positions = waiting_positions([referral.line_id]) if referral.status == ReferralStatus.WAITING else {}
    context: dict[str, Any] = {
        "referral": referral,
        "events": events,
        "indications": book.labels(referral.indications),
        "draaiboek": book.version,
        "position": positions.get(referral.pk),
        "trajectory": getattr(referral, "trajectory", None),
        "triager": triager,
        "assignee": assignee,
    }
    if triager:
        context.update(
            suggestion=suggest(referral.indications, list(_lines()), book),
            assign_form=AssignForm(coaches=actions.coaches_for(referral.line)),
            redirect_form=RedirectForm(initial={"evidence": "verbal"}),
            waitlist_form=WaitlistForm(),
            case_team_form=RequiredNoteForm(),
            decline_form=DeclineForm(),
        )
    if assignee:
        default_type = TrajectoryType.objects.filter(code=referral.line.default_trajectory_type).first()
        context.update(
            accept_form=AcceptForm(initial={"trajectory_type": default_type}), return_form=RequiredNoteForm()
        )
    return context


@client_view
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    referral = get_visible(actor, _referrals(actor), pk)
    return render(request, "referrals/detail.html", _detail_context(actor, referral))


def _flash_errors(step: Step) -> None:
    for errors in step.form.errors.values():
        for error in errors:
            messages.error(step.request, str(error))


def reshow_decision(form_key: str) -> Callable[[Step], HttpResponse]:
    """A refused decision: the referral page again, with this form open and its errors."""

    def refused(step: Step) -> HttpResponse:
        referral = step.target
        referral.refresh_from_db()
        if not scope(step.actor, _referrals(step.actor)).filter(pk=referral.pk).exists():
            # Someone sent it to a line the actor does not follow first: say so, on the inbox.
            _flash_errors(step)
            return redirect("referrals:inbox")
        context = _detail_context(step.actor, referral)
        if form_key not in context:
            # Someone decided first and this form is gone: the page as it is now, with the refusal.
            _flash_errors(step)
            return render(step.request, "referrals/detail.html", context, status=400)
        context[form_key] = step.form
        context["open_form"] = form_key
        return render(step.request, "referrals/detail.html", context, status=400)

    return refused


def _after_decision(step: Step, result: Any) -> str:
    """The referral, or the inbox once it went to a line the screener no longer follows; the
    trajectory once the referral was accepted."""
    if not isinstance(result, Referral):
        return reverse("trajectories:detail", args=[result.pk])
    if not scope(step.actor, _referrals(step.actor)).filter(pk=result.pk).exists():
        return reverse("referrals:inbox")
    return reverse("referrals:detail", args=[result.pk])


# The triage decisions are forms on the referral page (POST only), fetched through the accessor.
# Accepting is one of them too, declared in trajectories/action_views.py: it starts a trajectory.
referral_decision = functools.partial(
    action_view,
    policy=client_view,
    load=lambda step: get_visible(step.actor, _referrals(step.actor), step.kwargs["pk"], audit_view=False),
    done=_after_decision,
    post_only=True,
)


def _redirect_referral(step: Step, data: dict[str, Any]) -> Referral:
    evidence = cast(RedirectForm, step.form).evidence_value()
    return actions.redirect_referral(
        step.actor, step.target, line=data["line"], note=data["note"], evidence=evidence
    )


assign = referral_decision(
    form=lambda step: AssignForm(step.data, coaches=actions.coaches_for(step.target.line)),
    run=lambda step, data: actions.assign_referral(step.actor, step.target, **data),
    success=_("The referral was assigned to the coach."),
    refused=reshow_decision("assign_form"),
)
redirect_to_line = referral_decision(
    form=RedirectForm,
    run=_redirect_referral,
    success=_("The referral was redirected to the other line."),
    refused=reshow_decision("redirect_form"),
)
waitlist = referral_decision(
    form=WaitlistForm,
    run=lambda step, data: actions.waitlist_referral(step.actor, step.target, **data),
    success=_("The referral is on the waiting list."),
    refused=reshow_decision("waitlist_form"),
)
case_team = referral_decision(
    form=RequiredNoteForm,
    run=lambda step, data: actions.send_to_case_team(step.actor, step.target, **data),
    success=_("The referral was sent to the case team."),
    refused=reshow_decision("case_team_form"),
)
decline = referral_decision(
    form=DeclineForm,
    run=lambda step, data: actions.decline_referral(step.actor, step.target, **data),
    success=_("The referral was declined."),
    refused=reshow_decision("decline_form"),
)
return_to_screener = referral_decision(
    form=RequiredNoteForm,
    run=lambda step, data: actions.return_referral(step.actor, step.target, **data),
    success=_("The referral went back to the screener."),
    refused=reshow_decision("return_form"),
)
