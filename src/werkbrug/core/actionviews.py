"""The one way to write a view that changes something (docs/conventions.md, "Views: actions").

An action view is declared, not written: which form, which action, what to say on success, where to
go next, and how the page is titled and confirmed. `action_view()` builds the view from that: it
loads the target (through `clients.access` for client data, so an outsider gets 404), binds the form,
runs the action through `core.forms.submit` (a `DomainError` lands on the form and nothing is
written, since actions are atomic), and on success flashes the message and redirects.

Only views built here accept a POST: the policy decorators of `core.policy` answer 405 to any
other method than GET or HEAD on every other view, and the URLconf walker
(`core/tests/test_url_policies.py`) checks that each view that writes was built here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import form_data, submit


@dataclass
class Step:
    """What one request to an action view knows: who acts, the URL's arguments, the loaded target
    and the bound form. Hooks receive it, so they never re-parse the request."""

    request: HttpRequest
    actor: Actor
    kwargs: Mapping[str, Any]
    target: Any = None
    form: forms.BaseForm = field(default_factory=forms.Form)

    @property
    def data(self) -> Any:
        """The data to bind a form to (None on a GET): see `core.forms.form_data`."""
        return form_data(self.request)


# A page text: fixed (a lazy translation) or computed from the step, e.g. a title naming the target.
Text = str | Promise | Callable[[Step], str | Promise]
FormFactory = type[forms.BaseForm] | Callable[[Step], forms.BaseForm]

SAVE = _("Save")


@dataclass(frozen=True)
class ActionSpec:
    """The declaration behind an action view; kept on the view for the URLconf walker."""

    form: FormFactory
    run: Callable[[Step, dict[str, Any]], Any]
    success: Text
    done: Callable[[Step, Any], HttpResponse | str]
    load: Callable[[Step], Any] | None
    title: Text
    submit_label: Text
    intro: Text
    confirm: Text
    template: str
    context: Callable[[Step], Mapping[str, Any]] | None
    refused: Callable[[Step], HttpResponse] | None
    refused_status: int
    post_only: bool
    version: Callable[[Any], str] | None = None
    changed: Callable[[Any], str] | None = None
    row: Callable[[Any], Model] | None = None


def text(value: Text, step: Step) -> str:
    """A page text for this step, translated now."""
    return str(value(step) if callable(value) else value)


@dataclass(frozen=True)
class _Ran:
    """Wraps an action's result, so an action that returns None still counts as done."""

    value: Any


