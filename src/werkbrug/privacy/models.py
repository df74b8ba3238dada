"""Erasure requests (GDPR art. 17) and what they did. The request outlives the person's data: it
keeps the client's number only, never a name or a national register number."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.network.models import Organisation, User

# `requested_by` of an erasure the retention period asked for (manage.py apply_retention).
RETENTION_REQUESTER = "retention period"


class ErasureRequest(models.Model):
    """One request to erase a client's data, recorded by the privacy officer (or by the retention
    rule), and when the erasure was done."""

    # A plain number, not a foreign key: like the audit trail, the request speaks of a record that no
    # longer says who it was.
    client_ref = models.BigIntegerField(_("client number"), db_index=True)
    received_on = models.DateField(_("request received on"), default=timezone.localdate)
    requested_by = models.CharField(
        _("requested by"), max_length=200, help_text=_("For example: the client, by letter.")
    )
    reason = models.TextField(_("reason"), max_length=2000)
    # None for the retention rule, which runs without a person.
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"#{self.pk} client {self.client_ref}"

    @property
    def by_retention(self) -> bool:
        return self.requested_by == RETENTION_REQUESTER
