"""Trajectory pages: the file of one trajectory and its contacts, and the fetching that every
trajectory page shares.

Every object comes through clients.access (get_visible / scope) narrowed to the trajectories the
actor's organisation takes part in. The page's small forms post to the action pages of
trajectories.action_views; the lists (caseload, capacity, handover inbox) live in
trajectories.list_views.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.access import get_visible, get_visible_once, visible_notes
from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.core.paging import paginate
from werkbrug.core.policy import client_view
from werkbrug.core.statements import BOUND
from werkbrug.network.models import Role, User
from werkbrug.trajectories import actions, forms
from werkbrug.trajectories.models import (
    OUTREACH_ATTEMPTS_REQUIRED,
    Contact,
    ContactKind,
    Handover,
    HandoverStatus,
    LadderPosition,
    LadderRung,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
    TrajectoryStatus,
)
from werkbrug.trajectories.panels import trajectory_panels
from werkbrug.trajectories.provenance import past_view, with_arrival

CONTACTS_ON_DETAIL = 20
RECEIVER_ROLES = (Role.COACH, Role.COORDINATOR, Role.SCREENER)
M = TypeVar("M", bound=Model)


# --- fetching ---------------------------------------------------------------------------------


def trajectories_of(actor: Actor) -> QuerySet[Trajectory]:
    return Trajectory.objects.for_organisation(actor.organisation)


def get_trajectory(actor: Actor, pk: int, *, arrival: bool = False) -> Trajectory:
    """The trajectory, as `clients.access.get_visible` fetches it (404 unless the actor may see its
    client, through a trajectory the organisation takes part in; the view is audited). The statement
    is built once per membership and day, for every pk (`clients.access.get_visible_once`: it costs
    more to build than to run, and every trajectory page fetches its trajectory). With `arrival`,
    annotated with when the organisation came in (`trajectories.provenance.with_arrival`), in the
    same query."""

    def build() -> QuerySet[Trajectory]:
        trajectories = trajectories_of(actor).select_related("client", "type", "lead_organisation", "coach")
        return (
            with_arrival(trajectories, actor.organisation.pk if actor.organisation else None)
            if arrival
            else trajectories
        )

    return get_visible_once(actor, "trajectory", build, pk, key=arrival)


class _Rows:
    """The rows of one trajectory that its page shows, each list's statement built once per
    membership and day for every trajectory (core.statements; `key`: whatever else the statement
    depends on) and run on every page view. Each row gets the trajectory, read once."""

    def __init__(self, actor: Actor, trajectory: Trajectory) -> None:
        self.actor, self.trajectory = actor, trajectory

    def of(self, name: str, build: Callable[[], QuerySet[M]], key: Hashable = ()) -> list[M]:
        found = statements.objects(
            (*statements.actor_key(name, self.actor), key), build, bound=self.trajectory.pk
        )
        for row in found:
            row.trajectory = self.trajectory  # type: ignore[attr-defined]
        return found


def get_related(actor: Actor, queryset: QuerySet[Any], trajectory_pk: int, pk: int) -> Any:
    """A goal, outcome or handover of a trajectory the actor's organisation takes part in."""
    return get_visible(
        actor,
        queryset.filter(trajectory_id=trajectory_pk, trajectory__in=trajectories_of(actor)).select_related(
            "trajectory", "trajectory__client", "trajectory__lead_organisation"
        ),
        pk,
        client_path="trajectory__client",
    )