def action_view(
    *,
    policy: Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]],
    form: FormFactory,
    run: Callable[[Step, dict[str, Any]], Any],
    success: Text,
    done: Callable[[Step, Any], HttpResponse | str],
    load: Callable[[Step], Any] | None = None,
    title: Text = "",
    submit_label: Text = SAVE,
    intro: Text = "",
    confirm: Text = "",
    template: str = "core/action.html",
    context: Callable[[Step], Mapping[str, Any]] | None = None,
    refused: Callable[[Step], HttpResponse] | None = None,
    refused_status: int = 400,
    post_only: bool = False,
    version: Callable[[Any], str] | None = None,
    changed: Callable[[Any], str] | None = None,
    row: Callable[[Any], Model] | None = None,
) -> Callable[..., HttpResponse]:
    """Build an action view.

    - `policy`: the access decorator (`client_view`, `role_view(...)`, `login_view`).
    - `load(step)`: the object acted on, fetched so that what the actor may not see is a 404.
    - `form`: a form class bound with the request's data, or `form(step)` for one that needs more.
    - `run(step, cleaned_data)`: calls the action; `step.target` and `step.form` are set.
    - `success`: the message flashed after the action ran.
    - `done(step, result)`: where to go next, a URL (or URL name) or a response.
    - `title`, `submit_label`, `intro`, `confirm`: the form page's texts; `confirm` asks before a
      destructive action (`data-confirm` on the form).
    - `template` and `context(step)`: the form page (shown on a GET and when the form is refused).
    - `post_only`: the form sits on another page; a GET is 405 and `refused(step)` shows the form
      again on that page.
    - `refused_status`: the status of a refused POST (400; some older pages answer 200).
    - `version(target)` and `changed(target)`: a decision made on what the page showed. The page
      carries the target's version (hidden `seen`); a POST whose `seen` differs from the version of
      the fresh, locked target is refused with `changed(target)` (docs/conventions.md, "Two people
      at once"). A POST without `seen` (an older page) runs on the fresh row as before. Both are
      called with a fresh copy of the row, read again (and locked, for a POST): a form may already
      have written the user's input into the target, which must not count as the stored version.
    - `row(target)`: the row whose version counts, when the target is not that row itself.
    """
    spec = ActionSpec(
        form=form,
        run=run,
        success=success,
        done=done,
        load=load,
        title=title,
        submit_label=submit_label,
        intro=intro,
        confirm=confirm,
        template=template,
        context=context,
        refused=refused,
        refused_status=refused_status,
        post_only=post_only,
        version=version,
        changed=changed,
        row=row,
    )

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if spec.post_only and request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        step = Step(request=request, actor=Actor.from_request(request), kwargs=kwargs)
        if spec.load is not None:
            step.target = spec.load(step)
        step.form = _build_form(spec.form, step)
        ran = submit(request, step.form, lambda data: _Ran(_run(spec, step, data)), text(spec.success, step))
        if ran is not None:
            after = spec.done(step, ran.value)
            return redirect(after) if isinstance(after, str) else after
        if request.method == "POST" and spec.refused is not None:
            return spec.refused(step)
        return render_form_page(step, spec, status=spec.refused_status if request.method == "POST" else 200)

    view.accepts_post = True  # type: ignore[attr-defined]
    wrapped = policy(view)
    wrapped.action_spec = spec  # type: ignore[attr-defined]
    return wrapped


def _run(spec: ActionSpec, step: Step, data: dict[str, Any]) -> Any:
    seen = step.request.POST.get("seen") if step.request.method == "POST" else None
    if spec.version is None or not seen or step.target is None:
        return spec.run(step, data)
    with transaction.atomic():
        fresh = _fresh(spec, step.target, lock=True)
        if spec.version(fresh) != seen:
            raise DomainError(spec.changed(fresh) if spec.changed else str(CHANGED))
        return spec.run(step, data)


def _fresh(spec: ActionSpec, target: Any, *, lock: bool = False) -> Model:
    """The row as the database holds it now: a new copy, so that a target a form already changed
    stays as the user typed it; locked until the transaction ends when `lock`."""
    instance = spec.row(target) if spec.row is not None else target
    rows = type(instance)._default_manager.all()
    return (rows.select_for_update() if lock else rows).get(pk=instance.pk)


CHANGED = _("Someone else changed this in the meantime. Reload the page and try again.")


def _build_form(factory: FormFactory, step: Step) -> forms.BaseForm:
    if isinstance(factory, type):
        return factory(step.data)
    return factory(step)


# A page that keeps a form closed (in <details>) loads it when opened: `?partial=form` on the action's
# own URL answers just the <form> (core/_action_fragment.html), carrying the version of that moment.
PARTIAL = "form"


def wants_fragment(request: HttpRequest) -> bool:
    return request.method == "GET" and request.GET.get("partial") == PARTIAL


def render_form_page(step: Step, spec: ActionSpec, *, status: int = 200) -> HttpResponse:
    page = {
        "form": step.form,
        "target": step.target,
        "title": text(spec.title, step),
        "submit_label": text(spec.submit_label, step),
        "intro": text(spec.intro, step),
        "confirm": text(spec.confirm, step),
    }
    if spec.version is not None and step.target is not None:
        page["seen"] = spec.version(_fresh(spec, step.target))
    if wants_fragment(step.request):
        page["action"] = step.request.path
        return render(step.request, "core/_action_fragment.html", page, status=status)
    if spec.context is not None:
        page.update(spec.context(step))
    return render(step.request, spec.template, page, status=status)
