"""Writing fidelity reviews: open one (its computed items filled in), score an item, refresh a
draft's figures, finalise. No client data is written: a review holds counts and row ids."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, relock, who
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.fidelity import figures as figs
from werkbrug.fidelity.access import can_manage, can_score
from werkbrug.fidelity.models import ItemScore, Review, ReviewStatus
from werkbrug.fidelity.scale import SCALES, Column, proposed_score
from werkbrug.network.models import Organisation, User
from werkbrug.teams.models import Team, TeamKind

MAX_PERIOD_DAYS = 2 * 366


def team_user_ids(team: Team | None) -> list[int] | None:
    return None if team is None else list(team.members.values_list("user_id", flat=True))


def _compute(review: Review, today: datetime.date) -> None:
    coach_ids = figs.scope_coach_ids(
        review.organisation, team_user_ids(review.team), review.period_from, review.period_to
    )
    scope = figs.Scope(review.organisation, coach_ids, review.period_from, review.period_to)
    review.figures = {key: figure.as_json() for key, figure in figs.compute(scope, today).items()}
    review.coach_ids = list(coach_ids)
    review.computed_on = today


def _values(review: Review) -> dict[str, float | None]:
    return {key: data.get("value") for key, data in review.figures.items()}


@transaction.atomic
def open_review(
    actor: Actor,
    *,
    scale: str,
    period_from: datetime.date,
    period_to: datetime.date,
    team: Team | None = None,
    reviewers: Iterable[User] = (),
    today: datetime.date | None = None,
) -> Review:
    if not can_manage(actor):
        raise DomainError(_("Only a coordinator opens a fidelity review."))
    org = actor.org
    if scale not in SCALES:
        raise DomainError(_("Choose a scale."), field="scale")
    if period_to < period_from:
        raise DomainError(_("The period ends before it starts."), field="period_to")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise DomainError(_("A review covers at most two years."), field="period_to")
    if team is not None and (team.organisation_id != org.pk or team.kind != TeamKind.IPS_TEAM):
        raise DomainError(_("Choose an IPS team of your organisation."), field="team")
    # Two clicks on "open" (or two coordinators at once) make one review: the organisation's row is
    # locked while we look for the same draft.
    Organisation.objects.select_for_update().filter(pk=org.pk).first()
    twin = Review.objects.filter(
        organisation=org,
        team=team,
        scale=scale,
        period_from=period_from,
        period_to=period_to,
        status=ReviewStatus.DRAFT,
    ).first()
    if twin is not None:
        raise DomainError(
            _("A draft review of this scope, scale and period is already open (opened %(when)s by %(who)s).")
            % {"when": moment(twin.created_at), "who": who(twin.created_by)}
        )
    review = Review(
        organisation=org,
        team=team,
        scale=scale,
        period_from=period_from,
        period_to=period_to,
        created_by=actor.user,
    )
    _compute(review, today or timezone.localdate())
    review.save()
    review.reviewers.set(list(reviewers))
    values = _values(review)
    ItemScore.objects.bulk_create(
        [
            ItemScore(
                review=review,
                item=item.key,
                column=column,
                computed=(c := proposed_score(item, values)),
                score=c,
            )
            for item in SCALES[scale].items
            for column in item.columns
        ]
    )
    return review


@transaction.atomic
def refresh_review(actor: Actor, review: Review, *, today: datetime.date | None = None) -> Review:
    """Compute a draft's figures again; an item a reviewer scored keeps its score and note."""
    relock(review)
    if not can_manage(actor) or review.organisation_id != actor.org.pk:
        raise DomainError(_("Only a coordinator refreshes a fidelity review."))
    if review.is_final:
        raise InvalidTransition(_("This review is already final."))
    _compute(review, today or timezone.localdate())
    review.save(update_fields=["figures", "coach_ids", "computed_on"])
    values = _values(review)
    scale = review.scale_def
    for row in review.scores.all():
        item = scale.item(row.item)
        if not item.is_computed:
            continue
        row.computed = proposed_score(item, values)
        if row.scored_by_id is None:
            row.score = row.computed
        row.save(update_fields=["computed", "score"])
    return review


@transaction.atomic
def score_item(actor: Actor, review: Review, *, item: str, column: str, score: int, note: str) -> ItemScore:
    relock(review)
    if not can_score(actor, review):
        raise DomainError(_("Only the coordinator and the reviewers score this review."))
    if review.is_final:
        raise InvalidTransition(_("This review is final: its scores no longer change."))
    try:
        definition = review.scale_def.item(item)
    except KeyError:
        raise DomainError(_("This item is not on the review's scale.")) from None
    if column not in {c.value for c in definition.columns}:
        raise DomainError(_("This item has no such column."))
    if not 1 <= score <= 5:
        raise DomainError(_("A score is 1 to 5."), field="score")
    if not note.strip():
        raise DomainError(_("Say why: a score needs a note."), field="note")
    if not definition.may_differ and len(definition.columns) > 1:
        columns = [c.value for c in definition.columns]
    else:
        columns = [column]
    rows = list(review.scores.filter(item=item, column__in=columns))
    now = timezone.now()
    for row in rows:
        row.score, row.note, row.scored_by, row.scored_at = score, note.strip(), actor.user, now
        row.save(update_fields=["score", "note", "scored_by", "scored_at"])
    return next(row for row in rows if row.column == column)


@transaction.atomic
def finalise_review(actor: Actor, review: Review) -> Review:
    relock(review)
    if not can_manage(actor) or review.organisation_id != actor.org.pk:
        raise DomainError(_("Only a coordinator finalises a fidelity review."))
    if review.is_final:
        raise InvalidTransition(_("This review is already final."))
    missing = review.scores.filter(score__isnull=True).count()
    if missing:
        raise DomainError(
            _("Score every item first: %(n)s still open.") % {"n": missing},
        )
    review.finalise(actor.user)
    review.save(update_fields=["status", "finalised_by", "finalised_at"])
    return review


def totals(review: Review, scores: Iterable[ItemScore]) -> dict[str, int]:
    """The total per column of the scores given (an open item counts 0)."""
    result = {c.value: 0 for c in review.scale_def.columns}
    for row in scores:
        result[row.column] = result.get(row.column, 0) + (row.score or 0)
    return result


__all__ = ["Column", "finalise_review", "open_review", "refresh_review", "score_item", "totals"]
