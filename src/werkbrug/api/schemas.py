"""Typed input and output of the JSON API.

Inputs reject what the database or the model would refuse later (over-long text, characters no
database stores, unknown codes, ids out of range), so bad input is a 422 and never a 500. Lengths
match the model fields. No `from __future__ import annotations` here or in the routers: ninja
resolves annotations at import.
"""

import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from pydantic import AfterValidator, StringConstraints, field_validator

from werkbrug.clients.models import (
    BenefitStatus,
    DataCategory,
    EvidenceKind,
    Gender,
    ProfileSection,
    insz_is_valid,
)
from werkbrug.clients.records import details_version
from werkbrug.core.exceptions import in_future
from werkbrug.core.forms import date_in_range, date_range_message
from werkbrug.network.indications import published
from werkbrug.referrals.models import Channel, Urgency
from werkbrug.trajectories.models import Certainty, ContactKind, Economy, OutcomeKind

# Primary keys are 64-bit; a larger number would overflow the database driver (a 500), not miss.
MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9
PAGE_DEFAULT = 50
PAGE_MAX = 100

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The trajectory in an operation's path (/trajectories/{trajectory_id}/...), one for every router.
TrajectoryId = Path(..., ge=1, le=MAX_ID)


def _storable(value: str) -> str:
    # NUL is refused by PostgreSQL and lone surrogates by every encoder: reject them here.
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError(_("This text contains characters that cannot be stored."))
    return value


def text(max_length: int, min_length: int = 0) -> Any:
    """A stripped string of at most `max_length` characters (the model field's max_length)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_storable),
    ]


def _in_range(value: datetime.date) -> datetime.date:
    if not date_in_range(value):
        raise ValueError(date_range_message())
    return value


# Every date the API takes: the pages' one rule for dates (core.forms), so year 0001 is a 422.
# api/tests/test_date_bounds.py fails on an input schema with a plain `datetime.date`.
Date = Annotated[datetime.date, AfterValidator(_in_range)]


def _not_future(value: datetime.date) -> datetime.date:
    if in_future(value):
        raise ValueError(_("This date lies in the future."))
    return value


PastDate = Annotated[Date, AfterValidator(_not_future)]

# An indication of the published draaiboek (network.indications): the network admin adds codes in
# new versions, so the schema checks them when a referral comes in, not when the app starts.
IndicationCode = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]{1,40}$")]
MAX_INDICATIONS = 50


# --- errors ---------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class DuplicatesOut(ErrorOut):
    duplicates: list[int]


READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **READ_ERRORS}


# --- pages ----------------------------------------------------------------------------------------


class Paging(Schema):
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


# --- references -----------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class ClientRef(Schema):
    id: int
    first_name: str
    last_name: str


class LineOut(Schema):
    id: int
    name: str
    organisation: OrganisationRef
    default_trajectory_type: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    org_type: str


class MeOut(Schema):
    user: UserRef
    organisation: OrganisationRef
    role: str
    sees_clients: bool


# --- clients and consents -------------------------------------------------------------------------


class ClientListOut(Schema):
    """No INSZ and no contact details in lists."""

    id: int
    first_name: str
    last_name: str
    birth_date: datetime.date
    gender: str
    municipality: str
    subregion: str | None

    @staticmethod
    def resolve_subregion(obj: Any) -> str | None:
        return obj.subregion.name if obj.subregion_id else None


class ClientOut(ClientListOut):
    insz: str
    phone: str
    email: str
    address: str
    benefit_status: str
    ggz_contact: bool
    registered_by_organisation: OrganisationRef | None = Field(
        ...,
        description="Empty when it is another organisation and the client did not agree to share "
        "earlier organisations with yours (`history`), or your organisation referred the client without "
        "a feedback consent (docs/privacy.md).",
    )
    created_at: datetime.datetime
    version: str = Field(
        ...,
        description="The version of these details: send it with a PATCH, which is refused (400, "
        "field `version`) when someone changed them since.",
    )

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return details_version(obj)

    @staticmethod
    def resolve_registered_by_organisation(obj: Any) -> Any:
        return None if getattr(obj, "registrar_hidden", False) else obj.registered_by_organisation


class EvidenceIn(Schema):
    kind: EvidenceKind
    note: text(200) = ""  # type: ignore[valid-type]


class ClientIn(Schema):
    first_name: text(100, min_length=1)  # type: ignore[valid-type]
    last_name: text(100, min_length=1)  # type: ignore[valid-type]
    birth_date: PastDate
    gender: Gender
    insz: text(20) = Field("", description="11 digits; dots, dashes and spaces are allowed.")  # type: ignore[valid-type]
    municipality: text(100) = ""  # type: ignore[valid-type]
    subregion_id: Id | None = None
    address: text(200) = ""  # type: ignore[valid-type]
    phone: text(30) = ""  # type: ignore[valid-type]
    email: text(254) = ""  # type: ignore[valid-type]
    benefit_status: BenefitStatus = BenefitStatus.UNKNOWN
    ggz_contact: bool = False
    evidence: EvidenceIn
    confirm_new: bool = Field(
        False, description="Register even though a client you can see looks like this person."
    )

    @field_validator("insz")
    @classmethod
    def _insz(cls, value: str) -> str:
        if value and not insz_is_valid(value):
            raise ValueError(_("This is not a valid national register number (INSZ): check the 11 digits."))
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError as exc:
                raise ValueError(_("Enter a valid e-mail address.")) from exc
        return value


class ClientPatchIn(Schema):
    """The details to change; a field left out keeps its value. Checked by the edit page's form."""

    first_name: text(100, min_length=1) | None = None  # type: ignore[valid-type]
    last_name: text(100, min_length=1) | None = None  # type: ignore[valid-type]
    birth_date: PastDate | None = None
    gender: Gender | None = None
    insz: text(20) | None = None  # type: ignore[valid-type]
    municipality: text(100) | None = None  # type: ignore[valid-type]
    subregion_id: Id | None = Field(None, description="GET /api/subregions.")
    address: text(200) | None = None  # type: ignore[valid-type]
    phone: text(30) | None = None  # type: ignore[valid-type]
    email: text(254) | None = None  # type: ignore[valid-type]
    benefit_status: BenefitStatus | None = None
    ggz_contact: bool | None = None
    version: text(16) | None = Field(  # type: ignore[valid-type]
        None, description="The `version` of the details you read (GET): a save over a newer one is refused."
    )


