"""The reports area's background job (docs/jobs.md): the research export, prepared into a private
file (werkbrug.jobs.files) instead of in the request. The job acts as the researcher who asked,
through the agreement's membership, and checks the agreement again: one revoked meanwhile prepares
nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.jobs import files
from werkbrug.jobs.models import PreparedFile
from werkbrug.jobs.runner import job
from werkbrug.reports import research_sql
from werkbrug.reports.agreements import agreement_for
from werkbrug.reports.models import DataAccessAgreement

KIND = "research_export"
EXPORT_EVENT = "research_export"


class AgreementEnded(Exception):
    """The agreement no longer covers the year: nothing is prepared."""


@transaction.atomic
def request_research_export(actor: Actor, year: int) -> PreparedFile:
    """The researcher asks for the export of `year`: recorded and queued; the job writes the file."""
    agreement = agreement_for(actor, year)
    if agreement is None:
        raise DomainError(_("None of your active agreements covers %(year)s.") % {"year": year}, field="year")
    return files.request_file(
        actor,
        kind=KIND,
        params={"year": year, "agreement": agreement.pk, "language": translation.get_language() or ""},
        title=_("Pseudonymised research export %(year)s") % {"year": year},
        filename=download_name(_("werkbrug research export"), year, extension="csv"),
        job=research_export,
    )


@job
def research_export(prepared_id: int) -> int:
    language = PreparedFile.objects.values_list("params__language", flat=True).get(pk=prepared_id)
    with translation.override(language or settings.LANGUAGE_CODE):
        return files.write(prepared_id, _chunks)


def _chunks(prepared: PreparedFile, progress: Callable[[int], None]) -> Iterator[bytes]:
    year = int(prepared.params["year"])
    agreement = DataAccessAgreement.objects.select_related("researcher").get(pk=prepared.params["agreement"])
    actor = Actor(user=prepared.user, membership=agreement.researcher)
    if agreement.researcher.user_id != prepared.user_id or agreement_for(actor, year) is None:
        raise AgreementEnded(f"agreement {agreement.pk} does not cover {year} for user {prepared.user_id}")
    # The aggregate and the k-anonymity decision first: the audit row names what the file holds
    # before its first line is written. Both statements read one snapshot where the engine allows
    # (research_sql.one_snapshot), which the lines close; the audit row is committed with them.
    with contextlib.ExitStack() as opened:
        opened.enter_context(research_sql.one_snapshot())
        ready = research_sql.prepare(year)
        audit.record(
            actor,
            AuditAction.EXPORT,
            agreement,
            client_id=None,
            object_type=EXPORT_EVENT,
            summary=_(
                "pseudonymised research export %(year)s under data-access agreement %(number)s "
                "(%(project)s): %(lines)s lines, %(suppressed)s left out for k-anonymity"
            )
            % {
                "year": year,
                "number": agreement.pk,
                "project": agreement.project,
                "lines": ready.lines,
                "suppressed": ready.suppressed,
            },
        )
        snapshot = opened.pop_all()  # kept open for the lines: nothing failed
    return _closing(snapshot, research_sql.stream(ready, on_rows=progress))


def _closing(snapshot: contextlib.ExitStack, lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines, then the snapshot closed (rolled back if they fail or are not all read)."""
    with snapshot:
        yield from lines
