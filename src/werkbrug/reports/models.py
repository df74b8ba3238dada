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


class PublishedReportIsFinal(Exception):
    """A published report is never changed or deleted."""


class PublicationStatus(models.TextChoices):
    # Asked for and recorded; a job counts and stores the figures (reports.publish_tasks).
    PENDING = "pending", _("being published")
    PUBLISHED = "published", _("published")
    # The job gave up (its last attempt failed): no figures; the same report can be published again.
    FAILED = "failed", _("publishing failed")


class PublishedReportQuerySet(models.QuerySet["PublishedReport"]):
    def update(self, **kwargs: object) -> int:
        raise PublishedReportIsFinal("A published report cannot change.")

    def store_figures(self, pk: int, **figures: object) -> bool:
        """The one change a published report knows: a pending one receives its figures, once, and is
        published from then on. Returns whether it was pending."""
        pending = self.filter(pk=pk, status=PublicationStatus.PENDING)
        stored = models.QuerySet.update(pending, **figures, status=PublicationStatus.PUBLISHED)
        return bool(stored)

    def mark_failed(self, pk: int, *, reason: str) -> bool:
        """The other end of a pending one: its job gave up. It keeps no figures, records when and a
        short reason (an error's kind, never a text about a person), and no longer blocks publishing
        the same report again. Returns whether it was pending."""
        pending = self.filter(pk=pk, status=PublicationStatus.PENDING)
        failed = models.QuerySet.update(
            pending, status=PublicationStatus.FAILED, failed_at=timezone.now(), failure=reason[:100]
        )
        return bool(failed)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedReportIsFinal("A published report cannot be deleted.")


class PublishedReport(models.Model):
    """A report as it was published: its parameters, the day its figures were counted as of, the
    definition it used, and the figures themselves, stored (docs/reports.md, "Published reports").
    It is written once: saving an existing row again, updating or deleting raises
    PublishedReportIsFinal, and no page or action edits one. The request records it `pending`, without
    figures; the publication job stores them (`store_figures`, pending rows only) and it is final, or
    gives up (`mark_failed`, pending rows only) and it is final as `failed`, without figures."""

    slug = models.CharField(max_length=50)
    params = models.JSONField()  # framework.Params.stored()
    start = models.DateField()
    end = models.DateField()
    as_of = models.DateField()
    definition = models.CharField(max_length=50)
    definition_note = models.CharField(max_length=500, blank=True)
    # The exact figures, as the publisher saw them (reports.publication.dump_sections) ...
    sections = models.JSONField()
    # ... and without per-person rows, still unsuppressed, with the hidden cells suppression needs: a
    # funder sees these, suppressed when shown.
    public_sections = models.JSONField()
    # The organisation the figures are about (None: the network).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    # Set once, when the publication job gave up (status failed): when, and the error's kind.
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=100, blank=True)

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "published_at"])]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")

    def __str__(self) -> str:
        return f"{self.slug} {self.start:%d/%m/%Y} - {self.end:%d/%m/%Y} ({self.as_of:%d/%m/%Y})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding or self.pk is not None:
            raise PublishedReportIsFinal("A published report cannot change.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PublishedReportIsFinal("A published report cannot be deleted.")
