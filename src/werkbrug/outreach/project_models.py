"""Issue 16 part 2: funded projects, their yearly commitment of VDAB registrations and the
financing rule per year (docs/outreach.md). Imported by `outreach.models`."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.network.models import Organisation, User


class Project(models.Model):
    """A funded outreach project: its sites, its coaches, a period."""

    name = models.CharField(_("name"), max_length=200)
    run_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="outreach_projects")
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    sites = models.ManyToManyField("outreach.Site", related_name="projects", blank=True)
    coaches = models.ManyToManyField(User, related_name="outreach_projects", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Commitment(models.Model):
    """The project's commitment of VDAB registrations in one calendar year."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"))
    registrations = models.PositiveIntegerField(_("committed VDAB registrations"))

    class Meta:
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="outreach_one_commitment_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.registrations}"


class FinancingRule(models.Model):
    """The financing of one year: at most `per_person` euro per committed person, `cost_percent`
    on costs and the rest on results. A year without a row uses the seed's rule (750, 80/20)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    per_person = models.DecimalField(_("at most per committed person (EUR)"), max_digits=8, decimal_places=2)
    cost_percent = models.PositiveSmallIntegerField(_("cost-based share (%)"))

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    DEFAULT_PER_PERSON = Decimal("750.00")
    DEFAULT_COST_PERCENT = 80
