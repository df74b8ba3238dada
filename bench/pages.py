#!/usr/bin/env python
"""Page bench over every page people use, per role (issue 14): the list in werkbrug.core.benchpages,
each page opened by a persona sampled from the generated data, against a real gunicorn.

    DATABASE_URL=sqlite:////tmp/bench-small.sqlite3 .venv/bin/python bench/pages.py --json bench/out/small.json
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/pages.py --compare bench/out/small.json

Per page it prints: queries (in-process, second request), bytes, p50/p95 at 1 user, p50/p95 at
8 users who each wait 0.5-1.5 s between requests, the closed-loop (no wait) p50/p95 and requests/s
per core at 8 users, and the ratio of the 1-user p50 to /healthz's in the same run (fetched before
every page request, the pages in rounds: page and floor meet the same machine); with
`--compare other.json` also the growth factor of the 1-user p50 from that run to this one, and that
of its ratio to /healthz ("growth x": the machine's drift between the two runs taken out).
It reuses bench/run.py's environment, sessions, gunicorn and timing helpers. See docs/bench.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from run import (
    collect_static,
    configure_environment,
    create_session,
    data_summary,
    delete_session_keys,
    fetch,
    percentile,
    setup_django,
    start_gunicorn,
    stop,
)

PHASES = ("single", "think", "closed")
# Seconds of /healthz before each page at 1 user: the floor measured all through that phase.
FLOOR_SECONDS = 0.5


@dataclass
class Persona:
    role: str
    user_id: int
    username: str
    picks: dict[str, list[int]]
    session_key: str = ""


@dataclass
class Measured:
    page: object  # werkbrug.core.benchpages.BenchPage
    queries: int | None = None
    bytes: int | None = None
    samples: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PHASES})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PHASES, 0))
    error_examples: list[str] = field(default_factory=list)


# --- personas ----------------------------------------------------------------------------------


def _open_trajectories():
    from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

    return Trajectory.objects.filter(
        status__in=[TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED], coach__isnull=False
    )


def _users_with_role(role: str, user_ids: list[int]) -> list[tuple[int, int]]:
    """(user, organisation) of the first active membership with this role, for these users: the
    membership a fresh session starts in must be the one that sees the page's rows."""
    from werkbrug.network.models import Membership

    first: dict[int, tuple[int, int]] = {}
    for user_id, org_id, membership_role in (
        Membership.objects.filter(user_id__in=user_ids, is_active=True)
        .order_by("user_id", "pk")
        .values_list("user_id", "organisation_id", "role")
    ):
        first.setdefault(user_id, (org_id, membership_role))
    return [(u, org) for u, (org, r) in first.items() if r == role]


def sample_coaches(count: int, rng: random.Random) -> list[Persona]:
    """Coaches with open trajectories they lead; picks: clients of the caseload, led trajectories."""
    from werkbrug.network.models import Role

    coach_ids = sorted(set(_open_trajectories().values_list("coach_id", flat=True)))
    chosen = rng.sample(coach_ids, min(count * 3, len(coach_ids)))
    personas = []
    for user_id, org_id in _users_with_role(Role.COACH, chosen)[:count]:
        rows = list(
            _open_trajectories()
            .filter(coach_id=user_id, lead_organisation_id=org_id)
            .values_list("pk", "client_id")[:50]
        )
        if rows:
            picks = {
                "led_trajectory": [t for t, _ in rows],
                "caseload_client": [c for _, c in rows],
                "employer": _employers_of(org_id),
            }
            personas.append(Persona("coach", user_id, "", picks))
    return personas


def _employers_of(org_id: int) -> list[int]:
    """Employers this organisation had job development contacts with (any employer otherwise)."""
    from werkbrug.employers.models import Employer, EmployerContact

    ids = list(
        EmployerContact.objects.filter(organisation_id=org_id)
        .order_by("-on")
        .values_list("employer_id", flat=True)[:200]
    )
    return sorted(set(ids))[:50] or list(Employer.objects.order_by("pk").values_list("pk", flat=True)[:50])


