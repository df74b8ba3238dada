"""Test personas and a small network, shared by the tests (DESIGN §4.5).

Everything is built through the same actions the application uses, so the tests exercise the real
write paths. Not imported by the application itself.
"""

from __future__ import annotations

import binascii
import datetime
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections
from django.test import Client as WebClient
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts import twofactor
from werkbrug.clients.actions import Evidence, grant_consent, register_client
from werkbrug.clients.models import Client, Consent, ConsentPurpose, EvidenceKind
from werkbrug.core.actor import Actor
from werkbrug.network.defaults import ensure_default_types
from werkbrug.network.indications import ensure_first_draaiboek
from werkbrug.network.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import Referral
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Handover, Trajectory

PASSWORD = "demo-wachtwoord-2026"
SIGNED = Evidence(EvidenceKind.SIGNED_FORM, "")
# The authenticator secret of every test persona whose role requires two-step login (hex, as
# django-otp stores it; RFC 4226's test key). `totp_code()` computes the app's current code.
TOTP_KEY = binascii.hexlify(b"12345678901234567890").decode()


def query_plan(sql: str, params: Any) -> str:
    """The database's plan for a statement, its lines joined: SQLite's `EXPLAIN QUERY PLAN`,
    PostgreSQL's `EXPLAIN`."""
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def make_user(username: str, organisation: Organisation, role: Role, **extra: object) -> User:
    """A user with one membership. A role that requires two-step login gets a confirmed
    authenticator device with TOTP_KEY, as if the person had set it up."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.split("_")[0].capitalize(),
        last_name=organisation.name.split()[0],
        email=f"{username}@example.org",
    )
    Membership.objects.create(user=user, organisation=organisation, role=role, **extra)
    if role in twofactor.REQUIRED_ROLES:
        give_authenticator(user)
    return user


def give_authenticator(user: User, key: str = TOTP_KEY) -> TOTPDevice:
    """A confirmed authenticator device for `user` with a known secret."""
    return TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def totp_code(key: str = TOTP_KEY, at: datetime.datetime | None = None) -> str:
    """The 6 digits an authenticator app shows for `key` now (or at `at`)."""
    generator = TOTP(binascii.unhexlify(key))
    if at is not None:
        generator.time = at.timestamp()
    return f"{generator.token():06d}"


def mark_verified(page: WebClient, user: User) -> None:
    """Mark a test client's session as having given the second factor, the way django_otp.login does
    (the device's id in the session). Does nothing for a user without a device."""
    device = twofactor.confirmed_totp(user)
    if device is None:
        return
    session = page.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def actor_for(user: User) -> Actor:
    return Actor(
        user=user, membership=Membership.objects.select_related("organisation").filter(user=user).first()
    )


@dataclass
class Network:
    region: SubRegion
    hospital: Organisation
    sara: Organisation
    gtb: Organisation
    other_care: Organisation
    network_org: Organisation
    funder_org: Organisation
    coach_line: ReferralLine
    gtb_line: ReferralLine
    care: User
    screener: User
    coach: User
    coordinator: User
    gtb_coach: User
    gtb_screener: User
    admin: User
    funder: User
    outsider: User

    def new_client(self, by: User | None = None, **fields: object) -> Client:
        values: dict[str, object] = {
            "first_name": "Jan",
            "last_name": "Peeters",
            "birth_date": datetime.date(1990, 5, 17),
            "gender": "M",
            "municipality": "Antwerpen",
            "subregion": self.region,
        }
        values.update(fields)
        return register_client(actor_for(by or self.care), Client(**values), SIGNED)

    def refer(
        self,
        client: Client,
        line: ReferralLine | None = None,
        by: User | None = None,
        *,
        follow_outcome: bool = False,
    ) -> Referral:
        """`follow_outcome`: the client agrees that the referrer follows the outcome (a feedback
        consent); without it the referrer sees only "received" and no trajectory (docs/privacy.md)."""
        return referral_actions.submit_referral(
            actor_for(by or self.care),
            client,
            line=line or self.coach_line,
            question="Wil graag opnieuw aan het werk, stap voor stap.",
            indications=["low_threshold", "psychiatric_expertise"],
            urgency="normal",
            channel="care_professional",
            evidence=SIGNED,
            follow_outcome=follow_outcome,
        )

    def follows_outcome(self, client: Client) -> Consent:
        """The client agrees that the hospital, the referrer, follows the trajectory: the feedback
        consent, recorded by the care professional on a signed form. Without it the hospital sees only
        "received by the line" (docs/privacy.md; referrals/tests/test_referral_status.py)."""
        return grant_consent(
            actor_for(self.care),
            client,
            purpose=ConsentPurpose.FEEDBACK,
            recipient=self.hospital,
            categories=["trajectory"],
            evidence=SIGNED,
        )

    def trajectory(self, client: Client | None = None, *, follow_outcome: bool = False) -> Trajectory:
        """A client referred by the hospital, assigned and accepted by the SaRA coach. The hospital, a
        partner of the trajectory, sees it only with `follow_outcome` (the client's feedback consent)."""
        referral = self.refer(client or self.new_client(), follow_outcome=follow_outcome)
        referral_actions.assign_referral(actor_for(self.screener), referral, coach=self.coach)
        return trajectory_actions.accept_referral(
            actor_for(self.coach), referral, trajectory_type=TrajectoryType.objects.get(code="arbeidscoach")
        )


def build_network() -> Network:
    # Transactional (browser) tests flush the tables, data-migration rows included.
    ensure_default_types(TrajectoryType)
    ensure_first_draaiboek()
    region = SubRegion.objects.create(name="Antwerpen-Noord")
    hospital = Organisation.objects.create(
        name="PZ Bethanië", kind=OrganisationKind.CARE, org_type=OrganisationType.PZ, subregion=region
    )
    sara = Organisation.objects.create(
        name="SaRA Arbeidscoaching", kind=OrganisationKind.WORK, org_type=OrganisationType.ARBEIDSCOACH
    )
    gtb = Organisation.objects.create(
        name="GTB Antwerpen", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB
    )
    other_care = Organisation.objects.create(
        name="CGG Elders", kind=OrganisationKind.CARE, org_type=OrganisationType.CGG
    )
    network_org = Organisation.objects.create(
        name="Netwerk SaRA", kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER
    )
    funder_org = Organisation.objects.create(
        name="Departement WEWIS", kind=OrganisationKind.OTHER, org_type=OrganisationType.FUNDER
    )
    coach_line = ReferralLine.objects.create(
        name="SaRA arbeidscoach",
        organisation=sara,
        description="Intensief voortraject op maat.",
        indications=[
            "low_threshold",
            "intensive_vulnerability",
            "psychiatric_expertise",
            "work_attitudes",
            "whole_trajectory",
            "shared_focus",
        ],
        default_trajectory_type="arbeidscoach",
    )
    gtb_line = ReferralLine.objects.create(
        name="GTB trajectbegeleiding",
        organisation=gtb,
        description="Regulier traject.",
        indications=["vulnerability_background", "disability_expertise", "intensive_work"],
        default_trajectory_type="gtb",
    )
    screener = make_user("screener", sara, Role.SCREENER)
    gtb_screener = make_user("gtbscreener", gtb, Role.SCREENER)
    coach_line.screeners.add(screener)
    gtb_line.screeners.add(gtb_screener)
    return Network(
        region=region,
        hospital=hospital,
        sara=sara,
        gtb=gtb,
        other_care=other_care,
        network_org=network_org,
        funder_org=funder_org,
        coach_line=coach_line,
        gtb_line=gtb_line,
        care=make_user("care", hospital, Role.CARE_PROFESSIONAL),
        screener=screener,
        coach=make_user("coach", sara, Role.COACH, capacity=35),
        coordinator=make_user("coordinator", sara, Role.COORDINATOR),
        gtb_coach=make_user("gtbcoach", gtb, Role.COACH, capacity=40),
        gtb_screener=gtb_screener,
        admin=make_user("admin", network_org, Role.NETWORK_ADMIN),
        funder=make_user("funder", funder_org, Role.FUNDER),
        outsider=make_user("outsider", other_care, Role.CARE_PROFESSIONAL),
    )


def propose_to_gtb(
    net: Network, trajectory: Trajectory, note: str = "Klaar voor een regulier traject."
) -> Handover:
    """The SaRA coach proposes to hand the trajectory over to GTB (a GTB trajectory), with consent."""
    return trajectory_actions.propose_handover(
        actor_for(net.coach),
        trajectory,
        to_organisation=net.gtb,
        new_type=TrajectoryType.objects.get(code="gtb"),
        note=note,
        evidence=SIGNED,
    )


def click_through(page: Any, target: Any) -> None:
    """Click a link or submit button in a Playwright page and wait until the page it leads to has
    loaded. `target` is a selector or a locator. (`wait_for_load_state()` after a plain click can
    return before the browser has even left the old page.)"""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        locator.click()


def open_closed_form(page: Any, details: Any) -> None:
    """Open a form a page keeps closed (core/_lazy_form.html) and wait until htmx has loaded and
    settled it: typing into a field htmx has not taken in yet sends nothing (a chooser then never
    answers). `details` is a selector or a locator of the <details>."""
    from playwright.sync_api import expect

    locator = page.locator(details) if isinstance(details, str) else details
    with page.expect_response(lambda response: "partial=form" in response.url):
        locator.locator("summary").first.click()
    expect(locator.locator("form")).to_have_count(1)
    expect(locator.locator(".htmx-added, .htmx-settling")).to_have_count(0)


def valid_insz(birth: datetime.date, serial: str = "123") -> str:
    """A national register number (INSZ) of someone born in the 1900s, with valid check digits."""
    body = birth.strftime("%y%m%d") + serial
    return body + f"{97 - int(body) % 97:02d}"


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def poppler(tool: str, content: bytes, *args: str) -> str:
    """Run a poppler-utils tool (pdftotext, pdfinfo) on PDF bytes given on stdin."""
    path = shutil.which(tool)
    assert path, f"{tool} (poppler-utils) is needed to read the PDFs"
    command = [path, *args, "-", *(["-"] if tool == "pdftotext" else [])]
    result = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603 - fixed local tool
    return result.stdout.decode()


def pdf_text(content: bytes, *args: str) -> str:
    return poppler("pdftotext", content, *args)


def pdf_info(content: bytes) -> str:
    return poppler("pdfinfo", content)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run `calls` at the same moment, one thread each, released together by a barrier; return what
    each returned (or the exception it raised), in order. Each thread has its own database
    connection, closed at its end; use it in `django_db(transaction=True)` tests."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # reported to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def client_of(user: User) -> WebClient:
    """A test client of its own, logged in as `user`: one per person in a race."""
    page = WebClient()
    page.force_login(user)  # conftest.py makes force_login pass the second factor too
    mark_verified(page, user)
    return page


def one_done_one_refused(responses: list[Any]) -> tuple[Any, Any]:
    """Of two racing requests: the one that went through (a redirect) and the one refused (a page
    with a message). Neither may be a 500 or an exception."""
    for response in responses:
        assert not isinstance(response, Exception), response
        assert response.status_code < 500
    done = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code != 302]
    assert len(done) == 1, [r.status_code for r in responses]
    assert len(refused) == 1
    return done[0], refused[0]
