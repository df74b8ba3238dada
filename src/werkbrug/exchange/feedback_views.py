"""Feedback to the referrer (terugkoppeling) and the summary the client takes along.

Every object comes through core.access: feedback through `scope()` / `get_visible()` on the rows the
actor's organisation received (or sent), so that withdrawing the file consent hides it at once;
trajectories through `get_visible()` on `Trajectory.objects.for_organisation()`. Every write goes
through exchange.actions via core.forms.submit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.access import get_visible, scope, visible_notes
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import submit
from werkbrug.core.models import AuditAction
from werkbrug.core.paging import paginate
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import client_view
from werkbrug.exchange import actions
from werkbrug.exchange.feedback_forms import FeedbackForm
from werkbrug.exchange.models import Feedback
from werkbrug.network.models import Role
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import ContactKind, Trajectory

SUMMARY_CONTACTS = 5
SUMMARY_NEXT_STEPS = 3


# --- fetching ---------------------------------------------------------------------------------


def _received(actor: Actor) -> QuerySet[Feedback]:
    """Feedback the actor's organisation received, for clients it may (still) see."""
    return scope(
        actor, Feedback.objects.filter(recipient_organisation=actor.organisation), client_path="client"
    )


def _sent(actor: Actor) -> QuerySet[Feedback]:
    return scope(actor, Feedback.objects.filter(sender_organisation=actor.organisation), client_path="client")


def _trajectory(actor: Actor, pk: int, *, audit_view: bool = True) -> Trajectory:
    return get_visible(
        actor,
        Trajectory.objects.for_organisation(actor.organisation).select_related(
            "client",
            "type",
            "coach",
            "lead_organisation",
            "referral",
            "referral__referring_organisation",
            "referral__referred_by",
        ),
        pk,
        audit_view=audit_view,
    )


def unread_feedback_count(request: HttpRequest) -> dict[str, Any]:
    """Context processor for the nav badge. Runs no query at all unless the active membership is a
    care professional's; then one COUNT on the indexed (recipient_organisation, read_at) rows."""
    if not request.user.is_authenticated or not hasattr(request, "get_membership"):
        return {}
    actor = Actor.from_request(request)
    if not actor.has_role(Role.CARE_PROFESSIONAL):
        return {}
    return {"unread_feedback": _received(actor).filter(read_at__isnull=True).count()}


# --- the referrer's side ---------------------------------------------------------------------


@client_view
def inbox(request: HttpRequest) -> HttpResponse:
    """Feedback received by the actor's organisation: unread first, then newest first."""
    actor = Actor.from_request(request)
    received = _received(actor)
    unread = received.filter(read_at__isnull=True).count()
    rows = (
        received.select_related("client", "sender", "sender_organisation")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created_at", "-pk")
    )
    return render(
        request,
        "exchange/feedback_inbox.html",
        {"page": paginate(request, rows), "unread_feedback": unread},
    )


@client_view
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One feedback, for the receiving and the sending organisation. Opening it as the receiver
    marks it read."""
    actor = Actor.from_request(request)
    org = actor.organisation
    feedback = get_visible(
        actor,
        Feedback.objects.filter(Q(recipient_organisation=org) | Q(sender_organisation=org)).select_related(
            "client", "sender", "sender_organisation", "recipient", "recipient_organisation", "read_by"
        ),
        pk,
    )
    received = org is not None and feedback.recipient_organisation_id == org.pk
    if received and feedback.read_at is None:
        actions.mark_feedback_read(actor, feedback)
    return render(request, "exchange/feedback_detail.html", {"feedback": feedback, "received": received})


# --- the coach's side ------------------------------------------------------------------------


@client_view
def sent(request: HttpRequest) -> HttpResponse:
    """Feedback the actor's organisation sent, newest first."""
    actor = Actor.from_request(request)
    rows = (
        _sent(actor)
        .select_related("client", "sender", "recipient", "recipient_organisation")
        .order_by("-created_at", "-pk")
    )
    return render(request, "exchange/feedback_sent.html", {"page": paginate(request, rows)})


@client_view
def feedback_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead writes feedback to the referrer. Without the client's consent to feedback for the
    referring organisation the page explains why instead of offering the form."""
    actor = Actor.from_request(request)
    trajectory = _trajectory(actor, pk)
    if not trajectory_actions.is_lead(actor, trajectory):
        raise Http404
    target: actions.FeedbackTarget | None = None
    problem, missing_consent = "", False
    try:
        target = actions.feedback_target(trajectory)
    except DomainError as exc:
        problem, missing_consent = exc.message, isinstance(exc, actions.NoFeedbackConsent)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    feedback = submit(
        request,
        form,
        lambda data: actions.send_feedback(actor, trajectory, **data),
        _("The feedback was sent to the referrer."),
    )
    if feedback is not None:
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "exchange/feedback_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "target": target,
            "problem": problem,
            "missing_consent": missing_consent,
        },
    )


# --- the summary the client takes along -------------------------------------------------------


@client_view
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A written summary and action plan on A4, in the active language, for the client to take
    along after a conversation. Never any care-only content, whoever prints it: a care partner sees
    care notes on screen, but the paper goes home with the client."""
    actor = Actor.from_request(request)
    # The export is the audit event of this page; a refusal below is not a view.
    trajectory = _trajectory(actor, pk, audit_view=False)
    if not trajectory_actions.is_contributor(actor, trajectory):
        raise Http404
    today = timezone.localdate()
    goals = list(trajectory.goals.filter(done_on__isnull=True))
    contacts = list(
        visible_notes(actor, trajectory.contacts.all())
        .filter(care_only=False)
        .exclude(kind=ContactKind.OUTREACH_ATTEMPT)
        .order_by("-on", "-pk")[:SUMMARY_CONTACTS]
    )
    # What comes first: the open goals with the earliest due dates (the plan is ordered that way).
    next_steps = [g for g in goals if g.due_on is not None][:SUMMARY_NEXT_STEPS]
    audit.record(
        actor,
        AuditAction.EXPORT,
        trajectory,
        client_id=trajectory.client_id,
        summary="summary and action plan for the client (PDF)",
    )
    return pdf_response(
        "exchange/pdf_summary.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "today": today,
            "goals": goals,
            "contacts": contacts,
            "next_steps": next_steps,
        },
        request,
        f"werkbrug-summary-{today:%Y-%m-%d}.pdf",
    )