def sample_screeners(count: int, rng: random.Random) -> list[Persona]:
    from werkbrug.network.models import ReferralLine, Role
    from werkbrug.referrals.models import OPEN_STATUSES

    busy = ReferralLine.objects.filter(referral__status__in=OPEN_STATUSES).values("screeners").distinct()
    ids = sorted({row["screeners"] for row in busy if row["screeners"]})
    chosen = rng.sample(ids, min(count * 3, len(ids)))
    return [Persona("screener", u, "", {}) for u, _ in _users_with_role(Role.SCREENER, chosen)[:count]]


def sample_coordinators(count: int, rng: random.Random) -> list[Persona]:
    """Coordinators of an organisation with incoming handovers to answer; any coordinators only where
    no organisation has one. Fewer than `count` where fewer have them (the small scale has two): a
    coordinator with nothing to answer opens another page (no answer forms), so a mix would compare
    unlike pages across scales (docs/bench.md)."""
    from werkbrug.network.models import Membership, Role
    from werkbrug.trajectories.models import Handover, HandoverStatus

    receiving = set(
        Handover.objects.filter(status=HandoverStatus.PROPOSED).values_list("to_organisation_id", flat=True)
    )
    ids = list(
        Membership.objects.filter(role=Role.COORDINATOR, is_active=True).values_list("user_id", flat=True)
    )
    ranked = _users_with_role(Role.COORDINATOR, sorted(set(ids)))
    rng.shuffle(ranked)
    answering = [row for row in ranked if row[1] in receiving]
    return [Persona("coordinator", u, "", {}) for u, _ in (answering or ranked)[:count]]


def sample_care(count: int, rng: random.Random) -> list[Persona]:
    """Care professionals who referred; picks: clients their organisation registered or referred."""
    from werkbrug.clients.access import visible_clients
    from werkbrug.core.actor import Actor
    from werkbrug.network.models import Membership, Role, User
    from werkbrug.referrals.models import Referral

    ids = sorted(set(Referral.objects.values_list("referred_by_id", flat=True)) - {None})
    chosen = rng.sample(ids, min(count * 3, len(ids)))
    personas = []
    for user_id, org_id in _users_with_role(Role.CARE_PROFESSIONAL, chosen)[:count]:
        membership = Membership.objects.select_related("organisation").get(
            user_id=user_id, organisation_id=org_id, role=Role.CARE_PROFESSIONAL
        )
        actor = Actor(user=User.objects.get(pk=user_id), membership=membership)
        clients = list(visible_clients(actor).order_by("pk").values_list("pk", flat=True)[:50])
        if clients:
            personas.append(Persona("care", user_id, "", {"referable_client": clients}))
    return personas


def sample_team_members(count: int, rng: random.Random) -> list[Persona]:
    """Members of a case team with a meeting that has case items; picks: those meetings and items."""
    from werkbrug.teams.models import AgendaItem, TeamMember

    items = list(
        AgendaItem.objects.filter(case__isnull=False).values_list("pk", "meeting_id", "meeting__team_id")
    )
    by_team: dict[int, list[tuple[int, int]]] = {}
    for item, meeting, team in items:
        by_team.setdefault(team, []).append((item, meeting))
    members = list(
        TeamMember.objects.filter(team_id__in=list(by_team)).values_list(
            "user_id", "team_id", "organisation_id"
        )
    )
    rng.shuffle(members)
    personas, seen = [], set()
    for user_id, team_id, org_id in members:
        if user_id in seen or len(personas) >= count:
            continue
        if dict(_first_memberships([user_id])).get(user_id) != org_id:
            continue  # the session would start in another organisation than the team seat
        seen.add(user_id)
        rows = by_team[team_id][:50]
        picks = {"agenda_item": [i for i, _ in rows], "meeting": sorted({m for _, m in rows})}
        personas.append(Persona("team_member", user_id, "", picks))
    return personas


def _first_memberships(user_ids: list[int]) -> list[tuple[int, int]]:
    from werkbrug.network.models import Membership

    first: dict[int, int] = {}
    for user_id, org_id in (
        Membership.objects.filter(user_id__in=user_ids, is_active=True)
        .order_by("user_id", "pk")
        .values_list("user_id", "organisation_id")
    ):
        first.setdefault(user_id, org_id)
    return list(first.items())


