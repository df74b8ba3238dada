"""The triage suggestion built from the draaiboek's indications and triage rules (`network.indications`:
the published version, or the version a referral was triaged under).

The suggestion explains; the screener decides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from werkbrug.network.indications import Draaiboek, published
from werkbrug.network.models import ReferralLine


@dataclass(frozen=True)
class Suggestion:
    line: ReferralLine | None
    to_case_team: bool
    reasons: list[str]
    explanation: str


class LineIndex:
    """The lines a referral can go to, indexed by indication: built once per page, so that a
    suggestion looks only at the lines that share a checked indication instead of at every line of
    the network (a page of the screener's inbox asks for one suggestion per row)."""

    def __init__(self, lines: Iterable[ReferralLine], draaiboek: Draaiboek | None = None) -> None:
        self.draaiboek = draaiboek or published()
        self._by_code: dict[str, list[ReferralLine]] = defaultdict(list)
        for line in lines:
            for code in set(line.indications):
                self._by_code[code].append(line)

    def suggest(self, indications: Sequence[str], draaiboek: Draaiboek | None = None) -> Suggestion:
        """Score each line by how many checked indications point to it; a tie or a case-team
        indication suggests the case team, as the draaiboek does when the lead is unclear.
        `draaiboek`: the version the indications were checked under (default: the index's)."""
        book = draaiboek or self.draaiboek
        checked = book.clean(indications)
        scores: Counter[int] = Counter()
        candidates: dict[int, ReferralLine] = {}
        for code in checked:
            for line in self._by_code.get(code, ()):
                scores[line.pk] += 1
                candidates[line.pk] = line
        scored = sorted(
            ((n, candidates[pk]) for pk, n in scores.items()), key=lambda pair: (-pair[0], pair[1].name)
        )
        return _explain(book, checked, scored)


def suggest(
    indications: Sequence[str], lines: Iterable[ReferralLine] | LineIndex, draaiboek: Draaiboek | None = None
) -> Suggestion:
    """The suggestion for one set of indications (see `LineIndex.suggest`)."""
    index = lines if isinstance(lines, LineIndex) else LineIndex(lines, draaiboek)
    return index.suggest(indications, draaiboek)


def _explain(book: Draaiboek, checked: list[str], scored: list[tuple[int, ReferralLine]]) -> Suggestion:
    """The suggestion from the lines that scored, best first."""
    case_team_signals = [code for code in checked if code in book.case_team]
    reasons = [book.label(code) for code in checked]
    if not scored:
        if case_team_signals:
            return Suggestion(None, True, reasons, str(_("The indications ask for the case team.")))
        return Suggestion(None, False, reasons, str(_("No indication was checked that points to a line.")))
    best_score, best = scored[0]
    tie = len(scored) > 1 and scored[1][0] == best_score
    if tie or case_team_signals:
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
