"""More than one app host (issue 19, point 2): the settings that keep no state in a process. The
cache (the outreach booking throttle) is a table in the database in production, made by `migrate`;
a replica is configured from DATABASE_REPLICA_URL; error reports are scrubbed of client data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection

from werkbrug.core import errorreports
from werkbrug.core.apps import create_cache_table
from werkbrug.outreach.booking_actions import throttle_key, throttled
from werkbrug.outreach.tests import data as outreach_data

SRC = Path(__file__).resolve().parents[3]

SETTINGS_PROBE = """
import json
from werkbrug import settings as s
print(json.dumps({"cache": s.CACHES["default"], "databases": {k: {"ENGINE": v["ENGINE"], "NAME": v["NAME"],
    "TEST": v.get("TEST"), "OPTIONS": v.get("OPTIONS")} for k, v in s.DATABASES.items()},
    "routers": s.DATABASE_ROUTERS, "max_lag": s.WERKBRUG_REPLICA_MAX_LAG_SECONDS}))
"""


def settings_with(**env: str) -> dict:
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "PSEUDONYM_KEY": "y" * 50,
        "ALLOWED_HOSTS": "a.example",
    }
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", SETTINGS_PROBE],
        env={
            **keep,
            **production,
            "PYTHONPATH": str(SRC),
            "WERKBRUG_VAR_DIR": str(Path(tempfile.gettempdir()) / "werkbrug-probe"),
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_production_uses_the_database_cache_and_a_laptop_its_own():
    assert settings_with()["cache"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "werkbrug_cache",
    }
    assert settings_with(DEBUG="true")["cache"]["BACKEND"].endswith("LocMemCache")
    assert settings_with(DEBUG="true", WERKBRUG_CACHE="database")["cache"]["BACKEND"].endswith(
        "DatabaseCache"
    )


def test_a_replica_url_adds_the_replica_database_mirrored_in_tests():
    found = settings_with(
        DATABASE_URL="postgres://wb:pw@primary:5432/werkbrug",
        DATABASE_REPLICA_URL="postgres://wb:pw@standby:5432/werkbrug",
        WERKBRUG_REPLICA_MAX_LAG_SECONDS="12",
    )
    replica = found["databases"]["replica"]
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["connect_timeout"] == 3
    assert found["max_lag"] == 12
    assert found["routers"] == ["werkbrug.core.replica.ReplicaRouter"]
    assert "replica" not in settings_with()["databases"]


def test_a_bad_cache_setting_stops_the_start():
    with pytest.raises(subprocess.CalledProcessError) as failed:
        settings_with(WERKBRUG_CACHE="memcached")
    assert "WERKBRUG_CACHE" in failed.value.stderr


@pytest.fixture
def database_cache(settings):
    # Django's setting_changed receiver gives the cache handler the new settings, and back after.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "werkbrug_cache"}
    }


def test_migrate_makes_the_cache_table_whatever_the_cache_of_the_process(db):
    assert "werkbrug_cache" in connection.introspection.table_names()  # the test database was migrated
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE werkbrug_cache")
    assert "werkbrug_cache" not in connection.introspection.table_names()
    create_cache_table(using="default", verbosity=0)  # what migrate runs afterwards (core.apps)
    assert "werkbrug_cache" in connection.introspection.table_names()
    create_cache_table(using="default", verbosity=0)  # and again: nothing happens


def test_the_booking_throttle_counts_in_the_shared_cache_table(net, database_cache, settings):
    site = outreach_data.site(net)
    settings.OUTREACH_BOOKINGS_PER_ADDRESS_PER_HOUR = 2
    assert [throttled(site, "192.0.2.7") for _ in range(3)] == [False, False, True]
    # Another host: its own cache object, the same table.
    other_host = caches.create_connection("default")
    assert other_host.get(throttle_key("address", "192.0.2.7")) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM werkbrug_cache")
        assert cursor.fetchone()[0] == 2  # per address and per site; the address itself is hashed


# --- error reports -----------------------------------------------------------------------------------


def test_an_error_report_keeps_where_and_drops_everything_that_may_hold_client_data():
    secret_name, insz = "Vermeulenbeek", "87110324562"
    event = {
        "request": {
            "url": f"https://werkbrug.example/clients/12/?q={secret_name}",
            "method": "POST",
            "query_string": f"q={secret_name}",
            "data": {"last_name": secret_name, "insz": insz},
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "Referer": f"/clients/?q={secret_name}"},
        },
        "user": {"id": 4, "username": "coach", "email": "coach@example.org"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": f"duplicate key value (insz)=({insz})",
                    "stacktrace": {
                        "frames": [{"function": "save", "lineno": 3, "vars": {"name": secret_name}}]
                    },
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [{"vars": {"insz": insz}}]}}]},
        "breadcrumbs": {"values": [{"message": f"SELECT ... WHERE last_name = '{secret_name}'"}]},
        "extra": {"client": secret_name},
        "logentry": {"message": f"client {secret_name}"},
    }
    scrubbed = errorreports.scrub(event, {})
    text = json.dumps(scrubbed)
    for secret in (secret_name, insz, "sessionid", "coach@example.org", '"coach"'):
        assert secret not in text, secret
    assert scrubbed["request"] == {"url": "https://werkbrug.example/clients/12/", "method": "POST"}
    assert scrubbed["user"] == {"id": 4}
    assert scrubbed["exception"]["values"][0]["type"] == "IntegrityError"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["function"] == "save"


def test_error_reports_are_set_up_without_personal_data_or_local_variables(monkeypatch):
    import sentry_sdk

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: seen.update(options))
    errorreports.init("https://public@errors.example/1", environment="test")
    assert seen["dsn"] == "https://public@errors.example/1"
    assert seen["send_default_pii"] is False
    assert seen["include_local_variables"] is False
    assert seen["max_request_body_size"] == "never"
    assert seen["max_breadcrumbs"] == 0
    assert seen["before_send"] is errorreports.scrub
