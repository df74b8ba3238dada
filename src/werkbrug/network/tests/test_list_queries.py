"""Every network list page runs the same number of queries for 1 row as for 35 (no N+1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from werkbrug.core.actor import Actor
from werkbrug.network import actions
from werkbrug.network.models import Membership, Organisation, OrganisationKind, OrganisationType, Role, User
from werkbrug.testing import give_authenticator

MANY = 35
PASSWORD = "trajectbegeleiding-2026!"


@pytest.fixture
def admin(db):
    """A network of one: one organisation, one admin (the persona network has more than one row)."""
    organisation = Organisation.objects.create(
        name="Netwerk", kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER
    )
    user = User.objects.create_user(username="admin", password=PASSWORD, first_name="Ada", last_name="Min")
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.NETWORK_ADMIN)
    give_authenticator(user)  # a network admin logs in with a second factor (issue 13)
    return Actor(user=user, membership=membership)


def new_user(actor, name, organisation, role=Role.COACH):
    return actions.create_user(
        actor,
        username=name,
        first_name=name.capitalize(),
        last_name="Test",
        email="",
        password=PASSWORD,
        organisation=organisation,
        role=role,
        capacity=30,
        fte=Decimal("0.8"),
    )


def add_organisations(actor, count, start=0):
    region = actions.create_subregion(actor, name=f"Regio {start}")
    for i in range(start, start + count):
        organisation = actions.create_organisation(
            actor,
            name=f"Organisatie {i:03}",
            kind=OrganisationKind.CARE,
            org_type=OrganisationType.CGG,
            subregion=region,
        )
        new_user(actor, f"member{i:03}", organisation)
    return f"Organisatie {start + count - 1:03}"


def add_users(actor, count, start=0):
    home = actions.create_organisation(
        actor, name=f"Werkplek {start}", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB
    )
    other = actions.create_organisation(
        actor, name=f"Tweede werkplek {start}", kind=OrganisationKind.WORK, org_type=OrganisationType.GOB
    )
    for i in range(start, start + count):
        user = new_user(actor, f"user{i:03}", home)
        actions.add_membership(actor, user, organisation=other, role=Role.SCREENER)
    return f"user{start + count - 1:03}"


def add_lines(actor, count, start=0):
    owner = actions.create_organisation(
        actor, name=f"Lijnhouder {start}", kind=OrganisationKind.WORK, org_type=OrganisationType.ARBEIDSCOACH
    )
    screeners = [new_user(actor, f"screener{start}_{i}", owner, Role.SCREENER) for i in range(2)]
    for i in range(start, start + count):
        actions.create_line(
            actor,
            name=f"Lijn {i:03}",
            organisation=owner,
            indications=["low_threshold", "shared_focus"],
            default_trajectory_type="arbeidscoach",
            screeners=screeners,
        )
    return f"Lijn {start + count - 1:03}"


def add_regions(actor, count, start=0):
    for i in range(start, start + count):
        region = actions.create_subregion(actor, name=f"Deelregio {i:03}")
        actions.create_organisation(
            actor,
            name=f"Partner {i:03}",
            kind=OrganisationKind.CARE,
            org_type=OrganisationType.CAW,
            subregion=region,
        )
    return f"Deelregio {start + count - 1:03}"


# page -> (most queries allowed, how to add rows). Of the queries, five are the page frame: session,
# user, the device the session was verified with (two-step login, issue 13), active membership and
# the membership menu; the rest are the count, the page and its prefetches.
LISTS = {
    "org_list": (7, add_organisations),
    "user_list": (8, add_users),
    "line_list": (8, add_lines),
    "region_list": (7, add_regions),
}


@pytest.mark.parametrize("page", LISTS)
def test_list_page_query_count_does_not_grow_with_the_rows(admin, login, page, django_assert_max_num_queries):
    most, add_rows = LISTS[page]
    client = login(admin.user)
    url = reverse(f"network:{page}")
    # One row to start with: the fixture's organisation and admin, or one line / sub-region added here.
    first = add_rows(admin, 1, start=900) if page in ("line_list", "region_list") else None
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200
    assert first is None or first in response.content.decode()

    last = add_rows(admin, MANY)
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200
    assert last in response.content.decode()


def test_user_search_runs_the_same_queries_as_the_plain_list(admin, login, django_assert_max_num_queries):
    add_users(admin, MANY)
    client = login(admin.user)
    with django_assert_max_num_queries(LISTS["user_list"][0]):
        response = client.get(reverse("network:user_list"), {"q": "user0 test"})
    assert "user034" in response.content.decode()