def sample_work_partners(count: int, rng: random.Random) -> list[Persona]:
    """Coaches of a work organisation that an active profile consent shares sections with; picks:
    those clients (the page is 404 unless the organisation also sees the file)."""
    from werkbrug.clients.access import readable_sections
    from werkbrug.clients.models import Consent, ConsentPurpose
    from werkbrug.core.actor import Actor
    from werkbrug.network.models import Membership, Role

    shared: dict[int, list[int]] = {}
    for client_id, org_id in (
        Consent.objects.active()
        .filter(purpose=ConsentPurpose.PROFILE)
        .values_list("client_id", "recipient_id")
    ):
        shared.setdefault(org_id, []).append(client_id)
    coaches = list(
        Membership.objects.filter(role=Role.COACH, is_active=True, organisation_id__in=list(shared))
        .select_related("user", "organisation")
        .order_by("pk")
    )
    rng.shuffle(coaches)
    personas = []
    for membership in coaches:
        if (
            len(personas) >= count
            or dict(_first_memberships([membership.user_id])).get(membership.user_id)
            != membership.organisation_id
        ):
            continue
        actor = Actor(user=membership.user, membership=membership)
        clients = [c for c in shared[membership.organisation_id][:20] if readable_sections(actor, c)]
        if clients:
            personas.append(Persona("work_partner", membership.user_id, "", {"profile_client": clients}))
    return personas


def sample_funders(count: int, rng: random.Random) -> list[Persona]:
    from werkbrug.network.models import Membership, Role

    ids = sorted(
        set(Membership.objects.filter(role=Role.FUNDER, is_active=True).values_list("user_id", flat=True))
    )
    chosen = rng.sample(ids, min(count * 3, len(ids)))
    return [Persona("funder", u, "", {}) for u, _ in _users_with_role(Role.FUNDER, chosen)[:count]]


SAMPLERS = {
    "coach": sample_coaches,
    "screener": sample_screeners,
    "coordinator": sample_coordinators,
    "care": sample_care,
    "team_member": sample_team_members,
    "work_partner": sample_work_partners,
    "funder": sample_funders,
}


def sample_personas(roles: set[str], count: int, rng: random.Random) -> dict[str, list[Persona]]:
    from werkbrug.network.models import User

    found: dict[str, list[Persona]] = {"anonymous": [Persona("anonymous", 0, "(anonymous)", {})]}
    for role in sorted(roles - {"anonymous"}):
        found[role] = SAMPLERS[role](count, rng)
    names = dict(
        User.objects.filter(pk__in=[p.user_id for ps in found.values() for p in ps]).values_list(
            "pk", "username"
        )
    )
    for personas in found.values():
        for persona in personas:
            persona.username = names.get(persona.user_id, persona.username)
    return found


def create_persona_sessions(personas: dict[str, list[Persona]]) -> list[int]:
    """A session per persona; those who must give a second factor (coordinators, funders) get a
    confirmed TOTP device if they have none, and the session says they gave it. Returns the ids of
    the devices made here, to delete afterwards."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkbrug.network.models import User

    made = []
    users = User.objects.in_bulk([p.user_id for ps in personas.values() for p in ps if p.user_id])
    for persona in (p for ps in personas.values() for p in ps if p.user_id):
        user = users[persona.user_id]
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and persona.role in ("coordinator", "funder"):
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            made.append(device.pk)
        extra = {DEVICE_ID_SESSION_KEY: device.persistent_id} if device is not None else {}
        persona.session_key = create_session(user, extra)
    return made


def url_for(page, persona: Persona, rng: random.Random) -> str:
    from django.urls import reverse

    picks = {kind: rng.choice(persona.picks[kind]) for kind in page.argument_kinds}
    return reverse(page.url_name, args=page.url_args(picks))


def all_urls(page, persona: Persona) -> list[str]:
    """Every URL of this page the persona's picks give (each pick on its own, the others first)."""
    from django.urls import reverse

    kinds = page.argument_kinds
    if not kinds:
        return [reverse(page.url_name, args=page.url_args({}))]
    urls = []
    for kind in kinds:
        for value in persona.picks[kind]:
            picks = {k: persona.picks[k][0] for k in kinds} | {kind: value}
            urls.append(reverse(page.url_name, args=page.url_args(picks)))
    return sorted(set(urls))


# --- in-process: statuses, queries, bytes ------------------------------------------------------


