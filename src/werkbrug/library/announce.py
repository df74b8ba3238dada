"""Announcing a new version (of the draaiboek or of a library document) to the member
organisations it concerns: a notice in the app, dismissable per user (library.notices), and a mail.

`announce()` is the one place that mails. E-mail is not a secure channel: the mail carries no client
data and no free text typed by a person, only which document has a new version and where to read it
(the "what changed" note is read in Werkbrug). It goes after the commit, so that a rolled-back
publish mails nothing; a failed send is logged, never raised (the notice in the app stands).
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from werkbrug.library.models import Announcement, Audience, DocumentVersion
from werkbrug.network.models import DraaiboekVersion, Membership, Organisation, OrganisationKind

logger = logging.getLogger(__name__)


def concerned(audience: str) -> QuerySet[Organisation]:
    """The active member organisations an audience names: care and work partners (a funder,
    insurer or other organisation is not a member that works with the draaiboek)."""
    members = Organisation.objects.filter(is_active=True)
    if audience == Audience.ALL:
        return members.filter(kind__in=[OrganisationKind.CARE, OrganisationKind.WORK])
    return members.filter(kind=audience)


def announce(
    *,
    title: str,
    note: str,
    path: str,
    organisations: QuerySet[Organisation],
    draaiboek: DraaiboekVersion | None = None,
    document_version: DocumentVersion | None = None,
) -> Announcement:
    """The notice for these organisations' people, and (after the commit) a mail to each of them.
    `title` names the document (no client data); `path` is where to read it."""
    announcement = Announcement.objects.create(
        title=title, note=note, draaiboek=draaiboek, document_version=document_version
    )
    announcement.organisations.set(organisations)
    pk = announcement.pk
    transaction.on_commit(lambda: _send(_messages(pk, title, path)))
    return announcement


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


def _send(messages: list[EmailMessage]) -> None:
    if not messages:
        return
    connection = get_connection()
    for message in messages:
        message.connection = connection
        try:
            message.send()
        except (SMTPException, OSError):
            logger.warning("announcement: a mail could not be sent", exc_info=True)
