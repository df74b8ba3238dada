"""The import template: one sheet per kind, its columns, and how a cell's text becomes a value.

The headers are Dutch (the organisations' Excel files are); `docs/import.md` documents them. A
choice accepts its code or its label (Dutch or English), case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db.models import TextChoices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import BenefitStatus, EvidenceKind, Gender
from werkbrug.referrals.models import Channel
from werkbrug.trajectories.models import Certainty, CloseReason, ContactKind, Economy, OutcomeKind, Phase

CLIENTS, TRAJECTORIES, CONTACTS, OUTCOMES = "clienten", "trajecten", "contacten", "resultaten"
KINDS = (CLIENTS, TRAJECTORIES, CONTACTS, OUTCOMES)
# The CSV variant: one file, this column says which kind a row is.
KIND_COLUMN = "soort"

TEXT, DATE, CHOICE, NUMBER, YES_NO = "text", "date", "choice", "number", "yes_no"


@dataclass(frozen=True)
class Column:
    name: str
    help: Promise
    kind: str = TEXT
    required: bool = False
    choices: type[TextChoices] | None = None
    max_length: int = 200
    example: str = ""


# Contacts and outcomes name their trajectory the same way.
TRAJECTORY_REF = Column(
    "traject_ref",
    _("The trajectory: a traject_ref of the sheet trajecten."),
    required=True,
    max_length=50,
    example="T-0001",
)

COLUMNS: dict[str, list[Column]] = {
    CLIENTS: [
        Column(
            "dossiernummer",
            _("Your own reference (file number in your previous system); unique in the file."),
            required=True,
            max_length=50,
            example="D-0001",
        ),
        Column("voornaam", _("First name."), required=True, max_length=100, example="An"),
        Column("achternaam", _("Last name."), required=True, max_length=100, example="Peeters"),
        Column("geboortedatum", _("Birth date."), DATE, required=True, example="17-05-1990"),
        Column("geslacht", _("Gender."), CHOICE, required=True, choices=Gender, example="F"),
        Column(
            "insz",
            _("National register number (INSZ), 11 digits; dots and dashes are allowed."),
            max_length=20,
        ),
        Column("gemeente", _("Municipality."), max_length=100, example="Antwerpen"),
        Column("subregio", _("Sub-region, by its name in Werkbrug."), max_length=100),
        Column("adres", _("Address.")),
        Column("telefoon", _("Phone."), max_length=30),
        Column("email", _("E-mail address."), max_length=254),
        Column("uitkering", _("Benefit status; empty means unknown."), CHOICE, choices=BenefitStatus),
        Column("ggz_contact", _("In contact with mental-health care: ja or nee."), YES_NO),
        Column(
            "toestemming",
            _("How the client gave consent to keep the record. Required: a row without it is refused."),
            CHOICE,
            required=True,
            choices=EvidenceKind,
            example="signed_form",
        ),
        Column(
            "toestemming_getuige",
            _("The witness (required for verbal consent with a witness) or a note."),
            max_length=200,
        ),
        Column(
            "toestemming_datum",
            _("The day the consent was given; empty means today."),
            DATE,
            example="02-01-2025",
        ),
    ],
    TRAJECTORIES: [
        Column(
            "traject_ref",
            _(
                "Your own reference for the trajectory; unique in the file. Contacts and outcomes point to it."
            ),
            required=True,
            max_length=50,
            example="T-0001",
        ),
        Column(
            "dossiernummer",
            _("The client: a dossiernummer of the sheet clienten."),
            required=True,
            max_length=50,
            example="D-0001",
        ),
        Column(
            "trajecttype",
            _("Trajectory type, by its code or name in Werkbrug."),
            required=True,
            max_length=100,
            example="arbeidscoach",
        ),
        Column(
            "coach",
            _("The coach: user name or e-mail address of an active coach of your organisation."),
            required=True,
            max_length=254,
            example="coach@example.org",
        ),
        Column("startdatum", _("Start of the trajectory."), DATE, required=True, example="06-01-2025"),
        Column(
            "aanmelddatum",
            _("The day the referral came in; empty means the start date."),
            DATE,
            example="03-01-2025",
        ),
        Column(
            "lijn",
            _(
                "Referral line of your organisation, by its name; may stay empty when your organisation has one line."
            ),
            max_length=150,
        ),
        Column("kanaal", _("How the person reached you; empty means other."), CHOICE, choices=Channel),
        Column("vraag", _("The question at referral; empty gives a standard text."), max_length=4000),
        Column("fase", _("Current phase; empty means intake."), CHOICE, choices=Phase),
        Column("einddatum", _("End date, for a closed trajectory."), DATE),
        Column(
            "reden_afsluiting",
            _("Reason for closing; required with an end date."),
            CHOICE,
            choices=CloseReason,
        ),
        Column(
            "toelichting_afsluiting",
            _("Explanation of the closing (required for the reason other)."),
            max_length=1000,
        ),
    ],
    CONTACTS: [
        TRAJECTORY_REF,
        Column("datum", _("Date of the contact."), DATE, required=True, example="13-01-2025"),
        Column(
            "contactsoort", _("Kind of contact."), CHOICE, required=True, choices=ContactKind, example="phone"
        ),
        Column("duur_minuten", _("Duration in minutes (1 to 1440)."), NUMBER, example="30"),
        Column("notitie", _("Short note."), max_length=500),
        Column("informeel", _("Informal contact: ja or nee."), YES_NO),
    ],
    OUTCOMES: [
        TRAJECTORY_REF,
        Column("datum", _("Date of the outcome."), DATE, required=True, example="03-03-2025"),
        Column(
            "resultaat", _("The outcome."), CHOICE, required=True, choices=OutcomeKind, example="training"
        ),
        Column(
            "economie",
            _("For paid work (required there): regular or social economy."),
            CHOICE,
            choices=Economy,
        ),
        Column("zekerheid", _("Estimated or verified; empty means estimated."), CHOICE, choices=Certainty),
        Column("notitie", _("Short note."), max_length=500),
    ],
}

SHEET_NAMES = {
    CLIENTS: _("clients"),
    TRAJECTORIES: _("trajectories"),
    CONTACTS: _("contacts"),
    OUTCOMES: _("outcomes"),
}


def column(kind: str, name: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.name == name)


def csv_headers() -> list[str]:
    """The CSV variant's header: the kind, then every column of every sheet once."""
    names = [KIND_COLUMN]
    for kind in KINDS:
        names.extend(c.name for c in COLUMNS[kind] if c.name not in names)
    return names


def normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


@cache
def _lookup(choices: type[TextChoices]) -> dict[str, str]:
    found: dict[str, str] = {}
    for language in ("en", "nl"):
        with translation.override(language):
            for code, label in choices.choices:
                found[normalise(str(label))] = code
    for code in choices.values:
        found[normalise(code)] = code
    return found


def choice_code(choices: type[TextChoices], text: str) -> str | None:
    """The code a cell names, by its code or its label; None when it names none."""
    return _lookup(choices).get(normalise(text))


def dutch_labels(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    with translation.override("nl"):
        return [(code, str(label)) for code, label in choices]


YES = frozenset({"ja", "j", "yes", "y", "1", "true", "waar", "x", "oui"})
NO = frozenset({"nee", "n", "no", "0", "false", "onwaar", "non"})
