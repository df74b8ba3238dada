"""The research export in the reader's language (issue 13, point 7): the column headers and the coded
values (gender, benefit status, organisation types, status, close reason, channel, outcomes) are
written as their translated labels; the codebook (`codebook_rows`, downloaded beside the export) lists
every column's stable name and every value's stable code with its label, so a researcher can recode a
file in any language. Anonymisation works on the codes (reports.research); translating is the last
step, when the file is written."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.clients.models import BenefitStatus, Gender
from werkbrug.network.models import OrganisationType
from werkbrug.referrals.models import Channel
from werkbrug.trajectories.models import CloseReason, OutcomeKind, TrajectoryStatus

# What a generalised quasi-identifier shows when it is no longer shown (reports.anonymity).
HIDDEN = "*"
# How the export's last line, the trailer, starts (reports.research_sql).
TRAILER_START = "# end of file"
# Between several outcomes in one cell.
OUTCOME_SEPARATOR = ";"

HEADERS: dict[str, Promise] = {
    "person": gettext_lazy("person (pseudonym)"),
    "birth_year": gettext_lazy("birth year"),
    "gender": gettext_lazy("gender"),
    "subregion": gettext_lazy("sub-region"),
    "ggz_contact": gettext_lazy("GGZ contact (1 = yes)"),
    "benefit_status": gettext_lazy("benefit status"),
    "trajectory": gettext_lazy("trajectory (running number)"),
    "trajectory_type": gettext_lazy("trajectory type"),
    "lead_organisation": gettext_lazy("lead organisation"),
    "lead_organisation_type": gettext_lazy("lead organisation type"),
    "status": gettext_lazy("status"),
    "started_month": gettext_lazy("started (month)"),
    "closed_month": gettext_lazy("closed (month)"),
    "close_reason": gettext_lazy("close reason"),
    "referral_line": gettext_lazy("referral line"),
    "referral_channel": gettext_lazy("referral channel"),
    "referral_month": gettext_lazy("referred (month)"),
    "referring_organisation_type": gettext_lazy("referring organisation type"),
    "paid_work_month": gettext_lazy("paid work (month)"),
    "paid_work_nec_verified": gettext_lazy("paid work in the regular economy, verified (1 = yes)"),
    "outcomes": gettext_lazy("outcomes"),
}

CODED: dict[str, type[models.TextChoices]] = {
    "gender": Gender,
    "benefit_status": BenefitStatus,
    "lead_organisation_type": OrganisationType,
    "status": TrajectoryStatus,
    "close_reason": CloseReason,
    "referral_channel": Channel,
    "referring_organisation_type": OrganisationType,
    "outcomes": OutcomeKind,
}


def headers(columns: tuple[str, ...]) -> list[str]:
    return [str(HEADERS[column]) for column in columns]


def _labels() -> dict[str, dict[str, str]]:
    return {
        column: {code: str(label) for code, label in choices.choices} for column, choices in CODED.items()
    }


def translated(columns: tuple[str, ...], lines: list[list[object]]) -> list[list[object]]:
    """The lines with each coded value as its label in the active language; "*" and empty cells stay."""
    labels = _labels()
    coded = [(index, labels[column]) for index, column in enumerate(columns) if column in labels]
    outcomes = columns.index("outcomes") if "outcomes" in columns else None
    result = []
    for line in lines:
        line = list(line)
        for index, names in coded:
            value = line[index]
            if not isinstance(value, str) or value in ("", HIDDEN):
                continue
            if index == outcomes:
                line[index] = f"{OUTCOME_SEPARATOR} ".join(
                    names.get(code, code) for code in value.split(OUTCOME_SEPARATOR)
                )
            else:
                line[index] = names.get(value, value)
        result.append(line)
    return result


def codebook_rows(columns: tuple[str, ...]) -> list[list[object]]:
    """Column by column: its stable name and header, then (for coded columns) each stable code and
    its label, in the active language."""
    labels = _labels()
    rows: list[list[object]] = [[_("column"), _("header in this file"), _("code"), _("meaning")]]
    for column in columns:
        rows.append([column, str(HEADERS[column]), "", ""])
        for code, label in labels.get(column, {}).items():
            rows.append([column, str(HEADERS[column]), code, label])
    rows.append(
        [
            "",
            "",
            TRAILER_START,
            _(
                "the last line of the file: the number of lines and the SHA-256 checksum of every byte "
                "before it; a file without it is incomplete"
            ),
        ]
    )
    rows.append(["", "", HIDDEN, _("not shown, to keep every combination shared by at least 5 persons")])
    return rows
