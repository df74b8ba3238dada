"""Writes on the network satisfaction survey. The network admin drafts a survey and its questions,
opens it (an invitation with a random link per member) and closes it; anyone with a link answers once.

`answer_survey` is where anonymity is kept: it locks the invitation (select_for_update), refuses a
used one, writes a Response with the survey and the day only, and marks the invitation used, all in
one transaction. It writes no audit row and never looks at who is logged in.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.jobs.runner import enqueue_on_commit
from werkbrug.network.models import Membership, OrganisationKind, Role
from werkbrug.satisfaction.invitations import token_hash, unheld_hash
from werkbrug.satisfaction.models import (
    TEXT_MAX,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from werkbrug.satisfaction.tasks import survey_invitations

MEMBER_KINDS = (OrganisationKind.CARE, OrganisationKind.WORK)
MAX_QUESTIONS = 30


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can manage the satisfaction survey."))


def _text(value: str | None, field: str, max_length: int, required: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(required, field=field)
    if len(text) > max_length:
        raise DomainError(
            _("This text is too long (at most %(n)s characters).") % {"n": max_length}, field=field
        )
    return text


@transaction.atomic
def create_survey(actor: Actor, *, title: str, year: int, intro: str = "") -> Survey:
    _require_admin(actor)
    survey = Survey.objects.create(
        title=_text(title, "title", 150, _("Give the survey a title.")),
        year=year,
        intro=(intro or "").strip()[:TEXT_MAX],
        created_by=actor.user,
    )
    audit.record(actor, AuditAction.CREATE, survey, client_id=None, summary=f"survey {survey.year}")
    return survey


@transaction.atomic
def add_question(actor: Actor, survey: Survey, *, text: str, kind: str) -> Question:
    _require_admin(actor)
    relock(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidTransition(_("Questions can only change while the survey is a draft."))
    if kind not in QuestionKind.values:
        raise DomainError(_("Choose the kind of question."), field="kind")
    if survey.questions.count() >= MAX_QUESTIONS:
        raise DomainError(_("A survey has at most %(n)s questions.") % {"n": MAX_QUESTIONS})
    text = _text(text, "text", 300, _("Write the question."))
    if survey.questions.filter(text=text).exists():
        raise DomainError(_("This question is already in the survey."), field="text")
    position = (survey.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    return Question.objects.create(survey=survey, text=text, kind=kind, position=position)


@transaction.atomic
def remove_question(actor: Actor, question: Question) -> None:
    _require_admin(actor)
    survey = relock(question.survey)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidTransition(_("Questions can only change while the survey is a draft."))
    question.delete()


def invitees(survey: Survey) -> list[Membership]:
    """One active membership per active user of an active care or work organisation."""
    memberships = (
        Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
            organisation__kind__in=MEMBER_KINDS,
        )
        .select_related("user", "organisation")
        .order_by("user_id", "organisation__name", "pk")
    )
    chosen: dict[int, Membership] = {}
    for membership in memberships:
        chosen.setdefault(membership.user_id, membership)
    return list(chosen.values())


@transaction.atomic
def open_survey(actor: Actor, survey: Survey, *, base_url: str) -> int:
    """Invite every member: an invitation each, its link made and mailed by a job after the commit
    (satisfaction.invitations: only the token's hash is stored, no client data in the mail). Returns
    how many were invited."""
    _require_admin(actor)
    relock(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidTransition(_("This survey was opened already."))
    if not survey.questions.exists():
        raise DomainError(_("Add at least one question first."))
    members = invitees(survey)
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            user=membership.user,
            organisation=membership.organisation,
            token_hash=unheld_hash(),
        )
        for membership in members
    )
    mails = sum(1 for membership in members if membership.user.email)
    survey.status = SurveyStatus.OPEN
    survey.save(update_fields=["status"])
    audit.record(actor, AuditAction.UPDATE, survey, client_id=None, summary=f"survey opened, {mails} mails")
    if mails:
        enqueue_on_commit(survey_invitations, survey.pk, timezone.localdate().isoformat(), base_url)
    return len(members)


MAX_CLIENT_LINKS = 200


@transaction.atomic
def client_links(actor: Actor, survey: Survey, *, count: int, base_url: str) -> list[str]:
    """`count` anonymous links for clients (optional, on paper): no user, no organisation. The links
    are returned once, to print; only their hashes are kept."""
    _require_admin(actor)
    relock(survey)
    if survey.status != SurveyStatus.OPEN:
        raise InvalidTransition(_("Links can only be made while the survey is open."))
    if not 1 <= count <= MAX_CLIENT_LINKS:
        raise DomainError(_("Ask for 1 to %(n)s links.") % {"n": MAX_CLIENT_LINKS}, field="count")
    links = []
    for _n in range(count):
        token = secrets.token_urlsafe(32)
        Invitation.objects.create(survey=survey, token_hash=token_hash(token))
        links.append(f"{base_url}{token}/")
    audit.record(actor, AuditAction.UPDATE, survey, client_id=None, summary=f"{count} client links")
    return links


@transaction.atomic
def close_survey(actor: Actor, survey: Survey) -> Survey:
    _require_admin(actor)
    relock(survey)
    if survey.status != SurveyStatus.OPEN:
        raise InvalidTransition(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    audit.record(actor, AuditAction.UPDATE, survey, client_id=None, summary="survey closed")
    return survey


def invitation_for(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("survey").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def answer_survey(token: str, answers: Mapping[int, Any]) -> Response:
    """Store one anonymous response: `answers` maps a question's pk to a score (1-5) or a text."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise DomainError(_("This link is not valid."))
    if invitation.used:
        raise InvalidTransition(_("This link was used already: a survey is answered once per invitation."))
    survey = invitation.survey
    if survey.status != SurveyStatus.OPEN:
        raise DomainError(_("This survey is closed."))
    rows = []
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if question.kind == QuestionKind.SCALE:
            if value in (None, ""):
                continue
            score = int(value)
            if not 1 <= score <= 5:
                raise DomainError(_("Choose a score from 1 to 5."), field=f"q{question.pk}")
            rows.append(Answer(question=question, score=score))
        else:
            text = str(value or "").strip()
            if len(text) > TEXT_MAX:
                raise DomainError(
                    _("This text is too long (at most %(n)s characters).") % {"n": TEXT_MAX},
                    field=f"q{question.pk}",
                )
            if text:
                rows.append(Answer(question=question, text=text))
    if not rows:
        raise DomainError(_("Answer at least one question."))
    response = Response.objects.create(survey=survey, on=timezone.localdate())
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    invitation.used = True
    invitation.save(update_fields=["used"])
    return response
