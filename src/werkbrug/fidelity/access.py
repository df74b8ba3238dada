"""Who may see and change fidelity reviews (issue 15, point 7).

The coordinator of the organisation opens, scores and finalises; the reviewers (people of the
organisation) score; the organisation's coaches read. Anyone else gets 404: another organisation,
a funder, the network admin.
"""

from __future__ import annotations

from django.http import Http404

from werkbrug.core.actor import Actor
from werkbrug.fidelity.models import Review
from werkbrug.network.models import Role

READERS = (Role.COORDINATOR, Role.COACH)


def can_manage(actor: Actor) -> bool:
    return actor.has_role(Role.COORDINATOR)


def can_read(actor: Actor) -> bool:
    return actor.has_role(*READERS)


def can_score(actor: Actor, review: Review) -> bool:
    if actor.organisation is None or review.organisation_id != actor.organisation.pk:
        return False
    return can_manage(actor) or review.reviewers.filter(pk=actor.user.pk).exists()


def get_review(actor: Actor, pk: int) -> Review:
    """The review, if the actor's organisation made it and the actor reads reviews; else 404."""
    if not can_read(actor) or actor.organisation is None:
        raise Http404
    review = (
        Review.objects.select_related("team", "organisation", "created_by", "finalised_by")
        .filter(organisation=actor.organisation, pk=pk)
        .first()
    )
    if review is None:
        raise Http404
    return review


def require_reader(actor: Actor) -> None:
    if not can_read(actor) or actor.organisation is None:
        raise Http404
