"""Work-care agreements through the API, as on the pages (workcare.action_views): list, record a
draft, sign. Every trajectory and agreement is fetched as the pages fetch it (workcare.access:
clients.access, then the work-care team of the lead organisation), so anyone else gets 404. The
input is checked by the page's own form, then by the action: an agreement missing any of the
decree's seven elements cannot be signed (400). No `from __future__ import annotations` here:
ninja resolves annotations at import."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema

from werkbrug.api.auth import CLIENT_DATA, actor_of, api_policy
from werkbrug.api.decisions import decide
from werkbrug.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS, Date, Id, TrajectoryId, text
from werkbrug.workcare import actions
from werkbrug.workcare.access import get_agreement, team_trajectory, visible_workshops
from werkbrug.workcare.forms import AgreementForm, SignForm
from werkbrug.workcare.models import Aim, Form

router = Router(tags=["work-care"])

AgreementId = Path(..., ge=1, le=MAX_ID)


class AgreementIn(Schema):
    workshop_id: Id
    form: Form
    aim: Aim
    starts_on: Date
    ends_on: Date | None = None
    time_commitment: text(2000) = ""  # type: ignore[valid-type]
    activities: text(2000) = ""  # type: ignore[valid-type]
    place: text(2000) = ""  # type: ignore[valid-type]
    expense_allowance: text(2000) = ""  # type: ignore[valid-type]
    arrangements: text(2000) = ""  # type: ignore[valid-type]
    guidance: text(2000) = ""  # type: ignore[valid-type]
    ending: text(2000) = ""  # type: ignore[valid-type]
    liability_insurance: text(200) = ""  # type: ignore[valid-type]
    accident_insurance: text(200) = ""  # type: ignore[valid-type]


class SignIn(Schema):
    signed_on: Date


class AgreementOut(Schema):
    id: int
    trajectory_id: int
    workshop_id: int
    form: str
    aim: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    time_commitment: str
    activities: str
    place: str
    expense_allowance: str
    arrangements: str
    guidance: str
    ending: str
    liability_insurance: str
    accident_insurance: str
    missing: list[str]
    signed_on: datetime.date | None


@router.get("/{trajectory_id}/workcare-agreements", response={200: list[AgreementOut], **READ_ERRORS})
@api_policy(CLIENT_DATA)
def list_workcare_agreements(request: HttpRequest, trajectory_id: int = TrajectoryId) -> Any:
    """The work-care agreements of a work-care trajectory, newest first."""
    trajectory = team_trajectory(actor_of(request), trajectory_id)
    return list(trajectory.workcare_agreements.all()[:50])


@router.post("/{trajectory_id}/workcare-agreements", response={201: AgreementOut, **WRITE_ERRORS})
@api_policy(CLIENT_DATA)
def create_workcare_agreement(
    request: HttpRequest, payload: AgreementIn, trajectory_id: int = TrajectoryId
) -> Any:
    """Record a draft agreement; the seven elements may still be empty."""
    values = payload.dict()
    values["workshop"] = values.pop("workshop_id")
    return decide(
        request,
        trajectory_id,
        load=team_trajectory,
        form=lambda trajectory: AgreementForm(
            values,
            workshops=visible_workshops(actor_of(request)).filter(
                organisation_id=trajectory.lead_organisation_id
            ),
        ),
        api_names={"workshop": "workshop_id"},
        action=actions.record_agreement,
        status=201,
    )


@router.post(
    "/{trajectory_id}/workcare-agreements/{agreement_id}/sign", response={200: AgreementOut, **WRITE_ERRORS}
)
@api_policy(CLIENT_DATA)
def sign_workcare_agreement(
    request: HttpRequest, payload: SignIn, trajectory_id: int = TrajectoryId, agreement_id: int = AgreementId
) -> Any:
    """Sign an agreement: refused (400) until all seven elements of the decree are filled in. The
    signed copy is uploaded on the agreement's page."""
    return decide(
        request,
        trajectory_id,
        agreement_id,
        load=get_agreement,
        form=SignForm({"signed_on": payload.signed_on.isoformat()}),
        action=lambda actor, agreement, signed_on, signed_document: actions.sign_agreement(
            actor, agreement, signed_on=signed_on
        ),
    )
