"""protect() keeps its last answers (core.suppression._DECIDED): the same figures are not audited
again, and changed figures are never answered from an older run."""

from __future__ import annotations

import pytest

from werkbrug.core import suppression
from werkbrug.core.suppression import protect

# A total of 12 over three parts, one of them small: the small part and one more must be hidden.
RELATIONS = [("total", ["a", "b", "c"])]


@pytest.fixture
def counted(monkeypatch):
    """Counts the real audits, on an empty memory."""
    monkeypatch.setattr(suppression, "_DECIDED", type(suppression._DECIDED)())
    calls = []
    real = suppression._protect

    def audited(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(suppression, "_protect", audited)
    return calls


def test_the_same_figures_are_answered_without_a_second_audit(counted):
    cells = {"total": 12, "a": 3, "b": 4, "c": 5}
    first = protect(cells, RELATIONS)
    assert {"a", "b"} <= first
    again = protect(dict(cells), list(RELATIONS))
    assert again == first
    assert len(counted) == 1


def test_changed_figures_are_audited_again_and_get_their_own_answer(counted):
    before = protect({"total": 12, "a": 3, "b": 4, "c": 5}, RELATIONS)
    after = protect({"total": 40, "a": 30, "b": 5, "c": 5}, RELATIONS)
    assert len(counted) == 2
    assert "a" in before and "a" not in after
    assert after == set()


def test_an_answer_changed_by_its_caller_does_not_change_the_kept_one(counted):
    cells = {"total": 12, "a": 3, "b": 4, "c": 5}
    first = protect(cells, RELATIONS)
    first.clear()
    assert protect(cells, RELATIONS) and len(counted) == 1


def test_only_the_last_few_answers_are_kept(counted):
    for total in range(suppression.DECIDED_KEPT + 3):
        protect({"total": 100 + total, "a": 3, "b": 97 + total, "c": 0}, RELATIONS)
    assert len(suppression._DECIDED) == suppression.DECIDED_KEPT
