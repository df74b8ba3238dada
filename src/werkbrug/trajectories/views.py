"""Trajectory pages: the file of one trajectory and its actions, the coach's caseload, the
coordinator's capacity view and the handover inbox.

Every object comes through core.access (get_visible / scope) narrowed to the trajectories the
actor's organisation takes part in; every write goes through trajectories.actions via
core.forms.submit. Each action has its own page: the trajectory page posts its small forms there, and
when the input is refused the action page shows the form again with the message.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core.access import get_visible, scope, visible_notes
from werkbrug.core.actor import Actor
from werkbrug.core.forms import form_data, submit
from werkbrug.core.paging import PAGE_SIZE, paginate
from werkbrug.core.policy import client_view, role_view
from werkbrug.network.models import Membership, Role, User
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.trajectories import actions, quick_entry
from werkbrug.trajectories.capacity import coach_capacities
from werkbrug.trajectories.forms import (
    AcceptHandoverForm,
    CloseForm,
    CoachForm,
    ContactForm,
    DeclineHandoverForm,
    GoalDoneForm,
    GoalForm,
    HandoverForm,
    LadderForm,
    OutcomeForm,
    PauseForm,
    PhaseForm,
    QuickContactForm,
    ReopenForm,
    VerifyOutcomeForm,
)
from werkbrug.trajectories.models import (
    OUTREACH_ATTEMPTS_REQUIRED,
    Certainty,
    ContactKind,
    Handover,
    HandoverStatus,
    LadderPosition,
    LadderRung,
    Outcome,
    OutcomeKind,
    PlanGoal,
    Trajectory,
    TrajectoryStatus,
    TrajectoryType,
)

CONTACTS_ON_DETAIL = 20
RECEIVER_ROLES = (Role.COACH, Role.COORDINATOR, Role.SCREENER)


# --- fetching ---------------------------------------------------------------------------------


def _trajectories(actor: Actor) -> QuerySet[Trajectory]:
    return Trajectory.objects.for_organisation(actor.organisation)


def _get_trajectory(actor: Actor, pk: int) -> Trajectory:
    return get_visible(
        actor,
        _trajectories(actor).select_related("client", "type", "lead_organisation", "coach"),
        pk,
    )


def _get_related(actor: Actor, queryset: QuerySet[Any], trajectory_pk: int, pk: int) -> Any:
    """A goal, outcome or handover of a trajectory the actor's organisation takes part in."""
    return get_visible(
        actor,
        queryset.filter(trajectory_id=trajectory_pk, trajectory__in=_trajectories(actor)).select_related(
            "trajectory", "trajectory__client", "trajectory__lead_organisation"
        ),
        pk,
        client_path="trajectory__client",
    )


def _handovers() -> QuerySet[Handover]:
    return Handover.objects.select_related("from_organisation", "to_organisation")


