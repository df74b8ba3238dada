"""Feedback to the referrer (terugkoppeling) and the summary the client takes along.

Every object comes through clients.access: feedback through `scope()` / `get_visible()` on the rows the
actor's organisation received (or sent), so that withdrawing the file consent hides it at once;
trajectories through `get_visible()` on `Trajectory.objects.for_organisation()`. Every write goes
through exchange.actions, from action views (core.actionviews).
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.access import get_visible, scope, visible_notes
from werkbrug.core import audit, statements
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.audit import lists_clients
from werkbrug.core.downloads import download_name
from werkbrug.core.exceptions import DomainError
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
from werkbrug.trajectories.views import trajectory_crumbs

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
    # Built once per membership and day, run on every page (core.statements).
    key = statements.actor_key("unread feedback", actor)
    return {"unread_feedback": statements.count(key, lambda: _received(actor).filter(read_at__isnull=True))}


# --- the referrer's side ---------------------------------------------------------------------


@client_view
@lists_clients("feedback:inbox")
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
@lists_clients("feedback:sent")
def sent(request: HttpRequest) -> HttpResponse:
    """Feedback the actor's organisation sent, newest first."""
    actor = Actor.from_request(request)
    rows = (
        _sent(actor)
        .select_related("client", "sender", "recipient", "recipient_organisation")
        .order_by("-created_at", "-pk")
    )
    return render(request, "exchange/feedback_sent.html", {"page": paginate(request, rows)})


def _led(step: Step) -> Trajectory:
    """A trajectory the actor's organisation leads: only the lead writes feedback."""
    trajectory = _trajectory(step.actor, step.kwargs["pk"])
    if not trajectory_actions.is_lead(step.actor, trajectory):
        raise Http404
    return trajectory


def _feedback_page(step: Step) -> dict[str, Any]:
    """To whom the feedback goes; without the client's consent to feedback for the referring
    organisation, the reason instead of the form."""
    trajectory = step.target
    page = {
        "crumbs": trajectory_crumbs(trajectory),
        "back": reverse("trajectories:detail", args=[trajectory.pk]),
        "back_label": _("Back to the trajectory"),
    }
    try:
        target = actions.feedback_target(trajectory)
    except DomainError as exc:
        return page | {"problem": exc.message, "missing_consent": isinstance(exc, actions.NoFeedbackConsent)}
    if target.user is None:  # a care partner named without a contact person (an outreach path's)
        to_org = _("To %(org)s, the care partner of this trajectory. The client consented to this feedback.")
        return page | {"subject": to_org % {"org": target.organisation}}
    to = _("To %(person)s (%(org)s), who referred the client. The client consented to this feedback.")
    return page | {"subject": to % {"person": target.user, "org": target.organisation}}


feedback_create = action_view(
    policy=client_view,
    load=_led,
    form=FeedbackForm,
    run=lambda step, data: actions.send_feedback(step.actor, step.target, **data),
    success=_("The feedback was sent to the referrer."),
    done=lambda step, feedback: reverse("trajectories:detail", args=[step.target.pk]),
    title=_("Feedback to the referrer"),
    submit_label=_("Send the feedback"),
    intro=_(
        "Write only what the client agreed to pass on. The referrer reads it in Werkbrug; the e-mail "
        "they get only says that there is new feedback."
    ),
    template="exchange/feedback_form.html",
    context=_feedback_page,
    refused_status=200,
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
        download_name(str(_("summary")), f"{today:%Y-%m-%d}", extension="pdf"),
    )
