"""The client's identity in free text about a case (questions, minutes, next steps, actions).

While a case is anonymous, `identifying_in()` refuses text that would identify the person, and
pages and mails pass stored text through `redact()` (it may have been written while the client
still consented to discussion by name).
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from werkbrug.clients.models import Client

_DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_DATE_YMD = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMBER_RUN = re.compile(r"\+?\d[\d ./-]{4,}\d")
REDACTED = "…"


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _word_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"[\s,]+".join(words) + r"(?!\w)", re.IGNORECASE)


def _name_patterns(client: Client) -> list[re.Pattern[str]]:
    """The full name either way round, and each name alone from three letters on (shorter ones are
    too often an ordinary word)."""
    first, last = client.first_name.strip(), client.last_name.strip()
    phrases = []
    if first and last:
        phrases += [f"{first} {last}", f"{last} {first}"]
    phrases += [name for name in (last, first) if len(name) >= 3]
    return [_word_pattern(p) for p in sorted(set(phrases), key=len, reverse=True)]


def _is_birth_date(client: Client, match: re.Match[str], order: str) -> bool:
    parts = [int(g) for g in match.groups()]
    day, month, year = parts if order == "dmy" else (parts[2], parts[1], parts[0])
    try:
        return datetime.date(year, month, day) == client.birth_date
    except ValueError:
        return False


def _number_is_identifying(client: Client, run: str) -> bool:
    digits = _digits(run)
    if client.insz and client.insz in digits:
        return True
    phone = _digits(client.phone or "")
    # The last 8 digits: "+32 3 123 45 67" and "03 123 45 67" are the same number.
    return len(phone) >= 6 and len(digits) >= 6 and digits[-8:] == phone[-8:]


def identifying_in(client: Client, text: str) -> str | None:
    """What of the client's identity `text` gives away (a short description), or None."""
    if not text:
        return None
    # The most specific first: an e-mail address often holds the name too.
    if client.email and client.email.lower() in text.lower():
        return _("e-mail address")
    address = (client.address or "").strip()
    if len(address) >= 6 and address.lower() in text.lower():
        return _("address")
    if any(p.search(text) for p in _name_patterns(client)):
        return _("name")
    for order, pattern in (("dmy", _DATE_DMY), ("ymd", _DATE_YMD)):
        if any(_is_birth_date(client, m, order) for m in pattern.finditer(text)):
            return _("birth date")
    for run in _NUMBER_RUN.findall(text):
        if _number_is_identifying(client, run):
            return _("national register number or phone number")
    return None


def redact(client: Client, text: str) -> str:
    """`text` without the client's identity, for a case shown anonymously: text written while the
    client consented may name them."""
    if not text:
        return text
    # The e-mail address and the street first: they often hold the name too.
    for value in (client.email, client.address):
        if value and len(value.strip()) >= 6:
            text = re.sub(re.escape(value.strip()), REDACTED, text, flags=re.IGNORECASE)
    for pattern in _name_patterns(client):
        text = pattern.sub(REDACTED, text)
    for order, pattern in (("dmy", _DATE_DMY), ("ymd", _DATE_YMD)):

        def birth_date(match: re.Match[str], order: str = order) -> str:
            return REDACTED if _is_birth_date(client, match, order) else match.group(0)

        text = pattern.sub(birth_date, text)
    return _NUMBER_RUN.sub(
        lambda m: REDACTED if _number_is_identifying(client, m.group(0)) else m.group(0), text
    )
