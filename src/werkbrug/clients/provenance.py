"""What an organisation sees of a client's past: the one rule (issue 12, point 1; docs/privacy.md).

A file consent (record, collaboration) names data categories. Two of them are about the past:
`history` (earlier trajectories and organisations: who led before, which type, which partners, the
handovers, the other organisations' consents and file accesses) and `notes` (contact notes other
organisations wrote). An organisation sees the past only as far as the union of its active file
consents names these categories. A referrer whose client did not agree that it follows the outcome
(no active feedback consent, referrals.status) sees no other organisation at all, whatever its file
consent says. The consent is read on every request: a withdrawal takes effect at once.

Pages, the export and the API ask `sight()` (the client file) and
`trajectories.provenance.past_view()` (one trajectory, built on this module); they never read the
categories themselves. The page says what is not shared (`hidden_labels`), never the hidden content.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext

from werkbrug.clients.models import (
    FILE_BASE_CATEGORIES,
    FILE_PURPOSES,
    PAST_CATEGORIES,
    Consent,
    ConsentPurpose,
    DataCategory,
    Involvement,
    InvolvementReason,
)
from werkbrug.core import statements
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.network.models import Organisation


def proposed_past() -> list[str]:
    """What the handover and referral forms propose to pass on about the past: nothing. For a public
    employment service (VDAB, `OrganisationType.VDAB`) that is the rule of seed 002 L4466-4469 (at
    VDAB registration it must not be known that the person came through a project); for every other
    receiver it is the safe default, since the forms show the question before the receiver is chosen.
    The professional ticks `history` and `notes` when the client agreed. The API's `share` defaults
    to the same (docs/privacy.md)."""
    return []


def check_past(share: Iterable[str]) -> list[str]:
    """What a handover or referral passes on about the past: only `history` and `notes`."""
    past = [str(c) for c in share]
    if set(past) - set(PAST_CATEGORIES):
        raise DomainError(gettext("Only earlier trajectories and contact notes can be added."), field="share")
    return past


def file_categories(past: Iterable[str]) -> list[str]:
    """The categories a referral, redirect or handover records: the file itself, plus what the client
    agreed to pass on about the past."""
    wanted = set(past)
    return [*FILE_BASE_CATEGORIES, *(c for c in PAST_CATEGORIES if c in wanted)]


def _read(organisation: Organisation, client_id: int, extra: dict[str, Any]) -> tuple[Sight, dict[str, Any]]:
    """One query for the whole rule: the organisation's active file and feedback consents for the
    client, each row carrying whether it referred the client and the caller's `extra` annotations
    (expressions that do not depend on the row, e.g. trajectories.provenance's arrival)."""
    rows = list(
        Consent.objects.active()
        .filter(
            client_id=client_id, recipient=organisation, purpose__in=[*FILE_PURPOSES, ConsentPurpose.FEEDBACK]
        )
        .annotate(
            referred=Exists(
                Involvement.objects.filter(
                    client_id=client_id, organisation=organisation, reason=InvolvementReason.REFERRER
                )
            ),
            **extra,
        )
        .values("purpose", "categories", "referred", *extra)
    )
    if not rows:  # no consent at all: it sees nothing of the past (and in practice not the client)
        values = Organisation.objects.filter(pk=organisation.pk).annotate(**extra).values(*extra).first()
        return _sight_of(organisation.pk, []), dict(values or {})
    return (
        _sight_of(organisation.pk, [(row["purpose"], row["categories"], row["referred"]) for row in rows]),
        {name: rows[0][name] for name in extra},
    )


def _sight_of(organisation_id: int, rows: list[tuple[str, list[str] | None, bool]]) -> Sight:
    """The rule on the rows `_read` gives: (purpose, categories, referred) of every active file and
    feedback consent of the client for the organisation."""
    if not rows:
        return Sight(organisation_id, frozenset(), referrer_only=True)
    shared: set[str] = set()
    for purpose, categories, _referred in rows:
        if purpose in FILE_PURPOSES:
            shared.update(categories or [])
    followed = any(purpose == ConsentPurpose.FEEDBACK for purpose, _categories, _referred in rows)
    # A referrer whose client did not agree that it follows the outcome (referrals.status).
    referrer_only = bool(rows[0][2]) and not followed
    return Sight(organisation_id, frozenset(shared), referrer_only=referrer_only)


@dataclass(frozen=True)
class Sight:
    """What one organisation sees of one client's past."""

    organisation_id: int | None
    categories: frozenset[str]
    referrer_only: bool

    @property
    def history(self) -> bool:
        return DataCategory.HISTORY in self.categories and not self.referrer_only

    @property
    def notes(self) -> bool:
        return DataCategory.NOTES in self.categories

    def names(self, organisation_id: int | None) -> bool:
        """May the page name this organisation (or what it did)?"""
        return self.history or (organisation_id is not None and organisation_id == self.organisation_id)

    def own_rows(self, queryset: QuerySet, *fields: str) -> QuerySet:  # type: ignore[type-arg]
        """Everything with the history category; otherwise only the rows where one of `fields` is the
        organisation itself (its own consents, its own accesses)."""
        if self.history:
            return queryset
        mine = Q()
        for field in fields:
            mine |= Q(**{field: self.organisation_id})
        return queryset.filter(mine) if fields else queryset.none()

    def hidden_labels(self, *, history: bool | None = None, notes: bool | None = None) -> list[str]:
        """The names of the categories about the past that are not shared (for the line on the page)."""
        shown = {
            DataCategory.HISTORY: self.history if history is None else history,
            DataCategory.NOTES: self.notes if notes is None else notes,
        }
        return [str(DataCategory(code).label) for code, ok in shown.items() if not ok]


def sight(actor: Actor, client_id: int) -> Sight:
    """What the actor's organisation sees of this client's past (one query, `_read`'s: its statement
    is built once per membership and day, for every client, and run on every call)."""
    organisation = actor.organisation
    if organisation is None:
        return sight_with(actor, client_id)[0]
    rows = statements.objects(
        statements.actor_key("sight", actor),
        lambda: (
            Consent.objects.active()
            .filter(
                client_id=statements.BOUND,
                recipient=organisation,
                purpose__in=[*FILE_PURPOSES, ConsentPurpose.FEEDBACK],
            )
            .annotate(
                referred=Exists(
                    Involvement.objects.filter(
                        client_id=statements.BOUND,
                        organisation=organisation,
                        reason=InvolvementReason.REFERRER,
                    )
                )
            )
            .only("purpose", "categories")
        ),
        bound=client_id,
    )
    return _sight_of(organisation.pk, [(c.purpose, c.categories, c.referred) for c in rows])  # type: ignore[attr-defined]


def sight_with(actor: Actor, client_id: int, **extra: Any) -> tuple[Sight, dict[str, Any]]:
    """`sight()`, with the values of `extra` annotations read in the same query."""
    if actor.organisation is None:
        return Sight(None, frozenset(), referrer_only=True), dict.fromkeys(extra)
    return _read(actor.organisation, client_id, extra)
