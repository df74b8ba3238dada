"""The pseudonymised research export (DESIGN §5, issues 5 and 12): one line per trajectory active in a
year, for a researcher under a data-access agreement (reports.agreements; the page is in
reports.research_views).

- The person is a keyed hash (HMAC-SHA256 with settings.PSEUDONYM_KEY) of their identity: the
  national register number when known, else the normalised name and birth date. A record without an
  INSZ joins the person whose INSZ record has the same folded name and birth date, when exactly one
  such INSZ exists (`Linkage`). Records of one person at several organisations therefore share one
  pseudonym, so unique persons can be counted; without the key nobody can recompute a pseudonym.
- No direct identifiers: no name, INSZ, address, municipality, phone or e-mail, no free text.
- Every date is coarsened to the month; the birth date to the year.
- The quasi-identifiers are generalised until each combination holds at least 5 persons
  (reports.anonymity); lines that cannot reach that are left out and counted.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from werkbrug.clients.models import Client, normalise_insz
from werkbrug.reports.anonymity import Anonymised, anonymise
from werkbrug.reports.formats import text_safe
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


def _fold(text: str) -> str:
    """Case, accents and spacing do not make another person: "Élise  Peeters" = "elise peeters"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def name_key(first_name: str, last_name: str, birth_date: date) -> str:
    return f"name:{_fold(first_name)}|{_fold(last_name)}|{birth_date.isoformat()}"


def identity_key(
    insz: str, first_name: str, last_name: str, birth_date: date, erased_client: int | None = None
) -> str:
    """One record's own key: its INSZ, else its folded name and birth date."""
    if erased_client is not None:
        # An erased client has no name or INSZ left: keyed by the record, so that two erased persons
        # born in the same year do not become one (docs/privacy.md).
        return f"erased:{erased_client}"
    digits = normalise_insz(insz)
    if digits:
        return f"insz:{digits}"
    return name_key(first_name, last_name, birth_date)


def keyed(identity: str) -> str:
    """The pseudonym of a person's key: without settings.PSEUDONYM_KEY nobody can recompute it."""
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:24]


def pseudonym(
    insz: str, first_name: str, last_name: str, birth_date: date, erased_client: int | None = None
) -> str:
    """The pseudonym of one record on its own (without the linkage of records without an INSZ)."""
    return keyed(identity_key(insz, first_name, last_name, birth_date, erased_client))


@dataclass
class Linkage:
    """Which person a record belongs to: the records that share an INSZ are one person; a record
    without an INSZ joins the records of the same folded name and birth date, and, when exactly one
    INSZ is known under that name and birth date, that INSZ's person. Two different INSZs are never
    one person, so a name shared by two INSZs links a record without an INSZ to neither (it stays a
    person of its own: better two pseudonyms for one person than one for two)."""

    # name key -> the INSZ key of the only INSZ known under it
    by_name: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[tuple[str, str, str, date]]) -> Linkage:
        """From the (insz, first name, last name, birth date) of the records with an INSZ."""
        found: dict[str, set[str]] = defaultdict(set)
        for insz, first, last, born in records:
            digits = normalise_insz(insz)
            if digits:
                found[name_key(first, last, born)].add(f"insz:{digits}")
        return cls({name: next(iter(keys)) for name, keys in found.items() if len(keys) == 1})

    @classmethod
    def for_period(cls, params: Params) -> Linkage:
        """Only the INSZ records born on a day that a record without an INSZ of the period has."""
        born = (
            trajectories_in(params)
            .filter(client__insz="", client__erased_at__isnull=True)
            .values("client__birth_date")
        )
        return cls.of(
            Client.objects.filter(erased_at__isnull=True, birth_date__in=born)
            .exclude(insz="")
            .values_list("insz", "first_name", "last_name", "birth_date")
            .iterator(chunk_size=5000)
        )

    def key(
        self, insz: str, first_name: str, last_name: str, birth_date: date, erased_client: int | None = None
    ) -> str:
        own = identity_key(insz, first_name, last_name, birth_date, erased_client)
        return self.by_name.get(own, own) if own.startswith("name:") else own

    def pseudonym(
        self, insz: str, first_name: str, last_name: str, birth_date: date, erased_client: int | None = None
    ) -> str:
        return keyed(self.key(insz, first_name, last_name, birth_date, erased_client))


def month(value: date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def rows(year: int) -> Iterator[list[object]]:
    """The raw lines, before k-anonymity. Three queries: the INSZ records for the linkage, the
    trajectories with their client and referral, and their outcomes in the year, both in trajectory
    order and merged here."""
    params = Params(start=date(year, 1, 1), end=date(year, 12, 31))
    trajectories = (
        trajectories_in(params)
        .order_by("pk")
        .values_list(
            "pk",
            "client_id",
            "client__erased_at",
            "client__insz",
            "client__first_name",
            "client__last_name",
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
    linkage = Linkage.for_period(params)
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
        (pk, client_id, erased_at, insz, first, last, born, gender, region, ggz, benefit, type_code, lead,
         lead_type, status, started, closed, close_reason, line, channel, referred_at, referrer_type) = values  # fmt: skip
        own = outcomes.get(pk, [])
        paid = [o for o in own if o[0] == OutcomeKind.PAID_WORK]
        yield [
            linkage.pseudonym(insz, first, last, born, client_id if erased_at else None),
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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([text_safe(value) for value in line] for line in lines)
    return buffer.getvalue()
