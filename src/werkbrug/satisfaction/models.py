"""Network satisfaction (seed 000: the satisfaction of the whole network is to be measured): a
yearly survey of the member organisations' users with configurable questions, answered through an
anonymous link, one answer per invitation.

Anonymity is in the tables: a `Response` holds the survey and the day it was given, nothing else. No
user, no invitation, no timestamp: the invitation is only marked `used` (without a time), in the same
transaction, so neither a key nor the order of rows nor a time links an answer to a person.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.records import CreatedBy
from werkbrug.network.models import Organisation, User

TEXT_MAX = 2000


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Survey(CreatedBy):
    title = models.CharField(_("title"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    intro = models.TextField(_("introduction"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("scale from 1 to 5")
    TEXT = "text", _("open text")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """One person's link: only the hash of its random token is stored; `used` says it was answered
    (never when, never which answer). A link for clients has no user and no organisation: it is
    handed out on paper, to whoever the coach gives it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="unique_survey_invitation")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.survey} → {self.user}"


class Response(models.Model):
    """One anonymous answer: the survey and the day only (no user, no invitation, no time)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    on = models.DateField()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.survey)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_MAX, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="unique_answer")]

    def __str__(self) -> str:
        return str(self.question)