class ConsentOut(Schema):
    id: int
    client_id: int
    purpose: str
    recipient: OrganisationRef
    categories: list[str]
    given_on: datetime.date
    valid_until: datetime.date | None
    evidence: str
    evidence_note: str
    recorded_by: UserRef | None = Field(..., description="Empty when the organisation is not named.")
    recorded_by_organisation: OrganisationRef | None = Field(
        ...,
        description="Another organisation is named only as far as the client agreed (docs/privacy.md).",
    )
    recorded_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    is_active: bool

    @staticmethod
    def resolve_recorded_by(obj: Any) -> Any:
        return None if getattr(obj, "recorder_hidden", False) else obj.recorded_by

    @staticmethod
    def resolve_recorded_by_organisation(obj: Any) -> Any:
        return None if getattr(obj, "recorder_hidden", False) else obj.recorded_by_organisation


# The purposes a new consent may have (clients.models.OFFERED_PURPOSES): "external_contact" is no
# longer recorded, only read on older rows (docs/privacy.md).
OfferedPurpose = Literal["record", "collaboration", "profile", "feedback", "case_team", "employer_contact"]


# What a handover or referral may pass on about the past (clients.provenance).
PastCategory = Literal["history", "notes"]


class ConsentIn(Schema):
    purpose: OfferedPurpose
    recipient_id: Id
    categories: list[DataCategory | ProfileSection] = Field(
        ..., min_length=1, max_length=len(DataCategory.values) + len(ProfileSection.values)
    )
    given_on: PastDate | None = None
    valid_until: Date | None = None
    evidence: EvidenceIn


# --- referrals ------------------------------------------------------------------------------------


