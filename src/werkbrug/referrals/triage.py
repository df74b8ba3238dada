"""The triage suggestion built from the draaiboek's indications (`network.indications`).

The suggestion explains; the screener decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from werkbrug.network.indications import CASE_TEAM_INDICATIONS, INDICATIONS, clean_indications
from werkbrug.network.models import ReferralLine


@dataclass(frozen=True)
class Suggestion:
    line: ReferralLine | None
    to_case_team: bool
    reasons: list[str]
    explanation: str


def suggest(indications: Sequence[str], lines: Iterable[ReferralLine]) -> Suggestion:
    """Score each line by how many checked indications point to it; a tie or a case-team indication
    suggests the case team, as the draaiboek does when the lead is unclear."""
    checked = clean_indications(indications)
    scored = sorted(
        ((sum(1 for code in checked if code in line.indications), line) for line in lines),
        key=lambda pair: (-pair[0], pair[1].name),
    )
    case_team_signals = [code for code in checked if code in CASE_TEAM_INDICATIONS]
    reasons = [str(INDICATIONS[code]) for code in checked]
    if not scored or scored[0][0] == 0:
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
    matched = [str(INDICATIONS[code]) for code in checked if code in best.indications]
    return Suggestion(
        best,
        False,
        matched,
        str(
            _("%(count)s of the checked indications point to %(line)s.")
            % {"count": best_score, "line": best.name}
        ),
    )
