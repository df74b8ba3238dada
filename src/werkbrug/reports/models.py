"""Data-access agreements: the research export is person-level data, so a researcher downloads it only
under an agreement the network admin recorded (issue 12, docs/reports.md "Research export")."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.network.models import Membership, Organisation, User


class AgreementQuerySet(models.QuerySet["DataAccessAgreement"]):
    def active(self, today: datetime.date) -> AgreementQuerySet:
        """Approved by today, not expired (the expiry date is the last valid day), not ended."""
        return self.filter(approved_on__lte=today, expires_on__gte=today, revoked_at__isnull=True)

    def covering(self, year: int) -> AgreementQuerySet:
        return self.filter(Q(from_year__lte=year) & Q(to_year__gte=year))


class DataAccessAgreement(models.Model):
    """One researcher's permission to download the research export for a project, for the years it
    covers, from its approval until it expires or the network admin ends it."""

    # The researcher's membership (user + organisation + role): the agreement is for that person
    # acting for that organisation, not for everyone of the organisation.
    researcher = models.ForeignKey(
        Membership, verbose_name=_("researcher"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.CharField(_("project"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    approved_on = models.DateField(_("approved on"))
    expires_on = models.DateField(_("expires on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("data-access agreement")
        verbose_name_plural = _("data-access agreements")
        constraints = [
            models.CheckConstraint(condition=Q(from_year__lte=models.F("to_year")), name="agreement_years"),
            models.CheckConstraint(
                condition=Q(approved_on__lte=models.F("expires_on")), name="agreement_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.project}"

    def is_active(self, today: datetime.date) -> bool:
        return self.revoked_at is None and self.approved_on <= today <= self.expires_on

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year
