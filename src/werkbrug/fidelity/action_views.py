"""The writes of the fidelity review, declared with core.actionviews.action_view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import CHANGED, Step, action_view
from werkbrug.core.concurrency import digest, moment, who
from werkbrug.core.policy import role_view
from werkbrug.fidelity import access, actions
from werkbrug.fidelity.forms import ButtonForm, OpenReviewForm, ScoreForm
from werkbrug.fidelity.models import ItemScore, Review
from werkbrug.fidelity.scale import COLUMN_LABELS, Column
from werkbrug.network.models import Role

policy = role_view(Role.COORDINATOR, Role.COACH)


def _index_page(step: Step) -> dict[str, Any]:
    index = reverse("fidelity:index")
    return {"crumbs": [(index, gettext("Fidelity"))], "back": index}


def _review(step: Step) -> Review:
    return access.get_review(step.actor, step.kwargs["pk"])


def _to_review(step: Step, result: Any) -> str:
    return reverse("fidelity:detail", args=[step.target.pk])


def _load_manager(step: Step) -> None:
    if not access.can_manage(step.actor):
        raise Http404


open_review = action_view(
    policy=policy,
    load=_load_manager,
    form=lambda step: OpenReviewForm(step.actor, step.data),
    run=lambda step, data: actions.open_review(
        step.actor,
        scale=data["scale"],
        team=data["team"],
        period_from=data["period_from"],
        period_to=data["period_to"],
        reviewers=data["reviewers"],
    ),
    success=_("The review is open: the items computed from the registration are filled in."),
    done=lambda step, review: reverse("fidelity:detail", args=[review.pk]),
    title=_("Open a fidelity review"),
    intro=_("The items that the registration can tell are scored at once, each with its figures."),
    submit_label=_("Open the review"),
    context=_index_page,
)


def _load_scorable(step: Step) -> ItemScore:
    """The item in one column of a review the actor may score; else 404."""
    review = _review(step)
    if not access.can_score(step.actor, review):
        raise Http404
    row = review.scores.filter(item=step.kwargs["item"], column=step.kwargs["column"]).first()
    if row is None:
        raise Http404
    row.review = review
    return row


def _score_form(step: Step) -> ScoreForm:
    row: ItemScore = step.target
    return ScoreForm(step.data, initial={"score": row.score, "note": row.note})


def _score_title(step: Step) -> str:
    row: ItemScore = step.target
    item = row.review.scale_def.item(row.item)
    return f"{item.number} {item.name} ({COLUMN_LABELS[Column(row.column)]})"


def _score_page(step: Step) -> dict[str, Any]:
    review = step.target.review
    detail = reverse("fidelity:detail", args=[review.pk])
    return {
        "crumbs": [(reverse("fidelity:index"), gettext("Fidelity")), (detail, review)],
        "back": detail,
        "back_label": gettext("Back to the review"),
    }


def _score_version(row: ItemScore) -> str:
    return digest(row.score, row.note, row.scored_by_id)


def _scored_meanwhile(row: ItemScore) -> str:
    """Two reviewers on one item: the second save is refused, naming the first."""
    if row.scored_by is None:
        return str(CHANGED)
    return gettext("%(who)s scored this item %(when)s: %(score)s (%(note)s). Check it and save again.") % {
        "who": who(row.scored_by),
        "when": moment(row.scored_at) if row.scored_at else "",
        "score": row.score,
        "note": row.note,
    }


score = action_view(
    policy=policy,
    load=_load_scorable,
    form=_score_form,
    run=lambda step, data: actions.score_item(
        step.actor,
        step.target.review,
        item=step.target.item,
        column=step.target.column,
        score=data["score"],
        note=data["note"],
    ),
    success=_("The score is saved."),
    done=lambda step, result: (
        reverse("fidelity:detail", args=[step.target.review_id]) + f"#item-{result.item}"
    ),
    title=_score_title,
    intro=_("A score from the reviewers needs a note; it replaces a computed score, which stays visible."),
    context=_score_page,
    version=_score_version,
    changed=_scored_meanwhile,
)


def _load_managed(step: Step) -> Review:
    review = _review(step)
    if not access.can_manage(step.actor):
        raise Http404
    return review


def _refused(step: Step) -> HttpResponse:
    for error in step.form.non_field_errors():
        messages.error(step.request, str(error))
    return redirect(reverse("fidelity:detail", args=[step.target.pk]))


finalise = action_view(
    policy=policy,
    load=_load_managed,
    form=ButtonForm,
    run=lambda step, data: actions.finalise_review(step.actor, step.target),
    success=_("The review is final."),
    done=_to_review,
    refused=_refused,
    post_only=True,
)

refresh = action_view(
    policy=policy,
    load=_load_managed,
    form=ButtonForm,
    run=lambda step, data: actions.refresh_review(step.actor, step.target),
    success=_("The figures are computed again from today's registration."),
    done=_to_review,
    refused=_refused,
    post_only=True,
)
