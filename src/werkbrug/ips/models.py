"""IPS in daily practice (issue 15; seeds 001 and 003): placements (jobs) and their end.

A placement is client data: it hangs on the client's trajectory and is read through
`clients.access` and `Trajectory.objects.for_organisation`, so only the trajectory team sees it.

One truth for paid work: starting a placement records the trajectory's paid-work `Outcome` (with
its economy, NEC or social), and the placement points at that row. The reports keep counting
outcomes; a placement never counts a second time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkbrug.core.records import RecordedBy, RecordedByOrganisation
from werkbrug.employers.models import Employer, JobType
from werkbrug.trajectories.models import Outcome, Trajectory

# After a job ends the coach contacts the client within three days (seed 003, job loss).
JOB_LOSS_CONTACT_DAYS = 3


class EndReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("the contract ended")
    CLIENT_QUIT = "client_quit", _("the client quit")
    DISMISSED = "dismissed", _("dismissed by the employer")
    HEALTH = "health", _("health reasons")
    BETTER_JOB = "better_job", _("moved on to another job")
    OTHER = "other", _("other reason")


class Placement(RecordedByOrganisation):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements"
    )
    job_title = models.CharField(_("job title"), max_length=200)
    job_type = models.CharField(_("job type"), max_length=1, choices=JobType.choices)
    started_on = models.DateField(_("start"))
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    minimum_wage = models.BooleanField(_("paid at least the minimum wage"), default=True)
    competitive = models.BooleanField(
        _("competitive job"),
        default=True,
        help_text=_("Open to anyone, in the regular economy, not reserved for people with a disability."),
    )
    # The paid-work outcome this placement records (its economy is the outcome's): one truth.
    outcome = models.OneToOneField(Outcome, on_delete=models.PROTECT, related_name="placement")
    # Monthly follow-along after the first month, for a year, if the client wishes (seed 003).
    monthly_follow_along = models.BooleanField(_("monthly follow-along after the first month"), default=True)
    ended_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note"), max_length=300, blank=True)
    # When the end was recorded: the vocational profile asks for an update until a version newer than
    # this exists (ips.status).
    end_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["trajectory", "started_on"]),
            models.Index(
                fields=["started_on"], condition=Q(ended_on__isnull=True), name="open_placement_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="placement_ends_after_start",
            )
        ]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.job_title} ({self.employer})"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def job_loss_contact_due(self) -> datetime.date | None:
        """The day by which the coach contacts the client after the job ended."""
        if self.ended_on is None:
            return None
        return self.ended_on + datetime.timedelta(days=JOB_LOSS_CONTACT_DAYS)


class PlacementChange(RecordedBy):
    """Hours or wage of a running job changed: the income plan needs doing again (seed 003)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="changes")
    on = models.DateField(_("from"))
    hours_before = models.DecimalField(max_digits=4, decimal_places=1)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)
    minimum_wage_before = models.BooleanField()
    minimum_wage = models.BooleanField(_("paid at least the minimum wage"))

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("change of hours or wage")
        verbose_name_plural = _("changes of hours or wage")

    def __str__(self) -> str:
        return f"{self.on}: {self.hours_before} → {self.hours_per_week}"


class IncomePlan(RecordedByOrganisation):
    """Benefits counselling: what the client lives on now and what work would change, made before a
    job starts and again when hours or wage change."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="income_plans")
    made_on = models.DateField(_("date"))
    benefit_today = models.CharField(
        _("benefit today"),
        max_length=300,
        help_text=_("Which benefit and how much a month, e.g. “RIZIV incapacity benefit, € 1,450”."),
    )
    expected_income = models.CharField(_("expected income"), max_length=300)
    hours_limits = models.CharField(_("hours limits that apply"), max_length=300, blank=True)
    forms_to_file = models.CharField(_("forms to file"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-made_on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "made_on"])]
        verbose_name = _("income plan")
        verbose_name_plural = _("income plans")

    def __str__(self) -> str:
        return f"{self.made_on}: {self.expected_income}"


class DisclosureDecision(models.TextChoices):
    FULL = "full", _("the employer may know about the illness")
    PARTIAL = "partial", _("only what is agreed below")
    NONE = "none", _("nothing: the coach stays in the background")


class DisclosureEntry(RecordedByOrganisation):
    """What the client wants an employer to know, discussed before the first employer contact and
    revisited after two months without a job."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="disclosures")
    on = models.DateField(_("date"))
    decision = models.CharField(_("decision"), max_length=10, choices=DisclosureDecision.choices)
    what_to_tell = models.CharField(_("what the employer may know"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "on"])]
        verbose_name = _("disclosure decision")
        verbose_name_plural = _("disclosure decisions")

    def __str__(self) -> str:
        return f"{self.on}: {self.get_decision_display()}"


class DcmCase(RecordedByOrganisation):
    """Disability case management (seed 001 L314-320): someone still employed but off sick, referred
    by the insurer's advising physician, back to their own employer step by step."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="dcm_case")
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="dcm_cases"
    )
    sick_since = models.DateField(_("on sick leave since"))
    advising_physician = models.CharField(
        _("advising physician of the insurer"), max_length=200, help_text=_("The referrer.")
    )
    insurer = models.CharField(_("health insurer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("DCM case")
        verbose_name_plural = _("DCM cases")

    def __str__(self) -> str:
        return f"{self.employer} ({self.sick_since})"


class ReturnToWorkStep(RecordedBy):
    """One step of the return-to-work plan: from a date, so many hours a week."""

    case = models.ForeignKey(DcmCase, on_delete=models.CASCADE, related_name="steps")
    from_on = models.DateField(_("from"))
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["from_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "from_on"], name="one_return_step_a_day"),
        ]
        verbose_name = _("return-to-work step")
        verbose_name_plural = _("return-to-work steps")

    def __str__(self) -> str:
        return f"{self.from_on}: {self.hours_per_week}"
