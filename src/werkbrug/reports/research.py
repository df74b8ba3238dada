"""The pseudonymised research export (DESIGN §5, issue 5): one line per trajectory active in a year,
for evaluators.

- The person is a keyed hash (HMAC-SHA256 with settings.PSEUDONYM_KEY) of their identity: the
  national register number when known, else the normalised name and birth date. Two records of the
  same person, registered by two organisations, therefore share one pseudonym, so unique persons
  can be counted; without the key nobody can recompute a pseudonym from a name.
- No direct identifiers: no name, INSZ, address, municipality, phone or e-mail, no free text.
- Every date is coarsened to the month; the birth date to the year.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import normalise_insz
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.reports.formats import text_safe
from werkbrug.reports.forms import FIRST_YEAR
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


def identity_key(
    insz: str, first_name: str, last_name: str, birth_date: date, erased_client: int | None = None
) -> str:
    if erased_client is not None:
        # An erased client has no name or INSZ left: keyed by the record, so that two erased persons
        # born in the same year do not become one (docs/privacy.md).
        return f"erased:{erased_client}"
    digits = normalise_insz(insz)
    if digits:
        return f"insz:{digits}"
    return f"name:{_fold(first_name)}|{_fold(last_name)}|{birth_date.isoformat()}"


def pseudonym(
    insz: str, first_name: str, last_name: str, birth_date: date, erased_client: int | None = None
) -> str:
    key = settings.PSEUDONYM_KEY.encode()
    identity = identity_key(insz, first_name, last_name, birth_date, erased_client).encode()
    return hmac.new(key, identity, hashlib.sha256).hexdigest()[:24]


def month(value: date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def rows(year: int) -> Iterator[list[object]]:
    """Two queries: the trajectories with their client and referral, and their outcomes in the year,
    both in trajectory order and merged here."""
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
            pseudonym(insz, first, last, born, client_id if erased_at else None),
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


def _lines(year: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(year):
        writer.writerow([text_safe(value) for value in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@role_view(Role.FUNDER)
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    actor = Actor.from_request(request)
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    # ASCII digits only: str.isdigit() also accepts "²" or "٢", which int() refuses or reads.
    if not (raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= this_year:
        return HttpResponseBadRequest(
            _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": this_year},
            content_type="text/plain; charset=utf-8",
        )
    year = int(raw)
    audit.record(
        actor,
        AuditAction.EXPORT,
        None,
        client_id=None,
        object_type="research_export",
        summary=_("pseudonymised research export %(year)s") % {"year": year},
    )
    response = StreamingHttpResponse(_lines(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="werkbrug-research-{year}.csv"'
    response["Cache-Control"] = "no-store, private"
    return response
