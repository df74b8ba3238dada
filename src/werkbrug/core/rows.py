"""A list's per-row links and fragments at the cost of one `reverse` or one render for the page.

A `{% url %}` per row re-resolves the URL pattern, and a form rendered per row runs its widget
templates again for every row, although only the row's ids differ. These helpers do that work once,
with stand-in numbers where the row's ids go, and put each row's ids in their place:

- `url_maker("referrals:detail")(pk)` is `reverse("referrals:detail", args=[pk])`;
- `RowFragment` renders a fragment once with stand-ins (`.standin(name)`) and `fill`s it per row;
- `day(value)` is `{{ value|date:"d/m/Y" }}` for a row built in Python (`format_html`), where a long
  list's row costs more in template nodes than in anything else;
- `html_row(template, *values)` is `format_html` for such a row, without its per-call lazy checks.

The stand-ins are random 18-digit numbers drawn for each use (each `url_maker` and `RowFragment`),
so they cannot be guessed and do not occur in what a fragment shows besides them (names, a CSRF
token)."""

from __future__ import annotations

import datetime
import html
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe


def _standin() -> int:
    return 10**17 + secrets.randbelow(9 * 10**17)


def url_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """A function of the `arity` int path arguments of URL `name` that gives `reverse(name, args=...)`."""
    standins = [_standin() for _ in range(arity)]
    parts: list[str] = []
    rest = reverse(name, args=standins)
    for standin in standins:
        before, found, rest = rest.partition(str(standin))
        if not found:
            raise ValueError(f"{name}: the arguments do not appear in its URL as they are")
        parts.append(before)
    parts.append(rest)
    head, tail = parts[0], parts[1:]

    def make(*args: int) -> str:
        return head + "".join(f"{int(arg)}{part}" for arg, part in zip(args, tail, strict=True))

    return make


class RowFragment:
    """A template fragment that is the same for every row of a page but for the row's ids: rendered
    once with stand-ins for the ids, then filled in per row. Only for fragments whose other content
    does not depend on the row (check with a test that compares it with a per-row render)."""

    def __init__(self, *names: str) -> None:
        self._standins = {name: _standin() for name in names}
        self._html = ""

    def standin(self, name: str) -> int:
        return self._standins[name]

    def render(self, template_name: str, context: Mapping[str, Any], request: HttpRequest) -> RowFragment:
        self._html = render_to_string(template_name, dict(context), request)
        return self

    def fill(self, **values: int) -> SafeString:
        html = self._html
        for name, standin in self._standins.items():
            html = html.replace(str(standin), str(int(values[name])))
        return mark_safe(html)  # noqa: S308 - rendered (escaped) by the template; only digits go in


def day(value: datetime.date | None, tz: datetime.tzinfo | None = None) -> str:
    """What `{{ value|date:"d/m/Y" }}` shows, for a row built in Python: a datetime on the local
    day (as the template shows it), a date as it is, nothing for None. A list passes `tz`
    (`timezone.get_current_timezone()`, read once for the page: reading it costs more than the rest)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(tz or timezone.get_current_timezone())
    return value.strftime("%d/%m/%Y")


def html_row(template: str, *values: Any) -> SafeString:
    """`format_html(template, *values)` for a list's rows: each value escaped as `conditional_escape`
    does (its `__html__()` when it has one, else `html.escape(str(value))`), without the checks for
    lazy arguments that `format_html` and `conditional_escape` run on every call (a row has a dozen
    values; `str()` renders a lazy translation here as it would there)."""
    return mark_safe(  # noqa: S308 - every value is escaped here, the template is the caller's literal
        template.format(*(v.__html__() if hasattr(v, "__html__") else html.escape(str(v)) for v in values))
    )
