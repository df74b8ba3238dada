"""Limit/offset pages with a constant number of queries: one for the rows, one for the count."""

from typing import Any

from django.db.models import QuerySet

from werkbrug.api.schemas import Paging


def page(queryset: QuerySet[Any], paging: Paging) -> dict[str, Any]:
    """The queryset must be ordered on a unique key (pk last) so that pages do not overlap."""
    start = paging.offset
    items = list(queryset[start : start + paging.limit])
    # A short first page is the whole list: no count query needed.
    count = len(items) if start == 0 and len(items) < paging.limit else queryset.count()
    return {"count": count, "limit": paging.limit, "offset": start, "items": items}
