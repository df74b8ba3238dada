"""The referral form no longer lists every line of the network (issue 14): it links to the line
directory, a searchable page of lines a page at a time, which the form loads when it is opened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.network import actions as network_actions
from werkbrug.network.models import ReferralLine
from werkbrug.referrals.views import LINES_PER_PAGE
from werkbrug.testing import actor_for


def add_lines(net, count: int, start: int = 0) -> list[str]:
    admin = actor_for(net.admin)
    names = []
    for i in range(start, start + count):
        line = network_actions.create_line(
            admin,
            name=f"Lijn {i:03}",
            organisation=net.gtb if i % 2 else net.sara,
            description=f"Begeleiding nummer {i:03}",
            indications=["low_threshold"],
        )
        names.append(line.name)
    return names


def test_the_referral_form_links_to_the_lines_instead_of_listing_them(net, login):
    names = add_lines(net, 30)
    body = login(net.care).get(reverse("referrals:create", args=[net.new_client().pk])).content.decode()
    assert reverse("referrals:lines") in body
    assert not [name for name in names if f"<h3>{name}</h3>" in body]


def test_the_directory_shows_a_page_of_lines_and_the_next_page_the_rest(net, login):
    add_lines(net, 30)
    every = list(
        ReferralLine.objects.filter(is_active=True, organisation__is_active=True).order_by("name", "pk")
    )
    client = login(net.care)
    shown: list[str] = []
    page = 1
    while True:
        response = client.get(reverse("referrals:lines"), {"page": page})
        assert response.status_code == 200
        on_page = [line.name for line, _indications in response.context["rows"]]
        assert len(on_page) <= LINES_PER_PAGE
        shown += on_page
        if not response.context["page"].has_next():
            break
        page += 1
    assert shown == [line.name for line in every]


def test_the_search_finds_a_line_by_organisation_or_word_and_the_partial_is_only_the_list(net, login):
    add_lines(net, 30)
    client = login(net.care)
    response = client.get(reverse("referrals:lines"), {"q": "nummer 007", "partial": "1"})
    assert [line.name for line, _i in response.context["rows"]] == ["Lijn 007"]
    body = response.content.decode()
    assert "<html" not in body and 'id="line-directory"' in body
    by_organisation = client.get(reverse("referrals:lines"), {"q": net.gtb.name})
    organisations = {line.organisation_id for line, _i in by_organisation.context["rows"]}
    assert organisations == {net.gtb.pk}


@pytest.mark.parametrize("user", ["funder", "admin"])
def test_roles_without_client_work_get_404_on_the_directory(net, login, user):
    assert login(getattr(net, user)).get(reverse("referrals:lines")).status_code == 404


@pytest.mark.parametrize("count", [2, 40])
def test_the_directory_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries, count):
    add_lines(net, count)
    client = login(net.care)
    client.get(reverse("referrals:lines"))
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("referrals:lines"), {"page": 2 if count > LINES_PER_PAGE else 1}).status_code
            == 200
        )
