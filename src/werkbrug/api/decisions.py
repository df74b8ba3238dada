"""The one way an API operation takes a decision, as core.actionviews.action_view is for the pages.

Every endpoint that changes something keeps its own django-ninja declaration (path, payload and
response schemas, docstring, policy decorator: the OpenAPI document) and hands the work to
`decide`: load the target through the area's access-checked loader (404 for anyone who may not see
it), check the payload with the page's own form (`clean_with`: a 422 keyed by the API's names),
run the action with the cleaned data (a DomainError is a 400, api.api; actions are atomic, so
nothing is written then) and answer with the result. An area keeps one `functools.partial` with
its loader, so each endpoint says only what differs:

    trajectory_decision = functools.partial(decide, load=get_trajectory)

    def pause_trajectory(request, payload, trajectory_id=TrajectoryId):
        return trajectory_decision(
            request, trajectory_id, form=PauseForm({"reason": payload.reason}), action=actions.pause_trajectory
        )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest
from ninja.responses import Status

from werkbrug.api.auth import actor_of
from werkbrug.api.forms import clean_with
from werkbrug.clients.actions import Evidence

T = TypeVar("T")


def decide(
    request: HttpRequest,
    *ids: int,
    load: Callable[..., T],
    action: Callable[..., Any],
    form: forms.BaseForm | Callable[[T], forms.BaseForm] | None = None,
    api_names: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    status: int = 200,
) -> Any:
    """Run one decision for the token's actor: `load(actor, *ids)` fetches the target (404 unless
    visible); `form` is the page's form bound to the payload, or `form(target)` when binding needs
    the target; without a form, `values` are the payload's values the schema already checked.
    `action(actor, target, **data)` decides; its result is the answer, with `status` (200, or 201
    for something created)."""
    actor = actor_of(request)
    target = load(actor, *ids)
    if form is None:
        data: Mapping[str, Any] = values or {}
    else:
        data = clean_with(form if isinstance(form, forms.BaseForm) else form(target), api_names)
    result = action(actor, target, **data)
    return result if status == 200 else Status(status, result)


def evidence(data: Mapping[str, Any]) -> Evidence:
    """The client's consent as a form with the evidence fields cleaned it (EvidenceFields)."""
    return Evidence(data["evidence"], data["evidence_note"])
