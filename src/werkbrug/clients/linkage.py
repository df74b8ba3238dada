"""One person across records: the stored linkage key (issue 12, point 6; docs/reports.md, "Persons").

Every client record stores two keyed hashes (HMAC-SHA256 with settings.PSEUDONYM_KEY, so the columns
hold no INSZ or name in clear and nobody without the key can recompute them):

- `name_key`: the folded name and birth date ("Élise  PEETERS" = "elise peeters"), empty once erased;
- `person_key`: who the person is. Records with an INSZ share the INSZ's key. A record without an
  INSZ takes the key of the only INSZ known (on a record that is not erased) under its name key, else
  its own name key. Two different INSZs are never one person: a name shared by two INSZs links a
  record without an INSZ to neither. An erased record gets a key of its own.

`person_number` is the same person as an integer (the lowest id among the records sharing the person
key), which the reports count: `COUNT(DISTINCT client__person_number)` sorts faster than a hash.

The actions that write identity fields (registration, the edit page and the API, the import, erasure)
call `assign()` before saving the record and `relink()` after, in their transaction: the records
without an INSZ under the old and the new name key are linked again, and the persons involved before
and after are numbered again. The research export hashes the person key once more into the
pseudonym.

Rotating PSEUDONYM_KEY changes every key: run `manage.py relink_persons` (which uses `link_all`,
as the migration that filled the column did) right after, or new records no longer meet old ones.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Min

from werkbrug.clients.models import Client, normalise_insz

__all__ = [
    "assign",
    "fold",
    "identity_key",
    "keyed",
    "link_all",
    "name_key",
    "normalise_insz",
    "relink",
]


def fold(text: str) -> str:
    """Case, accents and spacing do not make another person: "Élise  Peeters" = "elise peeters"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def name_key(first_name: str, last_name: str, birth_date: date) -> str:
    return f"name:{fold(first_name)}|{fold(last_name)}|{birth_date.isoformat()}"


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
    """The keyed hash of a key: without settings.PSEUDONYM_KEY nobody can recompute it."""
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:24]


def own_keys(client: Any) -> tuple[str, str]:
    """(name_key, person_key) of one record on its own, before linking it to an INSZ record."""
    if client.erased_at is not None:
        return "", keyed(identity_key("", "", "", client.birth_date, client.pk))
    names = keyed(name_key(client.first_name, client.last_name, client.birth_date))
    digits = normalise_insz(client.insz)
    return names, keyed(f"insz:{digits}") if digits else names


class Stored(NamedTuple):
    """A record's keys as stored before a change."""

    name_key: str = ""
    person_key: str = ""


def assign(client: Client) -> Stored:
    """Set the record's own keys before it is saved; returns its keys as stored until now, for
    `relink(stored, client)` after the save."""
    stored = Stored()
    if client.pk is not None:
        # As stored: the copy being saved may have been loaded before someone else's save.
        found = Client.objects.filter(pk=client.pk).values_list("name_key", "person_key").first()
        stored = Stored(*found) if found else stored
    client.name_key, client.person_key = own_keys(client)
    return stored


def _lock(groups: list[str]) -> None:
    """Two registrations of one person at once (an INSZ record and one without) each link after the
    other has committed: PostgreSQL serialises them per name key with a transaction lock (SQLite
    takes the write lock when the transaction starts)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for group in groups:  # sorted: two transactions take them in the same order
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(group[:15], 16)])


def relink(stored: Stored, client: Client) -> None:
    """After a record's keys changed (`assign`, then its save): link the records without an INSZ under
    its old and new name key again, to the only INSZ known under their name key, else to that name
    key; then number again every person these records belong to, before and after
    (`Client.person_number`)."""
    groups = sorted({key for key in (stored.name_key, client.name_key) if key})
    persons = {stored.person_key, client.person_key}
    if groups:
        _lock(groups)
        persons |= set(Client.objects.filter(name_key__in=groups).values_list("person_key", flat=True))
        _link(groups)
        persons |= set(Client.objects.filter(name_key__in=groups).values_list("person_key", flat=True))
    _renumber(persons)


def _renumber(person_keys: Iterable[str]) -> None:
    """Give the records of each of these persons the lowest id among them as their person number."""
    keys = sorted({key for key in person_keys if key})
    lowest = (
        Client.objects.filter(person_key__in=keys)
        .values("person_key")
        .annotate(lowest=Min("pk"))
        .values_list("person_key", "lowest")
    )
    for key, number in lowest:
        Client.objects.filter(person_key=key).exclude(person_number=number).update(person_number=number)


def _link(groups: list[str]) -> None:
    """The records without an INSZ under these name keys, to the only INSZ known under their name
    key, else to that name key. Two queries and one update per name key."""
    found: dict[str, set[str]] = defaultdict(set)
    for group, insz in (
        Client.objects.filter(name_key__in=groups, erased_at__isnull=True)
        .exclude(insz="")
        .values_list("name_key", "insz")
    ):
        found[group].add(normalise_insz(insz))
    for group in groups:
        inszs = found.get(group, set())
        target = keyed(f"insz:{next(iter(inszs))}") if len(inszs) == 1 else group
        Client.objects.filter(name_key=group, insz="", erased_at__isnull=True).exclude(
            person_key=target
        ).update(person_key=target)


def linked_keys(records: Iterable[Any]) -> dict[int, tuple[str, str]]:
    """{pk: (name_key, person_key)} for a whole set of records at once (the migration and
    `relink_persons`): the same rule as `assign` and `relink`."""
    own = {record.pk: (own_keys(record), normalise_insz(record.insz)) for record in records}
    found: dict[str, set[str]] = defaultdict(set)
    for (names, _person), digits in own.values():
        if digits and names:
            found[names].add(digits)
    result = {}
    for pk, ((names, person), digits) in own.items():
        inszs = found.get(names, set())
        if names and not digits and len(inszs) == 1:
            person = keyed(f"insz:{next(iter(inszs))}")
        result[pk] = (names, person)
    return result


def link_all(model: Any = Client, batch_size: int = 2000) -> int:
    """Compute every record's keys and person number again and store the ones that changed; returns
    how many records changed. `model` is the historical model in a migration (before clients 0007 it
    has no person number; that migration numbers the persons itself)."""
    fields = ["name_key", "person_key"]
    if any(field.name == "person_number" for field in model._meta.concrete_fields):
        fields.append("person_number")
    records = list(
        model.objects.only("pk", "first_name", "last_name", "birth_date", "insz", "erased_at", *fields)
    )
    keys = linked_keys(records)
    numbers: dict[str, int] = {}
    for pk in sorted(keys):
        numbers.setdefault(keys[pk][1], pk)
    changed = []
    for record in records:
        names, person = keys[record.pk]
        linked = (names, person, numbers[person])[: len(fields)]
        if tuple(getattr(record, field) for field in fields) != linked:
            for field, value in zip(fields, linked, strict=True):
                setattr(record, field, value)
            changed.append(record)
    model.objects.bulk_update(changed, fields, batch_size=batch_size)
    return len(changed)