def coaches_of(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Role.COACH,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def default_coach(actor: Actor) -> int | None:
    """Who takes over an accepted handover unless the form says otherwise: the coach answering."""
    return actor.user.pk if actor.has_role(Role.COACH) else None


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


def trajectory_crumbs(trajectory: Trajectory) -> list[tuple[str, Any]]:
    """Where a page below a trajectory sits: the client's file, then the trajectory page."""
    return [
        (reverse("clients:detail", args=[trajectory.client_id]), trajectory.client),
        (reverse("trajectories:detail", args=[trajectory.pk]), trajectory.type),
    ]


@client_view
def trajectory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = get_trajectory(actor, pk, arrival=True)
    today = timezone.localdate()
    # Read through clients.access just now: the client's access is not asked again.
    lead = actions.is_lead(actor, trajectory, client_visible=True)
    contributor = lead or actions.is_contributor(actor, trajectory, client_visible=True)
    is_open = trajectory.is_open
    active = trajectory.status == TrajectoryStatus.ACTIVE

    # What happened before the organisation was handed the trajectory: as far as the client agreed
    # (trajectories.provenance).
    past = past_view(actor, trajectory)
    rows = _Rows(actor, trajectory)
    notes = (past.notes, actor.in_care_organisation)
    contacts = past.shown_contacts(
        rows.of(
            "trajectory contacts",
            lambda: past.contacts(
                visible_notes(
                    actor,
                    Contact.objects.select_related("recorded_by", "organisation").filter(trajectory_id=BOUND),
                )
            )[: CONTACTS_ON_DETAIL + 1],
            notes,
        )
    )
    ladder = rows.of("trajectory ladder", lambda: LadderPosition.objects.filter(trajectory_id=BOUND))
    goals = rows.of("trajectory goals", lambda: PlanGoal.objects.filter(trajectory_id=BOUND))
    outcomes = rows.of(
        "trajectory outcomes",
        lambda: past.outcomes(
            Outcome.objects.select_related("recorded_by", "organisation").filter(trajectory_id=BOUND)
        ),
        (past.history, past.came_in_at and past.came_in_at.date()),
    )
    handovers = past.handovers(
        rows.of(
            "trajectory handovers",
            lambda: Handover.objects.select_related(
                "from_organisation", "to_organisation", "new_type", "proposed_by", "decided_by"
            ).filter(trajectory_id=BOUND),
        )
    )
    pending = next((h for h in handovers if h.status == HandoverStatus.PROPOSED), None)
    can_answer = _can_answer(actor, pending)
    outreach_attempts = (
        len(
            rows.of(
                "trajectory outreach attempts",
                lambda: Contact.objects.filter(
                    trajectory_id=BOUND,
                    kind=ContactKind.OUTREACH_ATTEMPT,
                    on__gte=today - datetime.timedelta(days=60),
                ).only("pk"),
            )
        )
        if lead and is_open
        else None
    )
    partners = rows.of(
        "trajectory partners",
        lambda: past.partners(
            TrajectoryPartner.objects.select_related("organisation", "contact_person").filter(
                trajectory_id=BOUND
            )
        ),
        past.history,
    )
    events = rows.of(
        "trajectory events",
        lambda: TrajectoryEvent.objects.select_related("by", "organisation").filter(trajectory_id=BOUND),
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
        "partners": partners,
        "events": past.events(events),
        "past": past,
        "outreach_attempts": outreach_attempts,
        "outreach_required": OUTREACH_ATTEMPTS_REQUIRED,
        # The decision forms below carry the version the page showed (docs/conventions.md).
        # As actions.decision_version: the latest event (the list is in the order of time).
        "seen": str(events[-1].pk if events else 0),
    }
    # Forms that stay closed (in <details>) are not rendered: the page offers them, and opening one
    # loads it from its action page (core/_lazy_form.html). Open ones are rendered here.
    offer: dict[str, bool] = {}
    context["offer"] = offer
    if contributor:
        offer["ladder"] = True
        context["done_form"] = forms.GoalDoneForm()
        if is_open:
            context["quick_form"] = forms.QuickContactForm()
            offer["goal"] = True
    if lead:
        offer["outcome"] = True
        if active:
            context["phase_form"] = forms.PhaseForm(initial={"phase": trajectory.phase})
            offer["pause"] = True
        if is_open:
            offer["close"] = True
            offer["handover"] = pending is None
        else:
            context["reopen_form"] = forms.ReopenForm()
        offer["coach"] = actor.has_role(Role.COORDINATOR)
    if can_answer:
        context["accept_form"] = forms.AcceptHandoverForm(
            coaches=coaches_of(actor.org.pk), initial={"coach": default_coach(actor)}
        )
        context["decline_form"] = forms.DeclineHandoverForm()
    # Sections of the areas above (placements, employer contacts, …): trajectories.panels.
    context["panels"] = trajectory_panels(actor, trajectory, today)
    return render(request, "trajectories/detail.html", context)


@client_view
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    trajectory = get_trajectory(actor, pk, arrival=True)
    past = past_view(actor, trajectory)
    contacts = past.contacts(
        visible_notes(actor, trajectory.contacts.select_related("recorded_by", "organisation"))
    )
    page = paginate(request, contacts)
    page.object_list = past.shown_contacts(page.object_list)
    return render(
        request, "trajectories/contacts.html", {"trajectory": trajectory, "page": page, "past": past}
    )