def check_in_process(measured: list[Measured], personas: dict[str, list[Persona]], rng: random.Random) -> int:
    """Opens every sampled URL of every page as its persona (the count of non-200 answers is
    returned and must be 0); counts each page's queries and bytes on one URL, second request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    failed = 0
    for m in measured:
        for persona in personas[m.page.persona]:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = persona.session_key
            for url in all_urls(m.page, persona):
                status = client.get(url).status_code
                if status != 200:
                    failed += 1
                    if len(m.error_examples) < 3:
                        m.error_examples.append(f"{persona.username} {url}: HTTP {status} in-process")
        persona = personas[m.page.persona][0]
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = persona.session_key
        url = url_for(m.page, persona, rng)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        m.queries, m.bytes = len(captured), len(response.content)
    return failed


# --- over HTTP ---------------------------------------------------------------------------------


def run_phase(
    port: int,
    phase: str,
    measured: list[Measured],
    personas: dict[str, list[Persona]],
    users: int,
    duration: float,
    think: tuple[float, float] | None,
    seed: int,
) -> float:
    """`users` threads open the pages in turn (each a random persona of the page's role) for
    `duration` seconds, waiting a random think time between requests when `think` is given.
    Returns the measured wall time."""
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        turn = rng.randrange(len(measured))
        while time.perf_counter() < stop_at:
            m = measured[turn % len(measured)]
            turn += 1
            persona = rng.choice(personas[m.page.persona])
            path = url_for(m.page, persona, rng)
            try:
                status, ms = fetch(conn, path, persona.session_key)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, ms, detail = 0, 0.0, f"{path}: {exc!r}"
            else:
                detail = f"{path}: HTTP {status}"
            with lock:
                if status == 200:
                    m.samples[phase].append(ms)
                else:
                    m.errors[phase] += 1
                    if len(m.error_examples) < 3:
                        m.error_examples.append(f"{phase} {persona.username} {detail}")
            if think is not None:
                time.sleep(rng.uniform(*think))

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 120)
    return time.perf_counter() - began


def run_single(
    port: int,
    measured: list[Measured],
    personas: dict[str, list[Persona]],
    seconds: float,
    seed: int,
    order: str = "rounds",
) -> list[float]:
    """One user, `seconds` per page in all (after 3 unmeasured requests a page), with /healthz, the
    floor, measured all through the phase; returns the floor's samples. This machine's speed drifts
    by up to half within minutes (docs/bench.md, "The floor").

    - `rounds` (the default): round after round, every page once in a new random order, each
      request after one to /healthz. Every page and the floor meet the same machine, so a page's
      ratio to the floor does not depend on where in the phase it stood.
    - `blocks`: one page after the other, `seconds` each, with /healthz for FLOOR_SECONDS before
      each page (the bench until s44): a page measured in a slow minute shows a higher ratio."""
    from django.urls import reverse

    from werkbrug.core.benchpages import FLOOR, pages_by_key

    floor_url = reverse(pages_by_key(FLOOR)[0].url_name)
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    floor: list[float] = []

    def floor_sample() -> None:
        status, ms = fetch(conn, floor_url, "")
        if status == 200:
            floor.append(ms)

    def page_sample(m: Measured, record: bool = True) -> None:
        persona = rng.choice(personas[m.page.persona])
        status, ms = fetch(conn, url_for(m.page, persona, rng), persona.session_key)
        if not record:
            return
        if status == 200:
            m.samples["single"].append(ms)
        else:
            m.errors["single"] += 1

    if order == "rounds":
        for m in measured:
            for _ in range(3):
                page_sample(m, record=False)
        stop_at = time.perf_counter() + seconds * len(measured)
        shuffled = list(measured)
        while time.perf_counter() < stop_at:  # whole rounds: every page the same number of times
            rng.shuffle(shuffled)
            for m in shuffled:
                floor_sample()
                page_sample(m)
        return floor
    for m in measured:
        stop_at = time.perf_counter() + FLOOR_SECONDS
        while time.perf_counter() < stop_at:
            floor_sample()
        for _ in range(3):
            page_sample(m, record=False)
        stop_at = time.perf_counter() + seconds
        while time.perf_counter() < stop_at:
            page_sample(m)
    return floor


def serve_urls(
    path: Path,
    port: int,
    measured: list[Measured],
    personas: dict[str, list[Persona]],
    summary: dict,
    failed: int,
) -> None:
    """For bench/growth.py: every URL of every page per persona, with the persona's session, and the
    floor's URL, written to `path` once gunicorn answers; then waits until standard input closes (the
    caller cleans up by closing it: the sessions and devices are deleted in main's `finally`)."""
    from django.conf import settings
    from django.urls import reverse

    from werkbrug.core.benchpages import FLOOR, pages_by_key

    served = {
        "port": port,
        "cookie": settings.SESSION_COOKIE_NAME,
        "floor": reverse(pages_by_key(FLOOR)[0].url_name),
        "summary": summary,
        "non_200": failed,
        "pages": {
            m.page.key: [[p.session_key, all_urls(m.page, p), p.username] for p in personas[m.page.persona]]
            for m in measured
        },
    }
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(served))
    partial.replace(path)  # the caller sees the whole file or none
    sys.stdin.read()


