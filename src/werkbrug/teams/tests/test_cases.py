"""Registering a case for a team: any network partner that may see the client, with a reason and the
question; anonymous without the client's consent to discussion in the team; on the next agenda."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from werkbrug.clients.models import Involvement
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditEvent
from werkbrug.referrals import actions as referral_actions
from werkbrug.teams import actions, identity
from werkbrug.teams.models import MAX_TEXT, AgendaItem, Case
from werkbrug.teams.tests.test_teams_support import IDENTITY, in_a_week, leaks
from werkbrug.testing import actor_for


def case_url(world, client=None, **extra) -> str:
    query = "&".join([f"client={(client or world.client).pk}", *(f"{k}={v}" for k, v in extra.items())])
    return reverse("teams:case_create", args=[world.team.pk]) + "?" + query


def test_a_partner_outside_the_team_registers_a_case_for_a_client_they_may_see(world, login):
    world.net.refer(world.client, line=world.net.gtb_line)  # GTB now sees the client
    response = login(world.net.gtb_coach).post(
        case_url(world), {"reason": "intensive", "question": "Broad support needed: care and work together?"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[world.client.pk])
    case = Case.objects.get(team=world.team)
    assert (case.client, case.reason, case.registered_by_organisation) == (
        world.client,
        "intensive",
        world.net.gtb,
    )
    assert AuditEvent.objects.filter(
        object_type="case", object_id=case.pk, action="create", client_id=world.client.pk
    ).exists()


def test_a_member_registering_returns_to_the_team_page(world, login):
    response = login(world.net.care).post(
        case_url(world), {"reason": "relapse", "question": "Relapse after a job start."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:detail", args=[world.team.pk])


def test_the_registration_page_says_the_case_will_be_anonymous(world, login):
    page = login(world.net.care).get(case_url(world)).content.decode()
    assert "discussed anonymously" in page
    assert 'name="reason"' in page and 'name="question"' in page


def test_the_registration_page_says_the_team_will_see_the_name_with_consent(world, login):
    world.consent()
    assert "the members see the name" in login(world.net.care).get(case_url(world)).content.decode()


def test_a_registration_of_an_anonymous_case_says_so(world, login):
    response = login(world.net.care).post(
        case_url(world), {"reason": "other", "question": "Advice."}, follow=True
    )
    assert "has not consented to discussion in this team" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach"])
def test_a_partner_who_may_not_see_the_client_gets_404(world, login, persona):
    client = login(getattr(world.net, persona))
    assert client.get(case_url(world)).status_code == 404
    assert client.post(case_url(world), {"reason": "other", "question": "?"}).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["funder", "admin"])
def test_roles_without_client_data_get_404_on_registration(world, login, persona):
    assert login(getattr(world.net, persona)).get(case_url(world)).status_code == 404


def test_a_missing_or_bad_client_is_404(world, login):
    client = login(world.net.care)
    assert client.get(reverse("teams:case_create", args=[world.team.pk])).status_code == 404
    assert client.get(reverse("teams:case_create", args=[world.team.pk]) + "?client=abc").status_code == 404


def test_an_inactive_team_takes_no_cases(world, login):
    world.team.is_active = False
    world.team.save()
    assert login(world.net.care).get(case_url(world)).status_code == 404


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * (MAX_TEXT + 1), f"at most {MAX_TEXT} characters"),
        ("Zenobia Quackenbusch wants to work again.", "Leave out the client&#x27;s name"),
        ("Mrs quackenbusch relapsed.", "Leave out the client&#x27;s name"),
        ("Born 14/03/1987, relapsed.", "Leave out the client&#x27;s birth date"),
        (
            "Call her on +32 470 12 34 56.",
            "Leave out the client&#x27;s national register number or phone number",
        ),
        ("Mail zenobia.q@example.net first.", "Leave out the client&#x27;s e-mail address"),
    ],
)
def test_bad_questions_get_a_clear_message_and_nothing_is_written(world, login, question, message):
    response = login(world.net.care).post(case_url(world), {"reason": "other", "question": question})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_with_consent_the_question_may_name_the_client(world):
    world.consent()
    case = world.register(question="Zenobia Quackenbusch wants to work again.")
    assert case.question.startswith("Zenobia")


def test_an_unknown_reason_is_refused(world, login):
    response = login(world.net.care).post(case_url(world), {"reason": "because", "question": "?"})
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_a_second_open_case_for_the_same_client_is_refused(world, login):
    world.register()
    response = login(world.net.care).post(case_url(world), {"reason": "other", "question": "Again?"})
    assert "already has an open case in this team" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_referral_sent_to_the_case_team_is_offered_and_linked(world, login):
    referral = world.net.refer(world.client)
    referral_actions.send_to_case_team(actor_for(world.net.screener), referral, note="Unclear who leads.")
    client = login(world.net.screener)
    page = client.get(case_url(world, referral=referral.pk)).content.decode()
    assert f'<option value="{referral.pk}" selected>' in page
    response = client.post(
        case_url(world, referral=referral.pk),
        {"reason": "unclear_lead", "question": "SaRA or GTB?", "referral": referral.pk},
    )
    assert response.status_code == 302
    assert Case.objects.get().referral == referral


def test_a_referral_that_waits_for_no_case_team_cannot_be_linked(world):
    referral = world.net.refer(world.client)
    with pytest.raises(DomainError) as error:
        actions.register_case(
            actor_for(world.net.screener),
            world.team,
            world.client,
            reason="other",
            question="?",
            referral=referral,
        )
    assert error.value.field == "referral"


def test_an_open_trajectory_of_the_partner_is_linked(world, login):
    trajectory = world.net.trajectory(world.client)
    response = login(world.net.coach).post(
        case_url(world), {"reason": "relapse", "question": "Relapse.", "trajectory": trajectory.pk}
    )
    assert response.status_code == 302
    assert Case.objects.get().trajectory == trajectory


def test_a_trajectory_the_partner_takes_no_part_in_cannot_be_linked(world):
    trajectory = world.net.trajectory(world.client)  # led by SaRA, the hospital in the background
    world.net.refer(world.client, line=world.net.gtb_line)  # GTB sees the client, not the trajectory
    with pytest.raises(DomainError) as error:
        actions.register_case(
            actor_for(world.net.gtb_coach),
            world.team,
            world.client,
            reason="other",
            question="?",
            trajectory=trajectory,
        )
    assert error.value.field == "trajectory"


def test_the_team_chooser_lists_the_active_teams_with_the_client(world, login):
    page = (
        login(world.net.care)
        .get(reverse("teams:case_start") + f"?client={world.client.pk}&referral=7")
        .content.decode()
    )
    assert (
        f"{reverse('teams:case_create', args=[world.team.pk])}?client={world.client.pk}&amp;referral=7"
        in page
    )
    assert (
        login(world.net.outsider).get(reverse("teams:case_start") + f"?client={world.client.pk}").status_code
        == 404
    )


def test_registration_writes_no_involvement_of_the_host(world):
    before = set(Involvement.objects.filter(client=world.client).values_list("organisation_id", "reason"))
    world.register()
    assert (
        set(Involvement.objects.filter(client=world.client).values_list("organisation_id", "reason"))
        == before
    )


def test_a_case_registered_after_the_meeting_was_planned_joins_the_next_meeting_only(world):
    first = world.meeting(in_a_week())
    later = world.meeting(in_a_week() + datetime.timedelta(days=28))
    case = world.register()
    assert AgendaItem.objects.filter(case=case, meeting=first).exists()
    assert not AgendaItem.objects.filter(case=case, meeting=later).exists()


def test_a_case_registered_once_the_meeting_started_waits_for_the_next_one(world):
    meeting = world.meeting()
    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=5)):
        case = world.register()
    assert not AgendaItem.objects.filter(case=case).exists()


def test_the_registration_page_shows_no_other_clients(world, login):
    other = world.net.new_client(first_name="Other", last_name="Person")
    page = login(world.net.care).get(case_url(world, client=other)).content.decode()
    assert leaks(page) == []


# --- free text of an anonymous case -----------------------------------------------------------------


def test_redaction_removes_every_identifying_value_and_keeps_the_rest(world):
    text = (
        "Zenobia Quackenbusch (°14/03/1987, INSZ 87.03.14-123.{check}) lives at Kwikstraat 17, "
        "mail zenobia.q@example.net, phone +32 470 12 34 56. Quackenbusch, Zenobia: GTB intake on 02/04/2026."
    ).format(check=IDENTITY["insz"][-2:])
    redacted = identity.redact(world.client, text)
    assert leaks(redacted) == []
    assert "@example.net" not in redacted
    assert "GTB intake on 02/04/2026." in redacted


def test_ordinary_words_and_other_numbers_are_not_taken_for_identity(world):
    text = "Janssens called on 15 jan; 3 contacts; room 0470 is free; 12/05/1990."
    assert identity.identifying_in(world.client, text) is None
    assert identity.redact(world.client, text) == text
