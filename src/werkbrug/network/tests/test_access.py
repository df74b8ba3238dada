"""Only a network admin reaches the network pages; everyone else gets 404, anonymous users a login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.clients.models import Client
from werkbrug.core.models import AuditEvent
from werkbrug.network.models import Membership, Organisation, User

# name -> how to find the URL's arguments in the persona network
PAGES = {
    "home": lambda net: [],
    "org_list": lambda net: [],
    "org_create": lambda net: [],
    "org_edit": lambda net: [net.sara.pk],
    "user_list": lambda net: [],
    "user_create": lambda net: [],
    "user_edit": lambda net: [net.coach.pk],
    "membership_add": lambda net: [net.coach.pk],
    "membership_edit": lambda net: [net.coach.pk, net.coach.memberships.get().pk],
    "line_list": lambda net: [],
    "line_create": lambda net: [],
    "line_edit": lambda net: [net.coach_line.pk],
    "region_list": lambda net: [],
    "region_create": lambda net: [],
    "region_edit": lambda net: [net.region.pk],
}
POST_ONLY = {
    "org_toggle": lambda net: [net.sara.pk],
    "membership_remove": lambda net: [net.coach.pk, net.coach.memberships.get().pk],
}
OTHER_ROLES = ["coach", "care", "funder", "outsider", "coordinator", "screener"]


def url(net, name, pages=PAGES):
    return reverse(f"network:{name}", args=pages[name](net))


@pytest.mark.parametrize("page", PAGES)
def test_every_network_page_answers_200_for_the_network_admin(net, login, page):
    assert login(net.admin).get(url(net, page)).status_code == 200


@pytest.mark.parametrize("persona", OTHER_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_network_page_is_a_404_for_other_roles(net, login, page, persona):
    assert login(getattr(net, persona)).get(url(net, page)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_login_from_every_network_page(net, client, page):
    response = client.get(url(net, page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("page", PAGES)
def test_user_without_membership_gets_404_on_network_pages(net, login, page):
    nobody = User.objects.create_user(username="nobody", password="x")
    assert login(nobody).get(url(net, page)).status_code == 404


@pytest.mark.parametrize("persona", OTHER_ROLES)
@pytest.mark.parametrize("page", POST_ONLY)
def test_other_roles_cannot_post_to_network_actions(net, login, page, persona):
    target = url(net, page, POST_ONLY)
    events = AuditEvent.objects.count()
    response = login(getattr(net, persona)).post(target, {"active": "false"})
    assert response.status_code == 404
    assert Organisation.objects.get(pk=net.sara.pk).is_active
    assert Membership.objects.filter(user=net.coach).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("page", POST_ONLY)
def test_network_actions_refuse_get(net, login, page):
    events = AuditEvent.objects.count()
    assert login(net.admin).get(url(net, page, POST_ONLY)).status_code == 405
    assert AuditEvent.objects.count() == events


def test_network_pages_show_no_client_data(net, login):
    net.trajectory(net.new_client(first_name="Zoë", last_name="Vanderquackenbush"))
    assert Client.objects.exists()
    client = login(net.admin)
    for page in PAGES:
        content = client.get(url(net, page)).content.decode()
        assert "Vanderquackenbush" not in content, page


def test_network_admin_sees_the_network_link_in_the_menu(net, login):
    content = login(net.admin).get(reverse("network:home")).content.decode()
    assert f'href="{reverse("network:org_list")}"' in content
    assert f'href="{reverse("network:home")}"' in content
