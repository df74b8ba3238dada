"""One-line contact entry: "tel 15 belde over vacature" becomes a phone contact of 15 minutes.

Practitioners fear that forms crowd out informal contact (BRIEF §3E): a contact must be recordable
in one line. The line is read left to right. At its start, in any order and each at most once:
a date ("12/11", "12/11/2025", "gisteren"), a kind keyword ("tel", "mail", "huisbezoek",
"werkgever", "trio", "gesprek", "poging"), a duration ("15", "15min", "1u30") and "informeel".
Everything after that is the note. Without a leading kind, a few unambiguous words anywhere in the
note ("gebeld", "huisbezoek") still set it; otherwise the contact is in person.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from werkbrug.core.forms import date_in_range, date_range_message
from werkbrug.trajectories.models import ContactKind

# Keywords that name the kind at the start of the line (Dutch, English and French).
LEADING_KINDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "tel",
            "tel.",
            "telefoon",
            "telefonisch",
            "gebeld",
            "belde",
            "phone",
            "call",
            "called",
            "bel",
            "tél",
            "tél.",
            "appel",
            "téléphone",
        ],
        ContactKind.PHONE,
    ),
    **dict.fromkeys(
        ["mail", "e-mail", "email", "gemaild", "mailde", "sms", "bericht", "message", "whatsapp", "courriel"],
        ContactKind.EMAIL,
    ),
    **dict.fromkeys(
        ["huisbezoek", "thuisbezoek", "home", "home-visit", "homevisit", "domicile", "visite"],
        ContactKind.HOME_VISIT,
    ),
    **dict.fromkeys(["werkgever", "employer", "werkgeverscontact", "employeur"], ContactKind.EMPLOYER),
    **dict.fromkeys(
        ["trio", "trio-gesprek", "triogesprek", "driegesprek", "three-way", "threeway", "3-way"],
        ContactKind.THREE_WAY,
    ),
    **dict.fromkeys(
        ["gesprek", "f2f", "face-to-face", "face", "afspraak", "meeting", "talk", "entretien", "rdv"],
        ContactKind.FACE_TO_FACE,
    ),
    **dict.fromkeys(
        ["poging", "attempt", "outreach", "onbereikbaar", "tentative", "injoignable"],
        ContactKind.OUTREACH_ATTEMPT,
    ),
}

# Words that say the kind wherever they stand. Deliberately few: "werkgever" in the middle of a
# note usually is what was talked about, not who was there.
ANYWHERE_KINDS: dict[str, str] = {
    **dict.fromkeys(["gebeld", "belde", "telefonisch", "called", "phoned"], ContactKind.PHONE),
    **dict.fromkeys(["gemaild", "mailde", "emailed", "e-mailed"], ContactKind.EMAIL),
    **dict.fromkeys(["huisbezoek", "thuisbezoek"], ContactKind.HOME_VISIT),
    **dict.fromkeys(["trio-gesprek", "triogesprek", "driegesprek"], ContactKind.THREE_WAY),
}

INFORMAL_WORDS = frozenset({"informeel", "informele", "informal", "informally", "informel", "informelle"})

RELATIVE_DAYS: dict[str, int] = {
    "vandaag": 0,
    "today": 0,
    "aujourd'hui": 0,
    "gisteren": 1,
    "yesterday": 1,
    "hier": 1,
    "eergisteren": 2,
}

MAX_MINUTES = 24 * 60

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_MINUTES = re.compile(r"^(\d{1,4})(?:m|min|mins|minuten|minutes|')?$")
_HOURS = re.compile(r"^(\d{1,2})(?:[.,](\d{1,2}))?(?:u|h|uur|hr|hour|hours)$")
_HOURS_MINUTES = re.compile(r"^(\d{1,2})[uh:](\d{2})$")


class QuickEntryError(ValueError):
    """The line cannot be read; the message says why (shown on the form)."""


@dataclass(frozen=True)
class QuickContact:
    on: datetime.date
    kind: str
    duration_minutes: int | None
    note: str
    informal: bool

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for trajectories.actions.record_contact."""
        return {
            "on": self.on,
            "kind": self.kind,
            "duration_minutes": self.duration_minutes,
            "note": self.note,
            "informal": self.informal,
        }


