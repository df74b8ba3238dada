"""Health check, login, start pages per role, the funder's figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.accounts.twofactor import REQUIRED_ROLES
from werkbrug.testing import PASSWORD, totp_code


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
    if user.memberships.get().role in REQUIRED_ROLES:  # the second factor first (accounts/tests)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
        response = client.post(response.redirect_chain[-1][0], {"code": totp_code()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(start)
    assert response.status_code == 200


def test_login_is_throttled_after_repeated_failures(net, client, settings):
    # django-axes now (accounts/tests/test_throttle.py has the details and the 2-worker test).
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "care", "password": "wrong"})
    response = client.post(reverse("core:login"), {"username": "care", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_pages_carry_a_content_security_policy(client, db):
    assert "default-src 'self'" in client.get(reverse("core:login")).headers["Content-Security-Policy"]


def test_healthz_says_503_and_why_while_migrations_are_pending(client, db, monkeypatch):
    from werkbrug.core import views

    monkeypatch.setattr(views, "_migrations_applied", False)
    monkeypatch.setattr(
        views.MigrationExecutor,
        "migration_plan",
        lambda self, targets: [(self.loader.graph.nodes[("network", "0002_trajectorytype")], False)],
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert "network.0002_trajectorytype" in response.json()["problems"][0]


def test_healthz_says_503_when_the_data_directory_is_not_writable(client, db, settings, tmp_path):
    locked = tmp_path / "media"
    locked.mkdir()
    locked.chmod(0o500)
    settings.MEDIA_ROOT = str(locked)
    try:
        import os

        if os.access(locked, os.W_OK):  # root may write anywhere: make the folder a file instead
            locked.chmod(0o700)
            locked.rmdir()
            locked.write_text("not a folder")
        response = client.get("/healthz")
    finally:
        if locked.is_dir():
            locked.chmod(0o700)
    assert response.status_code == 503
    assert response.json()["storage"] == "error"
    assert any("data directory" in problem for problem in response.json()["problems"])


def test_healthz_is_ok_for_a_data_directory_made_on_the_first_upload(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "not-yet" / "media")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() | {"engine": None} == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "storage": "ok",
        "engine": None,
        "problems": [],
    }


def test_healthz_says_503_on_a_database_that_was_never_migrated(tmp_path):
    """A real, empty SQLite file and a fresh process, as an operator who forgot `migrate` has."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    code = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(json.dumps({**json.loads(r.content), 'http': r.status_code}))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "werkbrug.settings", "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["http"] == 503
    assert answer["migrations"] == "pending"
