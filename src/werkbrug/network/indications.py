"""The draaiboek's indications (seed 000 L286-330): the vocabulary that referral lines name and that
screeners check at triage. Reference data of the network; the triage suggestion built from them
lives in `referrals.triage`."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
