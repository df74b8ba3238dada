"""Choosing one row out of many: a searchable field instead of an unbounded <select> (issue 14).

No page renders a list of choices that grows with the network (organisations, coaches, referral
lines). A *chooser* is registered once by the area that owns the rows:

    register(Chooser(
        name="handover_organisations",
        queryset=lambda actor: Organisation.objects.filter(...),  # what this actor may choose
        search=("name",),
        noun=_("organisation"),
    ))

and a form field names it: `ChooserField(chooser="handover_organisations", label=...)`. The form
calls `field.for_actor(actor)`: the field validates against `chooser.queryset(actor)` and the
search endpoint (`core:choose`, `/choose/<name>/?q=...`) answers from that same queryset, so what
the endpoint offers and what the form accepts follow the same access rules. A form may narrow the
queryset further (never widen it).

The widget renders a search box (the typed text), a hidden input with the chosen pk and a results
container. With JavaScript, htmx asks the endpoint as the user types and app.js fills the pk when a
result is picked. Without JavaScript the form posts the text, and the field resolves it: one match
is taken, none or several is a form error, several show a short list of radio buttons to pick from.
Client data never goes through a chooser without `clients.access`: the one chooser over clients,
`trajectories.choosers.team_trajectory_chooser`, starts from the team's trajectories whose client
the actor may see.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.network.models import Role

# At most this many rows are offered at once: in the endpoint's answer and in the no-JS pick list.
LIMIT = 20


@dataclass(frozen=True)
class Chooser:
    """A named way to choose one row: which rows the actor may choose, which fields are searched,
    how a row reads, in which order, and (optionally) which roles may use it at all."""

    name: str
    queryset: Callable[[Actor], QuerySet[Any]]
    search: tuple[str, ...]
    noun: str | Promise
    label: Callable[[Any], str] = str
    order: tuple[str, ...] = ()
    # Who may search it: the roles that fill in the forms with choosers, unless the chooser says
    # otherwise. Anyone else (a funder, a researcher, a privacy officer) gets 404 from the endpoint.
    roles: frozenset[str] = frozenset(
        {Role.COACH, Role.CARE_PROFESSIONAL, Role.SCREENER, Role.COORDINATOR, Role.NETWORK_ADMIN}
    )
    # How a row reads for this actor, when that differs (the own organisation on the consent form).
    label_for_actor: Callable[[Actor, Any], str] | None = None

    def rows(self, actor: Actor) -> QuerySet[Any]:
        """What this actor may choose; nothing for a role the chooser is not meant for."""
        if not self.may_use(actor):
            return self.queryset(actor).none()
        return self.queryset(actor)

    def may_use(self, actor: Actor) -> bool:
        return actor.role in self.roles

    def url(self) -> str:
        return reverse("core:choose", args=[self.name])


_registry: dict[str, Chooser] = {}


def register(chooser: Chooser) -> Chooser:
    """Called by the area that owns the rows (in its `choosers.py`, imported by its AppConfig)."""
    _registry[chooser.name] = chooser
    return chooser


def get(name: str) -> Chooser:
    """The chooser with this name; 404 when there is none (the endpoint's answer to a bad name)."""
    try:
        return _registry[name]
    except KeyError:
        raise Http404 from None


def search(queryset: QuerySet[Any], fields: tuple[str, ...], text: str) -> QuerySet[Any]:
    """Rows where every word of `text` occurs (case-insensitively) in one of the search fields."""
    for word in text.split():
        queryset = queryset.filter(reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in fields)))
    return queryset


def matches(chooser: Chooser, queryset: QuerySet[Any], text: str) -> tuple[list[Any], bool]:
    """At most LIMIT rows of `queryset` matching `text`, and whether there were more."""
    rows = search(queryset, chooser.search, text)
    if chooser.order:
        rows = rows.order_by(*chooser.order)
    found = list(rows[: LIMIT + 1])
    return found[:LIMIT], len(found) > LIMIT


# --- the form field -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """What a chooser posts: the chosen pk (hidden input or a radio of the pick list), the text in
    the search box and the label the page showed for the pk (to see whether the text was edited)."""

    pk: str
    text: str
    shown: str | None


def chosen_pk(value: Any) -> str:
    """The pk a chooser's bound value holds (`BoundField.value()`: posted, a pk or a row), as text."""
    if isinstance(value, Posted):
        return value.pk
    if isinstance(value, Model):
        return str(value.pk)
    return str(value or "")


