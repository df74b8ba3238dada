"""A fidelity review: one period, one scope (an IPS team or the organisation's IPS coaches), its
reviewers, and a score per item and column (issue 15, point 7).

The computed figures are stored on the review when it is opened (and again when a draft is
refreshed), so a final review never changes when the data does; later reviews are compared with it.
A review holds counts and the ids of the trajectories counted, no client text: the rows themselves
are only shown through `clients.access`.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.exceptions import InvalidTransition
from werkbrug.core.records import CreatedBy
from werkbrug.fidelity.scale import SCALE_CHOICES, SCALES, Scale
from werkbrug.network.models import Organisation, User
from werkbrug.teams.models import Team


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")


class Review(CreatedBy):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team,
        verbose_name=_("IPS team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: all IPS coaches of the organisation."),
    )
    scale = models.CharField(_("scale"), max_length=10, choices=SCALE_CHOICES, default="nl")
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    reviewers = models.ManyToManyField(User, verbose_name=_("reviewers"), related_name="+")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    # fidelity.figures.compute(...) as JSON: {figure: {"value", "counts", "ids"}}.
    figures = models.JSONField(default=dict)
    coach_ids = models.JSONField(default=list)
    computed_on = models.DateField(default=timezone.localdate)
    finalised_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_to", "-pk"]
        indexes = [models.Index(fields=["organisation", "period_to"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")), name="review_period_in_order"
            )
        ]
        verbose_name = _("fidelity review")
        verbose_name_plural = _("fidelity reviews")

    def __str__(self) -> str:
        return f"{self.scope_name} {self.period_from:%d/%m/%Y} - {self.period_to:%d/%m/%Y}"

    @property
    def scale_def(self) -> Scale:
        return SCALES[self.scale]

    @property
    def scope_name(self) -> str:
        if self.team is not None:
            return self.team.name
        return gettext("all IPS coaches of %(org)s") % {"org": self.organisation}

    @property
    def is_final(self) -> bool:
        return self.status == ReviewStatus.FINAL

    def figure(self, key: str) -> dict[str, Any]:
        return self.figures.get(key) or {"value": None, "counts": {}, "ids": []}

    def finalise(self, by: User) -> None:
        if self.is_final:
            raise InvalidTransition(gettext("This review is already final."))
        self.status = ReviewStatus.FINAL
        self.finalised_by = by
        self.finalised_at = timezone.now()


class ItemScore(models.Model):
    """One item in one column of a review. `computed` is the score proposed from the figures;
    `score` what counts (the computed one unless a reviewer changed it, with a note)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(max_length=40)
    column = models.CharField(max_length=10)
    computed = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    scored_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item", "column"], name="one_score_per_item")
        ]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")

    def __str__(self) -> str:
        return f"{self.item} {self.column}: {self.score}"

    @property
    def overridden(self) -> bool:
        return self.computed is not None and self.score != self.computed
