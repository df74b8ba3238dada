"""core.paging.paginate: one query when everything fits on the first page, one more (the count) when
it does not."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from werkbrug.core.paging import paginate
from werkbrug.network.models import SubRegion


@pytest.fixture
def regions(db):
    SubRegion.objects.bulk_create(SubRegion(name=f"Regio {i:02d}") for i in range(7))
    return SubRegion.objects.order_by("name")


def test_a_short_list_costs_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = paginate(RequestFactory().get("/"), regions, size=10)
        assert [r.name for r in page] == [f"Regio {i:02d}" for i in range(7)]
        assert page.paginator.count == 7 and not page.has_next()


def test_a_long_list_is_paged_with_its_count(regions, django_assert_num_queries):
    # The first page's rows are read once; the total takes one COUNT(*).
    with django_assert_num_queries(2):
        page = paginate(RequestFactory().get("/"), regions, size=3)
        assert [r.name for r in page] == ["Regio 00", "Regio 01", "Regio 02"]
        assert len(page) == 3 and page.paginator.count == 7 and page.paginator.num_pages == 3
        assert page.has_next() and not page.has_previous() and page.end_index() == 3
    second = paginate(RequestFactory().get("/", {"page": "2"}), regions, size=3)
    assert [r.name for r in second] == ["Regio 03", "Regio 04", "Regio 05"]
    last = paginate(RequestFactory().get("/", {"page": "3"}), regions, size=3)
    assert [r.name for r in last] == ["Regio 06"]


def test_a_bad_page_number_falls_back_to_a_valid_page(regions):
    assert paginate(RequestFactory().get("/", {"page": "x"}), regions, size=3).number == 1
    assert paginate(RequestFactory().get("/", {"page": "99"}), regions, size=3).number == 3