class ChooserInput(forms.Widget):
    template_name = "core/_chooser.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.field: ChooserField | None = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Posted:
        shown = data.get(f"{name}__label")
        return Posted(
            pk=str(data.get(name) or "").strip(),
            text=str(data.get(f"{name}__q") or "").strip(),
            shown=None if shown is None else str(shown),
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}__q" not in data

    def format_value(self, value: Any) -> Any:
        return value  # a Posted, a pk or an instance: get_context reads it

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field = self.field
        if field is None:
            raise TypeError("a ChooserInput belongs to a ChooserField")
        row: Any = None
        text = ""
        if isinstance(value, Posted):  # a bound form: the row the field resolved, else the text
            row, text = field.chosen, value.text
        elif isinstance(value, Model):
            row = value
        elif value not in (None, ""):
            row = field.lookup(value)
        context["widget"].update(
            pk=str(row.pk) if row is not None else "",
            text=field.label_for(row) if row is not None else text,
            url=field.chooser.url(),
            candidates=[(str(c.pk), field.label_for(c)) for c in field.candidates],
            pick_label=_("Pick one"),
        )
        return context


class ChooserField(forms.ModelChoiceField):
    """One row out of many, chosen with a search box (see the module's docstring)."""

    widget = ChooserInput
    default_error_messages = {
        "none": _("No %(noun)s found for “%(text)s”."),
        "several": _("Several matches for “%(text)s”: pick one below or type more."),
        "too_many": _("More than %(limit)s matches for “%(text)s”: pick one below or type more of the name."),
    }

    def __init__(self, *, chooser: str, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        self.chooser_name = chooser
        self.chosen: Any = None
        self.candidates: list[Any] = []
        super().__init__(queryset=queryset, **kwargs)  # type: ignore[arg-type]
        self.widget.field = self  # type: ignore[attr-defined]

    def __deepcopy__(self, memo: dict[int, Any]) -> ChooserField:
        result = cast(ChooserField, super().__deepcopy__(memo))  # type: ignore[misc]
        result.widget.field = result  # type: ignore[attr-defined]
        result.candidates = []
        result.chosen = None
        return result

    @property
    def chooser(self) -> Chooser:
        return get(self.chooser_name)

    def for_actor(self, actor: Actor) -> QuerySet[Any]:
        """Validate against what this actor may choose (the endpoint's queryset); returns it, so a
        form may narrow it: `field.queryset = field.for_actor(actor).exclude(...)`."""
        self.queryset = self.chooser.rows(actor)
        return self.queryset

    def label_for(self, obj: Any) -> str:
        return str(self.chooser.label(obj))

    def lookup(self, value: Any) -> Any:
        if self.queryset is None:
            return None
        try:
            return self.queryset.get(pk=value)
        except (ValueError, TypeError, ValidationError, self.queryset.model.DoesNotExist):
            return None

    def clean(self, value: Any) -> Any:
        if not isinstance(value, Posted):  # a pk, as a test or the API-like caller may pass
            value = Posted(pk=str(value or ""), text="", shown=None)
        row = self._resolve(value)
        self.chosen = row
        self.validate(row)
        self.run_validators(row)
        return row

    def _resolve(self, posted: Posted) -> Any:
        # The pk wins, unless the text in the box was changed after the page showed the pk's label
        # (without JavaScript, typing another name cannot clear the hidden pk).
        edited = posted.shown is not None and posted.text and posted.text != posted.shown.strip()
        if posted.pk and not edited:
            row = self.lookup(posted.pk)
            if row is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return row
        if not posted.text:
            return None
        if self.queryset is None:
            return None
        found, more = matches(self.chooser, self.queryset, posted.text)
        exact = [row for row in found if self.label_for(row).casefold() == posted.text.casefold()]
        if len(exact) == 1:
            return exact[0]
        params = {"noun": self.chooser.noun, "text": posted.text, "limit": LIMIT}
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(self.error_messages["none"], code="none", params=params)
        self.candidates = found
        code = "too_many" if more else "several"
        raise ValidationError(self.error_messages[code], code=code, params=params)

    def prepare_value(self, value: Any) -> Any:
        return value  # a row stays a row: the widget shows its label without looking it up again

    def has_changed(self, initial: Any, data: Any) -> bool:
        pk = data.pk if isinstance(data, Posted) else data
        initial_pk = initial.pk if isinstance(initial, Model) else initial
        return str(pk or "") != str(initial_pk or "")


def results_context(chooser: Chooser, actor: Actor, text: str) -> Mapping[str, Any]:
    """What the endpoint shows for the typed text: at most LIMIT rows, and whether there are more."""
    if not text.strip():
        return {"rows": [], "more": False, "text": ""}
    found, more = matches(chooser, chooser.rows(actor), text)
    describe = chooser.label_for_actor

    def label(row: Any) -> str:
        return describe(actor, row) if describe is not None else str(chooser.label(row))

    return {
        "rows": [(row.pk, label(row)) for row in found],
        "more": more,
        "text": text,
        "noun": chooser.noun,
    }


__all__ = [
    "LIMIT",
    "Chooser",
    "ChooserField",
    "ChooserInput",
    "chosen_pk",
    "get",
    "register",
    "results_context",
]
