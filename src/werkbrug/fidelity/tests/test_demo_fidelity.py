"""The demo shows a finished review of last year and a draft of this year with the computed items
filled in from the IPS and employer stories."""

from __future__ import annotations

import pytest

from werkbrug.demo.load import load_demo
from werkbrug.fidelity.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_last_years_final_review_and_this_years_draft_with_computed_items():
    load_demo()
    final, draft = Review.objects.order_by("period_to")
    assert final.status == ReviewStatus.FINAL
    assert not final.scores.filter(score__isnull=True).exists()
    assert draft.status == ReviewStatus.DRAFT
    # coach.sara1 carries the demo's IPS clients: the caseload and the employer contacts are computed.
    assert draft.figure("caseload")["counts"]["trajectories"] >= 1
    assert draft.scores.get(item="caseload", column="work").computed is not None
    assert draft.figure("face_to_face_per_week")["counts"]["contacts"] >= 1
