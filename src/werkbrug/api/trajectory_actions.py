"""The decisions on a trajectory through the API, as on the trajectory page
(trajectories.action_views): phase, pause, resume, close, re-open, change the coach, verify an
outcome, the participation ladder and the plan.

Every trajectory, outcome and goal is fetched as the page fetches it (trajectories.views): anyone
whose organisation does not take part, or who may not see the client, gets 404. The input is
checked by the page's own form, then by the action: only the lead organisation's coach or
coordinator decides (400 otherwise), and a decision the fresh row refuses (another person's came
first) is a 400 that says who changed the trajectory last and when.
"""

import functools
from typing import Any

from django.db.models.manager import BaseManager
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router

from werkbrug.api.action_schemas import (
    CloseIn,
    CoachIn,
    GoalDoneIn,
    GoalIn,
    GoalOut,
    LadderIn,
    LadderOut,
    PauseIn,
    PhaseIn,
    ReopenIn,
    VerifyIn,
)
from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.decisions import decide
from werkbrug.api.pagination import page
from werkbrug.api.schemas import (
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    OutcomeOut,
    Page,
    Paging,
    TrajectoryId,
    TrajectoryOut,
)
from werkbrug.trajectories import actions
from werkbrug.trajectories.forms import (
    CloseForm,
    CoachForm,
    GoalDoneForm,
    GoalForm,
    LadderForm,
    PauseForm,
    PhaseForm,
    ReopenForm,
    VerifyOutcomeForm,
)
from werkbrug.trajectories.models import Outcome, PlanGoal
from werkbrug.trajectories.views import get_related, get_trajectory

router = Router(tags=["trajectories"])

PartId = Path(..., ge=1, le=MAX_ID)
DECISION = {200: TrajectoryOut, **WRITE_ERRORS}

trajectory_decision = functools.partial(decide, load=get_trajectory)


def part_decision(
    request: HttpRequest, trajectory_id: int, pk: int, rows: BaseManager[Any], **how: Any
) -> Any:
    """A decision on an outcome or goal of a trajectory, loaded as the page loads it (404 unless
    visible); `how` as for decide."""
    return decide(
        request, trajectory_id, pk, load=lambda actor, *ids: get_related(actor, rows.all(), *ids), **how
    )


@router.post("/{trajectory_id}/phase", response=DECISION)
@api_policy(CLIENT_DATA)
def change_phase(request: HttpRequest, payload: PhaseIn, trajectory_id: int = TrajectoryId) -> Any:
    """Move an active trajectory to another phase."""
    return trajectory_decision(
        request, trajectory_id, form=PhaseForm({"phase": payload.phase}), action=actions.set_phase
    )


@router.post("/{trajectory_id}/pause", response=DECISION)
@api_policy(CLIENT_DATA)
def pause_trajectory(request: HttpRequest, payload: PauseIn, trajectory_id: int = TrajectoryId) -> Any:
    """Pause an active trajectory, saying why."""
    return trajectory_decision(
        request, trajectory_id, form=PauseForm({"reason": payload.reason}), action=actions.pause_trajectory
    )


@router.post("/{trajectory_id}/resume", response=DECISION)
@api_policy(CLIENT_DATA)
def resume_trajectory(request: HttpRequest, trajectory_id: int = TrajectoryId) -> Any:
    """Make a paused trajectory active again."""
    return trajectory_decision(request, trajectory_id, action=actions.resume_trajectory)


@router.post("/{trajectory_id}/close", response=DECISION)
@api_policy(CLIENT_DATA)
def close_trajectory(request: HttpRequest, payload: CloseIn, trajectory_id: int = TrajectoryId) -> Any:
    """Close the trajectory with a reason, on a day (default today) that is neither in the future
    nor before the start. Closing for lost contact needs documented outreach attempts."""
    form = CloseForm({"reason": payload.reason or "", "note": payload.note, "on": payload.on})
    return trajectory_decision(request, trajectory_id, form=form, action=actions.close_trajectory)


@router.post("/{trajectory_id}/reopen", response=DECISION)
@api_policy(CLIENT_DATA)
def reopen_trajectory(request: HttpRequest, payload: ReopenIn, trajectory_id: int = TrajectoryId) -> Any:
    """Re-open a closed trajectory."""
    return trajectory_decision(
        request, trajectory_id, form=ReopenForm({"note": payload.note}), action=actions.reopen_trajectory
    )


@router.post("/{trajectory_id}/coach", response=DECISION)
@api_policy(CLIENT_DATA)
def change_coach(request: HttpRequest, payload: CoachIn, trajectory_id: int = TrajectoryId) -> Any:
    """Give the trajectory to another coach of the lead organisation."""
    return trajectory_decision(
        request,
        trajectory_id,
        form=lambda trajectory: CoachForm({"coach": payload.coach_id}, trajectory=trajectory),
        api_names={"coach": "coach_id"},
        action=actions.change_coach,
    )


@router.post("/{trajectory_id}/outcomes/{outcome_id}/verify", response={200: OutcomeOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def verify_outcome(
    request: HttpRequest, payload: VerifyIn, trajectory_id: int = TrajectoryId, outcome_id: int = PartId
) -> Any:
    """Verify an estimated outcome on a day that is not in the future; paid work from three months
    after it started (`verify_due_on`)."""
    form = VerifyOutcomeForm({"on": payload.on})
    return part_decision(
        request, trajectory_id, outcome_id, Outcome.objects, form=form, action=actions.verify_outcome
    )


# --- participation ladder and plan ----------------------------------------------------------------


@router.get("/{trajectory_id}/ladder", response={200: Page[LadderOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_ladder(request: HttpRequest, paging: Query[Paging], trajectory_id: int = TrajectoryId) -> Any:
    """Positions on the participation ladder, oldest first."""
    trajectory = get_trajectory(actor_of(request), trajectory_id)
    return page(trajectory.ladder.select_related("recorded_by").order_by("on", "pk"), paging)


@router.post("/{trajectory_id}/ladder", response={201: LadderOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_ladder_position(request: HttpRequest, payload: LadderIn, trajectory_id: int = TrajectoryId) -> Any:
    form = LadderForm({"rung": payload.rung, "on": payload.on})
    return trajectory_decision(request, trajectory_id, form=form, action=actions.record_ladder, status=201)


@router.get("/{trajectory_id}/goals", response={200: Page[GoalOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_goals(request: HttpRequest, paging: Query[Paging], trajectory_id: int = TrajectoryId) -> Any:
    """The plan's goals: open ones first, by due date."""
    trajectory = get_trajectory(actor_of(request), trajectory_id)
    # The model's ordering, as on the page: open goals first, by due date, pk last.
    return page(trajectory.goals.select_related("created_by"), paging)


@router.post("/{trajectory_id}/goals", response={201: GoalOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_goal(request: HttpRequest, payload: GoalIn, trajectory_id: int = TrajectoryId) -> Any:
    form = GoalForm({"goal": payload.goal, "due_on": payload.due_on})
    return trajectory_decision(request, trajectory_id, form=form, action=actions.add_goal, status=201)


@router.post("/{trajectory_id}/goals/{goal_id}/done", response={200: GoalOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def complete_goal(
    request: HttpRequest, payload: GoalDoneIn, trajectory_id: int = TrajectoryId, goal_id: int = PartId
) -> Any:
    """Mark a goal done, on a day (default today) that is not in the future."""
    return part_decision(
        request,
        trajectory_id,
        goal_id,
        PlanGoal.objects,
        form=GoalDoneForm({"on": payload.on}),
        action=lambda actor, goal, on: actions.complete_goal(actor, goal, on=on or timezone.localdate()),
    )
