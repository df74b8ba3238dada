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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.employers.models import Employer, JobType
from werkbrug.network.models import Organisation, User
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


class Placement(models.Model):
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
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

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
