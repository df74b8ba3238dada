"""The survey's aggregated results, with the reports' small-count rule (core.suppression): a count
from 1 to 4 is shown as "<5", and `protect()` hides what would give one away (a question's total and
its five scores add up). A question's mean is shown only when its number of answers is shown and at
least 5; open texts only when the survey has at least 5 responses, in alphabetical order (never in
the order they came in)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db.models import Count

from werkbrug.core.suppression import SMALL_CELL, is_small, protect, suppress
from werkbrug.satisfaction.models import Answer, Question, QuestionKind, Survey

SCORES = (1, 2, 3, 4, 5)
SECONDARY = "\u00d7"


@dataclass
class QuestionResult:
    question: Question
    answers: str
    scores: list[str] = field(default_factory=list)
    mean: str = ""
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    responses: str
    questions: list[QuestionResult]
    texts_shown: bool


def _shown(key: Hashable, cells: dict[Hashable, int], hidden: set[Hashable]) -> str:
    count = cells[key]
    if key not in hidden:
        return str(count)
    return "<5" if is_small(count) else SECONDARY


def survey_results(survey: Survey) -> SurveyResults:
    questions = list(survey.questions.all())
    responses = survey.responses.count()
    counts = {
        (row["question_id"], row["score"]): row["n"]
        for row in Answer.objects.filter(question__survey=survey, score__isnull=False)
        .values("question_id", "score")
        .annotate(n=Count("pk"))
    }
    text_counts = dict(
        Answer.objects.filter(question__survey=survey, score__isnull=True)
        .values_list("question_id")
        .annotate(n=Count("pk"))
    )
    cells: dict[Hashable, int] = {}
    relations = []
    for q in questions:
        if q.kind != QuestionKind.SCALE:
            continue
        parts = [(q.pk, score) for score in SCORES]
        for part in parts:
            cells[part] = counts.get(part, 0)
        cells[(q.pk, "all")] = sum(cells[part] for part in parts)
        relations.append(((q.pk, "all"), parts))
    hidden = protect(cells, relations) if cells else set()
    texts_shown = responses >= SMALL_CELL
    texts: dict[int, list[str]] = {}
    if texts_shown:
        for question_id, text in (
            Answer.objects.filter(question__survey=survey, score__isnull=True)
            .order_by("text")
            .values_list("question_id", "text")
        ):
            texts.setdefault(question_id, []).append(text)
    rows = []
    for q in questions:
        if q.kind == QuestionKind.SCALE:
            total = cells[(q.pk, "all")]
            row = QuestionResult(
                question=q,
                answers=_shown((q.pk, "all"), cells, hidden),
                scores=[_shown((q.pk, score), cells, hidden) for score in SCORES],
            )
            if (q.pk, "all") not in hidden and total >= SMALL_CELL:
                mean = sum(score * cells[(q.pk, score)] for score in SCORES) / total
                row.mean = f"{mean:.1f}"
        else:
            row = QuestionResult(
                question=q, answers=suppress(text_counts.get(q.pk, 0)), texts=texts.get(q.pk, [])
            )
        rows.append(row)
    return SurveyResults(responses=suppress(responses), questions=rows, texts_shown=texts_shown)
