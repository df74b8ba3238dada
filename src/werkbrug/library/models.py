"""The network's central documents (vision text, draaiboek, forms, cooperation agreements) in
versions, and the announcements of new versions (of a document or of the draaiboek's indications,
network.DraaiboekVersion) to the member organisations they concern."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.network.models import DraaiboekVersion, Organisation, OrganisationKind, User


class DocumentKind(models.TextChoices):
    VISION = "vision", _("vision text")
    DRAAIBOEK = "draaiboek", _("draaiboek")
    FORM = "form", _("form")
    AGREEMENT = "agreement", _("cooperation agreement")
    OTHER = "other", _("other")


class Audience(models.TextChoices):
    """Which member organisations a document concerns (its announcements go to them)."""

    ALL = "all", _("all member organisations")
    CARE = OrganisationKind.CARE.value, _("care partners")
    WORK = OrganisationKind.WORK.value, _("work partners")


class Document(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    audience = models.CharField(_("concerns"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One uploaded version: a PDF kept as private files are (core.privatefiles), served only by a
    policy-checked view."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file (PDF)"), upload_to="library/%Y/%m/")
    note = models.TextField(_("what changed"), max_length=2000)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_number")]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Announcement(models.Model):
    """A new version, announced in the app to the organisations it concerns (dismissable per user)
    and by mail (library.announce)."""

    title = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    draaiboek = models.ForeignKey(
        DraaiboekVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document_version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisations = models.ManyToManyField(Organisation, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title


class Dismissal(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="dismissals")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="one_dismissal_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} dismissed by {self.user_id}"
