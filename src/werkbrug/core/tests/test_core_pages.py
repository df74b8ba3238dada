"""Health check, login, start pages per role, the funder's figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.testing import PASSWORD


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


START = {
    "care": "referrals:mine",
    "screener": "referrals:inbox",
    "coach": "trajectories:caseload",
    "coordinator": "trajectories:capacity",
    "admin": "network:home",
    "funder": "reports:index",
}


@pytest.mark.parametrize(("persona", "start"), START.items())
def test_each_role_lands_on_its_own_start_page(net, client, persona, start):
    user = getattr(net, persona)
    response = client.post(
        reverse("core:login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(start)
    assert response.status_code == 200


def test_login_is_throttled_after_repeated_failures(net, client, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(reverse("core:login"), {"username": "care", "password": "wrong"})
    response = client.post(reverse("core:login"), {"username": "care", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_pages_carry_a_content_security_policy(client, db):
    assert "default-src 'self'" in client.get(reverse("core:login")).headers["Content-Security-Policy"]
