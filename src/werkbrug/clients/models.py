"""The person, the consents they give, and which organisations are involved with them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.exceptions import in_future
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, SubRegion, User


def insz_is_valid(value: str) -> bool:
    """Belgian national register number (INSZ): 11 digits, the last two a mod-97 check."""
    if not set(value) <= set("0123456789.- "):
        return False
    digits = normalise_insz(value)
    if len(digits) != 11:
        return False
    body, check = int(digits[:9]), int(digits[9:])
    # People born from 2000 on have a "2" put in front of the body before the check.
    return 97 - body % 97 == check or 97 - int("2" + digits[:9]) % 97 == check


def normalise_insz(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def validate_insz(value: str) -> None:
    if not insz_is_valid(value):
        raise ValidationError(
            _("This is not a valid national register number (INSZ): check the 11 digits."),
            code="invalid_insz",
        )


def validate_not_future(value: datetime.date) -> None:
    if in_future(value):
        raise ValidationError(_("This date lies in the future."), code="future_date")


class Gender(models.TextChoices):
    WOMAN = "F", _("woman")
    MAN = "M", _("man")
    X = "X", _("other / not stated")


class BenefitStatus(models.TextChoices):
    NONE = "none", _("no benefit")
    UNEMPLOYMENT = "unemployment", _("unemployment benefit (RVA)")
    INCAPACITY = "incapacity", _("incapacity benefit (mutualiteit)")
    LIVING_WAGE = "living_wage", _("living wage (OCMW)")
    DISABILITY = "disability", _("disability allowance")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


# What an erased client is called on every page.
ERASED_NAME = _("erased client")


class ClientQuerySet(models.QuerySet["Client"]):
    pass


class Client(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), validators=[validate_not_future])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    subregion = models.ForeignKey(
        SubRegion, verbose_name=_("sub-region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    benefit_status = models.CharField(
        _("benefit status"), max_length=20, choices=BenefitStatus.choices, default=BenefitStatus.UNKNOWN
    )
    ggz_contact = models.BooleanField(_("in contact with mental-health care (GGZ)"), default=False)
    # Never shown in lists; stored normalised (digits only).
    insz = models.CharField(
        _("national register number (INSZ)"), max_length=11, blank=True, validators=[validate_insz]
    )
    registered_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registered_clients"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the person's data was erased (GDPR art. 17, werkbrug.privacy): identity and free text
    # are gone, the anonymous facts the reports count stay.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    # Keyed hashes kept by clients.linkage (never in clear): the folded name and birth date, and the
    # person this record belongs to, across records and organisations (the reports count these).
    name_key = models.CharField(max_length=24, blank=True, db_index=True, editable=False)
    person_key = models.CharField(max_length=24, blank=True, db_index=True, editable=False)
    # The same person as a number, for the reports to count (an integer sorts faster than a hash): the
    # lowest id among the records that share the person key.
    person_number = models.IntegerField(null=True, blank=True, db_index=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "birth_date"]),
            models.Index(fields=["insz"], condition=~Q(insz=""), name="client_insz_idx"),
        ]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(ERASED_NAME)
        return f"{self.first_name} {self.last_name}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def full_name(self) -> str:
        return str(self)


class GgzContact(models.Model):
    """A period in which the client was in contact with mental-health care (GGZ), as recorded: the
    flag on the client's details opens one on the day it is switched on and closes it on the day it
    is switched off (`clients.actions.set_ggz_contact`, the one writer). `Client.ggz_contact` is the
    current value; the reports count the periods, so switching the flag off today does not change
    what a past year counted (docs/reports.md, "As of a date")."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ggz_periods")
    since = models.DateField(_("in contact since"))
    until = models.DateField(_("in contact until"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["client", "since", "pk"]
        indexes = [models.Index(fields=["client", "since"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="ggz_period_dates"
            )
        ]
        verbose_name = _("GGZ contact period")
        verbose_name_plural = _("GGZ contact periods")

    def __str__(self) -> str:
        return f"{self.since} - {self.until or ''}"


class ConsentPurpose(models.TextChoices):
    RECORD = "record", _("keep and use the record")
    COLLABORATION = "collaboration", _("share the file with this partner for referral and guidance")
    PROFILE = "profile", _("share the competency profile")
    FEEDBACK = "feedback", _("feedback to the referring professional")
    CASE_TEAM = "case_team", _("discussion in a case team")
    EXTERNAL_CONTACT = "external_contact", _("contact with VDAB, TNWC or an employer")
    # Naming the client to an employer, in a job development contact or an introduction (issue 15).
    EMPLOYER_CONTACT = "employer_contact", _("contact with an employer about this person")


# Purposes that open the client file to the recipient organisation (with involvement).
FILE_PURPOSES = (ConsentPurpose.RECORD, ConsentPurpose.COLLABORATION)
# What the consent form and the API offer for a new consent. "Contact with VDAB, TNWC or an employer"
# drives no rule yet, so it is no longer recorded; the value stays readable for older rows
# (docs/privacy.md, "What a consent can name").
OFFERED_PURPOSES = tuple(p for p in ConsentPurpose if p != ConsentPurpose.EXTERNAL_CONTACT)
# Purposes whose recipient may be the recording organisation itself: feedback goes to the referrer
# (who often records it), a case-team consent names the organisation that hosts the team. For the
# other purposes the organisation already holds the file: naming itself records nothing.
# An employer-contact consent names the coach's own organisation: it may name the client to employers.
OWN_ORGANISATION_PURPOSES = frozenset(
    {ConsentPurpose.FEEDBACK, ConsentPurpose.CASE_TEAM, ConsentPurpose.EMPLOYER_CONTACT}
)


class DataCategory(models.TextChoices):
    """What a file consent (record, collaboration) shares. An organisation that took a trajectory
    over sees what happened before it came in (earlier organisations, types, partners, handovers)
    only with `history`, and the contacts other organisations wrote only with `notes`
    (clients.provenance). Older rows name neither, so they share neither (docs/privacy.md)."""

    IDENTITY = "identity", _("identity and contact details")
    REFERRAL = "referral", _("referral question")
    TRAJECTORY = "trajectory", _("the current trajectory: plan, outcomes and own contacts")
    HISTORY = "history", _("earlier trajectories and organisations")
    NOTES = "notes", _("contact notes of other organisations")


# What a referral, a redirect or a handover always passes on, and what the client may add.
FILE_BASE_CATEGORIES = (DataCategory.IDENTITY, DataCategory.REFERRAL, DataCategory.TRAJECTORY)
PAST_CATEGORIES = (DataCategory.HISTORY, DataCategory.NOTES)


class ProfileSection(models.TextChoices):
    """Sections of the competency profile (competentieprofiel, seed 000) and of the IPS vocational
    profile (arbeidsprofiel, seed 003). Each is a data category a consent can name."""

    WORK_HISTORY = "work_history", _("work and education history")
    SKILLS = "skills", _("skills")
    STRENGTHS = "strengths", _("strengths")
    WORK_ATTITUDES = "work_attitudes", _("work attitudes")
    CONDITIONS = "conditions", _("conditions and limits (hours, pace, stress, travel)")
    SUPPORT_NEEDS = "support_needs", _("support needs")
    WHAT_HELPS = "what_helps", _("what helps")
    CARE_CONTEXT = "care_context", _("care context (care partners only)")
    IPS_PREFERENCES = "ips_preferences", _("job preferences")
    IPS_EXPERIENCE = "ips_experience", _("work experience")
    IPS_SKILLS = "ips_skills", _("skills (vocational profile)")
    IPS_STRENGTHS = "ips_strengths", _("strengths (vocational profile)")
    IPS_PITFALLS = "ips_pitfalls", _("pitfalls")
    IPS_CONTACTS = "ips_contacts", _("personal contacts")
    IPS_LESSONS = "ips_lessons", _("lessons after a job or placement")


COMPETENCY_SECTIONS = (
    ProfileSection.WORK_HISTORY,
    ProfileSection.SKILLS,
    ProfileSection.STRENGTHS,
    ProfileSection.WORK_ATTITUDES,
    ProfileSection.CONDITIONS,
    ProfileSection.SUPPORT_NEEDS,
    ProfileSection.WHAT_HELPS,
    ProfileSection.CARE_CONTEXT,
)
VOCATIONAL_SECTIONS = (
    ProfileSection.IPS_PREFERENCES,
    ProfileSection.IPS_EXPERIENCE,
    ProfileSection.IPS_SKILLS,
    ProfileSection.IPS_STRENGTHS,
    ProfileSection.IPS_PITFALLS,
    ProfileSection.IPS_CONTACTS,
    ProfileSection.IPS_LESSONS,
)
# Never shown to a work partner, whatever a consent says (DESIGN §5: care notes stay with care).
CARE_ONLY_SECTIONS = frozenset({ProfileSection.CARE_CONTEXT})


def allowed_categories(recipient: Organisation) -> frozenset[str]:
    """What a consent naming this organisation may list: never a care-only section for an
    organisation that is not a care partner (it could never read it)."""
    if recipient.is_care:
        return CONSENT_CATEGORY_VALUES
    return CONSENT_CATEGORY_VALUES - CARE_ONLY_SECTIONS


def consent_recipients() -> QuerySet[Organisation]:
    """Organisations a consent may name: active ones that work with clients. Never a funder or
    evaluator (aggregates only, BRIEF §5) nor the network's own organisation (kind and type "other":
    it holds the network roles and never works with a person)."""
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(org_type=OrganisationType.FUNDER)
        .exclude(kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER)
    )


# Everything a consent may name.
CONSENT_CATEGORIES = [*DataCategory.choices, *ProfileSection.choices]
CONSENT_CATEGORY_VALUES = frozenset(code for code, _label in CONSENT_CATEGORIES)


class EvidenceKind(models.TextChoices):
    SIGNED_FORM = "signed_form", _("signed form")
    VERBAL_WITNESS = "verbal_witness", _("verbal, with a witness")
    VERBAL = "verbal", _("verbal, noted by the professional")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self, on: datetime.date | None = None) -> ConsentQuerySet:
        day = on or timezone.localdate()
        return self.filter(given_on__lte=day, withdrawn_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Consent(models.Model):
    """One consent: a purpose, a recipient organisation, data categories, dated and evidenced."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(
        Organisation, verbose_name=_("recipient organisation"), on_delete=models.PROTECT, related_name="+"
    )
    categories = models.JSONField(_("data categories"), default=list)
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=20, choices=EvidenceKind.choices)
    evidence_note = models.CharField(_("evidence note (e.g. witness)"), max_length=200, blank=True)
    # The signed form, if uploaded. Health data: stored outside the web root and only served through
    # an access-checked view, never through MEDIA_URL.
    evidence_file = models.FileField(_("signed form (PDF)"), upload_to="consents/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["client", "recipient", "purpose"])]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.recipient}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.given_on <= today
            and (self.valid_until is None or self.valid_until >= today)
        )


class InvolvementReason(models.TextChoices):
    REGISTERED = "registered", _("registered the client")
    REFERRER = "referrer", _("referring organisation")
    LINE = "line", _("referral line")
    LEAD = "lead", _("lead organisation")
    PARTNER = "partner", _("contributing partner")
    HANDOVER = "handover", _("handover proposed")
    CASE_TEAM = "case_team", _("case team")


class Involvement(models.Model):
    """Why an organisation is involved with a client. Written by actions, read by the access policy."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="involvements")
    reason = models.CharField(max_length=20, choices=InvolvementReason.choices)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "organisation", "reason"], name="unique_involvement")
        ]
        indexes = [models.Index(fields=["organisation", "client"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.reason})"