def _coaches_of(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Role.COACH,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _can_answer(actor: Actor, handover: Handover | None) -> bool:
    return (
        handover is not None
        and handover.status == HandoverStatus.PROPOSED
        and actor.organisation is not None
        and actor.organisation.pk == handover.to_organisation_id
        and actor.has_role(*RECEIVER_ROLES)
    )


# --- the participation ladder as a small server-side SVG chart -----------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    on: datetime.date
    rung: int
    label: str


@dataclass(frozen=True)
class LadderChart:
    width: int
    height: int
    left: int
    right: float
    bottom: float
    points: str
    dots: list[ChartPoint]
    rungs: list[tuple[int, float]]
    first: datetime.date
    last: datetime.date


def ladder_chart(
    positions: Sequence[LadderPosition], width: int = 600, height: int = 200
) -> LadderChart | None:
    """Coordinates for an SVG line chart of the rungs over time. Computed here so the page needs no
    script (CSP) and the chart also prints."""
    if not positions:
        return None
    left, right_margin, top, bottom_margin = 36, 16, 12, 28
    plot_width, plot_height = width - left - right_margin, height - top - bottom_margin
    first, last = positions[0].on, positions[-1].on
    span = (last - first).days

    def x(day: datetime.date) -> float:
        return left + (plot_width * (day - first).days / span if span else plot_width / 2)

    def y(rung: int) -> float:
        return top + plot_height * (6 - rung) / 5

    dots = [
        ChartPoint(round(x(p.on), 1), round(y(p.rung), 1), p.on, p.rung, str(LadderRung(p.rung).label))
        for p in positions
    ]
    return LadderChart(
        width=width,
        height=height,
        left=left,
        right=left + plot_width,
        bottom=top + plot_height,
        points=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        rungs=[(rung, round(y(rung), 1)) for rung in range(1, 7)],
        first=first,
        last=last,
    )


# --- the trajectory page ---------------------------------------------------------------------


@client_view
def trajectory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    today = timezone.localdate()
    lead = actions.is_lead(actor, trajectory)
    contributor = lead or actions.is_contributor(actor, trajectory)
    is_open = trajectory.is_open
    active = trajectory.status == TrajectoryStatus.ACTIVE

    contacts = list(
        visible_notes(actor, trajectory.contacts.select_related("recorded_by", "organisation"))[
            : CONTACTS_ON_DETAIL + 1
        ]
    )
    ladder = list(trajectory.ladder.all())
    goals = list(trajectory.goals.all())
    outcomes = list(trajectory.outcomes.select_related("recorded_by", "organisation"))
    handovers = list(
        trajectory.handovers.select_related(
            "from_organisation", "to_organisation", "new_type", "proposed_by", "decided_by"
        )
    )
    pending = next((h for h in handovers if h.status == HandoverStatus.PROPOSED), None)
    can_answer = _can_answer(actor, pending)
    outreach_attempts = (
        trajectory.contacts.filter(
            kind=ContactKind.OUTREACH_ATTEMPT, on__gte=today - datetime.timedelta(days=60)
        ).count()
        if lead and is_open
        else None
    )

    context: dict[str, Any] = {
        "trajectory": trajectory,
        "today": today,
        "lead": lead,
        "contributor": contributor,
        "contacts": contacts[:CONTACTS_ON_DETAIL],
        "more_contacts": len(contacts) > CONTACTS_ON_DETAIL,
        "ladder": ladder,
        "chart": ladder_chart(ladder),
        "goals": goals,
        "outcomes": outcomes,
        "handovers": handovers,
        "pending": pending,
        "can_answer": can_answer,
        "partners": trajectory.partners.select_related("organisation", "contact_person"),
        "events": trajectory.events.select_related("by", "organisation"),
        "outreach_attempts": outreach_attempts,
        "outreach_required": OUTREACH_ATTEMPTS_REQUIRED,
    }
    if contributor:
        context["ladder_form"] = LadderForm()
        context["done_form"] = GoalDoneForm()
        if is_open:
            context["quick_form"] = QuickContactForm()
            context["contact_form"] = ContactForm(care=actor.in_care_organisation)
            context["goal_form"] = GoalForm()
    if lead:
        context["outcome_form"] = OutcomeForm()
        if active:
            context["phase_form"] = PhaseForm(initial={"phase": trajectory.phase})
            context["pause_form"] = PauseForm()
        if is_open:
            context["close_form"] = CloseForm()
            if pending is None:
                context["handover_form"] = HandoverForm(
                    trajectory=trajectory, initial={"evidence": "signed_form"}
                )
        else:
            context["reopen_form"] = ReopenForm()
        if actor.has_role(Role.COORDINATOR):
            context["coach_form"] = CoachForm(trajectory=trajectory)
    if can_answer:
        context["accept_form"] = AcceptHandoverForm(
            coaches=_coaches_of(actor.org.pk),
            initial={"coach": actor.user.pk if actor.has_role(Role.COACH) else None},
        )
        context["decline_form"] = DeclineHandoverForm()
    return render(request, "trajectories/detail.html", context)


@client_view
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    contacts = visible_notes(actor, trajectory.contacts.select_related("recorded_by", "organisation"))
    page = paginate(request, contacts)
    return render(request, "trajectories/contacts.html", {"trajectory": trajectory, "page": page})


# --- action pages ----------------------------------------------------------------------------


def _action(
    request: HttpRequest,
    trajectory: Trajectory,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], object],
    *,
    success: str,
    title: str,
    submit_label: str,
    anchor: str = "",
    intro: str = "",
    confirm: str = "",
    done: Callable[[object], HttpResponse] | None = None,
) -> HttpResponse:
    """The one action pattern (docs/conventions.md) shared by the small forms of the page."""
    result = submit(request, form, run, success)
    if result is not None:
        if done is not None:
            return done(result)
        return redirect(reverse("trajectories:detail", kwargs={"pk": trajectory.pk}) + anchor)
    return render(
        request,
        "trajectories/form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "intro": intro,
            "confirm": confirm,
        },
    )


