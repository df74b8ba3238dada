"""The demo (`load_demo`) and the synthetic network (`generate_network`) keep the access invariants."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from werkbrug.clients.access import visible_clients
from werkbrug.clients.models import FILE_PURPOSES, Client, Consent, Involvement
from werkbrug.core.models import AuditEvent
from werkbrug.demo.network import DEMO_PASSWORD
from werkbrug.network.models import Membership, OrganisationKind, Role, User
from werkbrug.referrals.models import Referral, ReferralEvent, ReferralStatus
from werkbrug.testing import actor_for
from werkbrug.trajectories.models import (
    Contact,
    ContactKind,
    Handover,
    HandoverStatus,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryStatus,
)


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return load_demo()


def test_load_demo_creates_one_login_per_role_and_prints_them(demo):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username in (
        "zorg.pz",
        "screener.sara",
        "coach.sara1",
        "coach.sara2",
        "coach.gtb",
        "admin",
        "funder",
    ):
        assert username in demo
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert Membership.objects.filter(role=Role.COACH, organisation__name="SaRA Arbeidscoaching").count() == 2
    assert "http://127.0.0.1:8000" in demo


def test_load_demo_prints_the_address_it_is_served_on(db):
    # `make demo` passes its HOST:PORT; the printed line follows it, not a fixed port.
    assert "Open http://0.0.0.0:8123 and log in" in load_demo("--url", "http://0.0.0.0:8123")


def test_the_printed_recovery_codes_work_once(demo, client):
    from django.urls import reverse

    username, (_secret, codes) = next(iter(printed_second_factors(demo).items()))
    assert len(codes) == 2
    assert "demo credentials" in demo
    for expected in (302, 200):
        client.logout()
        client.post(reverse("core:login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == expected


def test_load_demo_again_does_not_duplicate_and_reset_reloads(demo):
    clients = Client.objects.count()
    again = load_demo()
    assert "already loaded" in again
    assert "coach.sara1" in again
    assert Client.objects.count() == clients
    load_demo("--reset")
    assert Client.objects.count() == clients
    assert User.objects.filter(username="coach.sara1").count() == 1


def test_demo_coach_sees_the_clients_of_her_caseload(demo):
    coach = User.objects.get(username="coach.sara1")
    visible = set(visible_clients(actor_for(coach)).values_list("pk", flat=True))
    caseload = set(Trajectory.objects.filter(coach=coach).values_list("client_id", flat=True))
    assert len(caseload) >= 8
    assert caseload <= visible


def test_care_partner_sees_only_the_clients_her_organisation_is_involved_with(demo):
    cgg = User.objects.get(username="zorg.cgg")
    org = cgg.memberships.get().organisation
    visible = set(visible_clients(actor_for(cgg)).values_list("pk", flat=True))
    own = set(Involvement.objects.filter(organisation=org).values_list("client_id", flat=True))
    assert visible == own
    assert visible
    assert Client.objects.exclude(pk__in=own).exists()
    for username in ("admin", "funder"):
        assert not visible_clients(actor_for(User.objects.get(username=username))).exists()


def test_demo_has_a_history_in_varied_states(demo):
    today = timezone.localdate()
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(Trajectory.objects.values_list("status", flat=True)) == set(TrajectoryStatus.values)
    assert set(Handover.objects.values_list("status", flat=True)) == {
        HandoverStatus.PROPOSED,
        HandoverStatus.ACCEPTED,
    }
    six_weeks_ago = today - datetime.timedelta(days=42)
    assert Trajectory.objects.filter(status="active", last_contact_on__lt=six_weeks_ago).exists()
    assert PlanGoal.objects.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert Outcome.objects.filter(kind="paid_work", economy="nec", certainty="verified").exists()
    assert Outcome.objects.filter(kind="paid_work", certainty="estimated").exists()
    assert Contact.objects.filter(informal=True).exists()
    assert Contact.objects.filter(care_only=True).exists()
    # Back-dated through the steps, never in the future.
    assert AuditEvent.objects.aggregate(m=Min("at"))["m"] < timezone.now() - datetime.timedelta(days=300)
    assert Trajectory.objects.aggregate(m=Min("started_on"))["m"] < today - datetime.timedelta(days=300)
    assert not Contact.objects.filter(on__gt=today).exists()
    assert not Trajectory.objects.filter(started_on__gt=today).exists()
    assert_contact_dates_consistent()
    assert_handed_over_consistent()
    assert_started_no_later_than_accepted()


def assert_started_no_later_than_accepted() -> None:
    """A trajectory from a referral starts on or before the day its referral was accepted, and the
    referral stays accepted: the caseload report's waiting times rely on it (reports.caseload)."""
    from_referrals = Trajectory.objects.filter(referral__isnull=False).select_related("referral")
    assert from_referrals.exists()
    for t in from_referrals:
        assert t.referral.status == ReferralStatus.ACCEPTED, t.pk
        assert t.referral.decided_at is not None, t.pk
        assert t.started_on <= timezone.localtime(t.referral.decided_at).date(), t.pk