class ReferralListOut(Schema):
    id: int
    client: ClientRef
    line: LineOut
    referring_organisation: OrganisationRef
    urgency: str
    channel: str
    status: str
    created_at: datetime.datetime
    expected_start: datetime.date | None
    assigned_coach: UserRef | None


class ReferralOut(ReferralListOut):
    referred_by: UserRef
    question: str
    indications: list[str]
    decided_at: datetime.datetime | None
    waiting_since: datetime.datetime | None
    decline_reason: str
    decision_note: str


class ReferralIn(Schema):
    client_id: Id
    line_id: Id
    question: text(4000, min_length=1)  # type: ignore[valid-type]
    indications: list[IndicationCode] = Field(default_factory=list, max_length=MAX_INDICATIONS)
    urgency: Urgency = Urgency.NORMAL
    channel: Channel
    evidence: EvidenceIn
    follow_outcome: bool = Field(
        False,
        description="The client agrees that your organisation follows the outcome (a feedback consent "
        "naming it); without it you see only that the line received the referral.",
    )
    share: list[PastCategory] = Field(
        default_factory=list,
        max_length=2,
        description="What about the past the client agreed to pass on to the line: `history` and/or "
        "`notes`. Default none; for VDAB leave it empty.",
    )

    @field_validator("indications")
    @classmethod
    def _known_indications(cls, value: list[str]) -> list[str]:
        unknown = set(value) - set(published().codes)
        if unknown:
            raise ValueError(f"unknown indication(s): {', '.join(sorted(unknown))}")
        return value


# --- trajectories ---------------------------------------------------------------------------------


class TrajectoryTypeRef(Schema):
    code: str
    name: str


class PartnerOut(Schema):
    organisation: OrganisationRef
    role: str
    since: datetime.date


class TrajectoryListOut(Schema):
    id: int
    client: ClientRef
    type: TrajectoryTypeRef
    lead_organisation: OrganisationRef
    coach: UserRef | None
    phase: str
    status: str
    started_on: datetime.date
    closed_on: datetime.date | None
    last_contact_on: datetime.date | None


class TrajectoryOut(TrajectoryListOut):
    referral_id: int | None
    close_reason: str
    close_note: str
    pause_reason: str
    first_contact_on: datetime.date | None
    partners: list[PartnerOut] = Field(
        ...,
        description="Without the `history` category an organisation that was handed the trajectory "
        "sees only itself here (docs/privacy.md).",
    )

    @staticmethod
    def resolve_partners(obj: Any) -> Any:
        shown = getattr(obj, "partners_shown", None)
        return shown if shown is not None else list(obj.partners.all())


class ContactOut(Schema):
    id: int
    on: datetime.date
    kind: str
    duration_minutes: int | None
    note: str
    informal: bool
    care_only: bool
    recorded_by: UserRef | None = Field(..., description="Empty when the organisation is not named.")
    organisation: OrganisationRef | None = Field(
        ..., description="Another organisation is named only with the `history` category."
    )
    recorded_at: datetime.datetime


class ContactIn(Schema):
    on: Date | None = Field(None, description="Defaults to today.")
    kind: ContactKind = ContactKind.FACE_TO_FACE
    duration_minutes: int | None = Field(None, ge=0, le=24 * 60)
    note: text(500) = ""  # type: ignore[valid-type]
    informal: bool = False
    care_only: bool = Field(False, description="A care note: only care partners write and read these.")


class OutcomeOut(Schema):
    id: int
    kind: str
    on: datetime.date
    economy: str
    certainty: str
    verified_on: datetime.date | None
    verify_due_on: datetime.date | None
    note: str
    recorded_by: UserRef
    organisation: OrganisationRef


class OutcomeIn(Schema):
    kind: OutcomeKind
    on: Date
    economy: Economy | None = Field(None, description="Required for paid work.")
    certainty: Certainty = Certainty.ESTIMATED
    verified_on: Date | None = Field(
        None,
        description="With certainty `verified`: when it was verified (default today); not in the "
        "future, paid work three months after it started. Ignored for an estimate.",
    )
    note: text(500) = ""  # type: ignore[valid-type]