@client_view
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = ContactForm(form_data(request), care=actor.in_care_organisation)
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.record_contact(actor, trajectory, **data),
        success=_("The contact was recorded."),
        title=_("Record a contact"),
        submit_label=_("Record"),
        anchor="#contacts",
    )


@client_view
def quick_contact(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = QuickContactForm(form_data(request))
    success = _("The contact was recorded.")
    if request.method == "POST" and form.is_valid() and form.parsed is not None:
        success = _("The contact was recorded: %(what)s.") % {"what": quick_entry.describe(form.parsed)}

    return _action(
        request,
        trajectory,
        form,
        # form.parsed is set by the form's validation, which submit() runs first.
        lambda data: actions.record_contact(actor, trajectory, **form.parsed.as_kwargs()),  # type: ignore[union-attr]
        success=success,
        title=_("Quick entry"),
        submit_label=_("Record"),
        anchor="#contacts",
    )


@client_view
def phase_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = PhaseForm(form_data(request), initial={"phase": trajectory.phase})
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.set_phase(actor, trajectory, data["phase"]),
        success=_("The phase was changed."),
        title=_("Change the phase"),
        submit_label=_("Change"),
    )


@client_view
def ladder_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = LadderForm(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.record_ladder(actor, trajectory, rung=data["rung"], on=data["on"]),
        success=_("The position on the participation ladder was recorded."),
        title=_("Participation ladder"),
        submit_label=_("Record"),
        anchor="#ladder",
    )


@client_view
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = GoalForm(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.add_goal(actor, trajectory, goal=data["goal"], due_on=data["due_on"]),
        success=_("The goal was added to the plan."),
        title=_("Add a goal to the plan"),
        submit_label=_("Add"),
        anchor="#plan",
    )


@client_view
def goal_done(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    goal = _get_related(actor, PlanGoal.objects.all(), pk, goal_pk)
    form = GoalDoneForm(form_data(request))
    return _action(
        request,
        goal.trajectory,
        form,
        lambda data: actions.complete_goal(actor, goal, on=data["on"] or timezone.localdate()),
        success=_("The goal is done."),
        title=_("Mark “%(goal)s” done") % {"goal": goal.goal},
        submit_label=_("Done"),
        anchor="#plan",
    )


@client_view
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = OutcomeForm(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.record_outcome(actor, trajectory, **data),
        success=_("The outcome was recorded."),
        title=_("Record an outcome"),
        submit_label=_("Record"),
        anchor="#outcomes",
    )


@client_view
def outcome_verify(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    outcome = _get_related(actor, Outcome.objects.all(), pk, outcome_pk)
    form = VerifyOutcomeForm(form_data(request))
    return _action(
        request,
        outcome.trajectory,
        form,
        lambda data: actions.verify_outcome(actor, outcome, on=data["on"]),
        success=_("The outcome is verified."),
        title=_("Verify: %(outcome)s") % {"outcome": outcome},
        submit_label=_("Verify"),
        anchor="#outcomes",
    )


@client_view
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = PauseForm(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.pause_trajectory(actor, trajectory, reason=data["reason"]),
        success=_("The trajectory is paused."),
        title=_("Pause the trajectory"),
        submit_label=_("Pause"),
    )


@client_view
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = forms.Form(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.resume_trajectory(actor, trajectory),
        success=_("The trajectory is active again."),
        title=_("Resume the trajectory"),
        submit_label=_("Resume"),
    )


@client_view
def close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = CloseForm(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.close_trajectory(
            actor, trajectory, reason=data["reason"], note=data["note"], on=data["on"]
        ),
        success=_("The trajectory is closed."),
        title=_("Close the trajectory"),
        submit_label=_("Close"),
        confirm=_("Close this trajectory?"),
    )


@client_view
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = ReopenForm(form_data(request))
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.reopen_trajectory(actor, trajectory, note=data["note"]),
        success=_("The trajectory is re-opened."),
        title=_("Re-open the trajectory"),
        submit_label=_("Re-open"),
    )


@client_view
def coach_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = CoachForm(form_data(request), trajectory=trajectory)
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.change_coach(actor, trajectory, coach=data["coach"]),
        success=_("The coach was changed."),
        title=_("Change the coach"),
        submit_label=_("Change"),
    )


