"""Pagination that skips the COUNT query when the first page already holds every row."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from werkbrug.core import statements

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: QuerySet[Any], size: int = PAGE_SIZE) -> Page:
    """The requested page. The first page is read with one row more than fits: most lists (a
    caseload, an inbox) fit on it, and then that one query fetches the rows and tells the total;
    a longer list shows the rows already read and counts the rest with one COUNT(*), instead of
    reading its first page twice."""
    paginator = Paginator(queryset, size)
    number = request.GET.get("page", "1")
    if number in ("", "1"):
        rows = list(queryset[: size + 1])
        if len(rows) <= size:
            paginator.__dict__["count"] = len(rows)  # count is a cached_property
        return Page(rows[:size], 1, paginator)
    return paginator.get_page(number)


def statement_page(
    request: HttpRequest, key: Hashable, build: Callable[[], QuerySet[Any]], size: int = PAGE_SIZE
) -> Page:
    """`paginate(request, build())`, with the first page (nearly every list fits on it) read through
    a statement built once per key (`core.statements.objects`: the key holds everything `build`
    depends on); the other pages build the queryset."""
    number = request.GET.get("page", "1")
    if number in ("", "1"):
        rows = statements.objects(key, lambda: build()[: size + 1])
        if len(rows) <= size:
            return Page(rows, 1, Paginator(rows, size))
        return Page(rows[:size], 1, Paginator(build(), size))
    return Paginator(build(), size).get_page(number)
