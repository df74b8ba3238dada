#!/usr/bin/env python
"""The research export as a background job (issue 19): the web worker's memory before and after a
researcher asks for it. Small scale by default.

    cp /work/bench/small.sqlite3 /tmp/jobs-rss.sqlite3
    DATABASE_URL=sqlite:////tmp/jobs-rss.sqlite3 .venv/bin/python bench/jobs_rss.py

It migrates the copy, records a researcher with an agreement, starts gunicorn with one worker, then:
1. the research page (warm-up), RSS of the web worker;
2. POST "prepare the file": the request only queues the job; RSS again;
3. `manage.py run_jobs --batch` writes the file in its own process (time, its peak RSS); the
   progress page and the download are fetched through gunicorn; RSS again;
4. the old direct URL, which now only sends the researcher to the page that prepares the file (302).
Not part of the test run. See docs/jobs.md.
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from run import collect_static, configure_environment, create_session, start_gunicorn, stop  # noqa: E402

PORT = 8799


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def web_worker(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


class Browser:
    def __init__(self, session_key: str) -> None:
        from django.conf import settings

        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}

    def request(self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(
            method, path, body=body, headers={"Cookie": cookie, "Accept-Language": "nl-be", **(headers or {})}
        )
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        data = response.read()
        return response.status, dict(response.getheaders()), data


def main() -> None:
    configure_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkbrug.core.actor import Actor
    from werkbrug.network.models import Membership, Organisation, Role, User
    from werkbrug.reports.agreements import record_agreement

    call_command("migrate", verbosity=0)
    collect_static()
    year = datetime.date.today().year - 1
    user = User.objects.filter(username="bench-researcher").first()
    if user is None:
        user = User.objects.create_user("bench-researcher", "r@example.org", "x" * 20)
        org = Organisation.objects.order_by("pk").first()
        membership = Membership.objects.create(user=user, organisation=org, role=Role.RESEARCHER)
        admin = (
            Membership.objects.filter(role=Role.NETWORK_ADMIN, is_active=True).select_related("user").first()
        )
        record_agreement(
            Actor(user=admin.user, membership=admin),
            researcher=membership,
            project="bench",
            purpose="bench",
            from_year=year - 3,
            to_year=year,
            approved_on=datetime.date.today(),
            expires_on=datetime.date.today() + datetime.timedelta(days=30),
        )
    device = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})[0]
    browser = Browser(create_session(user, {DEVICE_ID_SESSION_KEY: device.persistent_id}))
    server = start_gunicorn(PORT, 1, 1)
    try:
        pid = web_worker(server.pid)
        status, _h, page = browser.request("GET", "/reports/research/")
        assert status == 200, status
        figures = [("after the research page", rss_mb(pid))]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        started = time.monotonic()
        status, headers, _body = browser.request(
            "POST",
            "/reports/research/prepare/",
            body=f"csrfmiddlewaretoken={token}&year={year}",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{PORT}/",
            },
        )
        queued = time.monotonic() - started
        assert status == 302, status
        progress = headers["Location"]
        figures.append(("after asking for the export (queued)", rss_mb(pid)))
        started = time.monotonic()
        job = subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "run_jobs",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            capture_output=True,
            check=True,
        )
        job_seconds = time.monotonic() - started
        job_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        status, _h, page = browser.request("GET", progress)
        rows = re.search(rb"(\d[\d.,]*) (?:rijen|rows|lignes)", page)
        file_path = re.search(rb'href="(/jobs/downloads/\d+/file/)"', page)[1].decode()
        status, _h, content = browser.request("GET", file_path)
        assert status == 200, status
        figures.append(("after the progress page and the download", rss_mb(pid)))
        status, _h, _direct = browser.request("GET", f"/reports/research-export.csv?year={year}")
        assert status == 302, status  # no longer streamed in the request (docs/jobs.md)
    finally:
        stop(server)
    print(f"research export {year}: {len(content):,} bytes, rows shown {rows[1].decode() if rows else '?'}")
    print(
        f"request that queues it: {queued * 1000:.0f} ms; job in the worker: {job_seconds:.1f} s (peak RSS of the worker process {job_peak:.0f} MB)"
    )
    for label, mb in figures:
        print(f"web worker RSS {label}: {mb:.1f} MB")
    print(job.stdout.decode()[-300:])
    print("load:", os.getloadavg())


if __name__ == "__main__":
    main()