@client_view
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = _get_trajectory(actor, pk)
    form = HandoverForm(form_data(request), trajectory=trajectory, initial={"evidence": "signed_form"})
    return _action(
        request,
        trajectory,
        form,
        lambda data: actions.propose_handover(
            actor,
            trajectory,
            to_organisation=data["to_organisation"],
            new_type=data["new_type"],
            note=data["note"],
            evidence=form.evidence_value(),
        ),
        success=_("The handover was proposed. The receiving organisation can now read the file to decide."),
        title=_("Propose a handover"),
        submit_label=_("Propose"),
        anchor="#handover",
        intro=_(
            "A warm handover: the receiving organisation sees this file, with the client's consent, "
            "to decide. Until it accepts, your organisation stays the lead."
        ),
    )


@client_view
def handover_withdraw(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    handover = _get_related(actor, _handovers(), pk, handover_pk)
    form = forms.Form(form_data(request))
    return _action(
        request,
        handover.trajectory,
        form,
        lambda data: actions.withdraw_handover(actor, handover),
        success=_("The handover proposal was withdrawn."),
        title=_("Withdraw the handover to %(org)s") % {"org": handover.to_organisation},
        submit_label=_("Withdraw"),
        anchor="#handover",
    )


@client_view
def handover_accept(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    handover = _get_related(actor, _handovers(), pk, handover_pk)
    form = AcceptHandoverForm(
        form_data(request),
        coaches=_coaches_of(handover.to_organisation_id),
        initial={"coach": actor.user.pk if actor.has_role(Role.COACH) else None},
    )
    return _action(
        request,
        handover.trajectory,
        form,
        lambda data: actions.accept_handover(actor, handover, coach=data["coach"]),
        success=_("You took over the trajectory."),
        title=_("Accept the handover from %(org)s") % {"org": handover.from_organisation},
        submit_label=_("Accept"),
        intro=handover.note,
    )


@client_view
def handover_decline(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    handover = _get_related(actor, _handovers(), pk, handover_pk)
    form = DeclineHandoverForm(form_data(request))
    return _action(
        request,
        handover.trajectory,
        form,
        lambda data: actions.decline_handover(actor, handover, reason=data["reason"]),
        success=_("The handover was declined; the current lead keeps the trajectory."),
        title=_("Decline the handover from %(org)s") % {"org": handover.from_organisation},
        submit_label=_("Decline"),
        intro=handover.note,
        done=lambda result: redirect("trajectories:handovers"),
    )


# --- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    trajectory: Trajectory
    weeks_unseen: int
    not_seen: bool
    never_seen: bool
    overdue: bool


def _caseload_rows(trajectories: Sequence[Trajectory], today: datetime.date) -> list[CaseloadRow]:
    """'Nobody falls through the cracks' (BRIEF §3E): flag active trajectories without a contact for
    NOT_SEEN_WEEKS weeks (counted from the start when there was no contact yet)."""
    threshold = int(getattr(settings, "NOT_SEEN_WEEKS", 4))
    rows = []
    for t in trajectories:
        since = t.last_contact_on or t.started_on
        weeks = max((today - since).days // 7, 0)
        next_due = getattr(t, "next_goal_due", None)
        rows.append(
            CaseloadRow(
                trajectory=t,
                weeks_unseen=weeks,
                not_seen=t.status == TrajectoryStatus.ACTIVE and weeks >= threshold,
                never_seen=t.last_contact_on is None,
                overdue=next_due is not None and next_due < today,
            )
        )
    return rows


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
        .select_related("client", "type")
        .only(*CASELOAD_FIELDS)
        .order_by("client__last_name", "client__first_name", "pk")
    )


@client_view
def caseload(request: HttpRequest) -> HttpResponse:
    """The coach's start page."""
    actor = Actor.from_request(request)
    org = actor.organisation
    today = timezone.localdate()
    page = paginate(request, _caseload_queryset(actor, coach=actor.user, lead_organisation=org))
    referrals = scope(
        actor,
        Referral.objects.for_organisation(org).filter(
            status=ReferralStatus.ASSIGNED, assigned_coach=actor.user
        ),
    ).select_related("client", "line", "referring_organisation")
    to_verify = scope(
        actor,
        Outcome.objects.filter(
            kind=OutcomeKind.PAID_WORK,
            certainty=Certainty.ESTIMATED,
            verify_due_on__lte=today,
            trajectory__coach=actor.user,
            trajectory__lead_organisation=org,
        ),
        client_path="trajectory__client",
    ).select_related("trajectory__client")
    return render(
        request,
        "trajectories/caseload.html",
        {
            "page": page,
            "rows": _caseload_rows(list(page), today),
            "not_seen_weeks": int(getattr(settings, "NOT_SEEN_WEEKS", 4)),
            "referrals": list(referrals.order_by("created_at", "pk")[:PAGE_SIZE]),
            "to_verify": list(to_verify.order_by("verify_due_on", "pk")[:PAGE_SIZE]),
        },
    )


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
    counts = list(
        scope(actor, Trajectory.objects.filter(lead_organisation=org).open())
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
    return render(
        request,
        "trajectories/capacity.html",
        {
            "coaches": coaches,
            "others": others if (others.active or others.paused) else None,
            "type_rows": type_rows,
            "total_active": sum(c.active for c in coaches) + others.active,
            "total_capacity": sum(c.capacity or 0 for c in coaches),
        },
    )


@role_view(Role.COORDINATOR)
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
    page = paginate(
        request, _caseload_queryset(actor, coach_id=user_pk, lead_organisation=actor.organisation)
    )
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


@client_view
def handovers(request: HttpRequest) -> HttpResponse:
    """Incoming proposals to answer, and what the organisation proposed to others."""
    actor = Actor.from_request(request)
    org = actor.organisation
    related = ("trajectory__client", "trajectory__type", "from_organisation", "to_organisation", "new_type")
    incoming = paginate(
        request,
        scope(
            actor,
            Handover.objects.filter(to_organisation=org, status=HandoverStatus.PROPOSED),
            client_path="trajectory__client",
        )
        .select_related(*related, "proposed_by")
        .order_by("proposed_at", "pk"),
    )
    may_answer = actor.has_role(*RECEIVER_ROLES)
    coaches = _coaches_of(org.pk) if org is not None and may_answer and incoming.object_list else []
    default_coach = actor.user.pk if actor.has_role(Role.COACH) else None
    rows = [
        (
            h,
            AcceptHandoverForm(coaches=coaches, initial={"coach": default_coach}, auto_id=f"accept{h.pk}-%s"),
            DeclineHandoverForm(auto_id=f"decline{h.pk}-%s"),
        )
        for h in incoming
    ]
    outgoing = scope(
        actor, Handover.objects.filter(from_organisation=org), client_path="trajectory__client"
    ).select_related(*related, "proposed_by", "decided_by")[:PAGE_SIZE]
    return render(
        request,
        "trajectories/handovers.html",
        {"page": incoming, "rows": rows, "may_answer": may_answer, "outgoing": list(outgoing)},
    )
