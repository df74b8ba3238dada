"""Announcing a new version (of the draaiboek or of a library document) to the member
organisations it concerns: a notice in the app, dismissable per user (library.notices), and a mail.

`announce()` is the one place that mails. E-mail is not a secure channel: the mail carries no client
data and no free text typed by a person, only which document has a new version and where to read it
(the "what changed" note is read in Werkbrug). The mails go out in a background job
(`library.tasks.announcement_mails`, the announcement's id only) queued after the commit, so that a
rolled-back publish mails nothing; a failed send is logged, never raised (the notice in the app
stands).
"""

from __future__ import annotations

from django.db.models import QuerySet

from werkbrug.jobs.runner import enqueue_on_commit
from werkbrug.library.models import Announcement, Audience, DocumentVersion
from werkbrug.library.tasks import announcement_mails
from werkbrug.network.models import DraaiboekVersion, Organisation, OrganisationKind


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
    organisations: QuerySet[Organisation],
    draaiboek: DraaiboekVersion | None = None,
    document_version: DocumentVersion | None = None,
) -> Announcement:
    """The notice for these organisations' people, and (after the commit) a mail to each of them.
    `title` names the document (no client data); the job finds where to read it from the draaiboek or
    the document version."""
    announcement = Announcement.objects.create(
        title=title, note=note, draaiboek=draaiboek, document_version=document_version
    )
    announcement.organisations.set(organisations)
    enqueue_on_commit(announcement_mails, announcement.pk)
    return announcement
