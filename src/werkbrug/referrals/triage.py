"""The triage suggestion built from the draaiboek's indications and triage rules (`network.indications`:
the published version, or the version a referral was triaged under).

The suggestion explains; the screener decides.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from werkbrug.core import statements
from werkbrug.network.indications import Draaiboek, published
from werkbrug.network.models import ReferralLine


@dataclass(frozen=True, slots=True)
class IndexedLine:
    """What a suggestion reads of a line (a list page indexes these from one `values_list` query
    instead of building a model instance per line of the network)."""

    pk: int
    name: str
    indications: list[str]

    def __str__(self) -> str:
        return self.name


Line = ReferralLine | IndexedLine


def leading_lines(key: Hashable, lines: Callable[[], QuerySet[ReferralLine]]) -> list[IndexedLine]:
    """The lines of `lines()` that a suggestion can lead with, as plain rows: of the lines with the
    same indications, the two first by name. A suggestion scores a line by its indications only and
    takes the best score's first line by name, and a second line with that score makes a tie; so
    these lines give every suggestion that all of them give (the network has hundreds of lines but
    a few sets of indications: the page reads a few rows, not one per line of the network).
    Lines whose indications differ only in their order or repeats are grouped apart: more rows,
    the same suggestions. The statement is built once per `key` (core.statements)."""
    first = Window(RowNumber(), partition_by=[F("indications")], order_by=[F("name").asc(), F("pk").asc()])
    rows = statements.rows(
        key,
        lambda: lines().annotate(place=first).filter(place__lte=2).values_list("pk", "name", "indications"),
    )
    # The cursor's rows: the indications as the database gives JSON (text), not as the model field does.
    return [
        IndexedLine(pk, name, json.loads(codes) if isinstance(codes, str | bytes) else codes)
        for pk, name, codes in rows
    ]


@dataclass(frozen=True)
class Suggestion:
    line: Line | None
    to_case_team: bool
    reasons: list[str]
    explanation: str


class Choice(NamedTuple):
    """The line and the case team of a suggestion, without its explanation (a list shows only these)."""

    line: Line | None
    to_case_team: bool


class LineIndex:
    """The lines a referral can go to, indexed by indication: built once per page, so that a
    suggestion looks only at the lines that share a checked indication instead of at every line of
    the network (a page of the screener's inbox asks for one suggestion per row)."""

    def __init__(self, lines: Iterable[Line], draaiboek: Draaiboek | None = None) -> None:
        self._draaiboek = draaiboek
        self._by_code: dict[str, list[Line]] = defaultdict(list)
        self._choices: dict[tuple[int | None, tuple[str, ...]], Choice] = {}
        for line in lines:
            for code in set(line.indications):
                self._by_code[code].append(line)

    @property
    def draaiboek(self) -> Draaiboek:
        """The version a suggestion is made under when it is given none: the published one, read
        when first needed (a page whose rows each bring their own version never reads it)."""
        if self._draaiboek is None:
            self._draaiboek = published()
        return self._draaiboek

    def _scored(
        self, book: Draaiboek, indications: Sequence[str]
    ) -> tuple[list[str], list[tuple[int, Line]]]:
        checked = book.clean(indications)
        scores: Counter[int] = Counter()
        candidates: dict[int, Line] = {}
        for code in checked:
            for line in self._by_code.get(code, ()):
                scores[line.pk] += 1
                candidates[line.pk] = line
        scored = sorted(
            ((n, candidates[pk]) for pk, n in scores.items()), key=lambda pair: (-pair[0], pair[1].name)
        )
        return checked, scored

    def suggest(self, indications: Sequence[str], draaiboek: Draaiboek | None = None) -> Suggestion:
        """Score each line by how many checked indications point to it; a tie or a case-team
        indication suggests the case team, as the draaiboek does when the lead is unclear.
        `draaiboek`: the version the indications were checked under (default: the index's)."""
        book = draaiboek or self.draaiboek
        checked, scored = self._scored(book, indications)
        return _explain(book, checked, scored)

    def choose(self, indications: Sequence[str], draaiboek: Draaiboek | None = None) -> Choice:
        """`suggest(...)`'s line and case team without the wording, remembered per draaiboek and set
        of indications: a page of the inbox asks for many rows with the same ones."""
        book = draaiboek or self.draaiboek
        key = (book.version.pk if book.version is not None else None, tuple(indications))
        if key not in self._choices:
            checked, scored = self._scored(book, indications)
            self._choices[key] = Choice(*_lead(book, checked, scored)[1:3])
        return self._choices[key]


def suggest(
    indications: Sequence[str], lines: Iterable[ReferralLine] | LineIndex, draaiboek: Draaiboek | None = None
) -> Suggestion:
    """The suggestion for one set of indications (see `LineIndex.suggest`)."""
    index = lines if isinstance(lines, LineIndex) else LineIndex(lines, draaiboek)
    return index.suggest(indications, draaiboek)


def _lead(
    book: Draaiboek, checked: list[str], scored: list[tuple[int, Line]]
) -> tuple[int, Line | None, bool, bool]:
    """The best score, the line suggested, whether the case team is, and whether lines tie."""
    signals = book.case_team
    case_team = any(code in signals for code in checked)
    if not scored:
        return 0, None, case_team, False
    best_score, best = scored[0]
    tie = len(scored) > 1 and scored[1][0] == best_score
    return best_score, best, tie or case_team, tie


def _explain(book: Draaiboek, checked: list[str], scored: list[tuple[int, Line]]) -> Suggestion:
    """The suggestion from the lines that scored, best first."""
    reasons = [book.label(code) for code in checked]
    best_score, best, to_case_team, tie = _lead(book, checked, scored)
    if best is None:
        if to_case_team:
            return Suggestion(None, True, reasons, str(_("The indications ask for the case team.")))
        return Suggestion(None, False, reasons, str(_("No indication was checked that points to a line.")))
    if to_case_team:
        return Suggestion(
            best,
            True,
            reasons,
            str(
                _("The indications point to more than one service; the case team can decide who leads.")
                if tie
                else _("The case team is indicated; %(line)s fits best of the lines.") % {"line": best.name}
            ),
        )
    matched = [book.label(code) for code in checked if code in best.indications]
    return Suggestion(
        best,
        False,
        matched,
        str(
            _("%(count)s of the checked indications point to %(line)s.")
            % {"count": best_score, "line": best.name}
        ),
    )
