"""Abstract bases for the fields that say who wrote a row, for which organisation and when.

The fields are exactly those the areas declared one by one before (same types, options and
`related_name="+"`), so inheriting changes no schema: `makemigrations --check` stays quiet.

An inherited field comes first in the model's field order (right after `id`), since Django orders
fields by when they were defined. Models written as positional tuples in that order
(`demo.generator.writer.WRITE_ORDER`) keep their own declarations for that reason.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from werkbrug.network.models import Organisation, User


class RecordedBy(models.Model):
    """Who recorded the row, and when."""

    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class RecordedByOrganisation(RecordedBy):
    """Who recorded the row, for which organisation (the one acting), and when."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class CreatedBy(models.Model):
    """Who created the row, and when."""

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
