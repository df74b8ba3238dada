"""Employers and job development (issue 15; seeds 001 and 003).

An employer is network data: every coach of the network sees the employers and who in the network
works with them. Which *client* was named to an employer is client data: a contact or an
introduction that names a client hangs on the client's trajectory and is read through
`clients.access`, and naming a client needs the client's consent for employer contact
(`clients.models.ConsentPurpose.EMPLOYER_CONTACT`).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.records import CreatedBy
from werkbrug.network.models import Organisation, SubRegion, User
from werkbrug.trajectories.models import Trajectory


def normalise_enterprise_number(value: str) -> str:
    """The ten digits of a Belgian enterprise number (KBO/BCE), whatever the dots and spaces."""
    digits = re.sub(r"[\s.\-]", "", value or "").upper().removeprefix("BE")
    if len(digits) == 9:  # the older nine-digit form takes a leading 0
        digits = "0" + digits
    return digits


def validate_enterprise_number(value: str) -> None:
    """Ten digits, starting with 0 or 1, whose last two are 97 minus the first eight modulo 97."""
    digits = normalise_enterprise_number(value)
    if not re.fullmatch(r"[01]\d{9}", digits):
        raise ValidationError(
            _("An enterprise number has ten digits and starts with 0 or 1, e.g. 0123.456.749."),
            code="format",
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError(
            _("This enterprise number does not exist: its check digits do not match."), code="check"
        )


def format_enterprise_number(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits


class Sector(models.TextChoices):
    """The NACE-BEL sections, in short."""

    A = "A", _("agriculture, forestry and fishing")
    B = "B", _("mining and quarrying")
    C = "C", _("manufacturing")
    D = "D", _("energy supply")
    E = "E", _("water supply and waste")
    F = "F", _("construction")
    G = "G", _("wholesale and retail trade")
    H = "H", _("transport and storage")
    I = "I", _("accommodation and food service")  # noqa: E741
    J = "J", _("information and communication")
    K = "K", _("financial and insurance activities")
    L = "L", _("real estate")
    M = "M", _("professional, scientific and technical activities")
    N = "N", _("administrative and support services")
    O = "O", _("public administration")  # noqa: E741
    P = "P", _("education")
    Q = "Q", _("human health and social work")
    R = "R", _("arts, entertainment and recreation")
    S = "S", _("other service activities")


class EmployerSize(models.TextChoices):
    MICRO = "micro", _("fewer than 10 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 employees or more")


class JobType(models.TextChoices):
    """ISCO-08 major groups: the job types of openings and placements (the fidelity item on diverse
    jobs counts them)."""

    MANAGERS = "1", _("managers")
    PROFESSIONALS = "2", _("professionals")
    TECHNICIANS = "3", _("technicians and associate professionals")
    CLERICAL = "4", _("clerical support workers")
    SERVICE_SALES = "5", _("service and sales workers")
    AGRICULTURE = "6", _("skilled agricultural, forestry and fishery workers")
    CRAFT = "7", _("craft and related trades workers")
    OPERATORS = "8", _("plant and machine operators and assemblers")
    ELEMENTARY = "9", _("elementary occupations")


class Employer(CreatedBy):
    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(
        _("enterprise number (KBO)"),
        max_length=10,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Ten digits, e.g. 0123.456.749. Leave empty for a private person or abroad."),
    )
    sector = models.CharField(_("sector"), max_length=1, choices=Sector.choices, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=EmployerSize.choices, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    subregion = models.ForeignKey(
        SubRegion, verbose_name=_("sub-region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="employer_unique_enterprise_number",
            )
        ]
        indexes = [models.Index(fields=["name"])]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number)


class ContactPerson(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("face to face")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")


class ContactPurpose(models.TextChoices):
    GETTING_TO_KNOW = "getting_to_know", _("getting to know the employer")
    JOB_CARVING = "job_carving", _("job carving")
    VACANCY = "vacancy", _("a vacancy")
    SUPPORT = "support", _("support after placement")


class ContactPlace(models.TextChoices):
    """Where the coach was: the fidelity scale asks for most of the work in the community."""

    COMMUNITY = "community", _("in the community")
    OFFICE = "office", _("at the office")


class EmployerContact(models.Model):
    """A job development contact. With a trajectory it names that client to the employer: client
    data, only with the client's consent for employer contact."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="contacts"
    )
    on = models.DateField(_("date"), default=timezone.localdate)
    coach = models.ForeignKey(User, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(
        _("kind"), max_length=20, choices=ContactMode.choices, default=ContactMode.FACE_TO_FACE
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ContactPurpose.choices)
    place = models.CharField(
        _("where"), max_length=10, choices=ContactPlace.choices, default=ContactPlace.COMMUNITY
    )
    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("about the client of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="employer_contacts",
    )
    note = models.CharField(_("one-line note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["coach", "on"]),
            models.Index(fields=["employer", "on"]),
            models.Index(fields=["trajectory", "on"]),
        ]
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")

    def __str__(self) -> str:
        return f"{self.on} {self.employer}"


class Opening(CreatedBy):
    """An opening (vacancy) at an employer: network data, like the employer."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="openings")
    title = models.CharField(_("job title"), max_length=200)
    job_type = models.CharField(_("job type"), max_length=1, choices=JobType.choices)
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class IntroductionOutcome(models.TextChoices):
    INTRODUCED = "introduced", _("introduced")
    INTERVIEW = "interview", _("interview")
    HIRED = "hired", _("hired")
    NOT_SELECTED = "not_selected", _("not selected")


class Introduction(models.Model):
    """A client introduced to an opening: client data (it hangs on the client's trajectory), read
    through `clients.access`, and written only with the client's consent for employer contact."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="introductions")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="introductions")
    introduced_on = models.DateField(_("introduced on"), default=timezone.localdate)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=IntroductionOutcome.choices,
        default=IntroductionOutcome.INTRODUCED,
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-introduced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "trajectory"], name="introduction_once_per_opening")
        ]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")

    def __str__(self) -> str:
        return f"{self.opening} ({self.get_outcome_display()})"


class WeeklyReview(models.Model):
    """The coordinator's tick on a coach's week of employer contacts (seed 003: six face-to-face
    employer contacts a week, reviewed weekly)."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "week_start"], name="weekly_review_once_per_week")
        ]
        verbose_name = _("weekly review")
        verbose_name_plural = _("weekly reviews")

    def __str__(self) -> str:
        return f"{self.coach} {self.week_start}"
