"""Rows of the background jobs (docs/jobs.md) that the library's own table does not hold.

- `DoneMarker`: a periodic job (or one piece of it, e.g. one action's reminder) done for one day.
  Unique, and written in the same transaction as the work, so a second run on the same day finds it
  and does nothing twice.
- `PreparedFile`: a large download prepared by a job into a private file (core.privatefiles rules:
  under MEDIA_ROOT, a random name, served only to the user who asked), with its progress.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DoneMarker(models.Model):
    job = models.CharField(max_length=64)
    day = models.DateField()
    key = models.CharField(max_length=64, blank=True, default="")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day", "key"], name="jobs_done_once_per_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day} {self.key}".strip()


class PreparedFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="text/csv; charset=utf-8")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="prepared/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
