"""A real server with two worker processes (gunicorn -w 2, DEBUG off, static files by whitenoise)
against the test database: logout ends the session on every worker, and five wrong passwords lock
the account whichever worker answers (issue 13 point 9; the old per-process cache let the cookie live
on and the lock came at attempt 10)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from werkbrug.network.models import ApiToken
from werkbrug.testing import PASSWORD

ROOT = Path(__file__).resolve().parents[4]
SRC = ROOT / "src"


def database_url() -> str:
    """The test database, as the server's settings read it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert db["NAME"] and "memory" not in str(db["NAME"]), "the SQLite test database must be a file"
        return "sqlite://" + quote(str(Path(db["NAME"]).resolve()))
    auth = quote(db["USER"]) + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn with two workers; every answer is in its access log with the worker's pid."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.access_log = tmp / "access.log"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "werkbrug.settings",
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "PSEUDONYM_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "WERKBRUG_VAR_DIR": str(tmp / "var"),
            "LOG_LEVEL": "ERROR",
        }
        # DEBUG off serves the collected, fingerprinted files (whitenoise's manifest storage).
        subprocess.run(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
            env=self.env,
            check=True,
            cwd=ROOT,
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [
                *(
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "werkbrug.wsgi",
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{self.port}",
                ),
                *("--access-logfile", str(self.access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"),
                *("--error-logfile", str(tmp / "error.log")),
            ],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (tmp / "error.log").read_text()
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /healthz")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)

    def request(
        self,
        method: str,
        path: str,
        cookies: dict[str, str] | None = None,
        body: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        """One request on a connection of its own: (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        data = None
        if body is not None:
            data = "&".join(f"{k}={quote(v)}" for k, v in body.items())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode(errors="replace")
        finally:
            conn.close()

    def pids(self, method: str, path: str) -> list[str]:
        """The workers that answered `method path`, in the order of the access log."""
        time.sleep(0.3)  # the log is written after the answer
        lines = self.access_log.read_text().splitlines()
        return [line.split()[0] for line in lines if line.split()[1:3] == [method, path]]


def cookies_of(headers: dict[str, str], into: dict[str, str]) -> dict[str, str]:
    for name, value in re.findall(r"(csrftoken|sessionid)=([^;]*)", headers.get("Set-Cookie", "")):
        into[name] = value
    return into


def csrf(server: Server, jar: dict[str, str]) -> str:
    _status, headers, body = server.request("GET", reverse("core:login"), jar)
    cookies_of(headers, jar)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def log_in(server: Server, username: str, password: str, jar: dict[str, str], token: str) -> int:
    status, headers, _body = server.request(
        "POST",
        reverse("core:login"),
        jar,
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    cookies_of(headers, jar)
    return status


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture
def people(tnet):
    """The personas, with passwords the server can check: the tests hash with MD5 for speed
    (conftest.py), the server knows only its production hashers."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    type(tnet.care).objects.filter(username__in=["care", "coach"]).update(
        password=hasher.encode(PASSWORD, hasher.salt())
    )
    return tnet


def at_once(calls: int, call):
    """`calls` requests side by side, each on its own connection, so that both workers answer."""
    with ThreadPoolExecutor(max_workers=calls) as pool:
        return list(pool.map(lambda _i: call(), range(calls)))


@pytest.mark.django_db(transaction=True)
def test_after_logout_the_old_cookie_gets_the_login_page_on_every_worker(server, people):
    jar: dict[str, str] = {}
    token = csrf(server, jar)
    assert log_in(server, "care", PASSWORD, jar, token) == 302
    old = dict(jar)
    mine = reverse("referrals:mine")
    assert all(status == 200 for status, _h, _b in at_once(4, lambda: server.request("GET", mine, old)))

    assert server.request("POST", reverse("core:logout"), old, {"csrfmiddlewaretoken": token})[0] == 302
    tokens_before = ApiToken.objects.count()
    answers = at_once(20, lambda: server.request("GET", mine, old))
    answers += at_once(
        4,
        lambda: server.request(
            "POST", reverse("api:tokens"), old, {"csrfmiddlewaretoken": token, "name": "x"}
        ),
    )
    for status, headers, _body in answers:
        assert status == 302
        assert headers["Location"].startswith(reverse("core:login") + "?next=")
    assert ApiToken.objects.count() == tokens_before
    after_logout = server.pids("GET", mine)[-20:]
    assert len(after_logout) == 20
    assert len(set(after_logout)) == 2, "both workers answered the old cookie"


@pytest.mark.django_db(transaction=True)
def test_five_wrong_passwords_lock_the_account_whichever_worker_answers(server, people):
    jar: dict[str, str] = {}
    token = csrf(server, jar)
    wrong = at_once(5, lambda: log_in(server, "coach", "wrong-password", dict(jar), token))
    assert sorted(wrong) == [200, 200, 200, 200, 429]  # the fifth failure locks
    status, headers, body = server.request(
        "POST",
        reverse("core:login"),
        jar,
        {"csrfmiddlewaretoken": token, "username": "coach", "password": PASSWORD},
    )
    assert status == 429
    assert "Te veel mislukte pogingen" in body  # the login page with the reason, in Dutch
    assert "sessionid" not in cookies_of(headers, {})
    # The same lock on the other worker too: a few more tries with the right password, side by side.
    again = at_once(
        4,
        lambda: server.request(
            "POST",
            reverse("core:login"),
            jar,
            {"csrfmiddlewaretoken": token, "username": "coach", "password": PASSWORD},
        )[0],
    )
    assert again == [429] * 4
    assert len(set(server.pids("POST", reverse("core:login"))[-10:])) == 2, "both workers answered"
    # Another account logs in as usual.
    assert log_in(server, "care", PASSWORD, dict(jar), token) == 302
