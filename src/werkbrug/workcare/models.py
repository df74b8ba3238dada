"""Work-care (arbeidszorg, issue 17; seed 004): unpaid, work-like activity with guidance for people
who cannot (yet) work under a contract (docs/workcare.md).

- A `Workshop` is a named group at a work organisation (a social workshop's atelier, an enclave, …):
  network data of that organisation, kept by its coaches and coordinators. It carries the
  recognised target-group FTE (D) the subsidy needs (`workcare.subsidy`).
- A `WorkCareAgreement` is client data: it hangs on a work-care trajectory (type "arbeidszorg") and
  is read through `clients.access` and `Trajectory.objects.for_organisation`. The decree (seed 004
  L5541-5557) asks seven elements, each a field; it cannot be signed until all seven are filled.
- `DayHours` is the monthly statement (prestatiestaat): hours per participant per day at a workshop.
- `SubsidyRate` is the yearly amount per support FTE (art. 20bis §2: €22,000), configurable per year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.core.records import RecordedBy, RecordedByOrganisation
from werkbrug.network.models import Organisation, User
from werkbrug.trajectories.models import Trajectory

# The trajectory type whose trajectories may have a work-care agreement (network/defaults.py).
WORKCARE_TYPE = "arbeidszorg"


class Workshop(models.Model):
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="workshops"
    )
    # D of art. 20bis §1: the recognised target-group employees (FTE) of the social workshop.
    target_group_fte = models.DecimalField(
        _("recognised target-group employees (FTE)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999"))],
        help_text=_("D in the decree: the subsidy needs at least 10."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name


class Form(models.TextChoices):
    ATELIER = "atelier", _("workshop (atelier)")
    ENCLAVE = "enclave", _("enclave in a company")
    INDIVIDUAL = "individual", _("individual placement")
    HOME = "home", _("home work")


class Aim(models.TextChoices):
    FINALITY = "finality", _("an end in itself (finaliteit)")
    ONWARD = "onward", _("a step towards work (doorstroom)")


# The seven elements of the decree (seed 004 L5541-5557), in its order: field name and label.
ELEMENTS: list[tuple[str, str | Promise]] = [
    ("time_commitment", _("time commitment")),
    ("activities", _("frequency, nature and extent of the activities")),
    ("place", _("place of the activities")),
    ("expense_allowance", _("expense allowance")),
    ("arrangements", _("insurance, work clothing, safety and hygiene")),
    ("guidance", _("guidance modalities")),
    ("ending", _("how the agreement ends")),
]


class WorkCareAgreement(RecordedByOrganisation):
    """Not an employment contract. A draft until signed; signing needs all seven elements."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="workcare_agreements")
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="agreements"
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    aim = models.CharField(_("aim"), max_length=20, choices=Aim.choices)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    time_commitment = models.TextField(_("time commitment"), blank=True)
    activities = models.TextField(_("frequency, nature and extent of the activities"), blank=True)
    place = models.TextField(_("place of the activities"), blank=True)
    expense_allowance = models.TextField(_("expense allowance"), blank=True)
    arrangements = models.TextField(_("insurance, work clothing, safety and hygiene"), blank=True)
    guidance = models.TextField(_("guidance modalities"), blank=True)
    ending = models.TextField(_("how the agreement ends"), blank=True)
    # The expense allowance as an amount, beside element 4's text: checked against the volunteer
    # allowance ceilings of the year (AllowanceCeiling).
    allowance_per_day = models.DecimalField(
        _("expense allowance per day of activity (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # The centre's insurance (art. 20bis §4, 2° and 3°; seed 004 L5620-5631).
    liability_insurance = models.CharField(
        _("civil liability insurance (insurer, policy)"), max_length=200, blank=True
    )
    accident_insurance = models.CharField(
        _("bodily and material damage insurance, incl. the way to and from work (insurer, policy)"),
        max_length=200,
        blank=True,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    # Stored like a signed consent form (core.privatefiles): outside the web root.
    signed_document = models.FileField(_("signed agreement (PDF)"), upload_to="workcare/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["trajectory", "starts_on"]),
            models.Index(fields=["workshop", "starts_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.starts_on}"

    @property
    def missing(self) -> list[str]:
        """The labels of the decree's elements still empty."""
        return [str(label) for name, label in ELEMENTS if not getattr(self, name).strip()]

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


def running_in(first: datetime.date, last: datetime.date) -> Q:
    """Agreements that run at some day between `first` and `last` (filter WorkCareAgreement)."""
    return Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))


class DayHours(models.Model):
    """Hours of work-like activity of one participant on one day at one workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="day_hours")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="workcare_hours")
    day = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "trajectory", "day"], name="workcare_one_entry_a_day"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="workcare_hours_within_a_day"
            ),
        ]
        indexes = [models.Index(fields=["workshop", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.hours}"


class SubsidyRate(models.Model):
    """The yearly amount per funded support FTE (art. 20bis §2), per calendar year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount_per_fte = models.DecimalField(
        _("amount per support FTE a year (€)"), max_digits=9, decimal_places=2
    )

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount_per_fte}"


# The seed's example (2008): a volunteer allowance of at most €24.76 a day and €991.57 a year; a year
# without its own row (AllowanceCeiling) uses these.
DEFAULT_ALLOWANCE_PER_DAY = Decimal("24.76")
DEFAULT_ALLOWANCE_PER_YEAR = Decimal("991.57")


class AllowanceCeiling(models.Model):
    """The volunteer allowance ceilings of a calendar year: per day and per year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    per_day = models.DecimalField(_("at most per day (€)"), max_digits=7, decimal_places=2)
    per_year = models.DecimalField(_("at most per year (€)"), max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.per_day} / {self.per_year}"


class Regime(models.TextChoices):
    """A participant's benefit and what it allows (seed 004; issue 17, benefit limits)."""

    NONE = "none", _("no benefit")
    RVA = "rva", _("unemployment benefit, RVA exemption")
    OCMW = "ocmw", _("OCMW / living wage")
    MUTUALITEIT = "mutualiteit", _("health insurance (mutualiteit): approval needed")


# The hours a week each regime allows unless a year sets its own (BenefitCeiling).
DEFAULT_CEILINGS: dict[str, Decimal] = {Regime.RVA: Decimal(28), Regime.OCMW: Decimal(30)}


class BenefitCeiling(models.Model):
    """The hours a week a regime allows in a calendar year."""

    year = models.PositiveSmallIntegerField(_("year"))
    regime = models.CharField(_("benefit"), max_length=20, choices=Regime.choices)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["year", "regime"]
        constraints = [models.UniqueConstraint(fields=["year", "regime"], name="workcare_one_ceiling")]

    def __str__(self) -> str:
        return f"{self.year} {self.regime}: {self.hours_per_week}"


class Benefit(RecordedBy):
    """A participant's benefit regime (the latest row counts) and, for the mutualiteit, its approval."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="workcare_benefits")
    regime = models.CharField(_("benefit"), max_length=20, choices=Regime.choices)
    approved_on = models.DateField(_("approval of the advising doctor on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["trajectory", "recorded_at"])]

    def __str__(self) -> str:
        return self.get_regime_display()


class DocumentKind(models.TextChoices):
    C94A = "C94A", _("C94A (RVA: exemption for work-care)")
    C54B = "C54B", _("C54B (RVA)")
    MUTUALITEIT = "mutualiteit", _("approval of the mutualiteit")
    OCMW = "ocmw", _("OCMW agreement")
    OTHER = "other", _("other document")


class BenefitDocument(RecordedBy):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="workcare_documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    dated = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-dated", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.dated}"


class MilestoneKind(models.TextChoices):
    """The practice cycle (seed 004 L4587-4640) and the individual guidance plan (art. 20bis §4, 4°)."""

    INTAKE = "intake", _("intake, tour and welcome talk")
    IBP = "ibp", _("individual guidance plan (IBP), with the referrer")
    TRIAL = "trial", _("evaluation of the trial period")
    EVALUATION = "evaluation", _("evaluation")
    YEARLY = "yearly", _("yearly performance talk")


class Milestone(models.Model):
    """One step of the cycle that took place: a short record (date, who, a few lines)."""

    agreement = models.ForeignKey(WorkCareAgreement, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("step"), max_length=20, choices=MilestoneKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("a few lines"), max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["agreement", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class StageKind(models.TextChoices):
    """Screening stages in a work-care initiative (seed 004 L1966-1976, L2050-2066)."""

    OBSERVATION = "observation", _("observation stage (16 h)")
    ACTIVATION = "activation", _("activation stage (at most 160 h)")


class ScreeningStage(RecordedBy):
    """A stage during screening: the hours on the work floor come from the month grid (DayHours of
    the trajectory from the start); the administration and consultation hours are registered
    apart, within their maximum."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="workcare_stages")
    kind = models.CharField(_("stage"), max_length=20, choices=StageKind.choices)
    starts_on = models.DateField(_("start"))
    agreed_hours = models.DecimalField(_("hours agreed on the work floor"), max_digits=5, decimal_places=1)
    admin_hours = models.DecimalField(
        _("hours of administration and consultation"), max_digits=4, decimal_places=1, default=Decimal(0)
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"
