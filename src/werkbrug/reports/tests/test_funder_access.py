"""A funder sees aggregates only: 404 on every person-level page and API operation (DESIGN §5).

The page test walks the whole URLconf, fills every path parameter with the id of a real object (a
client with a referral, trajectory, consents, contact, outcome, plan goal, handover, profile section,
feedback, team case, meeting, agenda item, guest and action) and asks each URL as the funder, by GET
and by POST. Only a short allow-list of pages without person data answers otherwise. The API test
does the same for every operation of the JSON API with a token of the funder's membership. A new
page or operation is walked automatically; one with a new path parameter fails until it is given
an object here.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import serializers
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from werkbrug.api.api import operations
from werkbrug.clients.models import Client, Consent, Involvement
from werkbrug.exchange import actions as exchange_actions
from werkbrug.exchange.models import Feedback, SectionVersion
from werkbrug.network.models import (
    ApiToken,
    Membership,
    Organisation,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)
from werkbrug.referrals.models import Referral, ReferralEvent
from werkbrug.reports.framework import Params
from werkbrug.reports.models import DataAccessAgreement, PublishedReport
from werkbrug.reports.publication import publish_report
from werkbrug.reports.tests.practice_world import PUBLIC, practice_kwargs
from werkbrug.reports.tests.research import researcher_with_agreement
from werkbrug.reports.yearly import YearlyReport
from werkbrug.teams import actions as team_actions
from werkbrug.teams import followup_actions, meeting_actions
from werkbrug.teams.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Case,
    ItemGuest,
    Meeting,
    Team,
    TeamKind,
    TeamMember,
)
from werkbrug.testing import Network, actor_for, make_user, propose_to_gtb
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import (
    Contact,
    Economy,
    Handover,
    LadderPosition,
    Outcome,
    OutcomeKind,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
)
from werkbrug.workcare.models import WorkCareAgreement

# Identifying values of the client, none of which may reach the funder in any answer.
IDENTITY = {
    "first_name": "Gerolf",
    "last_name": "Wouterszoon",
    "birth_date": datetime.date(1988, 9, 23),
    "phone": "0486 55 44 33",
    "email": "gerolf.w@example.net",
    "address": "Meidoornlaan 8",
    "municipality": "Schilde",
}
SECRETS = ["Gerolf", "Wouterszoon", "0486 55 44 33", "gerolf.w@example.net", "Meidoornlaan", "Schilde"]

# Pages the funder reaches (or is turned away from otherwise than by 404), none with person data,
# and what each answers to a plain GET and POST as the funder.
ALLOWED: dict[str, tuple[int, int, str]] = {
    # name: (GET, POST, why)
    "core:home": (302, 302, "the start page: sends the funder on to the reports"),
    "core:healthz": (200, 200, "public health check: says whether the database answers"),
    "core:login": (302, 302, "the login page: a logged-in user is sent on"),
    "core:logout": (405, 302, "logging out (POST only)"),
    "core:switch": (405, 302, "choosing one of one's own memberships (POST only)"),
    "reports:index": (200, 200, "the list of reports: the funder's own pages"),
    "reports:report": (200, 200, "a report: aggregates with small cells suppressed"),
    # Issue 12 point 5: published reports, shown to a funder with small cells suppressed.
    "reports:published_list": (200, 200, "the list of published reports"),
    "reports:published": (200, 200, "a published report: aggregates with small cells suppressed"),
    # Not "reports:research_export" any more: person-level lines, for a researcher under a data-access
    # agreement only (issue 12; seed 002 L1017-1020: funders receive aggregates only).
    "api:tokens": (200, 200, "the user's own API tokens (no client data)"),
    "api:token_revoke": (405, 302, "revoking one's own API token (POST only)"),
    "set_language": (302, 302, "Django's language switch: a cookie, no data"),
    # Issue 13 point 9: one's own two-step login and the password reset (no client data).
    "accounts:two_factor": (200, 200, "one's own two-step verification status"),
    "accounts:setup": (302, 302, "setting an app up: the funder has one, so sent to the status page"),
    "accounts:verify": (302, 302, "giving a code: the funder's session is verified, so sent on"),
    "accounts:password_reset": (200, 200, "asking for a reset mail (the same answer for any address)"),
    "accounts:password_reset_sent": (200, 405, "the page after asking: says nothing about the address"),
    "accounts:password_reset_confirm": (200, 200, "a reset link: this one is not valid"),
    "accounts:password_reset_complete": (200, 405, "the page after a reset"),
}
ALLOWED.update(PUBLIC)
# Not walked here: Django's admin guards itself (staff only; see the test below), and the JSON API is
# walked per operation with a token further down.
EXCLUDED_PREFIXES = ("django-admin/", "api/")


@dataclass
class World:
    net: Network
    client: Client
    referral: Referral
    trajectory: Trajectory
    consent: Consent
    contact: Contact
    outcome: Outcome
    goal: PlanGoal
    handover: Handover
    section: SectionVersion
    feedback: Feedback
    team: Team
    member: TeamMember
    case: Case
    meeting: Meeting
    item: AgendaItem
    guest: ItemGuest
    action: ActionItem
    token: ApiToken
    token_key: str
    researcher: User
    agreement: DataAccessAgreement
    published: PublishedReport
    # The practice areas' pages (employers, ips, fidelity, outreach): practice_world.
    practice: dict[str, dict[str, Any]]

    def kwargs(self, name: str, params: list[str]) -> dict[str, Any]:
        """The path parameters of every parameterised URL, filled with real objects."""
        net, client, trajectory = self.net, self.client.pk, self.trajectory.pk
        coach_membership = Membership.objects.get(user=net.coach)
        by_name: dict[str, dict[str, Any]] = {
            "network:org_edit": {"pk": net.sara.pk},
            "network:org_toggle": {"pk": net.sara.pk},
            "network:user_edit": {"pk": net.coach.pk},
            "network:membership_add": {"pk": net.coach.pk},
            "network:membership_edit": {"pk": net.coach.pk, "membership_pk": coach_membership.pk},
            "network:membership_remove": {"pk": net.coach.pk, "membership_pk": coach_membership.pk},
            "network:line_edit": {"pk": net.coach_line.pk},
            "network:region_edit": {"pk": net.region.pk},
            "referrals:create": {"client_pk": client},
            "trajectories:coach_trajectories": {"user_pk": net.coach.pk},
            "trajectories:goal_done": {"pk": trajectory, "goal_pk": self.goal.pk},
            "trajectories:outcome_verify": {"pk": trajectory, "outcome_pk": self.outcome.pk},
            "feedback:detail": {"pk": self.feedback.pk},
            "feedback:create": {"pk": trajectory},
            "feedback:summary_pdf": {"pk": trajectory},
            "exchange:profile": {"client_pk": client},
            "exchange:profile_pdf": {"client_pk": client},
            "exchange:profile_edit": {"client_pk": client, "section": self.section.section},
            "exchange:profile_history": {"client_pk": client, "section": self.section.section},
            "teams:detail": {"pk": self.team.pk},
            "teams:case_create": {"team_pk": self.team.pk},
            "teams:case_close": {"pk": self.case.pk},
            "teams:meeting_create": {"team_pk": self.team.pk},
            "teams:meeting": {"pk": self.meeting.pk},
            "teams:attendance": {"pk": self.meeting.pk},
            "teams:agenda_refresh": {"pk": self.meeting.pk},
            "teams:item_minutes": {"pk": self.item.pk},
            "teams:invite": {"pk": self.item.pk},
            "teams:uninvite": {"pk": self.item.pk, "guest_pk": self.guest.pk},
            "teams:decide": {"pk": self.item.pk},
            "teams:action_create": {"pk": self.item.pk},
            "teams:action_done": {"pk": self.action.pk},
            "teams:team_edit": {"pk": self.team.pk},
            "teams:member_add": {"pk": self.team.pk},
            "teams:member_remove": {"pk": self.team.pk, "member_pk": self.member.pk},
            "teamfollowup:action_done": {"pk": self.action.pk},
            "privacy:erase": {"pk": client},
            # A dry run's token lives in its uploader's session only: no other request can hold one.
            "imports:confirm": {"token": "a-token-of-no-session"},
            "teamfollowup:team_actions": {"team_pk": self.team.pk},
            "teamfollowup:dashboard": {"team_pk": self.team.pk},
            "teamfollowup:meeting_ics": {"pk": self.meeting.pk},
            "reports:report": {"slug": "yearly"},
            "api:token_revoke": {"pk": self.token.pk},
            "accounts:reset": {"pk": net.coach.pk},
            "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "not-a-valid-token"},
            "reports:agreement_end": {"pk": self.agreement.pk},
            "reports:published": {"pk": self.published.pk},
            "reports:publish": {"slug": "yearly"},
            # A chooser that offers people (core.choosers): the most telling one to probe.
            "core:choose": {"name": "coaches"},
        }
        by_app = {
            "clients": {"pk": client, "consent_pk": self.consent.pk},
            "referrals": {"pk": self.referral.pk},
            "trajectories": {"pk": trajectory, "handover_pk": self.handover.pk},
        }
        if name in by_name:
            return by_name[name]
        if name in self.practice:
            return self.practice[name]
        same_app = by_app.get(name.split(":")[0], {})
        return {param: same_app[param] for param in params if param in same_app}


def url_for(world: World, name: str, params: list[str]) -> str:
    """The page's URL with real ids, and the query parameters a page reads (the client to register a
    case for, the year of the export)."""
    query = {
        "teams:case_start": f"client={world.client.pk}&referral={world.referral.pk}",
        "teams:case_create": f"client={world.client.pk}",
        "reports:report": f"year={timezone.localdate().year}",
        "reports:research_export": f"year={timezone.localdate().year}",
    }.get(name)
    path = reverse(name, kwargs=world.kwargs(name, params))
    return f"{path}?{query}" if query else path


def build_world(net: Network) -> World:
    today = timezone.localdate()
    client = net.new_client(**IDENTITY)
    trajectory = net.trajectory(client)
    care, coach, admin = actor_for(net.care), actor_for(net.coach), actor_for(net.admin)
    contact = trajectory_actions.record_contact(coach, trajectory, on=today, kind="phone", note="Gesprek")
    outcome = trajectory_actions.record_outcome(
        coach, trajectory, kind=OutcomeKind.PAID_WORK, on=today, economy=Economy.NEC
    )
    goal = trajectory_actions.add_goal(coach, trajectory, goal="CV maken", due_on=None)
    handover = propose_to_gtb(net, trajectory)
    section = exchange_actions.save_section(care, client, "skills", "Plant zijn week zelf.")
    net.follows_outcome(client)
    feedback = exchange_actions.send_feedback(coach, trajectory, discussed="Werkritme besproken.")
    team = team_actions.create_team(admin, name="ZoWeZo", kind=TeamKind.CASE_TEAM, organisation=net.sara)
    team_actions.add_member(admin, team, user=net.care)
    member = team_actions.add_member(admin, team, user=net.coach)
    case = team_actions.register_case(
        care, team, client, reason="unclear_lead", question="Wie neemt de lead?"
    )
    meeting = meeting_actions.schedule_meeting(
        coach, team, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    item = meeting.items.get(case=case)
    guest = meeting_actions.invite_guest(coach, item, user=net.gtb_coach)
    action = followup_actions.create_action(
        coach,
        item,
        description="Werkgever bellen.",
        owner=net.coach,
        due_on=today + datetime.timedelta(days=14),
    )
    token, key = ApiToken.issue(Membership.objects.get(user=net.funder), "funder test")
    # A researcher with an agreement covering this year: the export and the research page are theirs.
    researcher, agreement = researcher_with_agreement(net, today)
    # The publication's figures are counted by a job queued on commit: run it, so the funder's page
    # shows the stored figures (suppressed), not "being published".
    with TestCase.captureOnCommitCallbacks(execute=True):
        published = publish_report(
            actor_for(net.coordinator),
            YearlyReport,
            Params(start=datetime.date(today.year, 1, 1), end=today, organisation=net.sara),
        )
    return World(
        net=net,
        client=client,
        referral=trajectory.referral,  # type: ignore[arg-type]
        trajectory=trajectory,
        consent=Consent.objects.filter(client=client).order_by("pk").first(),  # type: ignore[arg-type]
        contact=contact,
        outcome=outcome,
        goal=goal,
        handover=handover,
        section=section,
        feedback=feedback,
        team=team,
        member=member,
        case=case,
        meeting=meeting,
        item=item,
        guest=guest,
        action=action,
        token=token,
        token_key=key,
        researcher=researcher,
        agreement=agreement,
        practice=practice_kwargs(net),
        published=published,
    )


@pytest.fixture
def world(net, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path  # the practice world uploads a signed agreement
    return build_world(net)


def walk(patterns: list[Any], prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or ""), list(entry.pattern.converters)


def pages() -> list[tuple[str, str, list[str]]]:
    found = [page for page in walk(get_resolver().url_patterns) if not page[0].startswith(EXCLUDED_PREFIXES)]
    assert len({name for _route, name, _params in found}) == len(found), "every page has its own name"
    return found


# Every model a write through a page or the API could touch; compared row for row before and after.
WATCHED = [
    Client, Consent, Involvement, Referral, ReferralEvent, Trajectory, TrajectoryEvent, TrajectoryPartner,
    Contact, Outcome, PlanGoal, LadderPosition, Handover, SectionVersion, Feedback, Team, TeamMember, Case,
    Meeting, AgendaItem, ItemGuest, Attendance, ActionItem, Organisation, Membership, ReferralLine, SubRegion,
    DataAccessAgreement,
]  # fmt: skip


def snapshot() -> str:
    rows = []
    for model in WATCHED:
        rows.extend(json.loads(serializers.serialize("json", model.objects.order_by("pk"))))
    users = User.objects.order_by("pk").values(
        "pk", "username", "is_active", "first_name", "last_name", "email"
    )
    return json.dumps([rows, list(users)], default=str, sort_keys=True)


def form_data(world: World) -> dict[str, Any]:
    """One body with the fields the pages' forms ask for, filled with valid values, so that a page that
    let the funder through would find something to write."""
    net, today = world.net, timezone.localdate().isoformat()
    return {
        "first_name": "Nieuw", "last_name": "Persoon", "birth_date": "1990-01-01", "gender": "F",
        "purpose": "collaboration", "recipient": net.gtb.pk, "categories": ["identity"],
        "evidence": "signed_form", "line": net.gtb_line.pk, "question": "Graag aan het werk.",
        "indications": ["low_threshold"], "urgency": "normal", "channel": "care_professional",
        "coach": net.coach.pk, "note": "Genoteerd.", "reason": "other", "on": today, "kind": "phone",
        "phase": "engagement", "rung": 3, "goal": "Solliciteren", "economy": "nec", "certainty": "estimated",
        "to_organisation": net.gtb.pk, "new_type": TrajectoryType.objects.get(code="gtb").pk,
        "text": "Nieuwe tekst.", "discussed": "Besproken.", "minutes": "Verslag.", "description": "Bellen.",
        "owner": net.coach.pk, "due_on": today, "user": net.gtb_screener.pk, "present": [net.coach.pk],
        "lead_organisation": net.gtb.pk, "next_steps": "Start.", "starts_at": "2030-01-01T10:00",
        "name": "Nieuw", "membership": Membership.objects.get(user=world.net.coach).pk, "duration_minutes": 30,
        "researcher": Membership.objects.get(user=world.researcher).pk, "project": "Ander project",
        "from_year": "2024", "to_year": "2025", "approved_on": today, "expires_on": "2099-12-31",
    }  # fmt: skip


def test_the_walker_finds_every_kind_of_person_level_page():
    names = {name for _route, name, _params in pages()}
    for expected in (
        "clients:detail",
        "clients:export",
        "referrals:detail",
        "trajectories:detail",
        "trajectories:outcome_verify",
        "feedback:detail",
        "exchange:profile",
        "teams:meeting",
        "teams:item_minutes",
        "teamfollowup:meeting_ics",
        "reports:report",
    ):
        assert expected in names
    assert set(ALLOWED) <= names


def test_every_parameterised_page_gets_real_objects(world):
    missing = []
    for route, name, params in pages():
        kwargs = world.kwargs(name, params)
        if set(params) != set(kwargs):
            missing.append((route, name, params, sorted(kwargs)))
        else:
            reverse(name, kwargs=kwargs)
    assert missing == []


def test_the_ids_are_real_the_people_who_work_with_the_client_reach_the_pages(world, client):
    """Without this, a 404 for the funder could come from a wrong id."""
    net = world.net
    officer = make_user("privacy", net.network_org, Role.PRIVACY_OFFICER)
    personas = [
        net.coach,
        net.care,
        net.coordinator,
        net.screener,
        net.gtb_coach,
        net.admin,
        officer,
        world.researcher,
    ]
    unreachable = []
    for _route, name, params in pages():
        if name in ALLOWED:
            continue
        url = url_for(world, name, params)
        for user in personas:
            client.force_login(user)
            if client.get(url).status_code != 404:
                break
        else:
            unreachable.append(name)
    # No signed form was uploaded with the consent, so there is nothing to serve; an import's token
    # is only valid in the session that uploaded the file (imports/tests cover that page). /metrics
    # answers only Prometheus's bearer token, never a login (core/tests/test_request_log.py).
    assert unreachable == ["core:metrics", "clients:consent_evidence", "imports:confirm"]


def test_the_funder_gets_404_on_every_page_but_a_few_without_person_data(world, client):
    net = world.net
    got, leaks = {}, []
    for _route, name, params in pages():
        url = url_for(world, name, params)
        client.force_login(net.funder)
        response = client.get(url)
        got[name] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        leaks += [(name, s) for s in SECRETS if s.encode() in body]
    assert got == {name: ALLOWED[name][0] if name in ALLOWED else 404 for name in got}
    assert leaks == []


def test_a_funder_posting_to_any_page_gets_404_and_nothing_is_written(world, client):
    net = world.net
    data = form_data(world)
    before = snapshot()
    got, leaks = {}, []
    for _route, name, params in pages():
        url = url_for(world, name, params)
        client.force_login(net.funder)
        response = client.post(url, data)
        got[name] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        leaks += [(name, s) for s in SECRETS if s.encode() in body]
    assert got == {name: ALLOWED[name][1] if name in ALLOWED else 404 for name in got}
    assert leaks == []
    assert snapshot() == before


def test_the_form_body_would_write_for_someone_allowed(world, client):
    """The POST body above is not empty talk: the same body makes the coach record a contact."""
    client.force_login(world.net.coach)
    before = Contact.objects.count()
    response = client.post(
        reverse("trajectories:contact_create", args=[world.trajectory.pk]), form_data(world)
    )
    assert response.status_code == 302
    assert Contact.objects.count() == before + 1


def test_the_form_body_would_record_an_agreement_for_the_network_admin(world, client):
    """And the same body makes the network admin record a data-access agreement."""
    client.force_login(world.net.admin)
    before = DataAccessAgreement.objects.count()
    response = client.post(reverse("reports:agreement_create"), form_data(world))
    assert response.status_code == 302
    assert DataAccessAgreement.objects.count() == before + 1


def test_the_funder_is_not_staff_and_djangos_admin_is_not_even_mounted(world, client, settings, urlconf):
    # Issue 13 point 9: the admin is off unless DEBUG or WERKBRUG_ADMIN (accounts/tests/test_throttle.py).
    settings.DEBUG, settings.WERKBRUG_ADMIN = False, False  # production
    urlconf()
    assert not world.net.funder.is_staff and not world.net.funder.is_superuser
    client.force_login(world.net.funder)
    response = client.get("/django-admin/clients/client/")
    assert response.status_code == 404


# --- the JSON API ---------------------------------------------------------------------------------

# Operations without client data (DESIGN §2: who am I, and the network's reference lists).
API_ALLOWED = {
    "me",
    "list_lines",
    "list_organisations",
    "list_subregions",
    "list_trajectory_types",
    "list_coaches",
}


def api_calls(world: World) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(method, path, operation, body) for every operation, with real ids and a valid body."""
    net, today = world.net, timezone.localdate().isoformat()
    ids = {
        "client_id": world.client.pk,
        "consent_id": world.consent.pk,
        "referral_id": world.referral.pk,
        "trajectory_id": world.trajectory.pk,
        "meeting_id": world.meeting.pk,
        "outcome_id": world.outcome.pk,
        "goal_id": world.goal.pk,
        "handover_id": world.handover.pk,
        # The practice world's signed work-care agreement (practice_world).
        "agreement_id": WorkCareAgreement.objects.earliest("pk").pk,
    }
    bodies = {
        "create_client": {
            "first_name": "An", "last_name": "Janssens", "birth_date": "1985-03-02", "gender": "F",
            "evidence": {"kind": "signed_form"}, "confirm_new": True,
        },
        "create_consent": {
            "purpose": "collaboration", "recipient_id": net.other_care.pk, "categories": ["identity"],
            "evidence": {"kind": "signed_form"},
        },
        "withdraw_consent": {},
        "create_referral": {
            "client_id": world.client.pk, "line_id": net.gtb_line.pk, "question": "Graag aan het werk.",
            "channel": "care_professional", "evidence": {"kind": "signed_form"},
        },
        "create_contact": {"on": today, "kind": "phone", "note": "Telefoon."},
        "create_outcome": {"kind": "training", "on": today},
        "update_client": {"phone": "03 123 45 67"},
        "assign_referral": {"coach_id": net.coach.pk},
        "redirect_referral": {"line_id": net.gtb_line.pk, "evidence": {"kind": "signed_form"}},
        "waitlist_referral": {},
        "send_to_case_team": {"note": "Graag bespreken."},
        "decline_referral": {"reason": "other", "note": "Geen plaats."},
        "return_referral": {"note": "Past niet."},
        "accept_referral": {},
        "change_phase": {"phase": "engagement"},
        "pause_trajectory": {"reason": "Opname"},
        "resume_trajectory": {},
        "close_trajectory": {"reason": "other", "note": "Verhuisd."},
        "reopen_trajectory": {"note": "Terug."},
        "change_coach": {"coach_id": net.coach.pk},
        "verify_outcome": {"on": today},
        "create_ladder_position": {"rung": 2, "on": today},
        "create_goal": {"goal": "CV maken"},
        "complete_goal": {},
        "propose_handover": {
            "to_organisation_id": net.gtb.pk, "new_type": "gtb", "note": "Klaar voor GTB.",
            "evidence": {"kind": "signed_form"},
        },
        "accept_handover": {},
        "decline_handover": {"reason": "Geen plaats."},
        "withdraw_handover": {},
        "create_workcare_agreement": {
            "workshop_id": WorkCareAgreement.objects.earliest("pk").workshop_id, "form": "atelier", "aim": "onward",
            "starts_on": today,
        },
        "sign_workcare_agreement": {"signed_on": today},
    }  # fmt: skip
    calls = []
    for path, operation in operations():
        name = operation.view_func.__name__
        # A work-care agreement hangs on a work-care trajectory: the practice world's.
        own = (
            {**ids, "trajectory_id": WorkCareAgreement.objects.earliest("pk").trajectory_id}
            if "workcare" in name
            else ids
        )
        filled = "/api" + path.format(**{k: v for k, v in own.items() if "{" + k + "}" in path})
        for method in operation.methods:
            calls.append((method, filled, name, bodies[name] if method in ("POST", "PATCH") else None))
    return calls


