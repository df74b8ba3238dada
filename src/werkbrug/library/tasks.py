"""The library area's background job (docs/jobs.md): the mails announcing a new version
(library.announce). The argument is the announcement's id only; the job reads the rest again
(nothing if it was deleted meanwhile). E-mail is not a secure channel: the mail says which document
has a new version and where to read it, nothing else; a failed send is logged, never raised."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from werkbrug.jobs.runner import job
from werkbrug.library.models import Announcement, DocumentVersion
from werkbrug.network.models import Membership

# The logger of the module that sent these mails before they became a job.
logger = logging.getLogger("werkbrug.library.announce")


@job
def announcement_mails(announcement_id: int) -> int:
    """One mail per person of the announcement's organisations; how many were sent."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    return _send(_messages(announcement.pk, announcement.title, read_path(announcement)))


def read_path(announcement: Announcement) -> str:
    """Where the announced version is read."""
    if announcement.document_version_id is not None:
        document_id = DocumentVersion.objects.values_list("document_id", flat=True).get(
            pk=announcement.document_version_id
        )
        return reverse("library:document", args=[document_id])
    return reverse("library:draaiboek")


def _messages(pk: int, title: str, path: str) -> list[EmailMessage]:
    addresses = sorted(
        set(
            Membership.objects.filter(
                is_active=True,
                user__is_active=True,
                organisation__in=Announcement.objects.get(pk=pk).organisations.all(),
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    # The recipient's language is not known here: the site's default.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New version in Werkbrug: %(title)s") % {"title": title}
        body = "\n\n".join(
            [
                _("There is a new version of %(title)s in Werkbrug.") % {"title": title},
                _("Log in to Werkbrug to read it and what changed: %(path)s") % {"path": path},
            ]
        )
    # One mail per person: no one sees who else received it.
    return [EmailMessage(subject, body, None, [address]) for address in addresses]


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    connection = get_connection()
    sent = 0
    for message in messages:
        message.connection = connection
        try:
            sent += message.send()
        except (SMTPException, OSError):
            logger.warning("announcement: a mail could not be sent", exc_info=True)
    return sent