def _word(token: str) -> str:
    return token.lower().strip(",;:!?")


def parse_date(token: str, today: datetime.date) -> datetime.date | None:
    """A day ("12/11", "12/11/2025", "12-11-25") or a relative word; None if the token is no date.
    A day without a year is the most recent such day up to today (typed in January, "28/12" is last
    December)."""
    word = _word(token).rstrip(".")
    if word in RELATIVE_DAYS:
        return today - datetime.timedelta(days=RELATIVE_DAYS[word])
    match = _DATE.match(word)
    if match is None:
        return None
    day, month, year_text = int(match[1]), int(match[2]), match[3]
    year = today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        found = datetime.date(year, month, day)
    except ValueError as exc:
        raise QuickEntryError(_("“%(text)s” is not a valid date.") % {"text": token}) from exc
    if year_text is None and found > today:
        try:
            found = datetime.date(year - 1, month, day)
        except ValueError as exc:  # 29/02 typed in a year after a leap year
            raise QuickEntryError(_("“%(text)s” is not a valid date.") % {"text": token}) from exc
    if not date_in_range(found):  # "12/11/0001": the one rule for dates (core.forms)
        raise QuickEntryError(date_range_message())
    return found


def parse_duration(token: str) -> int | None:
    """Minutes from "15", "15min", "45'", "1u", "1,5u", "1u30", "2h"; None if the token is none."""
    word = _word(token)
    minutes: int | None = None
    if match := _MINUTES.match(word):
        minutes = int(match[1])
    elif match := _HOURS.match(word):
        fraction = match[2] or "0"
        minutes = int(match[1]) * 60 + round(60 * int(fraction) / 10 ** len(fraction))
    elif match := _HOURS_MINUTES.match(word):
        if int(match[2]) >= 60:
            return None
        minutes = int(match[1]) * 60 + int(match[2])
    if minutes is None or not 0 < minutes <= MAX_MINUTES:
        return None
    return minutes


def parse(text: str, today: datetime.date) -> QuickContact:
    """Read one line; raises QuickEntryError when there is nothing to record or a date is invalid."""
    tokens = text.split()
    if not tokens:
        raise QuickEntryError(_("Type what happened, e.g. “tel 15 belde over vacature”."))
    on: datetime.date | None = None
    kind: str | None = None
    minutes: int | None = None
    informal = False
    position = 0
    while position < len(tokens):
        token = tokens[position]
        word = _word(token)
        if on is None and (found := parse_date(token, today)) is not None:
            on = found
        elif kind is None and word in LEADING_KINDS:
            kind = LEADING_KINDS[word]
        elif minutes is None and (duration := parse_duration(token)) is not None:
            minutes = duration
        elif not informal and word in INFORMAL_WORDS:
            informal = True
        else:
            break
        position += 1
    rest = tokens[position:]
    words = [_word(token) for token in rest]
    if kind is None:
        kind = next((ANYWHERE_KINDS[w] for w in words if w in ANYWHERE_KINDS), ContactKind.FACE_TO_FACE)
    informal = informal or any(w in INFORMAL_WORDS for w in words)
    return QuickContact(
        on=on or today,
        kind=kind,
        duration_minutes=minutes,
        note=" ".join(rest),
        informal=informal,
    )


def describe(entry: QuickContact) -> str:
    """How the line was read, for the confirmation message."""
    parts = [entry.on.strftime("%d/%m/%Y"), str(ContactKind(entry.kind).label)]
    if entry.duration_minutes:
        parts.append(_("%(n)s min") % {"n": entry.duration_minutes})
    if entry.informal:
        parts.append(str(_("informal")))
    return ", ".join(parts)
