"""Referral pages: refer, follow my referrals, the screener's inbox and triage, the waiting lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.clients.models import Client
from werkbrug.core.access import get_visible, scope
from werkbrug.core.actor import Actor
from werkbrug.core.forms import submit
from werkbrug.core.paging import paginate
from werkbrug.core.policy import client_view, role_view
from werkbrug.network.models import ReferralLine, Role
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
from werkbrug.referrals.models import TRIAGE_STATUSES, Referral, ReferralStatus
from werkbrug.referrals.queries import monthly_flow, waiting_positions
from werkbrug.referrals.triage import INDICATIONS, suggest
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import TrajectoryType


def _lines() -> QuerySet[ReferralLine]:
    return ReferralLine.objects.filter(is_active=True, organisation__is_active=True).select_related(
        "organisation"
    )


def _referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor's organisation made or receives; pass through scope() or get_visible()."""
    return Referral.objects.for_organisation(actor.organisation).select_related(
        "client", "line", "line__organisation", "referring_organisation", "referred_by", "assigned_coach"
    )


def _screened_lines(actor: Actor) -> QuerySet[ReferralLine]:
    lines = ReferralLine.objects.filter(organisation=actor.organisation)
    if actor.has_role(Role.COORDINATOR):
        return lines
    return lines.filter(screeners=actor.user)