# --- report ------------------------------------------------------------------------------------


def figures(
    measured: list[Measured], walls: dict[str, float], compare: dict | None, floor_samples: list[float]
) -> dict[str, dict]:
    cores = os.cpu_count() or 1
    result: dict[str, dict] = {}
    for m in measured:
        row: dict[str, object] = {"queries": m.queries, "bytes": m.bytes}
        for phase in PHASES:
            values = m.samples[phase]
            row[f"{phase}_n"] = len(values)
            row[f"{phase}_errors"] = m.errors[phase]
            row[f"{phase}_p50_ms"] = round(percentile(values, 0.5), 1)
            row[f"{phase}_p95_ms"] = round(percentile(values, 0.95), 1)
        row["closed_req_per_s_per_core"] = (
            round(len(m.samples["closed"]) / walls["closed"] / cores, 2) if walls.get("closed") else None
        )
        result[m.page.key] = row
    # The 1-user floor: /healthz all through the phase, not only where it stands in the list.
    floor = percentile(floor_samples, 0.5) if floor_samples else None
    for key, row in result.items():
        row["floor_p50_ms"] = round(floor, 2) if floor else None
        row["x_healthz"] = round(row["single_p50_ms"] / floor, 1) if floor else None
        other = (compare or {}).get("pages", {}).get(key)
        row["growth"] = (
            round(row["single_p50_ms"] / other["single_p50_ms"], 2)
            if other and other.get("single_p50_ms")
            else None
        )
        # The growth of the page's ratio to /healthz: what the data's size added, without the
        # machine's drift between the two runs (/healthz does not grow with the data; docs/bench.md).
        row["growth_x_healthz"] = (
            round(row["x_healthz"] / other["x_healthz"], 2)
            if row["x_healthz"] and other and other.get("x_healthz")
            else None
        )
        row["p95_think_over_p50_single"] = (
            round(row["think_p95_ms"] / row["single_p50_ms"], 2) if row["single_p50_ms"] else None
        )
    return result