def assert_handed_over_consistent() -> None:
    with_accepted = set(
        Handover.objects.filter(status=HandoverStatus.ACCEPTED).values_list("trajectory_id", flat=True)
    )
    assert with_accepted
    assert set(Trajectory.objects.filter(handed_over=True).values_list("pk", flat=True)) == with_accepted


def assert_contact_dates_consistent() -> None:
    counted = ~Q(contacts__kind=ContactKind.OUTREACH_ATTEMPT) & Q(contacts__care_only=False)
    for t in Trajectory.objects.annotate(
        last=Max("contacts__on", filter=counted), first=Min("contacts__on", filter=counted)
    ):
        assert (t.last_contact_on, t.first_contact_on) == (t.last, t.first), t.pk


@pytest.fixture
def tiny(db) -> None:
    call_command("generate_network", "--scale", "tiny", stdout=StringIO())


def test_generate_network_tiny_coach_of_every_trajectory_sees_its_client(tiny):
    trajectories = list(Trajectory.objects.select_related("coach"))
    assert len(trajectories) == 220
    visible: dict[int, set[int]] = {}
    for t in trajectories:
        if t.coach_id not in visible:
            visible[t.coach_id] = set(visible_clients(actor_for(t.coach)).values_list("pk", flat=True))
        assert t.client_id in visible[t.coach_id], t.pk


def test_generate_network_tiny_keeps_the_invariants_of_the_actions(tiny):
    today = timezone.localdate()
    assert_contact_dates_consistent()
    assert_handed_over_consistent()
    assert_started_no_later_than_accepted()
    # Every involved organisation has an active file consent (nobody is involved without access,
    # as the actions always record the consent with the involvement).
    involved = set(Involvement.objects.values_list("client_id", "organisation_id"))
    consented = set(
        Consent.objects.active().filter(purpose__in=FILE_PURPOSES).values_list("client_id", "recipient_id")
    )
    assert involved == consented
    # Every referral starts with a "submitted" event; accepted ones have their trajectory.
    assert not Referral.objects.exclude(events__kind="submitted").exists()
    accepted = Referral.objects.filter(status=ReferralStatus.ACCEPTED)
    assert accepted.count() == Trajectory.objects.count()
    assert not accepted.filter(trajectory__isnull=True).exists()
    assert ReferralEvent.objects.filter(kind="accepted").count() == accepted.count()
    for referral in Referral.objects.select_related("trajectory"):
        if referral.status == ReferralStatus.ACCEPTED:
            trajectory = referral.trajectory
            assert Involvement.objects.filter(
                client_id=referral.client_id, organisation_id=referral.line.organisation_id, reason="lead"
            ).exists()
            if referral.referring_organisation_id != referral.line.organisation_id:
                assert trajectory.partners.filter(organisation_id=referral.referring_organisation_id).exists()
    # Care notes come from care partners only; nothing lies in the future.
    assert (
        not Contact.objects.filter(care_only=True).exclude(organisation__kind=OrganisationKind.CARE).exists()
    )
    assert not Contact.objects.filter(on__gt=today).exists()
    assert not Trajectory.objects.filter(closed_on__lt=F("started_on")).exists()
    assert Trajectory.objects.filter(status="closed").filter(closed_on__isnull=True).count() == 0
    # Coaches have a membership with a capacity.
    coaches = set(Trajectory.objects.values_list("coach_id", flat=True))
    assert coaches <= set(
        Membership.objects.filter(role=Role.COACH, capacity__gt=0).values_list("user_id", flat=True)
    )


