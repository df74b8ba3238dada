"""The exchange area's background jobs (docs/jobs.md): the notice that there is new feedback."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from werkbrug.exchange.models import Feedback
from werkbrug.jobs.runner import job

logger = logging.getLogger("werkbrug.exchange.actions")


@job
def feedback_notice(feedback_id: int) -> int:
    """E-mail is not a secure channel: the mail names no client and holds no health data, only that
    there is news and where to read it. A failed send is logged; the feedback waits in the inbox."""
    feedback = Feedback.objects.select_related("recipient").filter(pk=feedback_id).first()
    user = feedback.recipient if feedback is not None else None
    if feedback is None or user is None or not user.is_active or not user.email:
        return 0
    path = reverse("feedback:detail", args=[feedback.pk])
    # The recipient's language is not known here: the site's default, not the sender's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New feedback in Werkbrug")
        body = "\n\n".join(
            [
                _("You have new feedback in Werkbrug about one of your referrals."),
                _("Log in to Werkbrug to read it: %(path)s") % {"path": path},
            ]
        )
    try:
        return send_mail(subject, body, None, [user.email])
    except (SMTPException, OSError):
        logger.warning("feedback %s: the e-mail notification could not be sent", feedback.pk, exc_info=True)
        return 0
