"""The pseudonymised research export (DESIGN §5, issues 5 and 12): one line per trajectory active in a
year, for a researcher under a data-access agreement (reports.agreements; the page is in
reports.research_views).

This module is the reference in Python: the file a researcher downloads is generated in the
database and streamed by reports.research_sql (issue 14), and the tests check that it is byte for
byte the file `csv_text(export(year).rows)` writes here. `rows()` is also the privacy tests' way to
read the pseudonyms.

- The person is a keyed hash (HMAC-SHA256 with settings.PSEUDONYM_KEY) of the client's stored
  linkage key (`Client.person_key`, clients.linkage): the national register number when known, else
  the normalised name and birth date, and a record without an INSZ joins the person whose INSZ record
  has the same folded name and birth date, when exactly one such INSZ exists. Records of one person
  at several organisations therefore share one pseudonym, as they share one person in the reports'
  counts; without the key nobody can recompute a pseudonym.
- No direct identifiers: no name, INSZ, address, municipality, phone or e-mail, no free text.
- Every date is coarsened to the month; the birth date to the year.
- The quasi-identifiers are generalised until each combination holds at least 5 persons
  (reports.anonymity); lines that cannot reach that are left out and counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from werkbrug.clients.linkage import keyed
from werkbrug.core import spreadsheet
from werkbrug.reports import research_codebook
from werkbrug.reports.anonymity import Anonymised, anonymise
from werkbrug.reports.framework import Params
from werkbrug.reports.yearly import trajectories_in
from werkbrug.trajectories.models import Certainty, Economy, Outcome, OutcomeKind

COLUMNS = (
    "person",
    "birth_year",
    "gender",
    "subregion",
    "ggz_contact",
    "benefit_status",
    "trajectory",
    "trajectory_type",
    "lead_organisation",
    "lead_organisation_type",
    "status",
    "started_month",
    "closed_month",
    "close_reason",
    "referral_line",
    "referral_channel",
    "referral_month",
    "referring_organisation_type",
    "paid_work_month",
    "paid_work_nec_verified",
    "outcomes",
)


def pseudonym(person_key: str) -> str:
    """The pseudonym of a person: their stored linkage key (clients.linkage), keyed once more, so that
    an export's pseudonyms change with PSEUDONYM_KEY and do not equal the column in the database."""
    return keyed(f"person:{person_key}")


def month(value: date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def rows(year: int) -> Iterator[list[object]]:
    """The raw lines, before k-anonymity. Two queries: the trajectories with their client (and its
    stored person key) and referral, and their outcomes in the year, both in trajectory order and
    merged here."""
    params = Params(start=date(year, 1, 1), end=date(year, 12, 31))
    trajectories = (
        trajectories_in(params)
        .order_by("pk")
        .values_list(
            "pk",
            "client__person_key",
            "client__birth_date",
            "client__gender",
            "client__subregion__name",
            "client__ggz_contact",
            "client__benefit_status",
            "type__code",
            "lead_organisation__name",
            "lead_organisation__org_type",
            "status",
            "started_on",
            "closed_on",
            "close_reason",
            "referral__line__name",
            "referral__channel",
            "referral__created_at",
            "referral__referring_organisation__org_type",
        )
    )
    outcomes: dict[int, list[tuple[str, date, str, str]]] = defaultdict(list)
    for trajectory_id, kind, on, economy, certainty in (
        Outcome.objects.filter(
            trajectory__in=trajectories_in(params).values("pk"), on__range=(params.start, params.end)
        )
        .order_by("trajectory_id", "on", "pk")
        .values_list("trajectory_id", "kind", "on", "economy", "certainty")
        .iterator(chunk_size=5000)
    ):
        outcomes[trajectory_id].append((kind, on, economy, certainty))
    for number, values in enumerate(trajectories.iterator(chunk_size=5000), start=1):
        (pk, person_key, born, gender, region, ggz, benefit, type_code, lead,
         lead_type, status, started, closed, close_reason, line, channel, referred_at, referrer_type) = values  # fmt: skip
        own = outcomes.get(pk, [])
        paid = [o for o in own if o[0] == OutcomeKind.PAID_WORK]
        yield [
            pseudonym(person_key),
            born.year,
            gender,
            region or "",
            int(ggz),
            benefit,
            # A running number, not the database id: ids would link back to the records.
            number,
            type_code,
            lead,
            lead_type,
            status,
            month(started),
            month(closed),
            close_reason,
            line or "",
            channel or "",
            month(timezone.localtime(referred_at).date()) if referred_at else "",
            referrer_type or "",
            month(paid[0][1]) if paid else "",
            int(any(o[2] == Economy.NEC and o[3] == Certainty.VERIFIED for o in paid)),
            ";".join(sorted({o[0] for o in own})),
        ]


def export(year: int) -> Anonymised:
    """The lines of the year with the quasi-identifiers generalised to k = 5 (reports.anonymity),
    numbered again after the lines left out, so that the numbering shows no gap where they were."""
    result = anonymise(list(rows(year)), COLUMNS)
    number = COLUMNS.index("trajectory")
    for index, line in enumerate(result.rows, start=1):
        line[number] = index
    return result


def csv_text(lines: list[list[object]]) -> str:
    """The lines under their headers, with the coded values as labels, in the reader's language, for
    the researcher's spreadsheet (core.spreadsheet; the codebook maps them back to stable codes)."""
    return spreadsheet.csv_text(
        [research_codebook.headers(COLUMNS), *research_codebook.translated(COLUMNS, lines)]
    )


def codebook_text() -> str:
    """The codebook of the export in the reader's language (reports.research_codebook)."""
    return spreadsheet.csv_text(research_codebook.codebook_rows(COLUMNS))
