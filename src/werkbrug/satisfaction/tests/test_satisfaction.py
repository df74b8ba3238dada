"""Network satisfaction: the admin drafts and opens a survey, every member gets their own link, an
answer cannot be linked to the person, a link answers once, results follow the reports' small-count
rule, and only the network admin sees the survey pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import models
from django.urls import reverse

from werkbrug.core.exceptions import InvalidTransition
from werkbrug.network.models import Membership, Role, User
from werkbrug.satisfaction import actions
from werkbrug.satisfaction.models import (
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from werkbrug.satisfaction.results import survey_results
from werkbrug.testing import actor_for, make_user

LINK = re.compile(r"https?://[^/\s]+(/satisfaction/answer/([^/\s]+)/)")


def draft(net) -> tuple[Survey, Question, Question]:
    admin = actor_for(net.admin)
    survey = actions.create_survey(admin, title="Tevredenheid netwerk", year=2026)
    scale = actions.add_question(
        admin, survey, text="Hoe tevreden ben je over de samenwerking?", kind="scale"
    )
    text = actions.add_question(admin, survey, text="Wat kan beter?", kind="text")
    return survey, scale, text


def opened(net, django_capture_on_commit_callbacks) -> tuple[Survey, Question, Question, dict[str, str]]:
    """The survey opened; the links as mailed, per e-mail address (path, token)."""
    survey, scale, text = draft(net)
    with django_capture_on_commit_callbacks(execute=True):
        actions.open_survey(actor_for(net.admin), survey, base_url="http://testserver/satisfaction/answer/")
    links = {}
    for message in mail.outbox:
        found = LINK.search(message.body)
        assert found is not None
        links[message.to[0]] = found.group(1)
    return survey, scale, text, links


def test_opening_invites_every_member_with_their_own_link_and_stores_only_a_hash(
    net, django_capture_on_commit_callbacks
):
    survey, _, _, links = opened(net, django_capture_on_commit_callbacks)
    members = set(
        Membership.objects.filter(
            is_active=True, organisation__is_active=True, organisation__kind__in=("care", "work")
        ).values_list("user_id", flat=True)
    )
    assert set(Invitation.objects.filter(survey=survey).values_list("user_id", flat=True)) == members
    assert net.funder.pk not in members and net.admin.pk not in members
    assert (
        len(set(links.values()))
        == len(links)
        == len([u for u in User.objects.filter(pk__in=members) if u.email])
    )
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    for path in links.values():
        token = path.rstrip("/").rsplit("/", 1)[1]
        assert token not in stored
        assert actions.token_hash(token) in stored
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.OPEN


def test_the_answer_tables_hold_nothing_that_links_to_a_person():
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one:
                assert field.related_model not in (User, Invitation, Membership), (model, field.name)
            assert not isinstance(field, models.DateTimeField), (model, field.name)
            assert field.name not in ("user", "invitation", "token", "token_hash", "created_at", "at")
    assert {f.name for f in Response._meta.concrete_fields} == {"id", "survey", "on"}
    assert not any(isinstance(f, models.DateTimeField) for f in Invitation._meta.concrete_fields)


def test_an_answer_is_stored_anonymously_and_the_invitation_marked_used(
    net, client, django_capture_on_commit_callbacks
):
    survey, scale, text, links = opened(net, django_capture_on_commit_callbacks)
    path = links[net.coach.email]
    client.force_login(net.coach)  # even logged in, nothing of the person is stored
    assert client.get(path).status_code == 200
    response = client.post(path, {f"q{scale.pk}": "4", f"q{text.pk}": "Meer overleg"})
    assert response.status_code == 302
    assert response["Location"] == reverse("satisfaction:thanks")
    stored = Response.objects.get()
    assert list(stored.answers.order_by("question__position").values_list("score", "text")) == [
        (4, ""),
        (None, "Meer overleg"),
    ]
    assert Invitation.objects.get(user=net.coach, survey=survey).used
    assert Invitation.objects.filter(used=True).count() == 1


def test_a_second_answer_with_the_same_invitation_is_refused(net, client, django_capture_on_commit_callbacks):
    _survey, scale, _, links = opened(net, django_capture_on_commit_callbacks)
    path = links[net.coach.email]
    assert client.post(path, {f"q{scale.pk}": "4"}).status_code == 302
    again = client.post(path, {f"q{scale.pk}": "1"})
    assert again.status_code == 200
    assert "used already" in again.content.decode()
    assert Response.objects.count() == 1
    assert "used already" in client.get(path).content.decode()
    token = path.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(InvalidTransition):
        actions.answer_survey(token, {scale.pk: 5})
    assert Answer.objects.filter(score=1).count() == 0


@pytest.mark.parametrize("post", [{"score": "7"}, {"score": "abc"}, {}])
def test_bad_answers_are_refused_and_leave_the_link_unused(
    net, client, django_capture_on_commit_callbacks, post
):
    survey, scale, _text, links = opened(net, django_capture_on_commit_callbacks)
    path = links[net.coach.email]
    data = {f"q{scale.pk}": post["score"]} if post else {}
    response = client.post(path, data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Response.objects.count() == 0
    assert not Invitation.objects.get(user=net.coach, survey=survey).used


def test_an_unknown_link_is_404(net, client, django_capture_on_commit_callbacks):
    opened(net, django_capture_on_commit_callbacks)
    assert client.get(reverse("satisfaction:answer", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("satisfaction:answer", args=["x" * 43]), {}).status_code == 404


def test_a_closed_survey_takes_no_answers(net, client, django_capture_on_commit_callbacks):
    survey, scale, _, links = opened(net, django_capture_on_commit_callbacks)
    actions.close_survey(actor_for(net.admin), survey)
    response = client.post(links[net.coach.email], {f"q{scale.pk}": "3"})
    assert response.status_code == 200
    assert Response.objects.count() == 0


def answer_many(survey: Survey, scale: Question, text: Question, scores: list[int]) -> None:
    invitations = list(Invitation.objects.filter(survey=survey, used=False)[: len(scores)])
    assert len(invitations) == len(scores)
    for n, (invitation, score) in enumerate(zip(invitations, scores, strict=True)):
        token = f"test-token-{n}"
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=actions.token_hash(token))
        actions.answer_survey(token, {scale.pk: score, text.pk: f"tekst {n}"})


def test_results_below_five_answers_are_suppressed(net, django_capture_on_commit_callbacks):
    survey, scale, text, _ = opened(net, django_capture_on_commit_callbacks)
    answer_many(survey, scale, text, [4, 4, 5])
    results = survey_results(survey)
    assert results.responses == "<5"
    row = results.questions[0]
    assert row.answers == "<5"
    assert row.scores == ["0", "0", "0", "<5", "<5"]
    assert row.mean == ""
    assert results.texts_shown is False
    assert results.questions[1].texts == []


def test_results_from_five_answers_show_counts_and_hide_what_gives_a_small_one_away(
    net, django_capture_on_commit_callbacks
):
    survey, scale, text, _ = opened(net, django_capture_on_commit_callbacks)
    scores = [5, 5, 5, 5, 5, 4, 4]
    if Invitation.objects.filter(survey=survey).count() < len(scores):
        pytest.fail("the test network has too few members for this test")
    answer_many(survey, scale, text, scores)
    results = survey_results(survey)
    assert results.responses == "7"
    row = results.questions[0]
    # 5 x "5" and 2 x "4": the 2 is small; with the total (7) shown, the 5 would give it away.
    assert row.scores[3] == "<5"
    assert row.scores[4] == "\u00d7" or row.answers == "\u00d7"
    assert results.texts_shown is True
    assert results.questions[1].texts == sorted(f"tekst {n}" for n in range(7))


def test_results_with_many_answers_show_the_mean(net, django_capture_on_commit_callbacks):
    for n in range(4):
        make_user(f"extra{n}", net.sara, Role.COACH)
    survey, scale, text, _ = opened(net, django_capture_on_commit_callbacks)
    scores = [5, 5, 5, 5, 5, 3, 3, 3, 3, 3]
    answer_many(survey, scale, text, scores)
    row = survey_results(survey).questions[0]
    assert row.answers == "10"
    assert row.scores == ["0", "0", "5", "0", "5"]
    assert row.mean == f"{(5 * 5 + 5 * 3) / 10:.1f}"


# --- the admin pages -----------------------------------------------------------------------------


def test_the_admin_creates_a_survey_adds_questions_and_opens_it(
    net, login, django_capture_on_commit_callbacks
):
    page = login(net.admin)
    response = page.post(reverse("satisfaction:create"), {"title": "Netwerk", "year": "2026", "intro": ""})
    assert response.status_code == 302
    survey = Survey.objects.get()
    detail = reverse("satisfaction:detail", args=[survey.pk])
    assert page.post(detail, {"text": "Tevreden?", "kind": "scale"}).status_code == 302
    # A double submit of the same question is refused.
    assert page.post(detail, {"text": "Tevreden?", "kind": "scale"}).status_code == 200
    assert survey.questions.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(reverse("satisfaction:open", args=[survey.pk])).status_code == 302
    invited = Invitation.objects.filter(survey=survey).count()
    # Opening twice invites nobody twice.
    assert page.post(reverse("satisfaction:open", args=[survey.pk])).status_code == 302
    assert Invitation.objects.filter(survey=survey).count() == invited
    assert len(mail.outbox) == invited
    body = page.get(detail).content.decode()
    assert "Tevreden?" in body


@pytest.mark.parametrize(
    "post", [{"title": "", "year": "2026"}, {"title": "X", "year": "99999"}, {"title": "X", "year": "abc"}]
)
def test_a_bad_survey_is_refused(net, login, post):
    response = login(net.admin).post(reverse("satisfaction:create"), post)
    assert response.status_code == 200
    assert not Survey.objects.exists()


@pytest.mark.parametrize("who", ["coach", "coordinator", "care", "outsider", "funder"])
def test_only_the_network_admin_sees_the_survey_pages(net, login, who):
    survey, scale, _ = draft(net)
    page = login(getattr(net, who))
    for name, args in [
        ("satisfaction:list", []),
        ("satisfaction:create", []),
        ("satisfaction:detail", [survey.pk]),
    ]:
        assert page.get(reverse(name, args=args)).status_code == 404
    assert (
        page.post(reverse("satisfaction:detail", args=[survey.pk]), {"text": "X", "kind": "text"}).status_code
        == 404
    )
    assert page.post(reverse("satisfaction:open", args=[survey.pk])).status_code == 404
    assert page.post(reverse("satisfaction:question_remove", args=[survey.pk, scale.pk])).status_code == 404
    assert survey.questions.count() == 2
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.DRAFT


@pytest.mark.parametrize("n", [1, 6])
def test_the_survey_pages_run_a_constant_number_of_queries(net, login, django_assert_max_num_queries, n):
    survey, _, _ = draft(net)
    admin = actor_for(net.admin)
    for i in range(n):
        actions.add_question(
            admin, survey, text=f"Vraag {i}", kind=QuestionKind.SCALE if i % 2 else QuestionKind.TEXT
        )
    page = login(net.admin)
    with django_assert_max_num_queries(14):
        assert page.get(reverse("satisfaction:detail", args=[survey.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert page.get(reverse("satisfaction:list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_answers_with_one_link_at_the_same_moment_store_one(tnet):
    from django.test import Client as WebClient

    from werkbrug.testing import one_done_one_refused, race

    survey, scale, _ = draft(tnet)
    actions.open_survey(actor_for(tnet.admin), survey, base_url="/satisfaction/answer/")
    Invitation.objects.filter(survey=survey, user=tnet.coach).update(token_hash=actions.token_hash("raced"))
    path = reverse("satisfaction:answer", args=["raced"])
    browsers = [WebClient(), WebClient()]
    responses = race(
        *(lambda b=b, n=n: b.post(path, {f"q{scale.pk}": str(n)}) for n, b in enumerate(browsers, 3))
    )
    one_done_one_refused(responses)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 1
    assert Invitation.objects.get(survey=survey, user=tnet.coach).used


def test_the_admin_makes_client_links_shown_once_that_each_answer_once(
    net, login, client, django_capture_on_commit_callbacks
):
    survey, scale, _, _ = opened(net, django_capture_on_commit_callbacks)
    members = Invitation.objects.count()
    page = login(net.admin)
    url = reverse("satisfaction:client_links", args=[survey.pk])
    response = page.post(url, {"count": "3"})
    assert response.status_code == 200
    paths = [found.group(1) for found in LINK.finditer(response.content.decode())]
    assert len(set(paths)) == 3
    new = Invitation.objects.filter(user__isnull=True, organisation__isnull=True)
    assert new.count() == 3 and Invitation.objects.count() == members + 3
    for path in paths:
        assert path.rstrip("/").rsplit("/", 1)[1] not in set(new.values_list("token_hash", flat=True))
    client.logout()
    assert client.post(paths[0], {f"q{scale.pk}": "5"}).status_code == 302
    assert "used already" in client.post(paths[0], {f"q{scale.pk}": "5"}).content.decode()
    assert Response.objects.count() == 1
    # Shown once: the survey page does not list them.
    assert paths[1] not in page.get(reverse("satisfaction:detail", args=[survey.pk])).content.decode()


@pytest.mark.parametrize("count", ["0", "201", "x"])
def test_a_bad_number_of_client_links_is_refused(net, login, django_capture_on_commit_callbacks, count):
    survey, _, _, _ = opened(net, django_capture_on_commit_callbacks)
    before = Invitation.objects.count()
    response = login(net.admin).post(reverse("satisfaction:client_links", args=[survey.pk]), {"count": count})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Invitation.objects.count() == before


def test_client_links_only_for_an_open_survey_and_only_for_the_admin(net, login):
    survey, _, _ = draft(net)
    url = reverse("satisfaction:client_links", args=[survey.pk])
    assert login(net.admin).post(url, {"count": "2"}).status_code == 200
    assert not Invitation.objects.exists()
    for who in ("coordinator", "coach", "outsider", "funder"):
        assert login(getattr(net, who)).post(url, {"count": "2"}).status_code == 404
    assert not Invitation.objects.exists()
