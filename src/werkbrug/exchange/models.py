"""The care ↔ work exchange: profile sections (every save a version) and feedback to the referrer."""

from __future__ import annotations

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client, ProfileSection
from werkbrug.network.models import Organisation, User
from werkbrug.referrals.models import Referral
from werkbrug.trajectories.models import Trajectory

MAX_SECTION_TEXT = 5000
MAX_FEEDBACK_TEXT = 2000


class SectionVersionQuerySet(models.QuerySet["SectionVersion"]):
    def current(self) -> SectionVersionQuerySet:
        """The latest version of each section (one query: the max pk per client and section)."""
        latest = self.values("client_id", "section").annotate(last=Max("pk")).values("last")
        return self.filter(pk__in=latest)


class SectionVersion(models.Model):
    """One saved version of one profile section. Append-only: a save never overwrites, so older
    versions stay readable to those entitled to the section."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="profile_versions")
    section = models.CharField(_("section"), max_length=30, choices=ProfileSection.choices)
    text = models.TextField(_("text"), max_length=MAX_SECTION_TEXT)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SectionVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "section", "created_at"])]
        verbose_name = _("profile section version")
        verbose_name_plural = _("profile section versions")

    def __str__(self) -> str:
        return f"{self.get_section_display()} ({self.created_at:%Y-%m-%d})"


class Feedback(models.Model):
    """Terugkoppeling: a structured message from the coach to the referring care professional,
    possible only with the client's consent to feedback for that organisation."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="feedback")
    trajectory = models.ForeignKey(
        Trajectory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sender = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sender_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to organisation"), on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        User, verbose_name=_("to"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discussed = models.TextField(_("what was discussed"), max_length=MAX_FEEDBACK_TEXT)
    steps = models.TextField(_("steps taken"), max_length=MAX_FEEDBACK_TEXT, blank=True)
    support_needed = models.TextField(_("support still needed"), max_length=MAX_FEEDBACK_TEXT, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient_organisation", "read_at", "created_at"])]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.sender_organisation} → {self.recipient_organisation} ({self.created_at:%Y-%m-%d})"
