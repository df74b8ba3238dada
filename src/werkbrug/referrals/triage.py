"""The draaiboek's indications (seed 000 L286-330) and the triage suggestion built from them.

The suggestion explains; the screener decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.network.models import ReferralLine

# code -> label. Grouped as the draaiboek groups them; lines name the codes that point to them.
INDICATIONS: dict[str, Promise] = {
    # to the arbeidscoach (intensive pre-trajectory)
    "low_threshold": _("A low threshold is a precondition for starting a trajectory"),
    "intensive_vulnerability": _(
        "More intensive follow-up and support (duration, frequency, continuity) because of the psychological "
        "vulnerability"
    ),
    "psychiatric_expertise": _("Psychiatric expertise is needed"),
    "work_attitudes": _("Support to lower thresholds in work attitudes and working conditions"),
    "whole_trajectory": _("Support of the whole trajectory towards (re)employment in the regular circuit"),
    "shared_focus": _("A shared focus on care and work"),
    # to the GTB trajectbegeleider (regular trajectory possible now)
    "vulnerability_background": _("The psychological vulnerability is not in the foreground"),
    "disability_expertise": _("Expertise in the integration of people with a work disability"),
    "intensive_work": _("More intensive follow-up and support focused on work"),
    # to the case team
    "unclear_lead": _("It is unclear which service should lead"),
    "broad_support": _("Intensive or broadly carried support is needed"),
}

CASE_TEAM_INDICATIONS = frozenset({"unclear_lead", "broad_support"})


def indication_choices() -> list[tuple[str, Promise]]:
    return list(INDICATIONS.items())


def clean_indications(codes: Iterable[str]) -> list[str]:
    """Known codes only, in the draaiboek's order."""
    wanted = set(codes)
    return [code for code in INDICATIONS if code in wanted]


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