def test_generate_network_refuses_a_database_with_clients_unless_forced(tiny):
    with pytest.raises(CommandError):
        call_command("generate_network", "--scale", "tiny", stdout=StringIO())
    call_command("generate_network", "--scale", "tiny", "--force", stdout=StringIO())
    assert Trajectory.objects.count() == 440


def printed_second_factors(output: str) -> dict[str, tuple[str, list[str]]]:
    """username -> (2FA secret, recovery codes), read from the table load_demo prints."""
    found = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 6 and cells[4] and cells[0] != "username":
            found[cells[0]] = (cells[4], cells[5].split())
    return found


def test_each_demo_login_reaches_its_own_start_page(demo, client):
    """Through the real forms: the password, and for the roles with two-step login the code an app
    computes from the printed secret."""
    import base64

    from django.urls import reverse
    from django_otp.oath import TOTP

    from werkbrug.accounts.twofactor import REQUIRED_ROLES
    from werkbrug.core.views import START_PAGES

    factors = printed_second_factors(demo)
    assert set(factors) == set(
        Membership.objects.filter(role__in=REQUIRED_ROLES).values_list("user__username", flat=True)
    )
    for membership in Membership.objects.select_related("user").order_by("pk"):
        client.logout()
        response = client.post(
            reverse("core:login"),
            {"username": membership.user.username, "password": DEMO_PASSWORD},
            follow=True,
        )
        if membership.user.username in factors:
            assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
            code = TOTP(base64.b32decode(factors[membership.user.username][0])).token()
            response = client.post(response.redirect_chain[-1][0], {"code": f"{code:06d}"}, follow=True)
        if Membership.objects.filter(user=membership.user).count() > 1:
            continue  # lands on the first membership's page; covered by that one
        assert response.redirect_chain[-1][0] == reverse(START_PAGES[membership.role]), (
            membership.user.username
        )
        assert response.status_code == 200, membership.user.username


def test_demo_has_a_case_team_with_a_named_and_an_anonymous_case(demo):
    from werkbrug.teams.access import with_named
    from werkbrug.teams.models import AgendaItem, Case, Meeting

    assert Meeting.objects.filter(starts_at__gt=timezone.now()).count() == 1
    assert sorted(with_named(Case.objects.all()).values_list("named", flat=True)) == [False, True]
    assert AgendaItem.objects.filter(case__isnull=False).count() == 2


def test_generate_network_tiny_makes_case_team_meetings_and_shared_profiles_as_the_actions_do(tiny):
    from werkbrug.clients.access import readable_sections
    from werkbrug.clients.models import CARE_ONLY_SECTIONS, ConsentPurpose
    from werkbrug.core.actor import Actor
    from werkbrug.exchange.models import SectionVersion
    from werkbrug.teams.models import AgendaItem, Case, Meeting, TeamMember

    assert Meeting.objects.exists()
    assert AgendaItem.objects.filter(case__isnull=False).exists()
    # Every seat is a membership of the member; every case is on its team's meeting, for a client
    # of a trajectory the team's organisation leads, registered by one of its coaches.
    seats = set(TeamMember.objects.values_list("user_id", "organisation_id"))
    assert seats <= set(Membership.objects.filter(is_active=True).values_list("user_id", "organisation_id"))
    for case in Case.objects.select_related("team", "trajectory"):
        assert case.trajectory.client_id == case.client_id
        assert (
            case.trajectory.lead_organisation_id
            == case.team.organisation_id
            == case.registered_by_organisation_id
        )
        assert Membership.objects.filter(
            user_id=case.registered_by_id, organisation_id=case.team.organisation_id, role=Role.COACH
        ).exists()
        assert case.items.get().meeting.team_id == case.team_id
    # Profiles: written by a care partner, shared with the lead by consent, no care-only section;
    # a coach of the lead reads exactly the shared sections.
    consents = list(Consent.objects.active().filter(purpose=ConsentPurpose.PROFILE))
    assert consents
    assert not SectionVersion.objects.exclude(organisation__kind=OrganisationKind.CARE).exists()
    for consent in consents[:20]:
        assert not set(consent.categories) & CARE_ONLY_SECTIONS
        assert Trajectory.objects.filter(
            client_id=consent.client_id, lead_organisation=consent.recipient
        ).exists()
        membership = Membership.objects.filter(organisation=consent.recipient, role=Role.COACH).first()
        actor = Actor(user=membership.user, membership=membership)
        assert readable_sections(actor, consent.client_id) == frozenset(consent.categories)
