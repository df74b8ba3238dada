"""The survey's invitation mails, sent by a background job (satisfaction.tasks, docs/jobs.md).

A link is a random token of which only the hash is stored. The token must be in the mail and may not
be in the job's arguments (the queue table shows them), so `open_survey` creates each member's
invitation with the hash of a token that is thrown away at once (a link nobody holds), and the job
makes the real token: per invitation, in one transaction, it claims the invitation's done-marker
(werkbrug.jobs.daily, keyed by the day the survey was opened), stores the hash of a new token and
sends the mail with the link. A mail that fails rolls the marker and the hash back; the job fails and
its retry sends that invitation (and no other again). The one window left: a worker killed after the
mail server accepted a mail and before the commit; the retry then sends a new link, and the first
one does not work.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from smtplib import SMTPException

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.jobs.daily import claim
from werkbrug.satisfaction.models import Invitation, Survey, SurveyStatus

logger = logging.getLogger(__name__)

JOB = "survey_invitation"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unheld_hash() -> str:
    """The hash of a token nobody keeps: the invitation exists, its link does not yet."""
    return token_hash(secrets.token_urlsafe(32))


class InvitationsNotSent(Exception):
    """Some invitation mails failed; the job is retried and sends those."""


def send_invitations(survey_id: int, day: datetime.date, base_url: str) -> int:
    """Mail each member's invitation of an open survey that was not mailed yet; how many were sent."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or survey.status != SurveyStatus.OPEN:
        return 0
    invitations = (
        Invitation.objects.filter(survey=survey, user__isnull=False, user__is_active=True, used=False)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent = failed = 0
    for invitation in invitations:
        user = invitation.user
        if user is None:  # excluded by the query; client links are never mailed
            continue
        try:
            with transaction.atomic():
                if not claim(JOB, day, [str(invitation.pk)]):
                    continue
                token = secrets.token_urlsafe(32)
                Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
                _invitation_mail(survey, user.email, f"{base_url}{token}/").send()
        except (SMTPException, OSError):
            failed += 1
            logger.warning(
                "survey %s: invitation %s could not be mailed", survey.pk, invitation.pk, exc_info=True
            )
            continue
        sent += 1
    if failed:
        raise InvitationsNotSent(f"{failed} invitation mail(s) of survey {survey.pk} not sent")
    return sent


def _invitation_mail(survey: Survey, to: str, link: str) -> EmailMessage:
    body = "\n\n".join(
        [
            _("The network asks how satisfied you are with the cooperation: %(survey)s.")
            % {"survey": survey},
            _("Your answers are anonymous: they are stored without your name. The link works once."),
            link,
        ]
    )
    return EmailMessage(subject=str(survey), body=body, to=[to])
