"""Writing the audit trail. Every read of a client file and every write of client data calls record().

Two generic services sit beside it:
- one read row per client per request: inside `request_scope()` (the `AuditScopeMiddleware` opens
  one for every request, pages and API alike) a second `view` of the same client by the same user
  returns the first row instead of writing another; code without a request writes every view;
- readable entries: `describe(event)` turns a stored row into a translated sentence. The area that
  owns an object type registers how to word it (`describes("contact")`, in its `audit_labels.py`);
  core only knows the generic fallback ("Trajectory: viewed"), so raw codes never reach a page.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction, AuditEvent

ViewFunc = Callable[..., HttpResponse]

# (user, organisation, client) -> the view row written in this request.
_ViewKey = tuple[int | None, int | None, int]
_views_in_request: contextvars.ContextVar[dict[_ViewKey, AuditEvent] | None] = contextvars.ContextVar(
    "werkbrug_audit_views", default=None
)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Within this block, one `view` row per user, organisation and client."""
    token = _views_in_request.set({})
    try:
        yield
    finally:
        _views_in_request.reset(token)


def record(
    actor: Actor,
    action: AuditAction | str,
    obj: models.Model | None,
    *,
    client_id: int | None,
    summary: str = "",
    object_type: str = "",
    object_id: int | None = None,
) -> AuditEvent:
    """`obj` None with an `object_type` (and an `object_id`) records something that is not a row,
    e.g. a report run or a list page."""
    views = _views_in_request.get()
    key: _ViewKey | None = None
    if views is not None and action == AuditAction.VIEW and client_id is not None:
        org = actor.organisation
        key = (actor.user.pk, org.pk if org is not None else None, client_id)
        if key in views:
            return views[key]
    event = AuditEvent.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        client_id=client_id,
        action=action,
        object_type=object_type or (obj._meta.model_name if obj is not None else "") or "",
        object_id=obj.pk if obj is not None else object_id,
        summary=summary[:300],
        via_api=actor.via_api,
    )
    if views is not None and key is not None:
        views[key] = event
    return event


def record_list(actor: Actor, name: str, query: str = "", object_id: int | None = None) -> AuditEvent:
    """A list page that shows client names: one row per page view naming the list (`name`, e.g.
    "clients:list"), what it was asked for (`query`: filters and page) and, for a list of one
    thing (a team's cases), that thing's id; not one row per client shown."""
    return record(
        actor, AuditAction.LIST, None, client_id=None, object_type=name, object_id=object_id, summary=query
    )


def lists_clients(name: str) -> Callable[[ViewFunc], ViewFunc]:
    """Declares a page that lists clients by name: each view of it that answers 200 to someone who
    sees client data writes one `list` row naming it (`record_list`). Goes under the policy
    decorator."""

    def wrap(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            actor = Actor.from_request(request)
            if response.status_code == 200 and actor.sees_clients:
                number = next((v for v in kwargs.values() if isinstance(v, int)), None)
                record_list(actor, name, request.GET.urlencode(), object_id=number)
            return response

        return audited

    return wrap


# --- readable entries -------------------------------------------------------------------------------

Describer = Callable[[AuditEvent], "str | None"]
_describers: dict[str, Describer] = {}


def describes(*object_types: str) -> Callable[[Describer], Describer]:
    """Register how an area words the rows of its object types; returning None falls back to the
    generic wording."""

    def register(func: Describer) -> Describer:
        for object_type in object_types:
            _describers[object_type] = func
        return func

    return register


@functools.cache
def _models_by_type() -> dict[str, type[models.Model]]:
    """Each object type's model (the first registered, as Django lists them), looked up once: an
    access report describes hundreds of rows."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        found.setdefault(model._meta.model_name or "", model)
    return found


def object_noun(object_type: str) -> str:
    """A model's own (translated) name for an object type, or a neutral word."""
    model = _models_by_type().get(object_type)
    return str(model._meta.verbose_name) if model is not None else _("data")


def describe(event: AuditEvent) -> str:
    """The row as a translated sentence, e.g. "Contact added (in person)"."""
    describer = _describers.get(event.object_type)
    text = describer(event) if describer is not None else None
    if text:
        return text
    if event.action == AuditAction.LIST:
        return _("List viewed")
    what = object_noun(event.object_type)
    return _("%(what)s: %(action)s") % {
        "what": what[:1].upper() + what[1:],
        "action": event.get_action_display(),
    }


def summary_after(event: AuditEvent, prefix: str) -> str | None:
    """The code a summary carries after `prefix` ("contact face_to_face" → "face_to_face"), or None."""
    if event.summary.startswith(prefix):
        return event.summary[len(prefix) :].strip()
    return None


def label_of(choices: type[models.Choices], code: str) -> str | None:
    """A choice's translated label, or None for an unknown code (never the code itself)."""
    try:
        return str(choices(code).label)
    except ValueError:
        try:
            return str(choices(int(code)).label)
        except ValueError:
            return None
