"""Feedback to the referrer (terugkoppeling): only with the client's consent, into the referrer's inbox,
with an e-mail that says nothing about the client."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from werkbrug.clients.actions import grant_consent, withdraw_consent
from werkbrug.clients.models import Client, Consent, ConsentPurpose
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.exchange import actions
from werkbrug.exchange.feedback_views import unread_feedback_count
from werkbrug.exchange.models import MAX_FEEDBACK_TEXT, Feedback
from werkbrug.network.models import Membership, TrajectoryType, User
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import SIGNED, Network, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Trajectory

DISCUSSED = "Sollicitatiebrief samen herschreven"
STEPS = "Twee vacatures bekeken"
SUPPORT = "Opvolging van de slaapproblemen"


def consent_to_feedback(net: Network, client: Client) -> Consent:
    return grant_consent(
        actor_for(net.care),
        client,
        purpose="feedback",
        recipient=net.hospital,
        categories=["trajectory"],
        evidence=SIGNED,
    )


def send(net: Network, trajectory: Trajectory, by: User | None = None, **texts: str) -> Feedback:
    values = {"discussed": DISCUSSED, "steps": STEPS, "support_needed": SUPPORT, **texts}
    return actions.send_feedback(actor_for(by or net.coach), trajectory, **values)


def form_data(**texts: str) -> dict[str, str]:
    return {"discussed": DISCUSSED, "steps": STEPS, "support_needed": SUPPORT, **texts}


def feedback_events() -> int:
    return AuditEvent.objects.filter(object_type="feedback").count()


@pytest.fixture
def trajectory(net) -> Trajectory:
    return net.trajectory()


@pytest.fixture
def consented(net, trajectory) -> Trajectory:
    consent_to_feedback(net, trajectory.client)
    return trajectory


@pytest.fixture
def feedback(net, consented) -> Feedback:
    return send(net, consented)


# --- without consent nothing is passed on ----------------------------------------------------


def test_feedback_without_consent_is_refused_by_the_action(
    net, trajectory, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(actions.NoFeedbackConsent) as refused,
    ):
        send(net, trajectory)
    assert "has not consented to feedback to PZ Bethanië" in refused.value.message
    assert Feedback.objects.count() == 0
    assert mail.outbox == []


def test_the_feedback_page_explains_the_missing_consent_instead_of_the_form(net, login, trajectory):
    response = login(net.coach).get(reverse("feedback:create", args=[trajectory.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "has not consented to feedback to PZ Bethanië" in body
    assert 'name="discussed"' not in body
    assert reverse("clients:consent_create", args=[trajectory.client_id]) in body


def test_posting_feedback_without_consent_writes_nothing_and_sends_no_mail(
    net, login, trajectory, django_capture_on_commit_callbacks
):
    events = feedback_events()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(net.coach).post(reverse("feedback:create", args=[trajectory.pk]), form_data())
    assert response.status_code == 200
    assert "has not consented to feedback to PZ Bethanië" in response.content.decode()
    assert Feedback.objects.count() == 0
    assert feedback_events() == events
    assert callbacks == []
    assert mail.outbox == []


def test_a_consent_for_another_purpose_or_organisation_does_not_count(net, trajectory):
    for purpose, recipient in [
        (ConsentPurpose.COLLABORATION, net.hospital),
        (ConsentPurpose.FEEDBACK, net.gtb),
    ]:
        grant_consent(
            actor_for(net.coach),
            trajectory.client,
            purpose=purpose,
            recipient=recipient,
            categories=["trajectory"],
            evidence=SIGNED,
        )
    with pytest.raises(actions.NoFeedbackConsent):
        send(net, trajectory)


def test_withdrawing_the_feedback_consent_stops_new_feedback_at_once(net, login, trajectory):
    consent = consent_to_feedback(net, trajectory.client)
    send(net, trajectory)
    withdraw_consent(actor_for(net.coach), consent)
    with pytest.raises(actions.NoFeedbackConsent):
        send(net, trajectory)
    assert Feedback.objects.count() == 1
    body = login(net.coach).get(reverse("feedback:create", args=[trajectory.pk])).content.decode()
    assert "has not consented to feedback to PZ Bethanië" in body
    assert 'name="discussed"' not in body


def test_without_a_referrer_from_another_organisation_there_is_no_feedback(net, login):
    client = net.new_client(by=net.coach)
    referral = net.refer(client, by=net.coach)
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    own = trajectory_actions.accept_referral(
        actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code="arbeidscoach")
    )
    with pytest.raises(DomainError, match="no referrer to give feedback to"):
        send(net, own)
    body = login(net.coach).get(reverse("feedback:create", args=[own.pk])).content.decode()
    assert "no referrer to give feedback to" in body
    assert 'name="discussed"' not in body
    assert reverse("clients:consent_create", args=[client.pk]) not in body


def test_feedback_the_referrer_could_not_open_is_refused(net, consented):
    record = Consent.objects.get(
        client=consented.client, recipient=net.hospital, purpose=ConsentPurpose.RECORD
    )
    withdraw_consent(actor_for(net.care), record)
    with pytest.raises(DomainError, match="no longer shared with PZ Bethanië"):
        send(net, consented)


# --- with consent: sent, in the inbox, read ----------------------------------------------------


def test_with_consent_the_feedback_reaches_the_referrers_inbox_unread(
    net, login, consented, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(net.coach).post(reverse("feedback:create", args=[consented.pk]), form_data())
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.recipient_organisation, feedback.recipient) == (net.hospital, net.care)
    assert (feedback.sender, feedback.sender_organisation) == (net.coach, net.sara)
    assert (feedback.trajectory, feedback.referral) == (consented, consented.referral)
    assert feedback.read_at is None

    inbox = login(net.care).get(reverse("feedback:inbox"))
    body = inbox.content.decode()
    assert inbox.context["unread_feedback"] == 1
    assert "1 unread" in body
    assert "Jan Peeters" in body
    assert str(net.coach) in body
    assert reverse("feedback:detail", args=[feedback.pk]) in body


def test_opening_the_feedback_marks_it_read(net, login, feedback):
    client = login(net.care)
    body = client.get(reverse("feedback:detail", args=[feedback.pk])).content.decode()
    for text in (DISCUSSED, STEPS, SUPPORT):
        assert text in body
    feedback.refresh_from_db()
    assert feedback.read_at is not None
    assert feedback.read_by == net.care
    assert client.get(reverse("feedback:inbox")).context["unread_feedback"] == 0
    updates = AuditEvent.objects.filter(object_type="feedback", action=AuditAction.UPDATE)
    assert updates.count() == 1
    client.get(reverse("feedback:detail", args=[feedback.pk]))
    assert updates.count() == 1


def test_the_inbox_lists_unread_feedback_first(net, login, consented):
    older = send(net, consented, discussed="eerste")
    newer = send(net, consented, discussed="tweede")
    client = login(net.care)
    client.get(reverse("feedback:detail", args=[newer.pk]))
    page = client.get(reverse("feedback:inbox")).context["page"]
    assert [f.pk for f in page] == [older.pk, newer.pk]


def test_the_sender_sees_its_sent_feedback_without_marking_it_read(net, login, feedback):
    client = login(net.coach)
    body = client.get(reverse("feedback:sent")).content.decode()
    assert "Jan Peeters" in body
    assert "not read yet" in body
    assert DISCUSSED in client.get(reverse("feedback:detail", args=[feedback.pk])).content.decode()
    feedback.refresh_from_db()
    assert feedback.read_at is None


def test_the_coordinator_of_the_lead_may_send_feedback(net, consented):
    assert send(net, consented, by=net.coordinator).sender == net.coordinator


def test_text_is_stored_stripped_with_one_kind_of_line_break(net, consented):
    feedback = send(net, consented, discussed="  eerst\r\ndan  ", steps=" ", support_needed="")
    assert (feedback.discussed, feedback.steps, feedback.support_needed) == ("eerst\ndan", "", "")


# --- the e-mail --------------------------------------------------------------------------------


def test_the_referrer_gets_one_e_mail_without_the_clients_name(
    net, consented, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feedback = send(net, consented)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [net.care.email]
    text = f"{message.subject}\n{message.body}"
    assert "You have new feedback in Werkbrug about one of your referrals" in text
    assert reverse("feedback:detail", args=[feedback.pk]) in text
    for secret in ("Jan", "Peeters", DISCUSSED, STEPS, SUPPORT, str(net.coach), "SaRA"):
        assert secret not in text


def test_the_e_mail_waits_for_the_commit_so_a_failed_write_sends_nothing(
    net, consented, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(net, consented)
        raise RuntimeError("the write fails after the action")
    assert callbacks == []
    assert mail.outbox == []
    assert Feedback.objects.count() == 0


def test_no_e_mail_when_the_referrer_has_no_address(net, consented, django_capture_on_commit_callbacks):
    User.objects.filter(pk=net.care.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        send(net, Trajectory.objects.get(pk=consented.pk))
    assert mail.outbox == []
    assert Feedback.objects.count() == 1


# --- who may do what --------------------------------------------------------------------------


def test_a_non_lead_cannot_send_feedback(net, login, consented):
    for user in (net.care, net.screener, net.gtb_coach, net.outsider):
        with pytest.raises(DomainError):
            send(net, consented, by=user)
        client = login(user)
        url = reverse("feedback:create", args=[consented.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_data()).status_code == 404
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_outsiders_get_404_on_feedback(net, login, feedback, persona):
    events = AuditEvent.objects.count()
    client = login(getattr(net, persona))
    trajectory = feedback.trajectory
    for url in (
        reverse("feedback:detail", args=[feedback.pk]),
        reverse("feedback:create", args=[trajectory.pk]),
        reverse("feedback:summary_pdf", args=[trajectory.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("feedback:create", args=[trajectory.pk]), form_data()).status_code == 404
    for url in (reverse("feedback:inbox"), reverse("feedback:sent")):
        response = client.get(url)
        if persona in ("admin", "funder"):
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            assert "Jan Peeters" not in response.content.decode()
    # Nothing about the client is recorded; only the views of their own (empty) lists, one row each.
    lists = list(
        AuditEvent.objects.filter(action=AuditAction.LIST)
        .order_by("pk")
        .values_list("object_type", "client_id")
    )
    assert AuditEvent.objects.count() == events + len(lists)
    assert lists == (
        [] if persona in ("admin", "funder") else [("feedback:inbox", None), ("feedback:sent", None)]
    )
    assert Feedback.objects.count() == 1


def test_withdrawing_the_file_consent_hides_received_feedback(net, login, feedback):
    record = Consent.objects.get(
        client=feedback.client, recipient=net.hospital, purpose=ConsentPurpose.RECORD
    )
    withdraw_consent(actor_for(net.care), record)
    client = login(net.care)
    inbox = client.get(reverse("feedback:inbox"))
    assert inbox.context["unread_feedback"] == 0
    assert "Jan Peeters" not in inbox.content.decode()
    assert client.get(reverse("feedback:detail", args=[feedback.pk])).status_code == 404


def test_only_the_receiving_organisation_marks_feedback_read(net, feedback):
    for user in (net.coach, net.outsider, net.gtb_coach):
        with pytest.raises(DomainError):
            actions.mark_feedback_read(actor_for(user), feedback)
    feedback.refresh_from_db()
    assert feedback.read_at is None


# --- input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["discussed", "steps", "support_needed"])
def test_over_long_feedback_is_refused(net, login, consented, field):
    with pytest.raises(DomainError) as refused:
        send(net, consented, **{field: "x" * (MAX_FEEDBACK_TEXT + 1)})
    assert refused.value.field == field
    response = login(net.coach).post(
        reverse("feedback:create", args=[consented.pk]), form_data(**{field: "x" * (MAX_FEEDBACK_TEXT + 1)})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Feedback.objects.count() == 0


def test_empty_discussed_is_refused(net, login, consented):
    with pytest.raises(DomainError) as refused:
        send(net, consented, discussed="   ")
    assert refused.value.field == "discussed"
    response = login(net.coach).post(
        reverse("feedback:create", args=[consented.pk]), form_data(discussed=" ")
    )
    assert response.context["form"].errors["discussed"]
    assert Feedback.objects.count() == 0


def test_a_line_break_counts_as_one_character(net, login, consented):
    text = "a\r\n" * (MAX_FEEDBACK_TEXT // 2)  # 3000 characters as posted, 1999 as stored
    response = login(net.coach).post(
        reverse("feedback:create", args=[consented.pk]), form_data(discussed=text)
    )
    assert response.status_code == 302
    assert len(Feedback.objects.get().discussed) == MAX_FEEDBACK_TEXT - 1


# --- pages link and count --------------------------------------------------------------------


def test_the_lead_finds_the_feedback_and_summary_links_on_the_trajectory(net, login, consented):
    links = (
        reverse("feedback:create", args=[consented.pk]),
        reverse("feedback:summary_pdf", args=[consented.pk]),
    )
    body = login(net.coach).get(reverse("trajectories:detail", args=[consented.pk])).content.decode()
    assert all(link in body for link in links)
    body = login(net.care).get(reverse("trajectories:detail", args=[consented.pk])).content.decode()
    assert not any(link in body for link in links)


def test_care_professionals_find_the_feedback_inbox_in_the_menu(net, login):
    assert reverse("feedback:inbox") in login(net.care).get(reverse("referrals:mine")).content.decode()


def _request(user: User):
    request = RequestFactory().get("/")
    request.user = user
    membership = Membership.objects.select_related("organisation").get(user=user)
    request.get_membership = lambda: membership
    return request


def test_the_unread_count_runs_one_query_for_care_professionals_and_none_for_others(
    net, feedback, django_assert_num_queries
):
    for user in (net.coach, net.admin, net.funder, net.screener):
        request = _request(user)
        with django_assert_num_queries(0):
            assert unread_feedback_count(request) == {}
    request = _request(net.care)
    with django_assert_num_queries(1):
        assert unread_feedback_count(request) == {"unread_feedback": 1}
    request = _request(net.outsider)
    with django_assert_num_queries(1):
        assert unread_feedback_count(request) == {"unread_feedback": 0}


@pytest.mark.parametrize("rows", [1, 30])
def test_the_inbox_and_the_sent_list_run_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        trajectory = net.trajectory(net.new_client())
        consent_to_feedback(net, trajectory.client)
        send(net, trajectory)
    care = login(net.care)
    with django_assert_max_num_queries(
        7
    ):  # +1 since issue 13: the session is read from the database, so that logout ends it on every worker
        response = care.get(reverse("feedback:inbox"))
    assert response.context["unread_feedback"] == rows
    assert response.content.decode().count("/feedback/") >= rows
    coach = login(net.coach)
    with django_assert_max_num_queries(
        7
    ):  # +1 since issue 13: the session is read from the database, so that logout ends it on every worker
        response = coach.get(reverse("feedback:sent"))
    assert len(response.context["page"]) == rows


def test_wired_as_a_context_processor_the_menu_shows_the_unread_count(net, login, feedback, settings):
    """The wiring proposed for settings.TEMPLATES (the lead adds it there)."""
    engine = settings.TEMPLATES[0]
    processors = [
        *engine["OPTIONS"]["context_processors"],
        "werkbrug.exchange.feedback_views.unread_feedback_count",
    ]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    response = login(net.care).get(reverse("referrals:mine"))
    assert response.context["unread_feedback"] == 1
    assert 'title="unread">1</span>' in response.content.decode()
    assert "unread_feedback" not in login(net.coach).get(reverse("referrals:mine")).context
