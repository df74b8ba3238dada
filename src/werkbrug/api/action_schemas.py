"""Typed input and output of the decisions the API takes as the pages do: triage of referrals,
the trajectory's status, coach and phase, handovers, the plan and the participation ladder, and the
read-only reference lists. Each input is checked again by the page's own form (api.forms.clean_with)
and then by the action, so the API accepts exactly what the page accepts. No `from __future__
import annotations` here: ninja resolves annotations at import.
"""

import datetime
from typing import Any

from ninja import Field, Schema

from werkbrug.api.schemas import (
    Date,
    EvidenceIn,
    Id,
    OrganisationRef,
    PastCategory,
    TrajectoryTypeRef,
    UserRef,
    text,
)
from werkbrug.referrals.models import DeclineReason
from werkbrug.trajectories.models import CloseReason, LadderRung, Phase

# --- reference lists ------------------------------------------------------------------------------


class SubRegionOut(Schema):
    id: int
    name: str


class TrajectoryTypeOut(Schema):
    code: str
    name: str
    capacity_per_fte: int


class CoachOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


# --- referral triage ------------------------------------------------------------------------------


class NoteIn(Schema):
    note: text(1000) = ""  # type: ignore[valid-type]


class RequiredNoteIn(Schema):
    note: text(1000) = Field("", description="Required: the page asks for it too.")  # type: ignore[valid-type]


class AssignIn(NoteIn):
    coach_id: Id = Field(..., description="A coach of the line's organisation (GET /api/coaches).")


class RedirectIn(NoteIn):
    line_id: Id
    evidence: EvidenceIn = Field(
        ..., description="How the client agreed that the referral goes to the new line's organisation."
    )


class WaitlistIn(NoteIn):
    expected_start: Date | None = Field(None, description="Not in the past.")


class DeclineIn(NoteIn):
    reason: DeclineReason


class AcceptReferralIn(Schema):
    trajectory_type: text(30) | None = Field(  # type: ignore[valid-type]
        None, description="A trajectory type code (GET /api/trajectory-types); default: the line's."
    )
    started_on: Date | None = Field(
        None, description="When the trajectory started; default today, not later."
    )


# --- the trajectory's status, phase and coach -----------------------------------------------------


class PhaseIn(Schema):
    phase: Phase


class PauseIn(Schema):
    reason: text(500) = ""  # type: ignore[valid-type]


class CloseIn(Schema):
    reason: CloseReason | None = None
    note: text(1000) = Field("", description="Required for the reason `other`.")  # type: ignore[valid-type]
    on: Date | None = Field(
        None, description="Closed on; default today. Not in the future, not before the start."
    )


class ReopenIn(NoteIn):
    pass


class CoachIn(Schema):
    coach_id: Id = Field(..., description="A coach of the lead organisation (GET /api/coaches).")


class VerifyIn(Schema):
    on: Date = Field(
        ..., description="Verified on: not in the future; paid work three months after it started."
    )


# --- handovers ------------------------------------------------------------------------------------


class HandoverIn(Schema):
    to_organisation_id: Id
    new_type: text(30) = Field(..., description="A trajectory type code.")  # type: ignore[valid-type]
    note: text(2000) = ""  # type: ignore[valid-type]
    evidence: EvidenceIn = Field(..., description="How the client agreed to share the file with them.")
    share: list[PastCategory] = Field(
        default_factory=list,
        max_length=2,
        description="What about the past the client agreed to pass on: `history` (earlier trajectories "
        "and organisations) and/or `notes` (other organisations' contact notes). Default none; for "
        "VDAB leave it empty. Identity and the current trajectory always go along.",
    )


class AcceptHandoverIn(Schema):
    coach_id: Id | None = Field(
        None, description="The coach who takes over; default the coach whose token answers."
    )


class DeclineHandoverIn(Schema):
    reason: text(1000) = ""  # type: ignore[valid-type]


class HandoverOut(Schema):
    id: int
    trajectory_id: int
    from_organisation: OrganisationRef
    to_organisation: OrganisationRef
    new_type: TrajectoryTypeRef
    note: str
    status: str
    proposed_by: UserRef
    proposed_at: datetime.datetime
    decided_by: UserRef | None
    decided_at: datetime.datetime | None
    decision_note: str


# --- plan and participation ladder ----------------------------------------------------------------


class LadderIn(Schema):
    rung: LadderRung
    on: Date


class LadderOut(Schema):
    id: int
    rung: int
    on: datetime.date
    recorded_by: UserRef


class GoalIn(Schema):
    goal: text(300) = ""  # type: ignore[valid-type]
    due_on: Date | None = None


class GoalDoneIn(Schema):
    on: Date | None = Field(None, description="Done on; default today.")


class GoalOut(Schema):
    id: int
    goal: str
    due_on: datetime.date | None
    done_on: datetime.date | None
    created_by: UserRef
    created_at: datetime.datetime