def call(client, key: str, method: str, path: str, body: dict[str, Any] | None):
    headers = {"Authorization": f"Bearer {key}"}
    if method == "GET":
        return client.get(path, headers=headers)
    return client.generic(
        method, path, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_the_api_walker_covers_every_path_of_the_openapi_description(world, client):
    spec = client.get("/api/openapi.json").json()
    described = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    walked = {(method, "/api" + path) for path, op in operations() for method in op.methods}
    assert described == walked
    assert len(api_calls(world)) == len(walked)


def test_the_funders_token_gets_404_on_every_api_operation_with_client_data(world, client):
    before = snapshot()
    got, leaks = {}, []
    for method, path, name, body in api_calls(world):
        response = call(client, world.token_key, method, path, body)
        got[(method, name)] = response.status_code
        if name not in API_ALLOWED:
            assert response.json() == {"detail": "Not Found"}, (method, path)
        leaks += [(name, s) for s in SECRETS if s.encode() in response.content]
    assert got == {(m, n): 200 if n in API_ALLOWED else 404 for m, n in got}
    assert leaks == []
    assert snapshot() == before


def test_the_api_bodies_would_write_for_someone_allowed(world, client):
    """The funder's 404s above are not validation errors: the same bodies pass for a client role. The
    first six write; the decisions reach their action, which writes or refuses by the file's state
    (400: the walk's one referral is accepted already, so triaging it again is refused)."""
    net = world.net
    keys = {
        user: ApiToken.issue(Membership.objects.get(user=getattr(net, user)), user)[1]
        for user in ("coach", "care", "screener", "coordinator", "gtb_coach")
    }
    who = {
        "create_contact": "coach", "create_outcome": "coach", "update_client": "coach",
        "assign_referral": "screener", "redirect_referral": "screener", "waitlist_referral": "screener",
        "send_to_case_team": "screener", "decline_referral": "screener",
        "return_referral": "coach", "accept_referral": "coach", "change_coach": "coordinator",
        "accept_handover": "gtb_coach", "decline_handover": "gtb_coach",
    }  # fmt: skip
    trajectory_operations = {
        "change_phase", "pause_trajectory", "resume_trajectory", "close_trajectory", "reopen_trajectory",
        "verify_outcome", "create_ladder_position", "create_goal", "complete_goal", "propose_handover",
        "withdraw_handover", "create_workcare_agreement", "sign_workcare_agreement",
    }  # fmt: skip
    done = {}
    # The handover is accepted once every other decision on the trajectory was tried (GTB leads from
    # then on), so declining or withdrawing it is then refused; withdrawing the record consent ends
    # the hospital's access: last.
    last = ["accept_handover", "decline_handover", "withdraw_handover", "withdraw_consent"]
    writes = sorted(
        (c for c in api_calls(world) if c[0] in ("POST", "PATCH")),
        key=lambda c: last.index(c[2]) if c[2] in last else -1,
    )
    for method, path, name, body in writes:
        user = who.get(name, "coach" if name in trajectory_operations else "care")
        done[name] = call(client, keys[user], method, path, body).status_code
    first = ("create_client", "create_consent", "withdraw_consent", "create_referral", "create_contact")
    assert {name: done.pop(name) for name in first} == {
        "create_client": 201,
        "create_consent": 201,
        "withdraw_consent": 200,
        "create_referral": 201,
        "create_contact": 201,
    }
    assert done.pop("create_outcome") == 201
    reached = {name: status for name, status in done.items() if status not in (200, 201, 400)}
    assert reached == {}, "every other write reaches its action for someone allowed"
    assert len(done) == len(bodies_of_writes(world)) - len(first) - 1


def bodies_of_writes(world: World) -> list[str]:
    return [name for method, _path, name, _body in api_calls(world) if method in ("POST", "PATCH")]
