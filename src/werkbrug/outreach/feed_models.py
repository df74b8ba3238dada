"""The coach's calendar feed by subscription: a phone's calendar cannot log in, so a secret URL per
coach membership. Only the SHA-256 digest of the random token is stored; revoking ends it at once.
Imported by `outreach.models`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from werkbrug.network.models import Membership


class CalendarFeed(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(revoked_at__isnull=True), name="outreach_one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"
