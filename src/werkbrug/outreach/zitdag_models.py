"""Zitdagen (issue 18 point 5): where a trajectory contact took place when it was held on a zitdag
at an antenna point. `trajectories.Contact` lives below outreach, so the place is kept here, keyed by
the contact. Imported by `outreach.models`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from werkbrug.trajectories.models import Contact


class ContactPlace(models.Model):
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("outreach.Site", on_delete=models.PROTECT, related_name="contact_places")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact__on", "-pk"]

    def __str__(self) -> str:
        return f"contact {self.contact_id} at {self.site_id}"