@client_view
def referral_create(request: HttpRequest, client_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client = get_visible(actor, Client.objects.all(), client_pk, client_path="")
    form = ReferralForm(
        request.POST or None, initial={"evidence": "signed_form", "channel": "care_professional"}
    )
    referral = submit(
        request,
        form,
        lambda data: actions.submit_referral(
            actor,
            client,
            line=data["line"],
            question=data["question"],
            indications=data["indications"],
            urgency=data["urgency"],
            channel=data["channel"],
            evidence=form.evidence_value(),
        ),
        _("The referral was sent. You can follow its status here."),
    )
    if referral is not None:
        return redirect("referrals:detail", pk=referral.pk)
    lines = list(_lines())
    checked = form["indications"].value() or []
    return render(
        request,
        "referrals/create.html",
        {
            "form": form,
            "client": client,
            "lines": [
                (line, [INDICATIONS[c] for c in line.indications if c in INDICATIONS]) for line in lines
            ],
            "suggestion": suggest(checked, lines) if checked else None,
        },
    )


@client_view
def triage_suggestion(request: HttpRequest) -> HttpResponse:
    """The suggestion for a set of indications (htmx partial on the referral form)."""
    checked = request.GET.getlist("indications")
    return render(request, "referrals/_suggestion.html", {"suggestion": suggest(checked, list(_lines()))})


@client_view
def my_referrals(request: HttpRequest) -> HttpResponse:
    """What my organisation referred, and where it stands now (the referrer's feedback loop)."""
    actor = Actor.from_request(request)
    referrals = (
        scope(actor, _referrals(actor))
        .filter(referring_organisation=actor.organisation)
        .select_related("trajectory", "trajectory__lead_organisation", "trajectory__type")
    )
    status = request.GET.get("status", "")
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    page = paginate(request, referrals.order_by("-created_at", "-pk"))
    positions = waiting_positions({r.line_id for r in page if r.status == ReferralStatus.WAITING})
    for referral in page:
        referral.position = positions.get(referral.pk)  # type: ignore[attr-defined]
    return render(
        request, "referrals/mine.html", {"page": page, "statuses": ReferralStatus.choices, "status": status}
    )


@role_view(Role.SCREENER, Role.COORDINATOR)
def inbox(request: HttpRequest) -> HttpResponse:
    """The screener's inbox: open referrals on the lines they screen, urgent and oldest first."""
    actor = Actor.from_request(request)
    lines = list(_screened_lines(actor))
    referrals = (
        scope(actor, _referrals(actor))
        .filter(line__in=lines, status__in=TRIAGE_STATUSES)
        .order_by("-urgency", "created_at", "pk")
    )
    page = paginate(request, referrals)
    all_lines = list(_lines())
    rows = [(r, suggest(r.indications, all_lines)) for r in page]
    return render(request, "referrals/inbox.html", {"page": page, "rows": rows, "lines": lines})


@role_view(Role.SCREENER, Role.COORDINATOR)
def waiting_lists(request: HttpRequest) -> HttpResponse:
    """Waiting list per line of my organisation, with monthly inflow and outflow."""
    actor = Actor.from_request(request)
    lines = list(ReferralLine.objects.filter(organisation=actor.organisation).order_by("name"))
    waiting = list(scope(actor, _referrals(actor)).filter(line__in=lines, status=ReferralStatus.WAITING))
    positions = waiting_positions(line.pk for line in lines)
    waiting.sort(key=lambda r: (r.line_id, positions.get(r.pk, 0)))
    flows = monthly_flow(lines)
    sections = [
        {
            "line": line,
            "waiting": [(r, positions.get(r.pk)) for r in waiting if r.line_id == line.pk],
            "flow": flows.get(line.pk, []),
        }
        for line in lines
    ]
    return render(request, "referrals/waiting.html", {"sections": sections})


def _detail_context(actor: Actor, referral: Referral) -> dict[str, Any]:
    triager = referral.status in TRIAGE_STATUSES and actions.can_triage(actor, referral.line)
    assignee = referral.status == ReferralStatus.ASSIGNED and referral.assigned_coach_id == actor.user.pk
    positions = waiting_positions([referral.line_id]) if referral.status == ReferralStatus.WAITING else {}
    context: dict[str, Any] = {
        "referral": referral,
        "events": referral.events.select_related("by", "organisation", "from_line", "to_line"),
        "indications": [INDICATIONS[c] for c in referral.indications if c in INDICATIONS],
        "position": positions.get(referral.pk),
        "trajectory": getattr(referral, "trajectory", None),
        "triager": triager,
        "assignee": assignee,
    }
    if triager:
        context.update(
            suggestion=suggest(referral.indications, list(_lines())),
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


def _decision(
    form_class: Callable[..., forms.Form],
    run: Callable[[Actor, Referral, forms.Form, dict[str, Any]], object],
    success: str,
    form_key: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """One POST view per triage decision, all alike: fetch through the accessor, validate, act."""

    @client_view
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        actor = Actor.from_request(request)
        referral = get_visible(actor, _referrals(actor), pk, audit_view=False)
        kwargs = {"coaches": actions.coaches_for(referral.line)} if form_class is AssignForm else {}
        form = form_class(request.POST, **kwargs)
        result = submit(request, form, lambda data: run(actor, referral, form, data), success)
        if result is None:
            referral.refresh_from_db()
            context = _detail_context(actor, referral)
            if form_key not in context:
                raise Http404
            context[form_key] = form
            context["open_form"] = form_key
            return render(request, "referrals/detail.html", context, status=400)
        if isinstance(result, Referral):
            if get_visible_or_none(actor, result) is None:
                return redirect("referrals:inbox")
            return redirect("referrals:detail", pk=result.pk)
        return redirect("trajectories:detail", pk=result.pk)  # type: ignore[attr-defined]

    return view


def get_visible_or_none(actor: Actor, referral: Referral) -> Referral | None:
    """After a redirect to another organisation's line the screener may no longer follow it."""
    return scope(actor, _referrals(actor)).filter(pk=referral.pk).first()


assign = _decision(
    AssignForm,
    lambda actor, referral, form, data: actions.assign_referral(
        actor, referral, coach=data["coach"], note=data["note"]
    ),
    _("The referral was assigned to the coach."),
    "assign_form",
)
redirect_to_line = _decision(
    RedirectForm,
    lambda actor, referral, form, data: actions.redirect_referral(
        actor,
        referral,
        line=data["line"],
        note=data["note"],
        evidence=form.evidence_value(),  # type: ignore[attr-defined]
    ),
    _("The referral was redirected to the other line."),
    "redirect_form",
)
waitlist = _decision(
    WaitlistForm,
    lambda actor, referral, form, data: actions.waitlist_referral(
        actor, referral, expected_start=data["expected_start"], note=data["note"]
    ),
    _("The referral is on the waiting list."),
    "waitlist_form",
)
case_team = _decision(
    RequiredNoteForm,
    lambda actor, referral, form, data: actions.send_to_case_team(actor, referral, note=data["note"]),
    _("The referral was sent to the case team."),
    "case_team_form",
)
decline = _decision(
    DeclineForm,
    lambda actor, referral, form, data: actions.decline_referral(
        actor, referral, reason=data["reason"], note=data["note"]
    ),
    _("The referral was declined."),
    "decline_form",
)
accept = _decision(
    AcceptForm,
    lambda actor, referral, form, data: trajectory_actions.accept_referral(
        actor, referral, trajectory_type=data["trajectory_type"]
    ),
    _("You accepted the referral: the trajectory has started."),
    "accept_form",
)
return_to_screener = _decision(
    RequiredNoteForm,
    lambda actor, referral, form, data: actions.return_referral(actor, referral, note=data["note"]),
    _("The referral went back to the screener."),
    "return_form",
)
