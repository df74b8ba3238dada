"""The token page: list your own tokens, create one (key shown once), revoke."""

from __future__ import annotations

import hashlib
import re

from django.urls import reverse

from werkbrug.core.models import AuditEvent
from werkbrug.network.models import ApiToken, Membership, Role, User

URL = "/account/api-tokens/"


def test_url_name_and_login_required(net, client):
    assert reverse("api:tokens") == URL
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_page_lists_only_own_tokens_of_the_active_membership(net, login):
    mine, _ = ApiToken.issue(Membership.objects.get(user=net.care), "Ziekenhuis-EPD")
    ApiToken.issue(Membership.objects.get(user=net.coach), "Andermans sleutel")
    other_membership = Membership.objects.create(user=net.care, organisation=net.gtb, role=Role.COACH)
    ApiToken.issue(other_membership, "Andere rol")
    page = login(net.care).get(URL)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Ziekenhuis-EPD" in content
    assert mine.prefix in content
    assert "Andermans sleutel" not in content
    assert "Andere rol" not in content


def test_creating_a_token_shows_the_key_once_and_stores_only_its_hash(net, login, api):
    web = login(net.care)
    response = web.post(URL, {"name": "Koppeling EPD"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    content = response.content.decode()
    key = re.search(r'value="(wb_[^"]+)"', content).group(1)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.membership == Membership.objects.get(user=net.care)
    assert token.name == "Koppeling EPD"
    assert all(key not in str(value) for value in ApiToken.objects.values_list().get())
    assert key not in web.get(URL).content.decode()
    assert AuditEvent.objects.filter(object_type="apitoken", object_id=token.pk, user=net.care).exists()
    # And the key works.
    assert api.get(key, "/api/me").json()["user"]["id"] == net.care.pk


def test_a_token_needs_a_name(net, login):
    response = login(net.care).post(URL, {"name": "   "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert response.context["form"].errors


def test_revoking_stops_the_key_at_once(net, login, api):
    token, key = ApiToken.issue(Membership.objects.get(user=net.care), "Oud")
    page = login(net.care).get(URL).content.decode()
    revoke_url = reverse("api:token_revoke", args=[token.pk])
    assert f'action="{revoke_url}"' in page
    assert "data-confirm" in page
    assert api.get(key, "/api/me").status_code == 200
    response = api.client.post(revoke_url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(key, "/api/me").status_code == 401
    assert AuditEvent.objects.filter(
        object_type="apitoken", object_id=token.pk, summary__contains="revoked"
    ).exists()


def test_revoking_needs_post_and_an_own_token(net, login):
    token, _ = ApiToken.issue(Membership.objects.get(user=net.coach), "Van de coach")
    web = login(net.care)
    url = reverse("api:token_revoke", args=[token.pk])
    assert web.get(url).status_code == 405
    assert web.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_and_funder_can_manage_tokens_too(net, login):
    for user in (net.admin, net.funder):
        response = login(user).post(URL, {"name": "Rapportage"})
        assert response.status_code == 200
    assert ApiToken.objects.count() == 2


def test_user_without_membership_cannot_create_a_token(db, login):
    loner = User.objects.create_user(username="loner", password="x-long-password-1")
    response = login(loner).post(URL, {"name": "Iets"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