def print_table(pages: dict[str, dict], measured: list[Measured]) -> None:
    header = (
        f"{'page':<28}{'queries':>8}{'KB':>7}{'1u p50':>8}{'p95':>7}{'8u p50':>8}{'p95':>7}"
        f"{'p95/p50':>8}{'closed p50':>11}{'p95':>7}{'req/s/core':>11}{'x healthz':>10}{'growth':>8}"
        f"{'growth x':>9}"
    )
    print(header)
    print("-" * len(header))
    for m in measured:
        row = pages[m.page.key]

        def f(value: object, fmt: str = ".1f") -> str:
            return "-" if value is None or value != value else format(value, fmt)

        print(
            f"{m.page.key:<28}{f(row['queries'], 'd'):>8}{f((row['bytes'] or 0) / 1024):>7}"
            f"{f(row['single_p50_ms']):>8}{f(row['single_p95_ms']):>7}{f(row['think_p50_ms']):>8}"
            f"{f(row['think_p95_ms']):>7}{f(row['p95_think_over_p50_single'], '.2f'):>8}"
            f"{f(row['closed_p50_ms']):>11}{f(row['closed_p95_ms']):>7}"
            f"{f(row['closed_req_per_s_per_core'], '.2f'):>11}{f(row['x_healthz']):>10}{f(row['growth'], '.2f'):>8}"
            f"{f(row['growth_x_healthz'], '.2f'):>9}"
        )
        errors = {p: m.errors[p] for p in PHASES if m.errors[p]}
        if errors or m.error_examples:
            print(f"    errors {errors}: {'; '.join(m.error_examples)}")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--pages", default="", help="comma-separated page keys (default: all); 'report' for every report"
    )
    parser.add_argument("--personas", type=int, default=5, help="users sampled per role")
    parser.add_argument("--single", type=float, default=4.0, help="seconds per page at 1 user")
    parser.add_argument(
        "--single-order",
        choices=("rounds", "blocks"),
        default="rounds",
        help="1 user: every page once a round, each after /healthz (default), or each page in one block",
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at 8 users with think time")
    parser.add_argument("--closed", type=float, default=20.0, help="seconds at 8 users without think time")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--compare", type=Path, help="a JSON of another run (small scale): growth factors")
    parser.add_argument(
        "--serve-urls",
        type=Path,
        help="sample, check and serve only: write every page's URLs and sessions here, keep gunicorn "
        "up until standard input closes (bench/growth.py measures two of these in turns)",
    )
    args = parser.parse_args()

    configure_environment()
    setup_django()
    from werkbrug.core.benchpages import pages_by_key

    print(f"load average at start: {load_average()}")
    collect_static()
    rng = random.Random(args.seed)
    summary = data_summary()
    pages = pages_by_key(args.pages)
    # Every role is sampled, in the same order, whatever --pages selects: a run of a few pages meets
    # the same personas as a run of all of them.
    sampled = sample_personas({p.persona for p in pages_by_key("")}, args.personas, rng)
    personas = {role: ps for role, ps in sampled.items() if role in {p.persona for p in pages}}
    missing = sorted(role for role in {p.persona for p in pages} if not personas.get(role))
    if missing:
        print(f"no persona found for {', '.join(missing)}: their pages are skipped (generate data first)")
    measured = [Measured(p) for p in pages if personas.get(p.persona)]
    devices = create_persona_sessions(personas)
    process = None
    try:
        failed = check_in_process(measured, personas, rng)
        print(
            "personas: "
            + ", ".join(f"{role} {len(ps)}" for role, ps in personas.items())
            + f" · sampled URLs answering non-200 in-process: {failed}"
        )
        process = start_gunicorn(args.port, args.workers, args.threads)
        if args.serve_urls:
            serve_urls(args.serve_urls, args.port, measured, personas, summary, failed)
            return
        floor_samples = run_single(args.port, measured, personas, args.single, args.seed, args.single_order)
        walls = {
            "think": run_phase(
                args.port,
                "think",
                measured,
                personas,
                args.users,
                args.duration,
                tuple(args.think),
                args.seed,
            ),
            "closed": run_phase(
                args.port, "closed", measured, personas, args.users, args.closed, None, args.seed + 1
            ),
        }
        compare = json.loads(args.compare.read_text()) if args.compare else None
        result_pages = figures(measured, walls, compare, floor_samples)
        print()
        print(
            f"Werkbrug page bench · {summary['engine']} ({summary['database']}) · {summary['clients']:,} clients, "
            f"{summary['trajectories']:,} trajectories, {summary['contacts']:,} contacts · gunicorn -w {args.workers} "
            f"--threads {args.threads} · {os.cpu_count()} cores · 1 user {args.single:.0f} s a page "
            f"({args.single_order}), {args.users} users "
            f"with {args.think[0]}-{args.think[1]} s think time {walls['think']:.0f} s, closed loop {walls['closed']:.0f} s"
        )
        print_table(result_pages, measured)
        if floor_samples:
            print(
                "floor: /healthz at 1 user over the whole phase, "
                + (
                    "one request before each page's: "
                    if args.single_order == "rounds"
                    else f"{FLOOR_SECONDS} s before each page: "
                )
                + f"p50 {percentile(floor_samples, 0.5):.2f} ms, p95 {percentile(floor_samples, 0.95):.2f} ms "
                f"({len(floor_samples)} requests)"
            )
        end_load = load_average()
        print(f"load average at end: {end_load}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            result = {
                "summary": summary,
                "walls_s": walls,
                "single_order": args.single_order,
                "load_end": end_load,
                "non_200": failed,
                "pages": result_pages,
            }
            args.json.write_text(json.dumps(result, indent=2))
    finally:
        if process is not None:
            stop(process)
        delete_session_keys([p.session_key for ps in personas.values() for p in ps])
        if devices:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            TOTPDevice.objects.filter(pk__in=devices).delete()


if __name__ == "__main__":
    main()
